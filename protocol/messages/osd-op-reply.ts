// MOSDOpReply v8 (src/messages/MOSDOpReply.h decode_payload): each op's output is its slice of
// the data segment (OSDOp::split_osd_op_vector_out_data), sized by its payload_len.
import { Reader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeEversion, encodeEversion, type EVersion } from '../types/eversion.ts';
import { decodePgT, encodePgT, type PgT } from '../types/pg.ts';
import { decodeObjectLocator, encodeObjectLocator, type ObjectLocator } from '../types/object-locator.ts';
import { decodeOsdOpHead, encodeOsdOpHead, type OsdOpHead } from './osd-op-struct.ts';

export interface RequestRedirect {
  locator: ObjectLocator;
  objectName: string;
  osdInstructions: Uint8Array;
}

export interface OsdOpReplyMessage {
  oid: string;
  pgid: PgT;
  flags: number;
  result: number;
  badReplayVersion: EVersion;
  epoch: number;
  ops: OsdOpHead[];
  retryAttempt: number;
  rvals: number[];
  replayVersion: EVersion;
  userVersion: bigint;
  redirect: RequestRedirect | undefined;
  trace: Uint8Array;
}

export function decodeOsdOpReply(front: Uint8Array): OsdOpReplyMessage {
  const r = new Reader(front);
  const oid = r.string('MOSDOpReply.oid');
  const pgid = decodePgT(r, 'MOSDOpReply.pgid');
  const flags = r.u64n('MOSDOpReply.flags'); // 64-bit on the wire (the reference doc's le32 is wrong: see fixtures/capture)
  const result = r.i32('MOSDOpReply.result');
  const badReplayVersion = decodeEversion(r, 'MOSDOpReply.bad_replay_version');
  const epoch = r.u32('MOSDOpReply.osdmap_epoch');
  const n = r.count('MOSDOpReply.num_ops', 38);
  const ops: OsdOpHead[] = [];
  for (let i = 0; i < n; i++) ops.push(decodeOsdOpHead(r));
  const retryAttempt = r.i32('MOSDOpReply.retry_attempt');
  const rvals: number[] = [];
  for (let i = 0; i < n; i++) rvals.push(r.i32('MOSDOpReply.rval'));
  const replayVersion = decodeEversion(r, 'MOSDOpReply.replay_version');
  const userVersion = r.u64('MOSDOpReply.user_version');
  const doRedirect = r.bool('MOSDOpReply.do_redirect');
  let redirect: RequestRedirect | undefined;
  if (doRedirect) {
    redirect = r.struct('request_redirect_t', 1, (r) => ({
      locator: decodeObjectLocator(r, 'redirect.locator'),
      objectName: r.string('redirect.object_name'),
      osdInstructions: r.blob('redirect.osd_instructions'),
    }));
  }
  const trace = r.remaining >= 24 ? r.bytes(24, 'MOSDOpReply.trace').slice() : new Uint8Array(0);
  return { oid, pgid, flags, result, badReplayVersion, epoch, ops, retryAttempt, rvals, replayVersion, userVersion, redirect, trace };
}

export function encodeOsdOpReply(m: OsdOpReplyMessage): Uint8Array {
  const w = new Writer(256);
  w.string(m.oid);
  encodePgT(w, m.pgid);
  w.u64(m.flags).i32(m.result);
  encodeEversion(w, m.badReplayVersion);
  w.u32(m.epoch).u32(m.ops.length);
  for (const op of m.ops) encodeOsdOpHead(w, op);
  w.i32(m.retryAttempt);
  for (const v of m.rvals) w.i32(v);
  encodeEversion(w, m.replayVersion);
  w.u64(m.userVersion).bool(m.redirect !== undefined);
  if (m.redirect) {
    const rd = m.redirect;
    w.struct(1, 1, (w) => {
      encodeObjectLocator(w, rd.locator);
      w.string(rd.objectName).blob(rd.osdInstructions);
    });
  }
  w.bytes(m.trace);
  return w.finish();
}
