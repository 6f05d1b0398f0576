// `rados-ts trace decode` claims to describe every message "in Ceph's own vocabulary": the one-line
// form of each message's Message::print. Ceph itself is the oracle: with `debug ms = 1` every
// daemon logs each message it receives ("<== client.4146 v2:…/3141 5 ==== mon_get_version(…) v1 ====")
// and sends ("--> v2:…/3141 -- osd_op_reply(…) v8 -- 0x…") with that print. A workload of Ceph's own
// CLIs (crc mode, so every frame is readable) is captured; each message of a CLI's session is found
// in the log of the daemon at the other end (by sender, process nonce and seq for what the daemon
// received; by peer nonce, type and order for what it sent) and our line must be Ceph's text.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCapture, type CaptureTrace, type TraceEvent } from '../../protocol/trace/decode-capture.ts';
import { captureToFile, clusterPortFilter } from '../capture/capture.ts';
import { parseMsLog, printName, type ReceivedLine, type SentLine } from '../capture/ms-log.ts';
import { type Cluster, startCluster } from '../cluster/cluster.ts';

const dir = mkdtempSync(join(tmpdir(), 'rados-ts-mslog-'));
const pcap = join(dir, 'workload.pcap');
const POOL = 'tv';
const CRC = ['--ms_mon_client_mode=crc', '--ms_client_mode=crc'];
let cluster: Cluster;
/** "127.0.0.1:port" of each daemon's v2 address → its name (mon.a, osd.0). */
const daemons = new Map<string, string>();

/** Ceph's print name (Message::get_type_name, the print's first word) of the types a daemon sends a client. */
const PRINT_NAMES: Record<string, string> = {
  MOSDOp: 'osd_op',
  MOSDOpReply: 'osd_op_reply',
  MOSDMap: 'osd_map',
  MMonMap: 'mon_map',
  MAuthReply: 'auth_reply',
  MMonCommandAck: 'mon_command_ack',
  MMonSubscribeAck: 'mon_subscribe_ack',
  MMonGetVersionReply: 'mon_get_version_reply',
  MConfig: 'config',
  MWatchNotify: 'watch-notify',
  MPoolOpReply: 'pool_op_reply',
  MOSDBackoff: 'osd_backoff',
  MStatfsReply: 'statfs_reply',
  MMgrMap: 'mgrmap',
};

/**
 * Where our line deliberately is not Ceph's print: the type, why, and the exact difference (a
 * pair of texts that differs otherwise is a mismatch like any other).
 */
