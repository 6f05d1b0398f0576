import { describe, expect, it } from 'vitest';
import { confGet, expandMetaVariables, parseCephConf } from './ceph-conf.ts';

describe('ceph.conf', () => {
  const conf = parseCephConf(`
[global]
  fsid = 3f1c0c2a-7d2e-4b4f-9a55-0a1b2c3d4e5f
  mon host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]   # the monitors
  auth_client_required = cephx
; a comment
[client]
  keyring = /etc/ceph/$cluster.$name.keyring
[client.admin]
  key = "AQ=="
`);
  it('looks keys up by name, type, then global, with spaces and underscores alike', () => {
    expect(confGet(conf, 'client.admin', 'mon_host')).toBe('[v2:127.0.0.1:3300,v1:127.0.0.1:6789]');
    expect(confGet(conf, 'client.admin', 'auth client required')).toBe('cephx');
    expect(confGet(conf, 'client.admin', 'key')).toBe('AQ==');
    expect(confGet(conf, 'client.other', 'key')).toBeUndefined();
    expect(confGet(conf, 'client.other', 'keyring')).toBe('/etc/ceph/$cluster.$name.keyring');
  });
  it('expands metavariables as Ceph does', () => {
    expect(expandMetaVariables('/etc/ceph/$cluster.$name.keyring', 'client.admin')).toBe('/etc/ceph/ceph.client.admin.keyring');
    expect(expandMetaVariables('/var/lib/ceph/${type}/${id}', 'osd.3')).toBe('/var/lib/ceph/osd/3');
  });
});
