// `Rados.connect({ trace })`: every frame of our client lands in the trace file, in order, with
// the authentication payloads left out unless asked for; the file reads back whole, and the
// frames are the ones tcpdump saw on the wire at the same time (crc mode, so both can be read).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tag } from '../../protocol/msgr2/tags.ts';
import { MsgType } from '../../protocol/messages/message-types.ts';
import { decodeCapture } from '../../protocol/trace/decode-capture.ts';
import { Rados } from '../../src/index.ts';
import { readTraceFile } from '../../src/trace/trace-file.ts';
import { captureToFile, clusterPortFilter } from '../capture/capture.ts';
import { type Cluster, startCluster } from '../cluster/cluster.ts';

const dir = mkdtempSync(join(tmpdir(), 'rados-ts-trace-record-'));
let cluster: Cluster | undefined;

async function session(c: Cluster, trace: string, secrets: boolean): Promise<void> {
  const rados = await Rados.connect({ conf: c.confPath, keyring: c.keyringPath, mode: 'crc', trace, traceSecrets: secrets });
  const io = await rados.openIoCtx('rec');
  await io.writeFull('traced', new TextEncoder().encode('frames on the record'));
  expect(new TextDecoder().decode(await io.read('traced'))).toBe('frames on the record');
  await rados.close();
}

beforeAll(async () => {
  const c = await startCluster({ osds: 1, mgr: false });
  cluster = c;
  await c.ceph(['osd', 'pool', 'create', 'rec', '1']);
  await captureToFile(join(dir, 'wire.pcap'), await clusterPortFilter(c), () => session(c, join(dir, 'plain.rtt'), false));
  await session(c, join(dir, 'secrets.rtt'), true);
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('trace recording', () => {
  it('records every frame of every connection, in time order, with our entity in the header', async () => {
    const t = await readTraceFile(readFileSync(join(dir, 'plain.rtt')));
    expect(t.truncated).toBe(false);
    expect(t.header).toMatchObject({ format: 'rados-ts-trace', version: 1, entity: 'client.admin', secrets: false });
    expect(t.frames.length).toBeGreaterThan(20);
    expect(t.frames.every((f, i) => i === 0 || f.t >= t.frames[i - 1]!.t)).toBe(true);
    const connections = new Set(t.frames.map((f) => f.c));
    expect(connections.size).toBeGreaterThanOrEqual(2); // a monitor and an OSD
    const ops = t.frames.filter((f) => f.g === Tag.MESSAGE && f.d === 'tx' && (f.s[0]![16]! | (f.s[0]![17]! << 8)) === MsgType.OSD_OP);
    expect(ops.length).toBe(2); // the write and the read
  });

  it('leaves authentication payloads out unless traceSecrets is set', async () => {
    const plain = await readTraceFile(readFileSync(join(dir, 'plain.rtt')));
    const auth = plain.frames.filter((f) => f.g === Tag.AUTH_REQUEST || f.g === Tag.AUTH_DONE || f.g === Tag.AUTH_REQUEST_MORE);
    expect(auth.length).toBeGreaterThanOrEqual(4);
    for (const f of auth) {
      expect(f.s).toEqual([]);
      expect(f.r!.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
    const kept = await readTraceFile(readFileSync(join(dir, 'secrets.rtt')));
    expect(kept.header.secrets).toBe(true);
    const keptAuth = kept.frames.filter((f) => f.g === Tag.AUTH_DONE);
    expect(keptAuth.length).toBeGreaterThan(0);
    expect(keptAuth.every((f) => f.r === undefined && f.s[0]!.length > 0)).toBe(true);
  });

  it('holds the same messages, byte for byte, as tcpdump saw on the wire', async () => {
    const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array(0)).toString('hex');
    const frames = (await readTraceFile(readFileSync(join(dir, 'plain.rtt')))).frames.filter((f) => f.g === Tag.MESSAGE);
    const recorded = frames.filter((f) => f.r === undefined).map((f) => `${f.d}:${hex(f.s[1])}`);
    const redacted = frames.filter((f) => f.r !== undefined).length; // MAuth: its front left out
    const wire = await decodeCapture(readFileSync(join(dir, 'wire.pcap')));
    // Only our client's sessions: the ones that carried a front we recorded (the OSDs' own heartbeats do not).
    const seen = wire.sessions.flatMap((s) => s.frames.filter((f) => f.tag === Tag.MESSAGE).map((f) => `${f.dir === 'to-server' ? 'tx' : 'rx'}:${hex(f.segments[1])}`));
    expect(recorded.length).toBeGreaterThan(10);
    expect(recorded.filter((x) => !seen.includes(x))).toEqual([]);
    const ourSessions = wire.sessions.filter((s) =>
      s.frames.some((f) => f.tag === Tag.MESSAGE && recorded.includes(`${f.dir === 'to-server' ? 'tx' : 'rx'}:${hex(f.segments[1])}`)),
    );
    const onOurWire = ourSessions.flatMap((s) => s.frames.filter((f) => f.tag === Tag.MESSAGE));
    expect(onOurWire.length).toBe(recorded.length + redacted);
  });
});
