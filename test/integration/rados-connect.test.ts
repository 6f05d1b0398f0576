// Rados.connect against the shared cluster: ceph.conf + keyring, crc mode, pools, mon commands
// that answer exactly what the ceph CLI prints, and the errors users meet first.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { decodeOSDMap } from '../../crush/osdmap/decode-osdmap.ts';
import { AuthError, RadosError } from '../../protocol/errors.ts';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { formatKeyString } from '../../protocol/cephx/crypto-key.ts';
import { Rados } from '../../src/index.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { ConMode } from '../../protocol/msgr2/tags.ts';
import { AddrType } from '../../protocol/types/entity-addr.ts';
import { EntityType } from '../../protocol/types/entity-name.ts';
import { Connection } from '../../src/msgr2/connection.ts';
import { nodeTransport } from '../../src/transport/node-transport.ts';
import { ceph, cephJson } from '../cluster/ceph-cli.ts';
import { comparableMap } from './osdmap-compare.ts';
import { radosInternals } from '../../src/rados.ts';

const cluster = inject('cluster');

describe('Rados.connect (crc, cephx)', () => {
  it('connects from ceph.conf and lists the pools the CLI lists', async () => {
    const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, mode: 'crc' });
    try {
      expect(rados.fsid).toBe(cluster.fsid);
      expect(rados.instanceId).toBeGreaterThan(0n);
      // Other test files create and delete pools on this cluster meanwhile: compare on a
      // window in which the CLI saw the same list before and after our listing.
      let compared = false;
      for (let attempt = 0; attempt < 5 && !compared; attempt++) {
        const before = cephJson<string[]>(cluster, ['osd', 'pool', 'ls']);
        const ours = await rados.listPools();
        const after = cephJson<string[]>(cluster, ['osd', 'pool', 'ls']);
        if (JSON.stringify(before) !== JSON.stringify(after)) continue;
        expect(ours).toEqual(before);
        compared = true;
      }
      expect(compared, 'the pool list kept changing across 5 tries').toBe(true);
    } finally {
      await rados.close();
    }
  });

  it('takes `mon host = v2:IP:P/0,v1:IP:Q/0` (separate items, one v1-only) as Ceph does', async () => {
    // The exact line: the first monitor's v2 and v1 addresses as two top-level items.
    const [, v2, v1] = /^\[(v2:[^,]+),(v1:[^\]]+)\]$/.exec(cluster.monAddrs[0]!)!;
    const line = `${v2}/0,${v1}/0`;
    expect(line).toMatch(/^v2:127\.0\.0\.1:\d+\/0,v1:127\.0\.0\.1:\d+\/0$/);
    const dir = mkdtempSync(join(tmpdir(), 'monhost-'));
    const conf = join(dir, 'ceph.conf');
    writeFileSync(conf, readFileSync(cluster.confPath, 'utf8').replace(/^mon host = .*$/m, `mon host = ${line}`));
    // Ceph's own CLI takes the line too (the oracle for "Ceph accepts it").
    expect(cephJson<{ fsid: string }>({ confPath: conf }, ['fsid']).fsid).toBe(cluster.fsid);
    const debug: string[] = [];
    const logger = { debug: (m: string) => debug.push(m), info() {}, warn() {}, error() {} };
    const rados = await Rados.connect({ conf, keyring: cluster.keyringPath, mode: 'crc', logger });
    try {
      expect(rados.fsid).toBe(cluster.fsid);
      expect(debug).toContain(`mon host: skipping "${v1}/0", a msgr1 (v1) address only (rados-ts speaks msgr2)`);
    } finally {
      await rados.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('monCommand output equals the ceph CLI for mon dump, osd pool ls detail and osd dump', async () => {
    const keyring = parseKeyring(readFileSync(cluster.keyringPath, 'utf8'));
    const rados = await Rados.connect({ monHost: cluster.monAddrs.join(','), key: formatKeyString(keyring.get('client.admin')!.key) });
    try {
      const cases: Array<[object, string[]]> = [
        [{ prefix: 'mon dump' }, ['mon', 'dump']],
        [{ prefix: 'osd pool ls', detail: 'detail' }, ['osd', 'pool', 'ls', 'detail']],
        [{ prefix: 'osd dump' }, ['osd', 'dump']],
      ];
      for (const [json, cmd] of cases) {
        // Another test may change the map between the two reads: retry until both see one epoch.
        for (let attempt = 0; ; attempt++) {
          const ours = await rados.monCommand({ ...json, format: 'json' });
          expect(ours.code).toBe(0);
          const theirs = cephJson(cluster, cmd);
          const mine = JSON.parse(ours.outputText) as unknown;
          if (JSON.stringify(mine) === JSON.stringify(theirs) || attempt === 5) {
            expect(mine).toEqual(theirs);
            break;
          }
        }
      }
    } finally {
      await rados.close();
    }
  });

  it('holds the same OSDMap as `ceph osd getmap` at the same epoch', async () => {
    const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
    try {
      await rados.waitForLatestOsdMap();
      const epoch = rados.osdMap.epoch;
      const file = join(cluster.dir, `osdmap.${epoch}.${process.pid}`);
      execFileSync('ceph', ['-c', cluster.confPath, 'osd', 'getmap', String(epoch), '-o', file], { stdio: 'ignore' });
      const theirs = decodeOSDMap(new Uint8Array(readFileSync(file)));
      expect(comparableMap(rados.osdMap)).toEqual(comparableMap(theirs));
    } finally {
      await rados.close();
    }
  });

  it('our cephx authorizer (with the CEPHX_V2 challenge) opens sessions with a real OSD, crc and secure', async () => {
    const rados = await Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath });
    try {
      const addr = rados.osdMap.osdAddrs[0]!.find((a) => a.type === AddrType.MSGR2)!;
      for (const mode of [ConMode.CRC, ConMode.SECURE]) {
        const frames: string[] = [];
        const conn = await Connection.open({
          host: addr.ip,
          port: addr.port,
          peerNonce: addr.nonce,
          transport: nodeTransport,
          auth: radosInternals(rados).cephx!.authorizerExchange(EntityType.OSD),
          modes: [mode],
          crypto: webCryptoProvider,
          gid: rados.instanceId,
          onFrame: (e) => frames.push(`${e.direction}:${e.tagName}`),
          signal: AbortSignal.timeout(10_000),
        });
        expect(conn.serverIdent!.addrs.some((a) => a.port === addr.port)).toBe(true);
        expect(conn.mode).toBe(mode === ConMode.SECURE ? 'secure' : 'crc');
        expect(frames).toContain('rx:AUTH_REPLY_MORE'); // the OSD's challenge
        await conn.close();
      }
    } finally {
      await rados.close();
    }
  });

  it('a wrong key is an AuthError within the timeout, never a hang', async () => {
    const started = Date.now();
    const wrong = 'AQBzqJxlAAAAABAAtmCOaLkYSUyg4yy6S9+A1g==';
    await expect(Rados.connect({ monHost: cluster.monAddrs.join(','), key: wrong, timeoutMs: 10_000 })).rejects.toThrow(AuthError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a command the caps forbid fails with EACCES', async () => {
    const key = ceph(cluster, ['auth', 'get-or-create-key', 'client.readonly', 'mon', 'allow r']).trim();
    const rados = await Rados.connect({ monHost: cluster.monAddrs.join(','), name: 'client.readonly', key });
    try {
      const ok = await rados.monCommand({ prefix: 'osd pool ls', format: 'json' });
      expect(ok.code).toBe(0);
      const denied = await rados.monCommand({ prefix: 'osd pool create', pool: 'rados-ts-denied' });
      expect(denied.code).toBe(-13);
      await expect(rados.createPool('rados-ts-denied')).rejects.toMatchObject({ name: 'PermissionDeniedError', errno: 13 });
      await expect(rados.poolLookup('no-such-pool')).rejects.toBeInstanceOf(RadosError);
    } finally {
      await rados.close();
    }
  });
});

