// `rados-ts trace decode` on captures taken now (tcpdump on loopback) of Ceph's own CLIs and of
// rados-ts against a throwaway cluster: every byte of every session is a banner, a frame, or a
// stretch reported as encrypted with the reason; with the client's keyring the secure sessions
// decrypt; the decoded ops are the ones the commands performed; damaged files give clear errors.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { decodeCapture, type CaptureTrace, type DecodeOptions } from '../../protocol/trace/decode-capture.ts';
import { Rados } from '../../src/index.ts';
import { captureToFile, clusterPortFilter } from '../capture/capture.ts';
import { type Cluster, startCluster } from '../cluster/cluster.ts';
import { accountedFor } from '../capture/accounted-for.ts';

const dir = mkdtempSync(join(tmpdir(), 'rados-ts-trace-'));
const files = {
  rados: join(dir, 'rados.pcap'),
  cephCrc: join(dir, 'ceph-crc.pcap'),
  radosSecure: join(dir, 'rados-secure.pcap'),
  cephSecure: join(dir, 'ceph-secure.pcap'),
  ours: join(dir, 'rados-ts-secure.pcap'),
  osdBoot: join(dir, 'osd-boot.pcap'),
  rbd: join(dir, 'rbd.pcap'),
  rbdSecure: join(dir, 'rbd-secure.pcap'),
  cephStatus: join(dir, 'ceph-status.pcap'),
  cephStatusSecure: join(dir, 'ceph-status-secure.pcap'),
  twoPools: join(dir, 'two-pools.pcap'),
};
/** The two-pools capture's pools (ids as `ceph osd pool ls detail` gives them) and the OSD's v2 address then. */
const twoPools = { trace: -1, other: -1, osd: '' };
/** The rbd CLI's images, by capture: created, written, snapshotted, protected, cloned, exported. */
const rbdImages = { crc: 'img-crc', secure: 'img-sec' };
const rbdIds: Record<string, string> = {};
const payload = new TextEncoder().encode('trace me: 0123456789abcdef\n'.repeat(100));
let cluster: Cluster;
let monPort: string;

