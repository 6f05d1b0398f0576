// The live cluster's monmap, fetched with `ceph mon getmap`, decodes to what
// `ceph mon dump --format json` reports, and re-encodes to the same bytes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { decodeMonMap, encodeMonMap, formatEntityAddr, formatEntityAddrvec, monFeatureNames } from '../../protocol/index.ts';
import { ceph, cephJson } from '../cluster/ceph-cli.ts';

interface MonDump {
  epoch: number;
  fsid: string;
  modified: string;
  created: string;
  min_mon_release: number;
  election_strategy: number;
  stretch_mode: boolean;
  tiebreaker_mon: string;
  features: { persistent: string[]; optional: string[] };
  mons: Array<{
    rank: number;
    name: string;
    public_addrs: { addrvec: Array<{ type: string; addr: string; nonce: number }> };
    priority: number;
    weight: number;
  }>;
}

const cluster = inject('cluster');
const dir = mkdtempSync(join(tmpdir(), 'rados-ts-live-monmap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `ceph mon dump` prints times as 2026-11-24T22:40:58.767618Z. */
const isoMicros = (t: { sec: number; nsec: number }): string => `${new Date(t.sec * 1000).toISOString().slice(0, 19)}.${String(Math.floor(t.nsec / 1000)).padStart(6, '0')}Z`;

describe('live monmap', () => {
  it('decodes `ceph mon getmap` to what `ceph mon dump` says, and re-encodes byte-for-byte', () => {
    const file = join(dir, 'monmap');
    ceph(cluster, ['mon', 'getmap', '-o', file]);
    const dump = cephJson<MonDump>(cluster, ['mon', 'dump']);
    const bytes = new Uint8Array(readFileSync(file));
    const map = decodeMonMap(bytes);

    expect(map.fsid).toBe(cluster.fsid);
    expect(map.fsid).toBe(dump.fsid);
    expect(map.epoch).toBe(dump.epoch);
    expect(isoMicros(map.lastChanged)).toBe(dump.modified);
    expect(isoMicros(map.created)).toBe(dump.created);
    expect(map.minMonRelease).toBe(dump.min_mon_release);
    expect(map.electionStrategy).toBe(dump.election_strategy);
    expect(map.stretchModeEnabled).toBe(dump.stretch_mode);
    expect(map.tiebreakerMon).toBe(dump.tiebreaker_mon);
    expect(monFeatureNames(map.persistentFeatures)).toEqual(dump.features.persistent);
    expect(monFeatureNames(map.optionalFeatures)).toEqual(dump.features.optional);
    expect(map.ranks.length).toBe(dump.mons.length);
    for (const mon of dump.mons) {
      expect(map.ranks[mon.rank]).toBe(mon.name);
      const info = map.monInfo.get(mon.name)!;
      expect(info.priority).toBe(mon.priority);
      expect(info.weight).toBe(mon.weight);
      expect(
        info.publicAddrs.map((a) => {
          const [type, rest] = formatEntityAddr(a).split(/:(.*)/s) as [string, string];
          const [addr, nonce] = rest.split('/') as [string, string];
          return { type, addr, nonce: Number(nonce) };
        }),
      ).toEqual(mon.public_addrs.addrvec);
    }
    // The monitors we were told about are the ones in the map.
    expect(map.ranks.map((n) => formatEntityAddrvec(map.monInfo.get(n)!.publicAddrs))).toEqual(cluster.monAddrs.map((a) => a.replace(/(\d)(,|\])/g, '$1/0$2')));
    expect(encodeMonMap(map)).toEqual(bytes);
  });
});
