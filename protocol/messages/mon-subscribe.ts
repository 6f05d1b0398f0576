// MMonSubscribe (src/messages/MMonSubscribe.h; the kernel's __send_subscribe): version 2 is
// map<string, ceph_mon_subscribe_item{le64 start, u8 flags}>; version 3 adds the hostname.
// MMonSubscribeAck: le32 interval, fsid.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUuid } from '../types/uuid.ts';

export const MON_SUBSCRIBE = { type: 15, version: 3, compatVersion: 1 } as const;
/** CEPH_SUBSCRIBE_ONETIME: send the next map once rather than every new one. */
export const SUBSCRIBE_ONETIME = 1;

export interface SubscribeItem {
  start: bigint;
  flags: number;
}

export function encodeMonSubscribe(what: ReadonlyMap<string, SubscribeItem>, hostname: string): Uint8Array {
  const w = new Writer(128);
  w.u32(what.size);
  for (const [name, item] of what) w.string(name).u64(item.start).u8(item.flags);
  w.string(hostname);
  return w.finish();
}

export function decodeMonSubscribe(front: Uint8Array, version: number): { what: Map<string, SubscribeItem>; hostname: string } {
  const r = new Reader(front);
  const what = r.map('MMonSubscribe.what', (r) => r.string('name'), (r) => ({ start: r.u64('start'), flags: r.u8('flags') }), 13);
  return { what, hostname: version >= 3 && r.remaining > 0 ? r.string('MMonSubscribe.hostname') : '' };
}

export function decodeMonSubscribeAck(front: Uint8Array): { interval: number; fsid: string } {
  const r = new Reader(front);
  return { interval: r.u32('MMonSubscribeAck.interval'), fsid: decodeUuid(r, 'MMonSubscribeAck.fsid') };
}