function cli(file: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['dist/src/cli/main.js', 'trace', 'decode', file, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  const c = await startCluster({ osds: 1, mgr: false });
  cluster = c;
  await c.ceph(['osd', 'pool', 'create', 'trace', '1']);
  writeFileSync(join(dir, 'payload'), payload);
  monPort = /v2:[^:]+:(\d+)/.exec(cluster.monAddrs[0]!)![1]!;
  const filter = await clusterPortFilter(cluster);
  const radosRuns = (...modes: string[]): void => {
    const rados = (...a: string[]): void => void execFileSync('rados', ['-c', cluster.confPath, ...modes, '-p', 'trace', ...a], { stdio: 'ignore' });
    rados('put', 'obj1', join(dir, 'payload'));
    rados('get', 'obj1', join(dir, 'back'));
    rados('setomapval', 'obj1', 'key1', 'value1');
    rados('ls');
  };
  // Ceph's defaults: mon sessions prefer secure mode, OSD sessions crc (ms_mon_client_mode, ms_client_mode).
  await captureToFile(files.rados, filter, () => {
    radosRuns();
  });
  await captureToFile(files.cephCrc, filter, () => {
    execFileSync('ceph', ['-c', cluster.confPath, '--ms_mon_client_mode=crc', 'osd', 'pool', 'ls', '--format', 'json'], { stdio: 'ignore' });
  });
  // Every session secure: the same commands, then a mon command with the default (secure) mon mode.
  await captureToFile(files.radosSecure, filter, () => {
    radosRuns('--ms_client_mode=secure', '--ms_mon_client_mode=secure');
  });
  await captureToFile(files.cephSecure, filter, () => {
    execFileSync('ceph', ['-c', cluster.confPath, 'osd', 'pool', 'ls', '--format', 'json'], { stdio: 'ignore' });
  });
  // rbd's own CLI: create (default features), two 4 KiB writes, a snapshot protected and cloned,
  // an export: crc mode throughout, then every session secure.
  const rbdRuns = (image: string, ...modes: string[]): void => {
    const rbd = (...a: string[]): void => void execFileSync('rbd', ['-c', cluster.confPath, ...modes, '-p', 'trace', ...a], { stdio: 'ignore', timeout: 120_000 });
    rbd('create', image, '--size', '16M');
    rbd('bench', '--io-type', 'write', '--io-size', '4096', '--io-total', '8192', '--io-pattern', 'seq', image);
    rbd('snap', 'create', `${image}@s1`);
    rbd('snap', 'protect', `${image}@s1`);
    rbd('clone', `trace/${image}@s1`, `trace/${image}-child`);
    rbd('export', image, join(dir, `${image}.raw`));
  };
  await captureToFile(files.rbd, filter, () => rbdRuns(rbdImages.crc, '--ms_mon_client_mode=crc', '--ms_client_mode=crc'));
  await captureToFile(files.rbdSecure, filter, () => rbdRuns(rbdImages.secure, '--ms_mon_client_mode=secure', '--ms_client_mode=secure'));
  for (const image of Object.values(rbdImages)) {
    rbdIds[image] = (JSON.parse(execFileSync('rbd', ['-c', cluster.confPath, '-p', 'trace', 'info', image, '--format', 'json'], { encoding: 'utf8' })) as { id: string }).id;
  }
  await captureToFile(files.cephStatus, filter, () => {
    execFileSync('ceph', ['-c', cluster.confPath, '--ms_mon_client_mode=crc', '-s'], { stdio: 'ignore' });
  });
  await captureToFile(files.cephStatusSecure, filter, () => {
    execFileSync('ceph', ['-c', cluster.confPath, '--ms_mon_client_mode=secure', '-s'], { stdio: 'ignore' });
  });
  // For the CLI's filters and --stats: crc mode throughout (every frame readable), a put in each
  // of two pools and a stat of an object that does not exist (the OSD answers ENOENT).
  await cluster.ceph(['osd', 'pool', 'create', 'other', '1']);
  const pools = JSON.parse(await cluster.ceph(['osd', 'pool', 'ls', 'detail', '--format', 'json'])) as Array<{ pool_name: string; pool_id: number }>;
  twoPools.trace = pools.find((p) => p.pool_name === 'trace')!.pool_id;
  twoPools.other = pools.find((p) => p.pool_name === 'other')!.pool_id;
  const osdDump = JSON.parse(await cluster.ceph(['osd', 'dump', '--format', 'json'])) as { osds: Array<{ public_addrs: { addrvec: Array<{ type: string; addr: string }> } }> };
  twoPools.osd = osdDump.osds[0]!.public_addrs.addrvec.find((a) => a.type === 'v2')!.addr;
  await captureToFile(files.twoPools, filter, () => {
    const rados = (...a: string[]) => spawnSync('rados', ['-c', cluster.confPath, '--ms_mon_client_mode=crc', '--ms_client_mode=crc', ...a], { encoding: 'utf8', timeout: 60_000 });
    expect(rados('-p', 'trace', 'put', 'obj4', join(dir, 'payload')).status).toBe(0);
    expect(rados('-p', 'other', 'put', 'obj5', join(dir, 'payload')).status).toBe(0);
    const missing = rados('-p', 'trace', 'stat', 'missing-object');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/No such file or directory/);
  });
  // rados-ts itself in secure mode, with 10-second service tickets: it renews them over the mon
  // session (MAuth) before its first OSD op, so the OSD session uses a ticket from an MAuthReply.
  await cluster.ceph(['config', 'set', 'mon', 'auth_service_ticket_ttl', '10']);
  await captureToFile(files.ours, filter, async () => {
    const r = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, mode: 'secure' });
    try {
      const io = await r.openIoCtx('trace');
      await new Promise((res) => setTimeout(res, 9_000));
      await io.writeFull('obj2', payload);
      await io.read('obj2', payload.length);
      await io.setOmap('obj2', { key2: new TextEncoder().encode('value2') });
      expect((await r.monCommand({ prefix: 'osd pool ls', format: 'json' })).code).toBe(0);
    } finally {
      await r.close();
    }
  });
  await cluster.ceph(['config', 'rm', 'mon', 'auth_service_ticket_ttl']);
  // osd.0 starting, then a librados client in secure mode: osd.0's own (secure) mon session, where
  // it fetches its rotating service keys, and the client's OSD session. Last: the OSD's ports
  // change, pinned to a range of our own for the capture filter; memstore PGs do not survive the
  // restart, so the client writes to a pool made after it.
  const base = 40_000 + Math.floor(Math.random() * 2_000) * 10;
  await cluster.ceph(['config', 'set', 'osd.0', 'ms_bind_port_min', String(base)]);
  await cluster.ceph(['config', 'set', 'osd.0', 'ms_bind_port_max', String(base + 19)]);
  await cluster.stopDaemon('osd.0');
  await captureToFile(files.osdBoot, `tcp and (port ${monPort} or portrange ${base}-${base + 19})`, async () => {
    await cluster.startOsd(0);
    for (const deadline = Date.now() + 60_000; ;) {
      if (Date.now() > deadline) throw new Error('osd.0 did not come back up on its pinned ports');
      const dump = JSON.parse(await cluster.ceph(['osd', 'dump', '--format', 'json'])) as { osds: Array<{ up: number; public_addrs: { addrvec: Array<{ addr: string }> } }> };
      const port = Number(dump.osds[0]!.public_addrs.addrvec[0]!.addr.replace(/.*:/, ''));
      if (dump.osds[0]!.up === 1 && port >= base && port < base + 20) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    await cluster.ceph(['osd', 'pool', 'create', 'boot', '1']);
    execFileSync('rados', ['-c', cluster.confPath, '--ms_client_mode=secure', '-p', 'boot', 'put', 'obj3', join(dir, 'payload')], { stdio: 'ignore', timeout: 60_000 });
  });
  // Kept captures come with the keyring that opens them (fixtures/capture/secure was made so).
  if (process.env['TRACE_KEEP']) copyFileSync(cluster.keyringPath, join(dir, 'keyring'));
}, 300_000);

