// `rados-ts trace decode` on captures taken now (tcpdump on loopback) of Ceph's own CLIs against
// a throwaway cluster: every byte of every session is a banner, a frame, or a stretch reported as
// encrypted; the decoded ops are the ones the commands performed; damaged files give clear errors.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCapture, type CaptureTrace } from '../../protocol/trace/decode-capture.ts';
import { captureToFile } from '../capture/capture.ts';
import { type Cluster, startCluster } from '../cluster/cluster.ts';

const dir = mkdtempSync(join(tmpdir(), 'rados-ts-trace-'));
const files = { rados: join(dir, 'rados.pcap'), cephCrc: join(dir, 'ceph-crc.pcap') };
const payload = new TextEncoder().encode('trace me: 0123456789abcdef\n'.repeat(100));
let cluster: Cluster | undefined;

function cli(file: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['dist/src/cli/main.js', 'trace', 'decode', file, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  const c = await startCluster({ osds: 1, mgr: false });
  cluster = c;
  await c.ceph(['osd', 'pool', 'create', 'trace', '1']);
  writeFileSync(join(dir, 'payload'), payload);
  // This cluster's ports only: other test files' clusters share the loopback.
  const monPort = /v2:[^:]+:(\d+)/.exec(c.monAddrs[0]!)![1]!;
  const dump = JSON.parse(execFileSync('ceph', ['-c', c.confPath, 'osd', 'dump', '--format', 'json'], { encoding: 'utf8' })) as {
    osds: Array<{ public_addrs: { addrvec: Array<{ type: string; addr: string }> } }>;
  };
  const osdPorts = dump.osds.flatMap((o) => o.public_addrs.addrvec.map((a) => a.addr.split(':').pop()!));
  const filter = `tcp and (${[monPort, ...osdPorts].map((p) => `port ${p}`).join(' or ')})`;
  const rados = (...a: string[]): void => void execFileSync('rados', ['-c', c.confPath, '-p', 'trace', ...a], { stdio: 'ignore' });
  // Ceph's defaults: mon sessions prefer secure mode, OSD sessions crc (ms_mon_client_mode, ms_client_mode).
  await captureToFile(files.rados, filter, () => {
    rados('put', 'obj1', join(dir, 'payload'));
    rados('get', 'obj1', join(dir, 'back'));
    rados('setomapval', 'obj1', 'key1', 'value1');
    rados('ls');
  });
  await captureToFile(files.cephCrc, filter, () => {
    execFileSync('ceph', ['-c', c.confPath, '--ms_mon_client_mode=crc', 'osd', 'pool', 'ls', '--format', 'json'], { stdio: 'ignore' });
  });
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
  if (!process.env['TRACE_KEEP']) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Each direction's bytes are the banner, the frames and the unreadable spans, end to end. */
function accountedFor(t: CaptureTrace): void {
  for (const s of t.sessions) {
    for (const dir of ['to-server', 'to-client'] as const) {
      const pieces = [
        ...s.frames.filter((f) => f.dir === dir).map((f) => [f.offset, f.length]),
        ...t.spans.filter((x) => x.session === s.id && x.dir === dir).map((x) => [x.offset, x.length]),
      ].sort((a, b) => a[0]! - b[0]!);
      // After the banner ("ceph v2\n", le16 16, le64 supported, le64 required), or from the first
      // byte captured of a session already running (OSD heartbeats).
      const banner = s.banners[dir === 'to-server' ? 'client' : 'server'];
      let at = banner ? 26 : 0;
      for (const [off, len] of pieces) {
        expect(off, `session ${s.id} ${dir}`).toBe(at);
        at = off! + len!;
      }
    }
  }
}

describe('trace decode of librados sessions', () => {
  it('reads every OSD session in crc mode and reports the secure mon sessions as encrypted', () => {
    const t = decodeCapture(readFileSync(files.rados));
    expect(t.truncated).toBeUndefined();
    expect(t.spans.filter((s) => s.kind === 'lost' || s.kind === 'not-a-frame')).toEqual([]);
    accountedFor(t);
    const mon = t.sessions.filter((s) => s.mode === 'secure');
    const osd = t.sessions.filter((s) => s.mode === 'crc');
    expect(mon.length).toBeGreaterThanOrEqual(4); // one per rados run at least
    expect(osd.length).toBeGreaterThanOrEqual(4);
    expect(t.spans.filter((s) => s.kind === 'encrypted').map((s) => s.session).sort()).toEqual(
      expect.arrayContaining(mon.map((s) => s.id)),
    );
    expect(t.events.every((e) => e.crc === 'ok')).toBe(true);
  });

  it('shows the ops the commands performed, each reply matched to its request', () => {
    const t = decodeCapture(readFileSync(files.rados));
    const ops = t.events.filter((e) => e.message?.type === 'MOSDOp').map((e) => e.fields as { object: string; ops: Array<{ op: string; offset?: string; length?: string; payload: number }> });
    const seq = ops.map((o) => `${o.object}:${o.ops.map((x) => x.op).join('+')}`);
    // rados put: writefull (one object under the 4 MiB op size); get: stat then read; setomapval; ls: pgnls.
    expect(seq).toEqual(expect.arrayContaining(['obj1:writefull', 'obj1:omap-set-vals', ':pgnls']));
    const write = ops.find((o) => o.ops[0]!.op === 'writefull')!;
    expect([write.ops[0]!.offset, write.ops[0]!.length, write.ops[0]!.payload]).toEqual(['0', String(payload.length), payload.length]);
    expect(ops.some((o) => o.object === 'obj1' && o.ops.some((x) => x.op === 'read'))).toBe(true);
    const replies = t.events.filter((e) => e.message?.type === 'MOSDOpReply');
    expect(replies.length).toBe(ops.length);
    expect(replies.every((r) => r.latencyNs !== undefined && r.latencyNs > 0n)).toBe(true);
    // pgnls answers 1 ("more to list" is the reply's own handle); everything else 0.
    expect(replies.map((r) => (r.fields as { result: number }).result)).toEqual(ops.map((o) => (o.ops[0]!.op === 'pgnls' ? 1 : 0)));
  });

  it('decodes a crc-mode mon session: handshake, the command as JSON, its ack', () => {
    const t = decodeCapture(readFileSync(files.cephCrc));
    expect(t.spans.filter((s) => s.kind !== 'mid-frame-start')).toEqual([]);
    accountedFor(t);
    const tags = t.events.filter((e) => e.session === t.sessions[0]!.id).map((e) => e.tag);
    expect(tags.slice(0, 2).sort()).toEqual(['HELLO', 'HELLO']);
    expect(tags).toEqual(expect.arrayContaining(['AUTH_REQUEST', 'AUTH_DONE', 'CLIENT_IDENT', 'SERVER_IDENT']));
    // The ceph CLI first asks for the command table, then sends the command.
    const cmds = t.events.filter((e) => e.message?.type === 'MMonCommand').map((e) => JSON.parse((e.fields as { cmd: string[] }).cmd[0]!) as { prefix: string });
    expect(cmds[0]).toMatchObject({ prefix: 'get_command_descriptions' });
    expect(cmds).toContainEqual(expect.objectContaining({ prefix: 'osd pool ls', format: 'json' }));
    const ack = t.events.find((e) => e.message?.type === 'MMonCommandAck')!;
    expect(ack.latencyNs).toBeDefined();
    expect((ack.fields as { result: number }).result).toBe(0);
  });
});

describe('rados-ts trace decode (CLI)', () => {
  it('prints one line per frame and lists the encrypted sessions', () => {
    const r = cli(files.rados);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/MOSDOp osd_op\(client\.\d+\.0:\d+ \d+\.0 obj1 \[writefull 0~2700\] snapc 0=\[\] ondisk\+write\+known_if_redirected e\d+\)/);
    expect(r.stdout).toMatch(/MOSDOpReply osd_op_reply\(\d+ obj1 \[writefull 0~2700\] v\d+'\d+ uv\d+ [a-z_+]*ondisk[a-z_+]* = 0\) \(\d+\.\d{3} ms\)/);
    expect(r.stderr).toMatch(/secure mode: encrypted \(no key given\)/);
  });

  it('writes JSON lines with stable fields', () => {
    const r = cli(files.cephCrc, '--format', 'json');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(Object.keys(l)).toEqual(expect.arrayContaining(['time', 'session', 'from', 'to', 'tag', 'line', 'crc', 'offset', 'length', 'fields']));
  });

  it('filters by type, object, pool and peer', () => {
    const t = decodeCapture(readFileSync(files.rados));
    const osdPort = t.events.find((e) => e.message?.type === 'MOSDOp')!.to.split(':').pop()!;
    const r = cli(files.rados, '--type', 'MOSDOp,MOSDOpReply', '--object', 'obj1', '--pool', '2', '--peer', `:${osdPort}`);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // writefull, read, omap-set-vals: each a request and its reply (rados ls has no object, get stats first only in newer rados).
    const want = t.events.filter((e) => (e.message?.type === 'MOSDOp' || e.message?.type === 'MOSDOpReply') && e.fields['object'] === 'obj1');
    expect(want.length).toBeGreaterThanOrEqual(6);
    expect(lines.length).toBe(want.length);
    expect(lines.every((l) => / MOSDOp(Reply)? osd_op(_reply)?\(.*obj1/.test(l))).toBe(true);
    expect(cli(files.rados, '--pool', 'x').stderr).toMatch(/--pool takes pool ids/);
  });

  it('--stats: one line per session, op latency percentiles and message counts', () => {
    const t = decodeCapture(readFileSync(files.rados));
    const r = cli(files.rados, '--stats', '--format', 'json');
    expect(r.status).toBe(0);
    const stats = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { session: number; mode: string; messages: Record<string, number>; latency: { count: number; p50Ms: number } });
    expect(stats.length).toBe(t.sessions.length);
    const osd = stats.filter((s) => (s.messages['MOSDOp'] ?? 0) > 0);
    expect(osd.reduce((n, s) => n + s.messages['MOSDOp']!, 0)).toBe(t.events.filter((e) => e.message?.type === 'MOSDOp').length);
    for (const s of osd) {
      expect(s.latency.count).toBe(s.messages['MOSDOpReply']);
      expect(s.latency.p50Ms).toBeGreaterThan(0);
    }
  });

  it('a cut file: what is there is decoded, the cut is reported, exit 1', () => {
    const whole = readFileSync(files.cephCrc);
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 40));
    const r = cli(cut);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/capture cut short at byte \d+: packet \d+ cut short/);
    expect(r.stdout).toMatch(/HELLO/);
  });

  it('garbage: a clear error, exit 1, no stack trace', () => {
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, new TextEncoder().encode('this is not a capture at all'));
    const r = cli(junk);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('rados-ts: CaptureFormatError: not a pcap or pcapng file (magic 0x74686973)');
  });
});
