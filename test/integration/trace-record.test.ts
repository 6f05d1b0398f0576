// `Rados.connect({ trace })`: every frame of our client lands in the trace file, in order, with
// the authentication payloads left out unless asked for; the file reads back whole, and the
// frames are the ones tcpdump saw on the wire at the same time (crc mode, so both can be read).
// The keys `auth` commands carry are left out too; RADOS_TS_TRACE traces a program from outside.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tag } from '../../protocol/msgr2/tags.ts';
import { MsgType } from '../../protocol/messages/message-types.ts';
import { decodeCapture } from '../../protocol/trace/decode-capture.ts';
import { decodeTraceRecords } from '../../protocol/trace/decode-trace-records.ts';
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

/** What the `auth` session sent and got back: the admin key (`auth get-key`) and a keyring it imported. */
const authRuns: Partial<Record<'plain' | 'secrets', { getKey: Uint8Array; imported: string; keyring: string }>> = {};

/** A session whose mon commands carry keys both ways: `auth get-key` (output) and `auth import` (input). */
async function authSession(c: Cluster, which: 'plain' | 'secrets'): Promise<void> {
  const rados = await Rados.connect({ conf: c.confPath, keyring: c.keyringPath, mode: 'crc', trace: join(dir, `auth-${which}.rtt`), traceSecrets: which === 'secrets' });
  try {
    const status = await rados.monCommand({ prefix: 'osd pool ls', format: 'json' });
    expect(status.code).toBe(0);
    const got = await rados.monCommand({ prefix: 'auth get-key', entity: 'client.admin', format: 'json' });
    expect(got.code).toBe(0);
    const imported = execFileSync('ceph-authtool', ['--gen-print-key'], { encoding: 'utf8' }).trim();
    const keyring = `[client.traced-${which}]\n\tkey = ${imported}\n\tcaps mon = "allow r"\n`;
    const imp = await rados.monCommand({ prefix: 'auth import' }, new TextEncoder().encode(keyring));
    expect(imp.code).toBe(0);
    authRuns[which] = { getKey: got.output, imported, keyring };
  } finally {
    await rados.close();
  }
}

