// The connection arguments as Ceph's tools take them (common/ceph_argparse.cc): both spellings,
// both value forms, and everything else left for the command in its order.
import { describe, expect, it } from 'vitest';
import { defaultConfPaths, parseCephArgs, splitCephArgs } from './ceph-args.ts';

describe('parseCephArgs', () => {
  it('takes -c/--conf, --id, -n, -k, -m, --key in either spelling and form', () => {
    const { options, rest } = parseCephArgs(['-c', '/x/ceph.conf', '--id=alice', '-p', 'rbd', '--mon_host', 'v2:1.2.3.4:3300', '-k', 'kr', 'ls', '--key=AQ==']);
    expect(options).toEqual({ conf: '/x/ceph.conf', name: 'client.alice', monHost: 'v2:1.2.3.4:3300', keyring: 'kr', key: 'AQ==' });
    expect(rest).toEqual(['-p', 'rbd', 'ls']);
    expect(parseCephArgs(['-n', 'client.bob', '--user', 'carol']).options.name).toBe('client.carol');
  });
  it('refuses an option without its value', () => {
    expect(() => parseCephArgs(['ls', '--conf'])).toThrow(/--conf needs a value/);
  });
  it('splits CEPH_ARGS as a shell would and searches ceph.conf where librados does', () => {
    expect(splitCephArgs(` --id admin  -m "v2:1.2.3.4:3300 v2:1.2.3.5:3300" `)).toEqual(['--id', 'admin', '-m', 'v2:1.2.3.4:3300 v2:1.2.3.5:3300']);
    expect(defaultConfPaths('/home/u')).toEqual(['/etc/ceph/ceph.conf', '/home/u/.ceph/ceph.conf', 'ceph.conf']);
  });
});
