// librados' own bytes, stored (fixtures/capture, see its README): every frame of a real mon session
// and a real OSD session, both directions, re-encoded byte for byte; every cephx step checked with
// the throwaway key; MOSDOp / MOSDOpReply decoded and re-encoded. The same checks run on a fresh
// capture in test/integration/capture-live.test.ts.
import { describe, it } from 'vitest';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { fixture, parseSession } from './parse-session.ts';
import { checkFrames, checkMonCephx, checkOsdAuthorizer, checkOsdOps, useSource } from './session-checks.ts';

useSource({
  key: parseKeyring(new TextDecoder().decode(fixture('keyring'))).get('client.admin')!.key,
  sessions: async (name) => ({ client: await parseSession(fixture(`${name}.client.bin`)), server: await parseSession(fixture(`${name}.server.bin`)) }),
});

describe('stored librados sessions', () => {
  for (const name of ['ceph-mon', 'rados-mon', 'rados-osd']) it(`${name}: every frame re-encodes byte for byte`, () => checkFrames(name));
  for (const name of ['ceph-mon', 'rados-mon']) it(`${name}: proof, tickets and both AUTH_SIGNATUREs`, () => checkMonCephx(name));
  it('rados-osd: the authorizer, its CEPHX_V2 challenge round and the reply', () => checkOsdAuthorizer());
  it('rados-osd: MOSDOp and MOSDOpReply decode and re-encode byte for byte', () => checkOsdOps());
});