const DELIBERATE: Array<{ type: string; reason: string; applies: (ours: string, ceph: string) => boolean }> = [
  {
    type: 'MMonMap',
    reason: 'MMonMap has no print of its own (Message::print: "mon_map magic: 0"); the trace shows the map a reader wants (epoch, fsid, monitors)',
    applies: (ours, ceph) => ceph === 'mon_map magic: 0' && ours.startsWith('mon_map(e'),
  },
  {
    type: 'MMonCommandAck',
    reason: 'for config set / config-key set, MMonCommandAck::print (Pacific to Tentacle) writes "=r rs vN)" twice (its redacting branch does not return); we write it once',
    applies: (ours, ceph) => /^mon_command_ack\(\[\{prefix=config(-key)? set, /.test(ours) && ceph === ours + ours.slice(ours.indexOf('}]=') + 2),
  },
];

beforeAll(async () => {
  cluster = await startCluster({ osds: 1, mgr: false, extraConf: ['debug ms = 1'] });
  await cluster.ceph(['osd', 'pool', 'create', POOL, '1']);
  daemons.set(/v2:([^,\]]+)/.exec(cluster.monAddrs[0]!)![1]!, 'mon.a');
  const dump = JSON.parse(await cluster.ceph(['osd', 'dump', '--format', 'json'])) as {
    osds: Array<{ osd: number; public_addrs: { addrvec: Array<{ type: string; addr: string }> } }>;
  };
  for (const o of dump.osds) for (const a of o.public_addrs.addrvec) if (a.type === 'v2') daemons.set(a.addr, `osd.${o.osd}`);
  const payload = join(dir, 'payload');
  writeFileSync(payload, 'trace me: 0123456789abcdef\n'.repeat(100));
  const filter = await clusterPortFilter(cluster);
  const tool = (bin: string, ...args: string[]): string =>
    execFileSync(bin, ['-c', cluster.confPath, ...CRC, ...args], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const rados = (...args: string[]): string => tool('rados', '-p', POOL, ...args);
  await captureToFile(pcap, filter, async () => {
    rados('put', 'obj1', payload);
    rados('get', 'obj1', join(dir, 'back'));
    rados('stat', 'obj1');
    rados('setxattr', 'obj1', 'attr1', 'value1');
    rados('getxattr', 'obj1', 'attr1');
    rados('setomapval', 'obj1', 'key1', 'value1');
    rados('listomapvals', 'obj1');
    rados('ls');
    rados('rm', 'obj1');
    // An object in a namespace, placed by a locator key: both in MOSDOp's hobject_t.
    rados('-N', 'ns1', '--object-locator', 'lockey', 'put', 'obj2', payload);
    rados('-N', 'ns1', '--object-locator', 'lockey', 'stat', 'obj2');
    // A stat of what is gone: a reply with an error.
    expect(() => rados('stat', 'obj1')).toThrow();
    // A pool librados does not know: it asks the mon for the latest osdmap version (MMonGetVersion).
    expect(() => tool('rados', '-p', 'no-such-pool', 'ls')).toThrow();
    // A watcher, notified by another client; the watcher leaves when its stdin ends.
    rados('create', 'wobj');
    const watch = spawn('rados', ['-c', cluster.confPath, ...CRC, '-p', POOL, 'watch', 'wobj'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    watch.stdout.on('data', (d: Buffer) => (out += d.toString()));
    watch.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((res) => watch.once('exit', () => res()));
    for (const deadline = Date.now() + 30_000; !/press enter/i.test(out); await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() > deadline || watch.exitCode !== null) throw new Error(`rados watch did not start: ${out}`);
    }
    rados('notify', 'wobj', 'hello');
    watch.stdin.end('\n');
    await exited;
    tool('rbd', 'create', '--size', '16M', `${POOL}/img1`);
    tool('rbd', 'snap', 'create', `${POOL}/img1@s1`);
    tool('rbd', 'info', `${POOL}/img1`);
    tool('ceph', '-s');
    tool('ceph', 'osd', 'pool', 'ls');
    tool('ceph', 'mon', 'dump');
    // The two commands whose values Ceph keeps out of its logs (MMonCommand::print).
    tool('ceph', 'config-key', 'set', 'trace/key', 'not-for-logs');
    tool('ceph', 'config', 'set', 'client.trace', 'rados_mon_op_timeout', '17');
  });
}, 300_000);

afterAll(async () => {
  // TRACE_KEEP=1 keeps the capture and the logs it was compared with.
  if (process.env['TRACE_KEEP'] && (cluster as Cluster | undefined)) {
    for (const n of ['mon.a', ...cluster.osdIds.map((i) => `osd.${i}`), 'client.admin']) copyFileSync(join(cluster.dir, `${n}.log`), join(dir, `${n}.log`));
    console.log(`kept in ${dir}`);
  }
  await (cluster as Cluster | undefined)?.stop();
  if (!process.env['TRACE_KEEP']) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** A message of a CLI's session as we decoded it. */
interface OurMessage {
  event: TraceEvent;
  type: string;
  /** The daemon at the other end (mon.a, osd.0). */
  daemon: string;
  /** The CLI's entity name and address nonce. */
  client: string;
  nonce: string;
  /** The daemon's address nonce. */
  daemonNonce: string;
}

/** Every message of the sessions a CLI opened (a daemon's own sessions are left out). */
function cliMessages(t: CaptureTrace): OurMessage[] {
  const out: OurMessage[] = [];
  for (const s of t.sessions) {
    const events = t.events.filter((e) => e.session === s.id);
    const hello = events.find((e) => e.tag === 'HELLO' && e.dir === 'to-server');
    if (hello?.fields['entityType'] !== 'client') continue;
    const daemon = daemons.get(s.server);
    const done = events.find((e) => e.tag === 'AUTH_DONE');
    const ident = events.find((e) => e.tag === 'CLIENT_IDENT');
    const server = events.find((e) => e.tag === 'SERVER_IDENT');
    expect(daemon, `session ${s.id} to ${s.server}`).toBeDefined();
    expect(done && ident && server, `session ${s.id}: handshake in the capture`).toBeTruthy();
    const nonce = (addrs: unknown): string => /\/(\d+)\]?$/.exec(String(addrs))![1]!;
    for (const e of events.filter((x) => x.message)) {
      out.push({
        event: e,
        type: e.message!.type,
        daemon: daemon!,
        client: `client.${String(done!.fields['globalId'])}`,
        nonce: nonce(ident!.fields['addrs']),
        daemonNonce: nonce(server!.fields['addrs']),
      });
    }
  }
  return out;
}

interface Row {
  type: string;
  matched: number;
  mismatched: number;
  notFound: number;
  /** Differences listed in DELIBERATE. */
  deliberate: number;
  /** Messages of a type the trace does not decode (shown by type and lengths): no claim to compare. */
  undescribed: number;
  example?: { ours: string; ceph: string };
  missing?: string;
}

describe('trace decode against Ceph’s own debug-ms log', () => {
  it('describes every message of the CLIs’ sessions as the daemon at the other end printed it', async () => {
    const trace = await decodeCapture(readFileSync(pcap));
    expect(trace.truncated).toBeUndefined();
    const ours = cliMessages(trace);
    expect(ours.length).toBeGreaterThan(100);
    // The daemons write their logs from a thread of their own: wait until every message is there.
    let logs = new Map<string, ReturnType<typeof parseMsLog>>();
    let rows = new Map<string, Row>();
    let unclaimed: string[] = [];
    let dropped: string[] = [];
    for (const deadline = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 500))) {
      logs = new Map(['mon.a', ...cluster.osdIds.map((i) => `osd.${i}`), 'client.admin'].map((n) => [n, parseMsLog(readFileSync(join(cluster.dir, `${n}.log`), 'utf8'))]));
      ({ rows, unclaimed, dropped } = compare(ours, logs));
      if (([...rows.values()].every((r) => r.notFound === 0) && unclaimed.length === 0) || Date.now() > deadline) break;
    }
    const table = [...rows.values()].sort((a, b) => a.type.localeCompare(b.type));
    console.log(
      [
        `${cluster.release} (${cluster.version}): ${ours.length} messages of ${new Set(ours.map((m) => m.nonce)).size} CLI processes`,
        'type                  matched  differ  not found  deliberate  undescribed',
        ...table.map(
          (r) =>
            `${r.type.padEnd(22)}${String(r.matched).padStart(7)}${String(r.mismatched).padStart(8)}${String(r.notFound).padStart(11)}${String(r.deliberate).padStart(12)}${String(r.undescribed).padStart(13)}`,
        ),
        ...table
          .filter((r) => r.example)
          .flatMap((r) => [`${r.type} ${r.undescribed ? 'undescribed' : 'first difference'}:`, `  ours: ${r.example!.ours}`, `  ceph: ${r.example!.ceph}`]),
        ...DELIBERATE.filter((d) => rows.get(d.type)?.deliberate).map((d) => `deliberate, ${d.type}: ${d.reason}`),
        ...table.filter((r) => r.missing).map((r) => `${r.type} not found in Ceph's log: ${r.missing}`),
        ...unclaimed.slice(0, 10).map((l) => `logged by Ceph, not in our trace: ${l}`),
        ...dropped.map((l) => `queued by Ceph as the client left, not on the wire: ${l}`),
      ].join('\n'),
    );
    // Every message we decoded is one Ceph logged, and every one Ceph logged for these clients we decoded.
    expect(table.filter((r) => r.notFound > 0).map((r) => `${r.type}: ${r.missing}`)).toEqual([]);
    expect(unclaimed).toEqual([]);
    // Every type the workload brings is described (none is left as "MConfig v1 front 4 data 0").
    expect(table.filter((r) => r.undescribed > 0).map((r) => `${r.type}: ceph prints ${r.example?.ceph}`)).toEqual([]);
    // Our line is Ceph's, except for the deliberate differences listed.
    expect(table.filter((r) => r.mismatched > 0).map((r) => `${r.type}\n  ours: ${r.example!.ours}\n  ceph: ${r.example!.ceph}`)).toEqual([]);
    // The namespaced object with its locator key was among the ops compared.
    expect(ours.some((m) => m.type === 'MOSDOp' && /:ns1:lockey:obj2:/.test(m.event.line))).toBe(true);
    // The workload's kinds are all there.
    expect([...rows.keys()]).toEqual(
      expect.arrayContaining([
        'MOSDOp',
        'MOSDOpReply',
        'MMonCommand',
        'MMonCommandAck',
        'MMonSubscribe',
        'MOSDMap',
        'MWatchNotify',
        'MPoolOp',
        'MMgrMap',
        'MConfig',
        'MMonGetVersion',
        'MMonGetVersionReply',
      ]),
    );
  });
});

/**
 * Ceph's text, with the header version it printed when that is not the one we read (Tentacle
 * prints none: its operator<< for Message leaves the version out).
 */
const sameVersion = (l: ReceivedLine | SentLine, version: number): string => (l.version === 0 || l.version === version ? l.text : `${l.text} v${l.version} (we read v${version})`);

/**
 * Each of our messages paired with Ceph's line for it, counted per type; `unclaimed` lists the
 * lines Ceph logged for these clients that no message of ours took.
 */
function compare(ours: OurMessage[], logs: Map<string, ReturnType<typeof parseMsLog>>): { rows: Map<string, Row>; unclaimed: string[]; dropped: string[] } {
  const rows = new Map<string, Row>();
  const used = new Set<ReceivedLine | SentLine>();
  const clientNonces = new Set(ours.map((m) => m.nonce));
  const record = (type: string, line: string, ceph: string | undefined, what: string): void => {
    const row = rows.get(type) ?? rows.set(type, { type, matched: 0, mismatched: 0, notFound: 0, deliberate: 0, undescribed: 0 }).get(type)!;
    if (line.startsWith(`${type} v`)) {
      row.undescribed++;
      if (ceph !== undefined) row.example ??= { ours: line, ceph };
    } else if (ceph === undefined) {
      row.notFound++;
      row.missing ??= what;
    } else if (ceph === line) row.matched++;
    else if (DELIBERATE.some((d) => d.type === type && d.applies(line, ceph))) row.deliberate++;
    else {
      row.mismatched++;
      row.example ??= { ours: line, ceph };
    }
  };
  /** The first line not yet taken that fits. */
  const take = <T extends ReceivedLine | SentLine>(lines: T[], fits: (l: T) => boolean): T | undefined => {
    const l = lines.find((x) => !used.has(x) && fits(x));
    if (l) used.add(l);
    return l;
  };
  for (const m of ours) {
    const { event: e, type } = m;
    const seq = Number(e.message!.fields['seq']);
    const version = e.message!.version;
    const log = logs.get(m.daemon)!;
    if (e.dir === 'to-server') {
      // The daemon received it: its "<==" line names the sender (client.? on a mon session
      // opened before the client knew its id), its nonce and the seq.
      const got = take(log.received, (l) => (l.from === m.client || l.from === 'client.?') && l.nonce === m.nonce && l.seq === seq);
      let ceph = got && sameVersion(got, version);
      if (got && type === 'MOSDOp') {
        // The OSD logs an MOSDOp before its final decode ("1.5d3f2a4c (undecoded)"): the whole print
        // is the client's own "-->" line, which it writes before its messenger stamps the sender into
        // the header (so its reqid is unknown.0.0:N); the reqid is the OSD's.
        const reqid = /^osd_op\((\S+) /.exec(got.text)![1]!;
        const sent = take(logs.get('client.admin')!.sent, (l) => l.ownNonce === m.nonce && l.nonce === m.daemonNonce && printName(l.text) === 'osd_op');
        ceph = sent && sent.text.replace(/^osd_op\(\S+ /, `osd_op(${reqid} `);
      }
      record(type, e.message!.line, ceph, `${m.daemon} <== ${m.client} ${m.nonce} seq ${seq}`);
    } else {
      // The daemon sent it: its "-->" lines to that process, of that type, in order.
      const name = PRINT_NAMES[type];
      const sent = name === undefined ? undefined : take(log.sent, (l) => l.nonce === m.nonce && printName(l.text) === name);
      const ceph = sent && sameVersion(sent, version);
      record(type, e.message!.line, ceph, `${m.daemon} --> ${m.nonce} ${name ?? `(no print name known for ${type})`}`);
    }
  }
  const unclaimed: string[] = [];
  const dropped: string[] = [];
  for (const [daemon, log] of logs) {
    if (daemon === 'client.admin') continue;
    for (const l of log.received) if (clientNonces.has(l.nonce) && !used.has(l)) unclaimed.push(`${daemon} <== ${l.from} ${l.nonce} ${l.seq} ${l.text}`);
    // A daemon logs a message when it queues it (AsyncConnection::send_message): one queued as
    // the client hung up never reaches the wire. Only such a tail, after the last message the
    // client did get from that daemon, may be missing from the capture.
    for (const nonce of clientNonces) {
      const sent = log.sent.filter((l) => l.nonce === nonce);
      const last = sent.reduce((at, l, i) => (used.has(l) ? i : at), -1);
      sent.forEach((l, i) => {
        if (!used.has(l)) (i < last ? unclaimed : dropped).push(`${daemon} --> ${l.nonce} ${l.text}`);
      });
    }
  }
  return { rows, unclaimed, dropped };
}
