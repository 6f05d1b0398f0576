// A separate process that takes an image's exclusive lock and keeps it until killed: the
// rbd-lock test kills it with SIGKILL to show librbd taking over from a dead owner.
// Usage: node dist/test/integration/lock-holder.js <ceph.conf> <keyring> <pool> <image>
import { Rados, RBD } from '../../src/index.ts';

const [conf, keyring, pool, image] = process.argv.slice(2) as [string, string, string, string];
// A short watch timeout (as osd_client_watch_timeout in its ceph.conf would give librados):
// killed, it is seen dead in seconds rather than 30.
const rados = await Rados.connect({ conf, keyring, watchTimeoutSec: 6 });
const io = await rados.openIoCtx(pool);
const img = await RBD.open(io, image);
await img.write(new Uint8Array(4096).fill(0xab), 0);
process.stdout.write(`locked ${rados.instanceId}\n`);
setInterval(() => {}, 1 << 30);
