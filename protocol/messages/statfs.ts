// MStatfs (src/messages/MStatfs.h, HEAD_VERSION 2): paxos header, fsid, and since v2
// optional<int64> data_pool (cephfs asks for one pool; librados' cluster stats leave it out).
// MStatfsReply (src/messages/MStatfsReply.h): the raw struct ceph_mon_statfs_reply
// (src/include/ceph_fs.h): fsid, le64 version, then ceph_statfs: le64 kb, kb_used, kb_avail,
// num_objects.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeUuid, encodeUuid } from '../types/uuid.ts';
import { CLIENT_PAXOS_HEADER, decodePaxosHeader, encodePaxosHeader } from './paxos-header.ts';

/** MStatfs's message type and header versions. */
export const MSTATFS = {
  /** CEPH_MSG_STATFS. */
  type: 13,
  /** Header version: data_pool present (as Pacific through Tentacle send it). */
  version: 2,
  /** Header compat_version. */
  compatVersion: 1,
} as const;

/** An MStatfs as a monitor reads it. */
export interface Statfs {
  /** The cluster's fsid. */
  fsid: string;
  /** The one pool asked about, or undefined for the whole cluster. */
  dataPool: bigint | undefined;
}

/** The front of an MStatfs. */
export function encodeStatfs(s: Statfs): Uint8Array {
  const w = new Writer(48);
  encodePaxosHeader(w, CLIENT_PAXOS_HEADER);
  encodeUuid(w, s.fsid);
  if (s.dataPool === undefined) w.u8(0);
  else w.u8(1).i64(s.dataPool);
  return w.finish();
}

/** Decodes the front of an MStatfs (v1: no data_pool). */
export function decodeStatfs(front: Uint8Array): Statfs {
  const r = new Reader(front);
  decodePaxosHeader(r);
  const fsid = decodeUuid(r, 'MStatfs.fsid');
  const dataPool = r.remaining > 0 && r.u8('MStatfs.data_pool.present') !== 0 ? r.i64('MStatfs.data_pool') : undefined;
  return { fsid, dataPool };
}

/** The cluster's usage totals (ceph_statfs), in KiB and objects, as `rados df`'s total line and Python's `get_cluster_stats`. */
export interface ClusterStats {
  /** Raw capacity, KiB. */
  kb: bigint;
  /** Raw space used, KiB. */
  kbUsed: bigint;
  /** Raw space available, KiB. */
  kbAvail: bigint;
  /** Objects in all pools. */
  numObjects: bigint;
}

/** An MStatfsReply. */
export interface StatfsReply {
  /** The cluster's fsid. */
  fsid: string;
  /** The version of the stats the monitor answered from. */
  version: bigint;
  /** The totals. */
  stats: ClusterStats;
}

/** Decodes the front of an MStatfsReply. */
export function decodeStatfsReply(front: Uint8Array): StatfsReply {
  const r = new Reader(front);
  const fsid = decodeUuid(r, 'MStatfsReply.fsid');
  const version = r.u64('MStatfsReply.version');
  const stats = { kb: r.u64('ceph_statfs.kb'), kbUsed: r.u64('ceph_statfs.kb_used'), kbAvail: r.u64('ceph_statfs.kb_avail'), numObjects: r.u64('ceph_statfs.num_objects') };
  return { fsid, version, stats };
}

/** Encodes an MStatfsReply's front (what a monitor sends; for tests and captures). */
export function encodeStatfsReply(s: StatfsReply): Uint8Array {
  const w = new Writer(56);
  encodeUuid(w, s.fsid);
  w.u64(s.version).u64(s.stats.kb).u64(s.stats.kbUsed).u64(s.stats.kbAvail).u64(s.stats.numObjects);
  return w.finish();
}
