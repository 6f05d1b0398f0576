// ping_monitor (librados RadosClient::ping_monitor → MonClient::ping_monitor, src/mon/MonClient.cc):
// a connection of its own to one monitor, named as in the monmap ("a", or "noname-a" for a
// monitor the monmap named by address), an MPing, and the monitor's MPing back, whose front is
// the JSON of its health and mon_status (Monitor::handle_ping) as an encoded string. It works
// without quorum: no session, subscription or command is involved.
import { Reader } from '../../protocol/encoding/reader.ts';
import { Errno, RadosError } from '../../protocol/errors.ts';
import type { MonMap } from '../../protocol/maps/monmap.ts';
import { MsgType } from '../../protocol/messages/message-types.ts';
import { AddrType } from '../../protocol/types/entity-addr.ts';
import { EntityType } from '../../protocol/types/entity-name.ts';
import { abortable, type CallOptions, callSignal } from '../abort.ts';
import type { Connection } from '../msgr2/connection.ts';
import type { Messenger } from '../msgr2/messenger.ts';

/** MPing's header (src/messages/MPing.h: an empty front). */
const MPING = { type: MsgType.PING, version: 1, compatVersion: 1 } as const;

/** Pings monitor `monId` of `monmap` on a connection of its own; resolves with its reply text. */
export async function pingMonitor(messenger: Messenger, monmap: MonMap, monId: string, options?: CallOptions): Promise<string> {
  const name = monmap.monInfo.has(`noname-${monId}`) ? `noname-${monId}` : monId;
  if (name === '') throw new RadosError('ping_monitor: the monitor id is empty', Errno.EINVAL);
  const info = monmap.monInfo.get(name);
  if (!info) throw new RadosError(`ping_monitor: no monitor mon.${name} in the monmap`, Errno.ENOENT);
  const addr = info.publicAddrs.find((a) => a.type === AddrType.MSGR2);
  if (!addr) throw new RadosError(`ping_monitor: mon.${name} has no msgr2 address`, Errno.ENXIO);
  const signal = callSignal(options, 30_000, `pinging mon.${name}`);
  let reply: (front: Uint8Array) => void = () => undefined;
  const answered = new Promise<Uint8Array>((resolve) => (reply = resolve));
  const conn: Connection = await messenger.connect({ host: addr.ip, port: addr.port, nonce: addr.nonce }, EntityType.MON, {
    signal,
    onMessage: (m) => {
      if (m.header.type === MsgType.PING) reply(m.front);
    },
  });
  try {
    await conn.send({ ...MPING, front: new Uint8Array(0) });
    const front = await abortable(answered, signal);
    return new Reader(front).string('MPing.reply');
  } finally {
    await conn.close();
  }
}
