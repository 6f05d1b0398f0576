// Secure-mode sessions of rados-ts against Pacific (aes keys) and Tentacle (aes256k keys)
// clusters (fixtures/capture/secure, see the README there) opened with the cluster's keyring: the
// mon session by client.admin's key, the OSD session by the osd ticket renewed over MAuth. Damaged
// ciphertext is reported per frame, and the walk goes on with the right nonces; a wrong key or
// none says whose session it is and why.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../capture/capture-file.ts';
import { tcpSegmentOf, type TcpSegment } from '../capture/tcp-segment.ts';
import { reassembleTcp } from '../capture/tcp-streams.ts';
import { parseKeyring } from '../cephx/keyring.ts';
import { type CaptureTrace, decodeCapture, type TraceEvent } from './decode-capture.ts';
import { byteRuns } from './frame-walker.ts';
import { nonceAfter } from './secure-walker.ts';
import { accountedFor } from '../../test/capture/accounted-for.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/capture/secure/${name}`, import.meta.url)));
const pcap = fixture('rados-ts-secure.pcap');
const keyringText = new TextDecoder().decode(fixture('keyring'));
const keyring = parseKeyring(keyringText);
const tentacle = { pcap: fixture('tentacle/rados-ts-secure.pcap'), keyring: parseKeyring(new TextDecoder().decode(fixture('tentacle/keyring'))) };

/** Where in the file the stream bytes at `offset` of a session's direction are (searched for: 16 bytes of ciphertext are unique). */
function fileOffsetOf(session: number, dir: 'to-server' | 'to-client', offset: number): number {
  const conn = reassembleTcp(
    readCaptureFile(pcap)
      .packets.map(tcpSegmentOf)
      .filter((s): s is TcpSegment => s !== undefined),
  ).find((c) => c.id === session)!;
  const run = byteRuns(dir === 'to-server' ? conn.toServer : conn.toClient).find((r) => r.offset <= offset && offset < r.offset + r.bytes.length)!;
  const needle = run.bytes.subarray(offset - run.offset, offset - run.offset + 16);
  for (let i = 0; i + 16 <= pcap.length; i++) if (needle.every((b, j) => pcap[i + j] === b)) return i;
  throw new Error('not found');
}

const ops = (t: CaptureTrace): TraceEvent[] => t.events.filter((e) => e.message?.type === 'MOSDOp');

