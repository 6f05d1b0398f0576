import { describe, expect, it } from 'vitest';
import { MonHostError, parseMonHost } from './mon-addrs.ts';

describe('parseMonHost', () => {
  it('reads every form ceph.conf allows', () => {
    expect(parseMonHost('10.0.0.1')).toEqual([{ host: '10.0.0.1', port: 3300, nonce: 0 }]);
    expect(parseMonHost('10.0.0.1:3301, 10.0.0.2:3302')).toEqual([
      { host: '10.0.0.1', port: 3301, nonce: 0 },
      { host: '10.0.0.2', port: 3302, nonce: 0 },
    ]);
    expect(parseMonHost('[v2:127.0.0.1:40001/0,v1:127.0.0.1:40002/0] [v2:127.0.0.1:40003/7,v1:127.0.0.1:40004/7]')).toEqual([
      { host: '127.0.0.1', port: 40001, nonce: 0 },
      { host: '127.0.0.1', port: 40003, nonce: 7 },
    ]);
    expect(parseMonHost('v2:[::1]:3300/0;mon.example.com')).toEqual([
      { host: '::1', port: 3300, nonce: 0 },
      { host: 'mon.example.com', port: 3300, nonce: 0 },
    ]);
    expect(parseMonHost(['[v2:10.1.1.1:3300,v1:10.1.1.1:6789]'])).toEqual([{ host: '10.1.1.1', port: 3300, nonce: 0 }]);
  });
  it('takes separate v2 and v1 items as Ceph does, using the v2 ones', () => {
    const skipped: string[] = [];
    expect(parseMonHost('v2:127.0.0.1:40001/0,v1:127.0.0.1:40002/0', (m) => skipped.push(m))).toEqual([{ host: '127.0.0.1', port: 40001, nonce: 0 }]);
    expect(skipped).toEqual(['mon host: skipping "v1:127.0.0.1:40002/0", a msgr1 (v1) address only (rados-ts speaks msgr2)']);
    expect(parseMonHost('v1:10.0.0.1:6789 v2:10.0.0.2:3300')).toEqual([{ host: '10.0.0.2', port: 3300, nonce: 0 }]);
    expect(() => parseMonHost('v1:10.0.0.1:6789,v1:10.0.0.2:6789')).toThrow(/only msgr1/);
  });
  it('refuses what cannot be reached over msgr2, saying why', () => {
    expect(() => parseMonHost('v1:10.0.0.1:6789')).toThrow(/msgr1/);
    expect(() => parseMonHost('10.0.0.1:6789')).toThrow(MonHostError);
    expect(() => parseMonHost('')).toThrow(/no monitors/);
    expect(() => parseMonHost('10.0.0.1:99999')).toThrow(MonHostError);
  });
});