beforeAll(async () => {
  const c = await startCluster({ osds: 1, mgr: false });
  cluster = c;
  await c.ceph(['osd', 'pool', 'create', 'rec', '1']);
  await captureToFile(join(dir, 'wire.pcap'), await clusterPortFilter(c), () => session(c, join(dir, 'plain.rtt'), false));
  await session(c, join(dir, 'secrets.rtt'), true);
  await authSession(c, 'plain');
  await authSession(c, 'secrets');
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
    // What the session must have carried, whatever else the cluster sent meanwhile (its count varies).
    const kinds = frames.filter((f) => f.r === undefined).map((f) => `${f.d}:${f.s[0]![16]! | (f.s[0]![17]! << 8)}`);
    for (const k of [`tx:${MsgType.MON_SUBSCRIBE}`, `rx:${MsgType.MON_MAP}`, `rx:${MsgType.OSD_MAP}`, `tx:${MsgType.OSD_OP}`, `rx:${MsgType.OSD_OPREPLY}`])
      expect(kinds).toContain(k);
    expect(recorded.filter((x) => !seen.includes(x))).toEqual([]);
    const ourSessions = wire.sessions.filter((s) =>
      s.frames.some((f) => f.tag === Tag.MESSAGE && recorded.includes(`${f.dir === 'to-server' ? 'tx' : 'rx'}:${hex(f.segments[1])}`)),
    );
    const onOurWire = ourSessions.flatMap((s) => s.frames.filter((f) => f.tag === Tag.MESSAGE));
    expect(onOurWire.length).toBe(recorded.length + redacted);
  });

  it('decodes to the same messages as the capture of the same session, line for line', async () => {
    const rec = decodeTraceRecords(await readTraceFile(readFileSync(join(dir, 'plain.rtt'))));
    const wire = await decodeCapture(readFileSync(join(dir, 'wire.pcap')));
    expect(rec.format).toBe('rados-ts-trace');
    expect(rec.truncated).toBeUndefined();
    expect(rec.sessions.length).toBeGreaterThanOrEqual(2);
    expect(rec.events.every((e) => e.error === undefined)).toBe(true);
    // Each recorded connection is one captured session: the same message lines in the same order
    // (MAuth's front was left out of the trace: its line says so instead).
    // Compared per direction: the recorder's clock (the hook) and tcpdump's (the packet) may order
    // a frame received and one sent at the same moment differently.
    for (const s of rec.sessions) {
      const lines = rec.events.filter((e) => e.session === s.id && e.message && e.fields['notRecorded'] === undefined).map((e) => e.line);
      const match = wire.sessions.find((w) => w.server === s.server && lines.every((l) => wire.events.some((e) => e.session === w.id && e.line === l)));
      expect(match, `a captured session to ${s.server} with the lines ${lines.join(' | ')}`).toBeDefined();
      for (const dir of ['to-server', 'to-client'] as const) {
        const ours = rec.events.filter((e) => e.session === s.id && e.dir === dir && e.message && e.fields['notRecorded'] === undefined).map((e) => e.line);
        const captured = wire.events.filter((e) => e.session === match!.id && e.dir === dir && e.message && e.message.type !== 'MAuth').map((e) => e.line);
        expect(ours, `${s.server} ${dir}`).toEqual(captured);
      }
    }
    const ops = rec.events.filter((e) => e.message?.type === 'MOSDOp').map((e) => e.line);
    expect(ops).toEqual([
      expect.stringMatching(/^osd_op\(client\.\d+\.0:\d+ \d+\.\w+ \d+:[0-9a-f]{8}:::traced:head \[writefull 0~20 in=20b\]/),
      expect.stringMatching(/^osd_op\(client\.\d+\.0:\d+ \d+\.\w+ \d+:[0-9a-f]{8}:::traced:head \[read 0~8192\]/),
    ]);
    const replies = rec.events.filter((e) => e.message?.type === 'MOSDOpReply');
    expect(replies.map((r) => r.latencyNs !== undefined && r.latencyNs > 0n)).toEqual([true, true]);
    const auth = rec.events.filter((e) => e.tag === 'AUTH_REQUEST');
    expect(auth.length).toBeGreaterThanOrEqual(2);
    expect(auth.every((e) => /^AUTH_REQUEST \(frame not recorded: \d+ bytes; traceSecrets keeps it\)$/.test(e.line))).toBe(true);
  });

  it('rados-ts trace decode reads trace files: lines, a cut file, colour only when asked or on a terminal', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/src/cli/main.js', 'trace', 'decode', ...args], { encoding: 'utf8' });
    const plain = cli(join(dir, 'plain.rtt'));
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/ MOSDOp osd_op\(client\.\d+\.0:\d+ \S+ \d+:[0-9a-f]{8}:::traced:head \[writefull 0~20 in=20b\] snapc 0=\[\] ondisk\+write\+known_if_redirected/);
    expect(plain.stdout).toMatch(/ MOSDOpReply osd_op_reply\(\d+ traced \[writefull 0~20\] v\d+'\d+ uv\d+ ondisk = 0\) \(\d+\.\d{3} ms\)/);
    expect(plain.stdout).not.toContain('\x1b['); // a pipe: no colour
    expect(plain.stderr).toMatch(/^rados-ts trace of client\.admin: \d+ frame records, \d+ connections$/m);
    const coloured = cli(join(dir, 'plain.rtt'), '--color', 'always');
    expect(coloured.stdout).toContain('\x1b[36mMOSDOp\x1b[0m');
    expect(coloured.stdout.replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g'), '')).toBe(plain.stdout);
    expect(cli(join(dir, 'plain.rtt'), '--color', 'sometimes').stderr).toMatch(/--color takes auto, always or never/);
    const whole = readFileSync(join(dir, 'plain.rtt'));
    writeFileSync(join(dir, 'cut.rtt'), whole.subarray(0, whole.length - 7));
    const cut = cli(join(dir, 'cut.rtt'));
    expect(cut.status).toBe(1);
    expect(cut.stderr).toMatch(/capture cut short at byte \d+: the file ends inside a record/);
    expect(cut.stdout.split('\n').length).toBeGreaterThan(10);
  });

  it('leaves out the keys auth commands send and receive unless traceSecrets is set; the decoded line says so', async () => {
    // What Ceph's own CLI says the keys are: the admin's, and the one we imported.
    const adminKey = (await cluster!.ceph(['auth', 'get-key', 'client.admin'])).trim();
    for (const which of ['plain', 'secrets'] as const) {
      const run = authRuns[which]!;
      expect(new TextDecoder().decode(run.getKey)).toContain(adminKey);
      expect((await cluster!.ceph(['auth', 'get-key', `client.traced-${which}`])).trim()).toBe(run.imported);
      const text = readFileSync(join(dir, `auth-${which}.rtt`)).toString('latin1');
      expect(text.includes(adminKey), `${which}: the admin key in the trace`).toBe(which === 'secrets');
      expect(text.includes(run.imported), `${which}: the imported key in the trace`).toBe(which === 'secrets');
    }
    const t = await readTraceFile(readFileSync(join(dir, 'auth-plain.rtt')));
    const monTypes = new Set<number>([MsgType.MON_COMMAND, MsgType.MON_COMMAND_ACK]);
    const commands = t.frames.filter((f) => f.g === Tag.MESSAGE && monTypes.has(f.s[0]![16]! | (f.s[0]![17]! << 8)));
    const run = authRuns.plain!;
    const keyringBytes = new TextEncoder().encode(run.keyring).length;
    // The import's command and the get-key's ack: header, front and middle kept, the data left out.
    const redacted = commands.filter((f) => f.r !== undefined);
    expect(redacted.map((f) => [f.d, f.r![3]])).toEqual([
      ['rx', run.getKey.length],
      ['tx', keyringBytes],
    ]);
    for (const f of redacted) expect([f.s.length, f.s[1]!.length === f.r![1], f.s[3]!.length]).toEqual([4, true, 0]);

    const cli = (file: string) => spawnSync(process.execPath, ['dist/src/cli/main.js', 'trace', 'decode', file, '--type', 'MMonCommand,MMonCommandAck'], { encoding: 'utf8' });
    const plain = cli(join(dir, 'auth-plain.rtt'));
    expect(plain.status).toBe(0);
    const out = plain.stdout.split('\n').filter(Boolean);
    const getKeyAck = out.filter((l) => l.includes('auth get-key') && l.includes('MMonCommandAck'));
    expect(getKeyAck).toHaveLength(1);
    expect(getKeyAck[0]).toMatch(new RegExp(`=0 .*v\\d+\\) \\(data not recorded: ${run.getKey.length} bytes; traceSecrets keeps it\\) \\(\\d+\\.\\d{3} ms\\)$`));
    const importCmd = out.filter((l) => l.includes('auth import') && / MMonCommand mon_command/.test(l));
    expect(importCmd).toHaveLength(1);
    expect(importCmd[0]).toMatch(new RegExp(`\\(data not recorded: ${keyringBytes} bytes; traceSecrets keeps it\\)$`));
    // Commands that carry no key are whole; so is everything with traceSecrets.
    expect(out.filter((l) => l.includes('osd pool ls')).every((l) => !l.includes('not recorded'))).toBe(true);
    expect(out.filter((l) => l.includes('not recorded'))).toHaveLength(2);
    const kept = cli(join(dir, 'auth-secrets.rtt'));
    expect(kept.status).toBe(0);
    expect(kept.stdout).toMatch(/auth get-key/);
    expect(kept.stdout).not.toContain('not recorded');
    const json = spawnSync(process.execPath, ['dist/src/cli/main.js', 'trace', 'decode', join(dir, 'auth-plain.rtt'), '--type', 'MMonCommandAck', '--format', 'json'], {
      encoding: 'utf8',
    });
    const acks = json.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { line: string; fields: Record<string, unknown> });
    const ack = acks.find((a) => a.line.includes('auth get-key'))!;
    expect(ack.fields).toMatchObject({ result: 0, outData: run.getKey.length, dataNotRecorded: run.getKey.length });
  });

  it('RADOS_TS_TRACE traces a program that does not ask for it; rados-ts trace decode reads its session', () => {
    const file = join(dir, 'env.rtt');
    // A program of its own, on the build (dist/): it connects, writes, reads back and closes; it never names a trace.
    const program = [
      `import { Rados } from ${JSON.stringify(resolve('dist/src/index.js'))};`,
      `const r = await Rados.connect({ conf: process.env.TEST_CONF, keyring: process.env.TEST_KEYRING, mode: 'crc' });`,
      `const io = await r.openIoCtx('rec');`,
      `await io.writeFull('from-env', 'traced from the environment');`,
      `process.stdout.write(new TextDecoder().decode(await io.read('from-env')));`,
      `await r.close();`,
    ].join('\n');
    const env = { ...process.env, TEST_CONF: cluster!.confPath, TEST_KEYRING: cluster!.keyringPath };
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', program], { env: { ...env, RADOS_TS_TRACE: file }, encoding: 'utf8', timeout: 120_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toBe('traced from the environment');
    // The object is there for Ceph's own tool.
    expect(execFileSync('rados', ['-c', cluster!.confPath, '-p', 'rec', 'get', 'from-env', '-'], { encoding: 'utf8' })).toBe('traced from the environment');
    const r = spawnSync(process.execPath, ['dist/src/cli/main.js', 'trace', 'decode', file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^rados-ts trace of client\.admin: \d+ frame records, [2-9]\d* connections$/m);
    const lines = r.stdout.split('\n').filter(Boolean);
    // The session from its first frame: the mon handshake, the maps, the write and the read.
    expect(lines[0]).toMatch(/ HELLO /);
    for (const type of ['AUTH_REQUEST', 'CLIENT_IDENT', 'SERVER_IDENT', 'MMonSubscribe', 'MMonMap', 'MOSDMap'])
      expect(
        lines.some((l) => l.includes(` ${type} `)),
        type,
      ).toBe(true);
    expect(lines.filter((l) => / MOSDOp osd_op\(/.test(l)).map((l) => /\[[^\]]*\]/.exec(l)![0])).toEqual(['[writefull 0~27 in=27b]', '[read 0~8192]']);
    expect(lines.filter((l) => / MOSDOpReply osd_op_reply\(\d+ from-env \[/.test(l) && / ondisk = 0\) \(\d+\.\d{3} ms\)$/.test(l))).toHaveLength(2);
  });
});