afterAll(async () => {
  // Unset when beforeAll failed before the cluster started.
  await (cluster as Cluster | undefined)?.stop();
  if (!process.env['TRACE_KEEP']) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/**
 * The capture without the sessions a daemon opened meanwhile (an OSD re-opening its mon session
 * on a loaded machine): client.admin's keyring has no key for them, which must be said, naming
 * whose they are; the checks that follow are about the clients' sessions.
 */
function clientsOnly(t: CaptureTrace): CaptureTrace {
  const daemons = new Set<number>();
  for (const s of t.secure.filter((x) => !x.entity.startsWith('client.'))) {
    expect(s.decrypted, `session ${s.session} of ${s.entity}`).toBe(false);
    expect(s.reason, `session ${s.session} of ${s.entity}`).toContain(s.entity);
    daemons.add(s.session);
  }
  if (daemons.size === 0) return t;
  return {
    ...t,
    sessions: t.sessions.filter((s) => !daemons.has(s.id)),
    events: t.events.filter((e) => !daemons.has(e.session)),
    spans: t.spans.filter((s) => !daemons.has(s.session)),
    secure: t.secure.filter((s) => !daemons.has(s.session)),
  };
}

/** decodeCapture of a capture file, the clients' sessions only. */
const decodeClients = async (file: string, options: DecodeOptions = {}): Promise<CaptureTrace> => clientsOnly(await decodeCapture(readFileSync(file), options));

describe('trace decode of librados sessions', () => {
  it('reads every OSD session in crc mode and reports the secure mon sessions as encrypted', async () => {
    const t = await decodeClients(files.rados);
    expect(t.truncated).toBeUndefined();
    expect(t.spans.filter((s) => s.kind === 'lost' || s.kind === 'not-a-frame')).toEqual([]);
    accountedFor(t);
    const mon = t.sessions.filter((s) => s.mode === 'secure');
    const osd = t.sessions.filter((s) => s.mode === 'crc');
    expect(mon.length).toBeGreaterThanOrEqual(4); // one per rados run at least
    expect(osd.length).toBeGreaterThanOrEqual(4);
    expect(
      t.spans
        .filter((s) => s.kind === 'encrypted')
        .map((s) => s.session)
        .sort(),
    ).toEqual(expect.arrayContaining(mon.map((s) => s.id)));
    expect(t.events.every((e) => e.crc === 'ok')).toBe(true);
  });

  it('shows the ops the commands performed, each reply matched to its request', async () => {
    const t = await decodeClients(files.rados);
    const ops = t.events
      .filter((e) => e.message?.type === 'MOSDOp')
      .map((e) => e.fields as { object: string; ops: Array<{ op: string; offset?: string; length?: string; payload: number }> });
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

  it('decodes a crc-mode mon session: handshake, the command as JSON, its ack', async () => {
    const t = await decodeClients(files.cephCrc);
    expect(t.spans.filter((s) => s.kind !== 'mid-frame-start')).toEqual([]);
    accountedFor(t);
    // The mon session (OSD heartbeat sessions caught mid-way may come first).
    const mon = t.sessions.find((s) => s.server.endsWith(`:${monPort}`))!;
    const tags = t.events.filter((e) => e.session === mon.id).map((e) => e.tag);
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

/** The OSD ops of a trace as "object:op offset~length" strings, in order. */
function opSequence(t: CaptureTrace): string[] {
  return t.events
    .filter((e) => e.message?.type === 'MOSDOp')
    .map((e) => {
      const f = e.fields as { object: string; ops: Array<{ op: string; offset?: string; length?: string }> };
      return `${f.object}:${f.ops.map((o) => (o.offset !== undefined ? `${o.op} ${o.offset}~${o.length}` : o.op)).join('+')}`;
    });
}

const adminKeyring = (): ReturnType<typeof parseKeyring> => parseKeyring(readFileSync(cluster.keyringPath, 'utf8'));

async function timed(file: string, keyring?: ReturnType<typeof parseKeyring>, sessions: 'clients' | 'all' = 'clients'): Promise<CaptureTrace> {
  const t0 = performance.now();
  const all = await decodeCapture(readFileSync(file), keyring ? { keyring } : {});
  const t = sessions === 'all' ? all : clientsOnly(all);
  const frames = t.secure.reduce((n, s) => n + s.frames, 0);
  console.log(
    `${file.replace(/.*\//, '')}: ${t.packets} packets, ${t.sessions.length} sessions, ${t.events.length} frames (${frames} decrypted in ${t.secure.filter((s) => s.decrypted).length}/${t.secure.length} secure sessions) in ${(performance.now() - t0).toFixed(0)} ms`,
  );
  return t;
}

const monSecure = (t: CaptureTrace): number[] => t.secure.filter((s) => s.service === 'mon').map((s) => s.session);

describe('trace decode of secure sessions with a keyring', () => {
  it("with client.admin's key every secure session of librados decrypts, every byte accounted for", async () => {
    for (const file of [files.rados, files.radosSecure]) {
      const t = await timed(file, adminKeyring());
      expect(t.secure.length).toBeGreaterThanOrEqual(4);
      expect(t.secure.filter((s) => !s.decrypted)).toEqual([]);
      expect(t.spans.filter((s) => s.kind !== 'mid-frame-start')).toEqual([]);
      accountedFor(t);
      expect(t.events.every((e) => e.crc === 'ok')).toBe(true);
      // The secure part starts with both AUTH_SIGNATUREs, then the idents.
      for (const id of t.secure.map((s) => s.session)) {
        const tags = t.events.filter((e) => e.session === id && e.decrypted).map((e) => e.tag);
        expect(tags.slice(0, 2)).toEqual(['AUTH_SIGNATURE', 'AUTH_SIGNATURE']);
      }
    }
  });

  it('secure OSD sessions show the same ops as the crc capture of the same commands', async () => {
    const crc = await decodeClients(files.rados);
    const t = await decodeClients(files.radosSecure, { keyring: adminKeyring() });
    expect(t.secure.filter((s) => s.service === 'osd').length).toBeGreaterThanOrEqual(4);
    expect(t.sessions.filter((s) => s.mode === 'crc')).toEqual([]);
    const seq = opSequence(t);
    expect(seq).toEqual(opSequence(crc));
    expect(seq).toEqual(expect.arrayContaining([`obj1:writefull 0~${payload.length}`, 'obj1:omap-set-vals', ':pgnls']));
    const replies = t.events.filter((e) => e.message?.type === 'MOSDOpReply');
    expect(replies.length).toBe(seq.length);
    expect(replies.every((r) => r.latencyNs !== undefined && r.decrypted)).toBe(true);
  });

  it('a secure mon session: the command as JSON, its ack matched', async () => {
    const t = await timed(files.cephSecure, adminKeyring());
    expect(monSecure(t).length).toBeGreaterThanOrEqual(1);
    expect(t.secure.filter((s) => !s.decrypted)).toEqual([]);
    accountedFor(t);
    const cmds = t.events.filter((e) => e.message?.type === 'MMonCommand');
    expect(cmds.every((e) => e.decrypted)).toBe(true);
    const parsed = cmds.map((e) => JSON.parse((e.fields as { cmd: string[] }).cmd[0]!) as { prefix: string });
    expect(parsed).toContainEqual(expect.objectContaining({ prefix: 'osd pool ls', format: 'json' }));
    const acks = t.events.filter((e) => e.message?.type === 'MMonCommandAck');
    expect(acks.length).toBe(cmds.length);
    expect(acks.every((a) => a.latencyNs !== undefined && (a.fields as { result: number }).result === 0)).toBe(true);
  });

  it("rados-ts's own secure sessions decrypt the same way", async () => {
    const t = await timed(files.ours, adminKeyring());
    expect(t.secure.map((s) => s.service).sort()).toEqual(expect.arrayContaining(['mon', 'osd']));
    expect(t.secure.filter((s) => !s.decrypted)).toEqual([]);
    expect(t.spans.filter((s) => s.kind !== 'mid-frame-start')).toEqual([]);
    accountedFor(t);
    expect(t.events.every((e) => e.crc === 'ok')).toBe(true);
    expect(opSequence(t)).toEqual(expect.arrayContaining([`obj2:writefull 0~${payload.length}`, `obj2:read 0~${payload.length}`, 'obj2:omap-set-vals']));
    const cmd = t.events.find((e) => e.message?.type === 'MMonCommand' && (e.fields as { cmd: string[] }).cmd[0]!.includes('osd pool ls'));
    expect(cmd?.decrypted).toBe(true);
    // The renewal: MAuth/MAuthReply inside the secure mon session, and the OSD session opened with the renewed ticket.
    expect(t.events.filter((e) => e.message?.type === 'MAuthReply' && e.decrypted).length).toBeGreaterThanOrEqual(1);
    const osd = t.secure.find((s) => s.service === 'osd')!;
    expect(osd.via).toMatch(/^osd ticket from MAuthReply in session \d+$/);
    expect(t.secure.find((s) => s.service === 'mon')!.via).toBe("client.admin's key");
  });

  it('without a keyring the secure sessions are reported encrypted, naming whose they are', async () => {
    const t = await decodeClients(files.radosSecure);
    accountedFor(t);
    expect(t.secure.length).toBeGreaterThanOrEqual(8);
    expect(t.secure.every((s) => !s.decrypted)).toBe(true);
    for (const s of t.secure) {
      expect(s.reason).toMatch(s.service === 'mon' ? /^no key given \(client\.admin authenticated here\)$/ : /^no key given \(osd session of client\.\d+\)$/);
    }
    const encrypted = t.spans.filter((s) => s.kind === 'encrypted');
    expect(new Set(encrypted.map((s) => s.session))).toEqual(new Set(t.secure.map((s) => s.session)));
    expect(encrypted.every((s) => s.reason.startsWith('secure mode, encrypted: no key given ('))).toBe(true);
    expect(t.events.some((e) => e.decrypted)).toBe(false);
  });

  it('a wrong key or a keyring without the client: a clear reason, no crash', async () => {
    const wrong = execFileSync('ceph-authtool', ['--gen-print-key'], { encoding: 'utf8' }).trim();
    const t = await decodeClients(files.radosSecure, { keyring: parseKeyring(`[client.admin]\n\tkey = ${wrong}\n`) });
    accountedFor(t);
    expect(t.secure.every((s) => !s.decrypted)).toBe(true);
    for (const s of t.secure) {
      expect(s.reason).toMatch(s.service === 'mon' ? /^key for client\.admin does not open AUTH_DONE \(wrong key\?\)/ : /^no ticket for osd seen in the capture/);
    }
    const other = await decodeClients(files.radosSecure, { keyring: parseKeyring(`[client.other]\n\tkey = ${wrong}\n`) });
    expect(other.secure.filter((s) => s.service === 'mon').every((s) => s.reason === 'no key for client.admin in the keyring')).toBe(true);
  });
});

describe("a daemon's key", () => {
  it("osd.0's key opens osd.0's own mon session, and through its rotating keys its clients' sessions", async () => {
    const keyring = parseKeyring(readFileSync(join(cluster.dir, 'osd.0', 'keyring'), 'utf8'));
    const t = await timed(files.osdBoot, keyring, 'all');
    const own = t.secure.filter((s) => s.entity === 'osd.0');
    expect(own.length).toBeGreaterThanOrEqual(1);
    expect(own.every((s) => s.service === 'mon' && s.decrypted && s.via === "osd.0's key")).toBe(true);
    const ids = new Set(own.map((s) => s.session));
    const mine = t.events.filter((e) => ids.has(e.session) && e.decrypted);
    expect(mine.every((e) => e.crc === 'ok')).toBe(true);
    // The OSD fetches its rotating service keys over MAuth once authenticated, and subscribes to maps.
    expect(mine.map((e) => e.message?.type)).toEqual(expect.arrayContaining(['MAuth', 'MAuthReply', 'MMonSubscribe']));
    // The client's OSD session, opened with the rotating secret its ticket names.
    const clients = t.secure.filter((s) => s.service === 'osd');
    expect(clients.length).toBeGreaterThanOrEqual(1);
    for (const s of clients) {
      expect(s).toMatchObject({ decrypted: true, entity: expect.stringMatching(/^client\.admin \(client\.\d+\)$/) as string });
      expect(s.via).toMatch(/^osd secret \d+ from osd\.0's rotating keys \(MAuthReply in session \d+\)$/);
    }
    expect(opSequence(t)).toEqual(expect.arrayContaining([`obj3:writefull 0~${payload.length}`]));
    // client.admin's mon sessions stay closed: its key is not in osd.0's keyring.
    const admin = t.secure.filter((s) => s.service === 'mon' && s.entity === 'client.admin');
    expect(admin.length).toBeGreaterThanOrEqual(1);
    expect(admin.every((s) => !s.decrypted && s.reason === 'no key for client.admin in the keyring')).toBe(true);
  });
});

/** Each op as `object:op`, calls by their class.method, extents with offset~length. */
function rbdOpSequence(t: CaptureTrace): string[] {
  return t.events
    .filter((e) => e.message?.type === 'MOSDOp')
    .flatMap((e) => {
      const f = e.fields as { object: string; ops: Array<{ op: string; method?: string; offset?: string; length?: string }> };
      return f.ops.map((o) => `${f.object}:${o.method !== undefined ? `call ${o.method}` : o.offset !== undefined ? `${o.op} ${o.offset}~${o.length}` : o.op}`);
    });
}

describe('trace decode of rbd and ceph -s sessions', () => {
  for (const mode of ['crc', 'secure'] as const) {
    it(`rbd create / write / snap create / protect / clone / export (${mode}): the ops each command did, on the objects librbd names`, async () => {
      const t = await decodeClients(mode === 'crc' ? files.rbd : files.rbdSecure, mode === 'secure' ? { keyring: adminKeyring() } : {});
      expect(t.secure.filter((s) => !s.decrypted)).toEqual([]);
      expect(t.spans.filter((s) => s.kind !== 'mid-frame-start')).toEqual([]);
      accountedFor(t);
      const image = rbdImages[mode];
      const id = rbdIds[image]!;
      const seq = rbdOpSequence(t);
      // rbd create: the id object, the directory entry, the header (cls_rbd create), the object map.
      expect(seq).toEqual(
        expect.arrayContaining([
          `rbd_id.${image}:call rbd.set_id`,
          `rbd_directory:call rbd.dir_add_image`,
          `rbd_header.${id}:call rbd.create`,
          `rbd_header.${id}:call lock.lock`, // the exclusive lock, taken for the writes
          `rbd_header.${id}:call rbd.snapshot_add`,
          `rbd_header.${id}:call rbd.set_protection_status`,
        ]),
      );
      // The two 4 KiB writes of `rbd bench` land in the image's data objects (where, its threads decide).
      const writes = seq.filter((x) => new RegExp(`^rbd_data\\.${id}\\.[0-9a-f]{16}:write \\d+~4096$`).test(x));
      expect(writes).toHaveLength(2);
      const written = new Set(writes.map((w) => w.slice(0, w.indexOf(':'))));
      // The clone: v1 registers the child in rbd_children, v2 attaches it to the parent's header.
      expect(seq.some((x) => x === 'rbd_children:call rbd.add_child' || x === `rbd_header.${id}:call rbd.child_attach`)).toBe(true);
      // The export reads each written object (read or sparse-read) and gets its 4 KiB back.
      for (const object of written) {
        const reads = t.events.filter(
          (e) => e.message?.type === 'MOSDOp' && e.fields['object'] === object && (e.fields['ops'] as Array<{ op: string }>).some((o) => o.op === 'read' || o.op === 'sparse-read'),
        );
        expect(reads.length, object).toBeGreaterThanOrEqual(1);
        const replies = t.events.filter((e) => e.message?.type === 'MOSDOpReply' && e.fields['object'] === object && e.latencyNs !== undefined);
        expect(replies.every((r) => r.fields['result'] === 0)).toBe(true);
        expect(Math.max(...replies.map((r) => r.fields['data'] as number)), object).toBeGreaterThanOrEqual(4096);
      }
      if (mode === 'secure') {
        expect(t.secure.length).toBeGreaterThanOrEqual(2);
        expect(t.events.filter((e) => e.message?.type === 'MOSDOp').every((e) => e.decrypted)).toBe(true);
      }
    });
  }

  it.each(['crc', 'secure'] as const)('ceph -s (%s): the status command as JSON, its ack with the report', async (mode) => {
    const t = await decodeClients(mode === 'crc' ? files.cephStatus : files.cephStatusSecure, mode === 'secure' ? { keyring: adminKeyring() } : {});
    accountedFor(t);
    expect(t.secure.filter((s) => !s.decrypted)).toEqual([]);
    expect(t.secure.length).toBe(mode === 'secure' ? t.sessions.filter((s) => s.mode === 'secure').length : 0);
    const cmds = t.events.filter((e) => e.message?.type === 'MMonCommand').map((e) => ({ e, cmd: JSON.parse((e.fields as { cmd: string[] }).cmd[0]!) as { prefix: string } }));
    const status = cmds.find((c) => c.cmd.prefix === 'status');
    expect(status, cmds.map((c) => c.e.line).join('\n')).toBeDefined();
    const ack = t.events.find((e) => e.message?.type === 'MMonCommandAck' && e.session === status!.e.session && e.fields['tid'] === status!.e.fields['tid'])!;
    expect(ack.fields['result']).toBe(0);
    expect(ack.fields['outData'] as number).toBeGreaterThan(100);
    expect(ack.latencyNs).toBeGreaterThan(0n);
    // Before the command: the session's subscription and maps, by name.
    const types = new Set(t.events.filter((e) => e.session === status!.e.session).map((e) => e.message?.type));
    expect([...types]).toEqual(expect.arrayContaining(['MMonGetMap', 'MMonMap', 'MMonSubscribe', 'MOSDMap']));
  });
});

describe('rados-ts trace decode (CLI)', () => {
  it('prints one line per frame and lists the encrypted sessions', () => {
    const r = cli(files.rados);
    expect(r.status).toBe(0);
    // As Ceph prints them (trace-vs-ceph-log.test.ts checks every line against Ceph's own log);
    // flags as ceph_osd_flag_string prints them: Tentacle's client sets a bit Ceph itself prints as ???.
    expect(r.stdout).toMatch(
      /MOSDOp osd_op\(client\.\d+\.0:\d+ \d+\.0 \d+:[0-9a-f]{8}:::obj1:head \[writefull 0~2700 in=2700b\] snapc 0=\[\] ondisk\+write\+known_if_redirected[a-z_+?]* e\d+\)/,
    );
    expect(r.stdout).toMatch(/MOSDOpReply osd_op_reply\(\d+ obj1 \[writefull 0~2700\] v\d+'\d+ uv\d+ ondisk = 0\) \(\d+\.\d{3} ms\)/);
    expect(r.stderr).toMatch(/secure mode, encrypted: no key given \(client\.admin authenticated here\)/);
  });

  it('-k KEYRING: the secure sessions decrypted, their ops printed', async () => {
    const r = cli(files.radosSecure, '-k', cluster.keyringPath);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/MOSDOp osd_op\(client\.\d+\.0:\d+ \d+\.0 \d+:[0-9a-f]{8}:::obj1:head \[writefull 0~2700 in=2700b\] snapc 0=\[\] ondisk\+write\+/);
    expect(r.stdout).toMatch(/MOSDOpReply osd_op_reply\(\d+ obj1 \[writefull 0~2700\] v\d+'\d+ uv\d+ ondisk = 0\) \(\d+\.\d{3} ms\)/);
    // Every client session decrypted; a daemon's session caught meanwhile is named as such.
    const t = await decodeCapture(readFileSync(files.radosSecure), { keyring: adminKeyring() });
    const opened = t.secure.filter((s) => s.decrypted).length;
    expect(t.secure.filter((s) => !s.decrypted).every((s) => !s.entity.startsWith('client.'))).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`secure sessions: ${opened} of ${t.secure.length} decrypted \\(\\d+ frames\\)`));
    expect(r.stderr.split('\n').filter((l) => l.includes('encrypted') && !/(osd|mon|mgr)\.\w+/.test(l))).toEqual([]);
  });

  it('writes JSON lines with stable fields', () => {
    const r = cli(files.cephCrc, '--format', 'json');
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(Object.keys(l)).toEqual(expect.arrayContaining(['time', 'session', 'from', 'to', 'tag', 'line', 'crc', 'offset', 'length', 'fields']));
  });

  it('filters by type, object, pool and peer', async () => {
    const t = await decodeCapture(readFileSync(files.rados));
    const osdPort = t.events
      .find((e) => e.message?.type === 'MOSDOp')!
      .to.split(':')
      .pop()!;
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

  it('--stats: one line per session, op latency percentiles and message counts', async () => {
    const t = await decodeCapture(readFileSync(files.rados));
    const r = cli(files.rados, '--stats', '--format', 'json');
    expect(r.status).toBe(0);
    const stats = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { session: number; mode: string; messages: Record<string, number>; latency: { count: number; p50Ms: number } });
    expect(stats.length).toBe(t.sessions.length);
    const osd = stats.filter((s) => (s.messages['MOSDOp'] ?? 0) > 0);
    expect(osd.reduce((n, s) => n + s.messages['MOSDOp']!, 0)).toBe(t.events.filter((e) => e.message?.type === 'MOSDOp').length);
    for (const s of osd) {
      expect(s.latency.count).toBe(s.messages['MOSDOpReply']);
      expect(s.latency.p50Ms).toBeGreaterThan(0);
    }
  });

  const lines = (r: { stdout: string }): string[] => r.stdout.split('\n').filter((l) => l.length > 0);

  it('-v: each frame followed by its fields as JSON, ones the plain line does not show', () => {
    const plain = lines(cli(files.twoPools, '--type', 'MOSDOp', '--object', 'obj4'));
    const r = cli(files.twoPools, '--type', 'MOSDOp', '--object', 'obj4', '-v');
    expect(r.status).toBe(0);
    const verbose = lines(r);
    expect(plain.length).toBeGreaterThanOrEqual(1);
    expect(verbose.length).toBe(2 * plain.length);
    expect(verbose.filter((_, i) => i % 2 === 0)).toEqual(plain);
    for (const [i, head] of plain.entries()) {
      const detail = verbose[2 * i + 1]!;
      expect(detail).toMatch(/^ {4}\{/);
      const f = JSON.parse(detail.trim()) as Record<string, unknown>;
      // Stream offset and wire length, the message's seq and segment sizes, the locator's pool
      // and namespace: none of them on the plain line.
      expect(f).toMatchObject({ object: 'obj4', pool: twoPools.trace, namespace: '', retryAttempt: 0, front: expect.any(Number) as number, seq: expect.any(String) as string });
      expect(f['length'] as number).toBeGreaterThan(f['front'] as number);
      expect(typeof f['offset']).toBe('number');
      expect(head).not.toMatch(/[{"]|front|namespace|retry/i);
    }
  });

  it('each filter alone keeps what it names and leaves out the rest', async () => {
    const t = await decodeCapture(readFileSync(files.twoPools));
    const all = lines(cli(files.twoPools));
    expect(all.length).toBe(t.events.length);
    const osdPort = twoPools.osd.split(':').pop()!;
    // --peer: the OSD's sessions (handshake and ops), not the monitor's.
    for (const peer of [`:${osdPort}`, twoPools.osd]) {
      const got = lines(cli(files.twoPools, '--peer', peer));
      const want = t.events.filter((e) => e.from.endsWith(`:${osdPort}`) || e.to.endsWith(`:${osdPort}`));
      expect(got.length, peer).toBe(want.length);
      expect(got.length).toBeLessThan(all.length);
      expect(got.every((l) => l.includes(`:${osdPort} `))).toBe(true);
      expect(got.some((l) => / HELLO /.test(l))).toBe(true);
      expect(got.filter((l) => / MOSDOp osd_op\(/.test(l)).length).toBe(3); // put, put, stat
      expect(got.some((l) => l.includes(`:${monPort} `))).toBe(false);
    }
    const mon = lines(cli(files.twoPools, '--peer', `:${monPort}`));
    expect(mon.length).toBeGreaterThan(0);
    expect(mon.some((l) => / MOSDOp/.test(l))).toBe(false);
    expect(mon.some((l) => / MMonSubscribe /.test(l))).toBe(true);
    // --type: only that message type (or frame tag).
    const replies = lines(cli(files.twoPools, '--type', 'MOSDOpReply'));
    expect(replies.length).toBe(3);
    expect(replies.every((l) => / MOSDOpReply osd_op_reply\(/.test(l))).toBe(true);
    expect(replies.filter((l) => /missing-object \[stat\].* = -2 /.test(l))).toHaveLength(1);
    const hellos = lines(cli(files.twoPools, '--type', 'hello'));
    expect(hellos.length).toBe(t.events.filter((e) => e.tag === 'HELLO').length);
    expect(hellos.every((l) => / HELLO /.test(l))).toBe(true);
    // --object: the stat and its ENOENT, not the puts.
    const missing = lines(cli(files.twoPools, '--object', 'missing-object'));
    expect(missing).toHaveLength(2);
    expect(missing[0]).toMatch(/ MOSDOp osd_op\(.*:::missing-object:head \[stat\]/);
    expect(missing[1]).toMatch(/ MOSDOpReply osd_op_reply\(\d+ missing-object \[stat\].* = -2 /);
    // --pool: the ops and replies of that pool only.
    const other = lines(cli(files.twoPools, '--pool', String(twoPools.other)));
    expect(other.length).toBe(2);
    expect(other.every((l) => l.includes('obj5'))).toBe(true);
    const trace = lines(cli(files.twoPools, '--pool', String(twoPools.trace)));
    expect(trace.length).toBe(4);
    expect(trace.filter((l) => l.includes('obj4'))).toHaveLength(2);
    expect(trace.filter((l) => l.includes('missing-object'))).toHaveLength(2);
    expect(trace.some((l) => l.includes('obj5'))).toBe(false);
  });

  it('--stats (plain): per session p50 and p99, and the failed stat counted as an error', async () => {
    const t = await decodeCapture(readFileSync(files.twoPools));
    const r = cli(files.twoPools, '--stats');
    expect(r.status).toBe(0);
    const all = lines(r);
    expect(all.length).toBe(t.sessions.length);
    const osd = all.filter((l) => / MOSDOp×\d+/.test(l));
    expect(osd).toHaveLength(3); // one OSD session per rados run
    for (const l of osd) {
      const m = /latency n=(\d+) p50 (\d+\.\d{3}) ms p99 (\d+\.\d{3}) ms, errors (\d+) results\/0 frames\/0 bytes unread/.exec(l);
      expect(m, l).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThanOrEqual(1);
      expect(Number(m![2])).toBeGreaterThan(0);
      expect(Number(m![3])).toBeGreaterThanOrEqual(Number(m![2]));
    }
    expect(osd.map((l) => /errors (\d+) results/.exec(l)![1]).sort()).toEqual(['0', '0', '1']);
  });

  it('--color auto: ANSI colour on a terminal, none on a pipe or with NO_COLOR', () => {
    const env = { ...process.env };
    delete env['NO_COLOR'];
    const command = `${process.execPath} dist/src/cli/main.js trace decode ${files.twoPools} --type MOSDOp,MOSDOpReply --color auto 2>/dev/null`;
    // script(1) runs the command on a pseudo-terminal (its stderr, the summary, would share it: dropped).
    const tty = spawnSync('script', ['-qc', command, '/dev/null'], { encoding: 'utf8', env });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toContain('\x1b[36mMOSDOp\x1b[0m');
    expect(tty.stdout).toContain('\x1b[31m'); // the ENOENT reply, in red
    const pipe = cli(files.twoPools, '--type', 'MOSDOp,MOSDOpReply', '--color', 'auto');
    expect(pipe.status).toBe(0);
    expect(pipe.stdout).toMatch(/MOSDOp osd_op\(/);
    expect(pipe.stdout).not.toContain('\x1b[');
    expect(tty.stdout.replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g'), '').replace(/\r\n/g, '\n')).toBe(pipe.stdout);
    const noColor = spawnSync('script', ['-qc', command, '/dev/null'], { encoding: 'utf8', env: { ...env, NO_COLOR: '1' } });
    expect(noColor.stdout).toMatch(/MOSDOp osd_op\(/);
    expect(noColor.stdout).not.toContain('\x1b[');
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

  it('a dropped packet (editcap): the lost bytes are reported, the frames after them decode, exit 1', () => {
    // The packet of obj5's put (its MOSDOp, with the 2700 bytes of data), in crc mode.
    const found = execFileSync('tshark', ['-r', files.twoPools, '-Y', 'frame contains "obj5" && tcp.len > 2700', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.len'], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .map((l) => l.split('\t').map(Number) as [number, number]);
    expect(found).toHaveLength(1);
    const [drop, size] = found[0]!;
    expect(size).toBeGreaterThan(2700);
    const dropped = join(dir, 'dropped.pcap');
    execFileSync('editcap', [files.twoPools, dropped, String(drop)]);
    // A reply whose request was lost prints without its latency: compare lines without it.
    const nonEmpty = (t: string): string[] =>
      t
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => l.replace(/ \(\d+(\.\d+)? ms\)$/, ''));
    const whole = nonEmpty(cli(files.twoPools).stdout);
    const r = cli(dropped);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`bytes \\d+\\.\\.\\d+ \\(${size}\\): not in the capture \\(dropped or cut packets\\)`));
    const got = nonEmpty(r.stdout);
    const ops = (ls: string[]): string[] => ls.filter((l) => / MOSDOp osd_op\(/.test(l));
    // The write whose packet went is missing, and only it; every other op and reply is there.
    expect(ops(got)).toHaveLength(ops(whole).length - 1);
    for (const l of got) expect(whole).toContain(l);
    expect(got).toContain(whole.filter((l) => l.includes('MOSDOpReply')).at(-1));
  });

  it('a keyring that is not one: a clear error, exit 2', () => {
    const bad = join(dir, 'bad-keyring');
    writeFileSync(bad, '[client.admin]\n\tkey = notakey\n');
    const r = cli(files.radosSecure, '-k', bad);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(new RegExp(`^rados-ts trace: keyring ${bad}: `));
  });

  it('garbage: a clear error, exit 1, no stack trace', () => {
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, new TextEncoder().encode('this is not a capture at all'));
    const r = cli(junk);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('rados-ts: CaptureFormatError: not a pcap or pcapng file (magic 0x74686973)');
  });
});
