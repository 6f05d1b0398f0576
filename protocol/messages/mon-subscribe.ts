// MMonSubscribe (src/messages/MMonSubscribe.h; the kernel's __send_subscribe): version 2 is
// map<string, ceph_mon_subscribe_item{le64 start, u8 flags}>; version 3 adds the hostname.
// MMonSubscribeAck: le32 interval, fsid.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUuid } from '../types/uuid.ts';

/** MMonSubscribe's message type and header versions. */
export const MON_SUBSCRIBE = {
  /** Message type id (MsgType.MON_SUBSCRIBE). */
  type: 15,
  /** Header version: the encoding of the front this library writes. */
  version: 3,
  /** Header compat_version: the oldest encoding a receiver must understand to decode it. */
  compatVersion: 1,
} as const;
/** CEPH_SUBSCRIBE_ONETIME: send the next map once rather than every new one. */
export const SUBSCRIBE_ONETIME = 1;

/** ceph_mon_subscribe_item (src/include/ceph_fs.h): one subscription. */
export interface SubscribeItem {
  /** The first version wanted: the monitor sends maps from this epoch on (0 = the latest). */
  start: bigint;
  /** CEPH_SUBSCRIBE_* flags: SUBSCRIBE_ONETIME, or 0 to keep receiving new versions. */
  flags: number;
}

/** The front of an MMonSubscribe v3: what to subscribe to (e.g. "osdmap", "monmap", "config"), then the hostname. */
export function encodeMonSubscribe(what: ReadonlyMap<string, SubscribeItem>, hostname: string): Uint8Array {
  const w = new Writer(128);
  w.u32(what.size);
  for (const [name, item] of what) w.string(name).u64(item.start).u8(item.flags);
  w.string(hostname);
  return w.finish();
}

/** An MMonSubscribe's front (src/messages/MMonSubscribe.h). */
export interface MonSubscribe {
  /** Subscriptions by name ("osdmap", "monmap", "config", …). */
  what: Map<string, SubscribeItem>;
  /** The subscriber's hostname (for config sections by host); empty before version 3. */
  hostname: string;
}

/** An MMonSubscribeAck's front (src/messages/MMonSubscribeAck.h). */
export interface MonSubscribeAck {
  /** Seconds before a subscription must be renewed. */
  interval: number;
  /** The cluster's fsid (UUID string). */
  fsid: string;
}

/** Decodes the front of an MMonSubscribe (the hostname from version 3 on). */
export function decodeMonSubscribe(front: Uint8Array, version: number): MonSubscribe {
  const r = new Reader(front);
  const what = r.map(
    'MMonSubscribe.what',
    (r) => r.string('name'),
    (r) => ({ start: r.u64('start'), flags: r.u8('flags') }),
    13,
  );
  return { what, hostname: version >= 3 && r.remaining > 0 ? r.string('MMonSubscribe.hostname') : '' };
}

/** Decodes the front of an MMonSubscribeAck. */
export function decodeMonSubscribeAck(front: Uint8Array): MonSubscribeAck {
  const r = new Reader(front);
  return { interval: r.u32('MMonSubscribeAck.interval'), fsid: decodeUuid(r, 'MMonSubscribeAck.fsid') };
}
