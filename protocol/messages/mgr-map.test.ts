// The MgrMap head a client reads (src/mon/MgrMap.h, MgrMap::encode v14): laid out by hand with
// a tail of later fields the decoder must skip (live: admin-commands.test.ts reaches the manager).
import { describe, expect, it } from 'vitest';
import { Writer } from '../encoding/writer.ts';
import { encodeEntityAddrvec, parseEntityAddrvec } from '../types/entity-addr.ts';
import { decodeMgrMapHead } from './mgr-map.ts';

describe('MgrMap head', () => {
  it('epoch, active_addrs, active_gid, available, active_name; the rest skipped', () => {
    const addrs = parseEntityAddrvec('[v2:127.0.0.1:6800/123,v1:127.0.0.1:6801/123]');
    const front = new Writer()
      .struct(14, 6, (w) => {
        w.u32(7);
        encodeEntityAddrvec(w, addrs);
        w.u64(4123n).bool(true).string('x');
        w.u32(0)
          .u32(0)
          .bytes(new Uint8Array([1, 2, 3])); // standbys, modules, … (not read)
      })
      .finish();
    expect(decodeMgrMapHead(front)).toEqual({ epoch: 7, activeAddrs: addrs, activeGid: 4123n, available: true, activeName: 'x' });
  });

  it('refuses the pre-Nautilus encoding', () => {
    const front = new Writer().struct(5, 1, (w) => w.u32(1)).finish();
    expect(() => decodeMgrMapHead(front)).toThrow(/predates/);
  });
});
