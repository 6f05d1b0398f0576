// Replies' results by errno name in `fields` (for filters and --format json), with the line left
// as Ceph prints it (trace-vs-ceph-log.test.ts holds it to the daemons' logs), and a mon command's
// output in `fields`, parsed when it is JSON. On captured bytes: librbd's and librados' OSD
// sessions (fixtures/ops), `ceph mon dump --format json` (fixtures/capture) and rados-ts's secure
// sessions with their MAuth renewal (fixtures/capture/secure).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capturedServerMessages } from '../../test/capture/osd-ops.ts';
import { fixture, parseSession } from '../../test/capture/parse-session.ts';
import { parseKeyring } from '../cephx/keyring.ts';
import { Writer } from '../encoding/writer.ts';
import { MsgType } from '../messages/message-types.ts';
import { frameToMessage, type Message } from '../msgr2/message-frame.ts';
import { Tag } from '../msgr2/tags.ts';
import { decodeCapture } from './decode-capture.ts';
import { describeFrame } from './describe-frame.ts';
import { describeMessage } from './describe-message.ts';

const secure = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/capture/secure/${name}`, import.meta.url)));

/** The messages of one crc-mode fixture direction (fixtures/capture). */
async function messagesOf(file: string): Promise<Message[]> {
  const s = await parseSession(fixture(file));
  return s.frames.filter((f) => f.frame.tag === Tag.MESSAGE).map((f) => frameToMessage(f.frame));
}

describe('reply results by errno name', () => {
  it('MOSDOpReply: -ENOENT of a stat on a missing header (rbd create), -EINVAL of a refused class call; none on success', async () => {
    const [stat] = await capturedServerMessages('rbd-create', MsgType.OSD_OPREPLY);
    const d = describeMessage(stat!);
    expect(d.line).toBe("osd_op_reply(1 img1.rbd [stat] v0'0 uv0 ondisk = -2 ((2) No such file or directory))");
    expect(d.fields).toMatchObject({ result: -2, errno: 'ENOENT' });
    const refused = (await capturedServerMessages('librados-ops', MsgType.OSD_OPREPLY)).map((m) => describeMessage(m)).find((x) => (x.fields['result'] as number) < 0)!;
    expect(refused.line).toMatch(/ = -22 \(\(22\) Invalid argument\)\)$/);
    expect(refused.fields).toMatchObject({ result: -22, errno: 'EINVAL' });
    const ok = (await messagesOf('rados-osd.server.bin')).map((m) => describeMessage(m)).find((x) => x.type === 'MOSDOpReply')!;
    expect(ok.line).toBe("osd_op_reply(1 obj1 [writefull 0~46] v9'1 uv1 ondisk = 0)");
    expect(ok.fields['result']).toBe(0);
    expect(ok.fields).not.toHaveProperty('errno');
  });

  it('MAuthReply: the ticket renewal succeeded (no errno); the same bytes with result -EACCES name it, the line as Ceph prints', async () => {
    const t = await decodeCapture(secure('rados-ts-secure.pcap'), { keyring: parseKeyring(new TextDecoder().decode(secure('keyring'))) });
    const frame = t.sessions.flatMap((s) => s.frames).find((f) => f.tag === Tag.MESSAGE && describeFrame(f).message?.type === 'MAuthReply')!;
    const d = describeFrame(frame).message!;
    expect(d.fields['result']).toBe(0);
    expect(d.fields).not.toHaveProperty('errno');
    // Segment 1 is the front: le32 protocol, le32 result (MAuthReply::decode_payload).
    const front = frame.segments[1]!.slice();
    new DataView(front.buffer).setInt32(4, -13, true);
    const denied = describeFrame({ tag: frame.tag, segments: [frame.segments[0]!, front, ...frame.segments.slice(2)] }).message!;
    expect(denied.fields).toMatchObject({ result: -13, errno: 'EACCES' });
    expect(d.line).toBe('auth_reply(proto 2 0 (0) Success )');
    expect(denied.line).toBe('auth_reply(proto 2 -13 (13) Permission denied )');
  });

  it('MPoolOpReply: reply_code -EEXIST by name (no capture holds a pool op: the bytes of src/messages/MPoolOpReply.h)', () => {
    const front = new Writer(64).u64(7n).i16(-1).u64(0n).bytes(new Uint8Array(16)).i32(-17).u32(42).bool(false).finish();
    const d = describeMessage({
      header: { type: MsgType.POOLOP_REPLY, version: 1, tid: 5n, seq: 1n } as Message['header'],
      front,
      middle: new Uint8Array(),
      data: new Uint8Array(),
    });
    expect(d.fields).toMatchObject({ result: -17, errno: 'EEXIST' });
    expect(d.line).toBe('pool_op_reply(tid 5 (17) File exists v42)');
  });
});

describe("a mon command's output", () => {
  it('`ceph mon dump --format json`: the monmap the same session received, parsed', async () => {
    const msgs = (await messagesOf('ceph-mon.server.bin')).map((m) => describeMessage(m));
    const map = msgs.find((m) => m.type === 'MMonMap')!;
    const ack = msgs.filter((m) => m.type === 'MMonCommandAck')[1]!;
    expect(ack.line).toBe('mon_command_ack([{"prefix": "mon dump", "format": "json"}]=0 dumped monmap epoch 1 v1)');
    expect(ack.fields).not.toHaveProperty('errno');
    const out = ack.fields['output'] as { epoch: number; fsid: string; mons: Array<{ name: string; public_addrs: { addrvec: Array<{ type: string; addr: string }> } }> };
    expect(out.epoch).toBe(map.fields['epoch']);
    expect(out.fsid).toBe(map.fields['fsid']);
    expect(out.mons.map((m) => `${m.name}=[${m.public_addrs.addrvec.map((a) => `${a.type}:${a.addr}/0`).join(',')}]`)).toEqual(
      Object.entries(map.fields['mons'] as Record<string, string>).map(([k, v]) => `${k}=${v}`),
    );
  });

  it('`osd pool ls` of the secure capture (decrypted): the pool list', async () => {
    const t = await decodeCapture(secure('rados-ts-secure.pcap'), { keyring: parseKeyring(new TextDecoder().decode(secure('keyring'))) });
    const ack = t.events.find((e) => e.message?.type === 'MMonCommandAck')!;
    expect(ack.message!.fields['output']).toEqual(['trace']);
  });
});
