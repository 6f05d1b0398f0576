// The OSDMap::Incrementals a real Pacific monitor sent (fixtures/osdmap-incremental, see its
// README) decode to what the `ceph` commands before them changed, in the order they were run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeIncremental, type OsdMapIncremental } from '../../crush/osdmap/incremental.ts';
import { pgKey } from '../../crush/osdmap/pg-key.ts';
import { MsgType } from '../../protocol/messages/message-types.ts';
import { decodeOsdMapMessage } from '../../protocol/messages/osd-map-message.ts';
import { frameToMessage } from '../../protocol/msgr2/message-frame.ts';
import { Tag } from '../../protocol/msgr2/tags.ts';
import { parseSession } from '../capture/parse-session.ts';
import { fixturePath } from '../fixtures/fixtures-root.ts';

async function incrementals(): Promise<OsdMapIncremental[]> {
  const s = await parseSession(new Uint8Array(readFileSync(fixturePath('osdmap-incremental', 'mon-osdmaps.rx.bin'))));
  const out: OsdMapIncremental[] = [];
  for (const f of s.frames) {
    if (f.frame.tag !== Tag.MESSAGE) continue;
    const m = frameToMessage(f.frame);
    if (m.header.type === MsgType.OSD_MAP) for (const b of decodeOsdMapMessage(m.front, m.header.version).incrementals.values()) out.push(decodeIncremental(b));
  }
  return out;
}

describe('fixtures/osdmap-incremental', () => {
  it('each command of the README is an incremental, in order', async () => {
    const incs = await incrementals();
    expect(incs.map((i) => i.epoch)).toEqual(incs.map((_, k) => k + 1));
    const at = (what: string, pred: (i: OsdMapIncremental) => boolean, after = 0): OsdMapIncremental => {
      const i = incs.find((i) => i.epoch > after && pred(i));
      if (!i) throw new Error(`no incremental after epoch ${after} for ${what}`);
      return i;
    };
    const created = at('pool create inc-a', (i) => [...i.newPoolNames.values()].includes('inc-a'));
    const pool = [...created.newPoolNames].find(([, n]) => n === 'inc-a')![0];
    const size = at('pool set size 2', (i) => i.newPools.get(pool)?.size === 2, created.epoch);
    const snap = at('pool mksnap', (i) => i.newPools.get(pool)?.snapSeq === 1n, size.epoch);
    const quota = at('set-quota max_objects 1000', (i) => i.newPools.get(pool)?.quotaMaxObjects === 1000n, snap.epoch);
    const out = at('osd out 1', (i) => i.newWeight.get(1) === 0, quota.epoch);
    const inn = at('osd in 1', (i) => i.newWeight.get(1) === 0x10000, out.epoch);
    const reweight = at('osd reweight 2 0.5', (i) => i.newWeight.get(2) === 0x8000, inn.epoch);
    // CEPH_OSDMAP_NOOUT (1 << 7, src/include/rados.h) set, then cleared.
    const noout = at('osd set noout', (i) => i.newFlags >= 0 && (i.newFlags & 0x80) !== 0, reweight.epoch);
    const unset = at('osd unset noout', (i) => i.newFlags >= 0 && (i.newFlags & 0x80) === 0, noout.epoch);
    const bl = at('blocklist add', (i) => i.newBlocklist.has('192.0.2.7:0/1234'), unset.epoch);
    const temp = at('pg-temp', (i) => JSON.stringify(i.newPgTemp.get(pgKey(pool, 0))) === '[2,0]', bl.epoch);
    // ceph_release_t::luminous is 12 (src/common/ceph_releases.h).
    const compat = at('set-require-min-compat-client luminous', (i) => i.newRequireMinCompatClient === 12, temp.epoch);
    const upmap = at('pg-upmap-items', (i) => JSON.stringify(i.newPgUpmapItems.get(pgKey(pool, 1))) === '[[0,2]]', compat.epoch);
    const renamed = at('pool rename', (i) => i.newPoolNames.get(pool) === 'inc-b', upmap.epoch);
    at('pool rm', (i) => i.oldPools.includes(pool), renamed.epoch);
  });
});