describe('secure sessions opened with a keyring (Pacific capture)', () => {
  it.each([
    ['Pacific, aes keys', pcap, keyring, 1],
    ['Tentacle, aes256k keys', tentacle.pcap, tentacle.keyring, 2],
  ] as const)('%s: decrypts the mon session with the client key and the OSD session with the ticket renewed over MAuth', async (_name, pcap, keyring, keyType) => {
    expect(keyring.get('client.admin')!.key.type).toBe(keyType);
    const t = await decodeCapture(pcap, { keyring });
    expect(t.secure.map(({ service, decrypted, via }) => ({ service, decrypted, via }))).toEqual([
      { service: 'mon', decrypted: true, via: "client.admin's key" },
      { service: 'osd', decrypted: true, via: `osd ticket from MAuthReply in session ${t.secure[0]!.session}` },
    ]);
    // mon: 2 AUTH_SIGNATURE, 2 idents, MMonGetMap, 2 MMonMap, 2 MMonSubscribe, MOSDMap, MAuth, MAuthReply, MMonCommand, its ack; OSD: 2 + 2, 3 ops, 3 replies.
    expect(t.secure.map((s) => s.frames)).toEqual([14, 10]);
    expect(t.spans).toEqual([]);
    accountedFor(t);
    expect(t.events.every((e) => e.crc === 'ok')).toBe(true);
    expect(ops(t).map((e) => e.line.replace(/ e\d+\)$/, ')'))).toEqual([
      'osd_op(client.4146.0:1 2.0 2:104778fc:::obj2:head [writefull 0~2700 in=2700b] snapc 0=[] ondisk+write+known_if_redirected)',
      'osd_op(client.4146.0:2 2.0 2:104778fc:::obj2:head [read 0~2700] snapc 0=[] read+known_if_redirected)',
      'osd_op(client.4146.0:3 2.0 2:104778fc:::obj2:head [omap-set-vals in=22b] snapc 0=[] ondisk+write+known_if_redirected)',
    ]);
    const cmd = t.events.find((e) => e.message?.type === 'MMonCommand')!;
    expect(cmd.decrypted).toBe(true);
    expect(JSON.parse((cmd.fields as { cmd: string[] }).cmd[0]!)).toEqual({ prefix: 'osd pool ls', format: 'json' });
  });

  it('without a keyring, or with the wrong key, says whose session stays encrypted and why', async () => {
    const none = await decodeCapture(pcap);
    expect(none.secure.map((s) => [s.service, s.decrypted, s.reason])).toEqual([
      ['mon', false, 'no key given (client.admin authenticated here)'],
      ['osd', false, 'no key given (osd session of client.4146)'],
    ]);
    expect(none.spans.map((s) => [s.kind, s.reason])).toEqual(Array(4).fill(['encrypted', expect.stringMatching(/^secure mode, encrypted: no key given \(/)]));
    accountedFor(none);

    // The mon's key in client.admin's place: a real key, the wrong one.
    const mon = parseKeyring(keyringText).get('mon.')!;
    const wrong = await decodeCapture(pcap, { keyring: new Map([['client.admin', mon]]) });
    expect(wrong.secure.map((s) => s.reason)).toEqual([
      expect.stringMatching(/^key for client\.admin does not open AUTH_DONE \(wrong key\?\): /),
      expect.stringMatching(/^no ticket for osd seen in the capture/),
    ]);
    accountedFor(wrong);
    const missing = await decodeCapture(pcap, { keyring: new Map([['client.other', mon]]) });
    expect(missing.secure[0]!.reason).toBe('no key for client.admin in the keyring');
  });

  it('a damaged segment fails its GCM tag alone: the frames after it still decrypt', async () => {
    const t = await decodeCapture(pcap, { keyring });
    const write = ops(t)[0]!;
    const damaged = pcap.slice();
    damaged[fileOffsetOf(write.session, 'to-server', write.offset + 96 + 1000)]! ^= 1; // inside the data segment
    const d = await decodeCapture(damaged, { keyring });
    const bad = d.events.filter((e) => e.crc !== 'ok');
    expect(bad.map((e) => [e.offset, e.crc, e.tag])).toEqual([[write.offset, 'mismatch', 'MESSAGE']]);
    expect(
      ops(d)
        .slice(1)
        .map((e) => e.line),
    ).toEqual(
      ops(t)
        .slice(1)
        .map((e) => e.line),
    );
    expect(d.events.length).toBe(t.events.length);
    accountedFor(d);
  });

  it('a damaged frame head stops that direction there, saying so', async () => {
    const t = await decodeCapture(pcap, { keyring });
    const read = ops(t)[1]!;
    const damaged = pcap.slice();
    damaged[fileOffsetOf(read.session, 'to-server', read.offset + 4)]! ^= 1;
    const d = await decodeCapture(damaged, { keyring });
    expect(d.spans.map((s) => [s.session, s.dir, s.kind, s.offset])).toEqual([[read.session, 'to-server', 'encrypted', read.offset]]);
    expect(d.spans[0]!.reason).toMatch(new RegExp(`^secure mode, encrypted: frame head at byte ${read.offset} does not decrypt .*failed GCM authentication`));
    expect(ops(d).map((e) => e.line)).toEqual([ops(t)[0]!.line]);
    expect(d.secure.find((s) => s.service === 'osd')).toMatchObject({ decrypted: false, reason: 'part of the session stays encrypted' });
    accountedFor(d);
  });

  it('bytes lost inside a frame: that frame is incomplete, the walk resumes at its end with the right nonce', async () => {
    const t = await decodeCapture(pcap, { keyring });
    const write = ops(t)[0]!;
    // Cut the last 512 bytes of the packet that carries the frame's end (as a snap length would).
    const at = fileOffsetOf(write.session, 'to-server', write.offset + write.length - 16);
    const v = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
    let rec = 24;
    while (rec + 16 + v.getUint32(rec + 8, true) <= at) rec += 16 + v.getUint32(rec + 8, true);
    const dataEnd = rec + 16 + v.getUint32(rec + 8, true);
    expect(dataEnd - at).toBe(16); // the frame ends with its packet
    const cut = new Uint8Array(pcap.length - 512);
    cut.set(pcap.subarray(0, dataEnd - 512));
    cut.set(pcap.subarray(dataEnd), dataEnd - 512);
    new DataView(cut.buffer).setUint32(rec + 8, v.getUint32(rec + 8, true) - 512, true);
    const d = await decodeCapture(cut, { keyring });
    expect(d.spans.map((s) => [s.kind, s.dir, s.offset, s.length])).toEqual([['lost', 'to-server', write.offset + write.length - 512, 512]]);
    expect(d.events.filter((e) => e.crc !== 'ok').map((e) => [e.offset, e.length, e.crc])).toEqual([[write.offset, write.length, 'incomplete']]);
    expect(
      ops(d)
        .slice(1)
        .map((e) => e.line),
    ).toEqual(
      ops(t)
        .slice(1)
        .map((e) => e.line),
    );
    expect(d.events.length).toBe(t.events.length);
    accountedFor(d);
  });

  /** The fixture without the pcap record whose packet holds file offset `at` (as if tcpdump had dropped it). */
  function withoutPacketAt(at: number): Uint8Array {
    const v = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
    let rec = 24;
    while (rec + 16 + v.getUint32(rec + 8, true) <= at) rec += 16 + v.getUint32(rec + 8, true);
    const end = rec + 16 + v.getUint32(rec + 8, true);
    const out = new Uint8Array(pcap.length - (end - rec));
    out.set(pcap.subarray(0, rec));
    out.set(pcap.subarray(end), rec);
    return out;
  }

  it('a lost packet that held a whole frame: the walk resynchronises at the next frame start, the nonce moved on by the lost operations', async () => {
    const t = await decodeCapture(pcap, { keyring });
    const read = ops(t)[1]!;
    const d = await decodeCapture(withoutPacketAt(fileOffsetOf(read.session, 'to-server', read.offset)), { keyring });
    // The read's frame is the lost bytes; everything after it decrypts and verifies.
    expect(d.spans.map((s) => [s.kind, s.dir, s.offset, s.length])).toEqual([['lost', 'to-server', read.offset, read.length]]);
    expect(ops(d).map((e) => e.line)).toEqual([ops(t)[0]!.line, ops(t)[2]!.line]);
    expect(d.events.every((e) => e.crc === 'ok')).toBe(true);
    expect(d.events.length).toBe(t.events.length - 1);
    expect(d.secure.map((s) => s.decrypted)).toEqual([true, true]);
    accountedFor(d);
  });

  it('lost where secure mode begins: the walk starts by resynchronising', async () => {
    const t = await decodeCapture(pcap, { keyring });
    const osd = t.secure.find((s) => s.service === 'osd')!.session;
    const first = t.events.find((e) => e.session === osd && e.dir === 'to-server' && e.decrypted)!;
    expect(first.tag).toBe('AUTH_SIGNATURE');
    const d = await decodeCapture(withoutPacketAt(fileOffsetOf(osd, 'to-server', first.offset)), { keyring });
    expect(d.spans.map((s) => [s.kind, s.dir, s.offset, s.length])).toEqual([['lost', 'to-server', first.offset, first.length]]);
    expect(ops(d).map((e) => e.line)).toEqual(ops(t).map((e) => e.line));
    expect(d.events.length).toBe(t.events.length - 1);
    accountedFor(d);
  });

  it('nonces count on in the le64 after the fixed le32 (crypto_onwire.cc nonce_t)', () => {
    const n = Uint8Array.from([1, 2, 3, 4, 0xff, 0xff, 0, 0, 0, 0, 0, 0]);
    expect([...nonceAfter(n, 1)]).toEqual([1, 2, 3, 4, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect([...nonceAfter(n, 0)]).toEqual([...n]);
  });
});
