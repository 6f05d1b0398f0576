// The checks of test/capture/captured-sessions.test.ts on a capture made now, from a cluster
// started now, so nothing rests only on stored bytes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import type { TcpStream } from '../capture/pcap.ts';
import { parseSession } from '../capture/parse-session.ts';
import { checkFrames, checkMonCephx, checkOsdAuthorizer, checkOsdOps, useSource } from '../capture/session-checks.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { captureThree, prepareCaptureCluster } from '../fixtures/capture.ts';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await prepareCaptureCluster();
  const streams: Record<string, TcpStream> = { ...(await captureThree(cluster)) };
  useSource({
    key: parseKeyring(readFileSync(cluster.keyringPath, 'utf8')).get('client.admin')!.key,
    sessions: async (name) => ({ client: await parseSession(streams[name]!.clientBytes), server: await parseSession(streams[name]!.serverBytes) }),
  });
}, 180_000);
// Unset if beforeAll failed before assigning it: the declared type is for the tests, which run only after.
afterAll(async () => {
  await (cluster as Cluster | undefined)?.stop();
}, 60_000);

describe('librados sessions captured now', () => {
  for (const name of ['ceph-mon', 'rados-mon', 'rados-osd']) it(`${name}: every frame re-encodes byte for byte`, () => checkFrames(name));
  for (const name of ['ceph-mon', 'rados-mon']) it(`${name}: proof, tickets and both AUTH_SIGNATUREs`, () => checkMonCephx(name));
  it('rados-osd: the authorizer, its CEPHX_V2 challenge round and the reply', () => checkOsdAuthorizer());
  it('rados-osd: MOSDOp and MOSDOpReply decode and re-encode byte for byte', () => checkOsdOps());
});
