import type { Reader } from '../encoding/reader.ts';
import type { Writer } from '../encoding/writer.ts';

/** CEPH_ENTITY_TYPE_* (src/include/msgr.h). */
export const EntityType = {
  /** CEPH_ENTITY_TYPE_MON: a monitor. */
  MON: 0x01,
  /** CEPH_ENTITY_TYPE_MDS: a metadata server (CephFS). */
  MDS: 0x02,
  /** CEPH_ENTITY_TYPE_OSD: an object storage daemon. */
  OSD: 0x04,
  /** CEPH_ENTITY_TYPE_CLIENT: a client, such as this library. */
  CLIENT: 0x08,
  /** CEPH_ENTITY_TYPE_MGR: a manager daemon. */
  MGR: 0x10,
  /** CEPH_ENTITY_TYPE_AUTH: the auth service (cephx service tickets). */
  AUTH: 0x20,
  /** CEPH_ENTITY_TYPE_ANY: any type (a wildcard in caps and lookups). */
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

/** ceph_entity_type_name: "mon", "osd", "client", … for an EntityType value; "unknown" otherwise. */
export function entityTypeName(type: number): string {
  return TYPE_NAMES[type] ?? 'unknown';
}

/** The EntityType value of a type name ("mon", "osd", "client", …); a RangeError for an unknown name. */
export function entityTypeFromName(name: string): number {
  for (const [k, v] of Object.entries(TYPE_NAMES)) if (v === name) return Number(k);
  throw new RangeError(`unknown entity type: ${name}`);
}

/** entity_name_t (src/msg/msg_types.h): u8 type, le64 num (e.g. client.4123 on the wire). */
export interface EntityNameT {
  /** entity_name_t::_type: an EntityType value. */
  type: number;
  /** entity_name_t::_num: the entity's number (a client's global id, an OSD's id); -1 when not yet assigned. */
  num: bigint;
}

/** Decodes an entity_name_t. */
export function decodeEntityNameT(r: Reader, field = 'entity_name_t'): EntityNameT {
  const type = r.u8(field);
  const num = r.i64(field);
  return { type, num };
}

/** Encodes an entity_name_t. */
export function encodeEntityNameT(w: Writer, n: EntityNameT): void {
  w.u8(n.type).i64(n.num);
}

/** EntityName (src/common/entity_name.h): le32 type + string id, as in `client.admin`. */
export interface EntityName {
  /** EntityName::type: an EntityType value. */
  type: number;
  /** EntityName::id: the name after the dot (e.g. "admin" in client.admin). */
  id: string;
}

/** Decodes an EntityName (le32 type, string id). */
export function decodeEntityName(r: Reader, field = 'EntityName'): EntityName {
  const type = r.u32(field);
  const id = r.string(field);
  return { type, id };
}

/** Encodes an EntityName (le32 type, string id). */
export function encodeEntityName(w: Writer, n: EntityName): void {
  w.u32(n.type).string(n.id);
}

/** Parses `client.admin` (or `admin`, meaning a client) into an EntityName. */
export function parseEntityName(s: string): EntityName {
  const dot = s.indexOf('.');
  if (dot < 0) return { type: EntityType.CLIENT, id: s };
  return { type: entityTypeFromName(s.slice(0, dot)), id: s.slice(dot + 1) };
}

/** The text form `type.id`, e.g. "client.admin". */
export function formatEntityName(n: EntityName): string {
  return `${entityTypeName(n.type)}.${n.id}`;
}