describe('Rados.connect() with no arguments, as librados', () => {
  // A fresh process each: the environment is read at connect, and this worker's must not change.
  const entry = join(process.cwd(), 'dist', 'src', 'index.js');
  const fsidWith = (env: Record<string, string>, cwd?: string): string =>
    execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `import { Rados } from ${JSON.stringify(entry)}; const r = await Rados.connect(); console.log(r.fsid); await r.close();`],
      {
        env: { PATH: process.env.PATH ?? '', ...env },
        ...(cwd ? { cwd } : {}),
        encoding: 'utf8',
        timeout: 60_000,
      },
    ).trim();

  it('reads the ceph.conf CEPH_CONF names, else ./ceph.conf; CEPH_ARGS gives -m, --id and --key', () => {
    const home = mkdtempSync(join(tmpdir(), 'rados-ts-home-'));
    try {
      expect(fsidWith({ HOME: home, CEPH_CONF: cluster.confPath })).toBe(cluster.fsid);
      // No CEPH_CONF and nothing in /etc/ceph or ~/.ceph: librados's last place is ./ceph.conf.
      expect(fsidWith({ HOME: home }, dirname(cluster.confPath))).toBe(cluster.fsid);
      const key = formatKeyString(parseKeyring(readFileSync(cluster.keyringPath, 'utf8')).get('client.admin')!.key);
      expect(fsidWith({ HOME: home, CEPH_ARGS: `--id admin --mon_host ${cluster.monAddrs.join(',')} --key=${key}` })).toBe(cluster.fsid);
      // And an unknown user in CEPH_ARGS is refused as librados refuses it, not replaced by client.admin.
      expect(() => fsidWith({ HOME: home, CEPH_CONF: cluster.confPath, CEPH_ARGS: '--id nobody' })).toThrow(/client\.nobody|EACCES|Permission|auth/i);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
