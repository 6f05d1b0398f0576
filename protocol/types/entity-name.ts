import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';

/** CEPH_ENTITY_TYPE_* (src/include/msgr.h). */
export const EntityType = {
  MON: 0x01,
  MDS: 0x02,
  OSD: 0x04,
  CLIENT: 0x08,
  MGR: 0x10,
  AUTH: 0x20,
  ANY: 0xff,
} as const;

const TYPE_NAMES: Record<number, string> = {
  0x01: 'mon',
  0x02: 'mds',
  0x04: 'osd',
  0x08: 'client',
  0x10: 'mgr',
  0x20: 'auth',
};

export function entityTypeName(type: number): string {
  return TYPE_NAMES[type] ?? 'unknown';
}

export function entityTypeFromName(name: string): number {
  for (const [k, v] of Object.entries(TYPE_NAMES)) if (v === name) return Number(k);
  throw new RangeError(`unknown entity type: ${name}`);
}

/** entity_name_t (src/msg/msg_types.h): u8 type, le64 num (e.g. client.4123 on the wire). */
export interface EntityNameT {
  type: number;
  num: bigint;
}

export function decodeEntityNameT(r: Reader, field = 'entity_name_t'): EntityNameT {
  const type = r.u8(field);
  const num = r.i64(field);
  return { type, num };
}

export function encodeEntityNameT(w: Writer, n: EntityNameT): void {
  w.u8(n.type).i64(n.num);
}

/** EntityName (src/common/entity_name.h): le32 type + string id, as in `client.admin`. */
export interface EntityName {
  type: number;
  id: string;
}

export function decodeEntityName(r: Reader, field = 'EntityName'): EntityName {
  const type = r.u32(field);
  const id = r.string(field);
  return { type, id };
}

export function encodeEntityName(w: Writer, n: EntityName): void {
  w.u32(n.type).string(n.id);
}

/** Parses `client.admin` (or `admin`, meaning a client) into an EntityName. */
export function parseEntityName(s: string): EntityName {
  const dot = s.indexOf('.');
  if (dot < 0) return { type: EntityType.CLIENT, id: s };
  return { type: entityTypeFromName(s.slice(0, dot)), id: s.slice(dot + 1) };
}

export function formatEntityName(n: EntityName): string {
  return `${entityTypeName(n.type)}.${n.id}`;
}
