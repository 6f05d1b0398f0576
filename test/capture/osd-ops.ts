// The object operations in a fixtures/ops capture (see its README): each MOSDOp a Ceph client
// sent, its steps with their input slices, paired by tid with the MOSDOpReply and each step's
// rval and output slice — the bytes the op-step and cls codec tests compare with.
import { readFileSync } from 'node:fs';
import { MsgType } from '../../protocol/messages/message-types.ts';
import { OsdOpCode } from '../../protocol/messages/osd-op-codes.ts';
import { decodeOsdOp, type OsdOpMessage } from '../../protocol/messages/osd-op.ts';
import { decodeOsdOpReply, type OsdOpReplyMessage } from '../../protocol/messages/osd-op-reply.ts';
import type { OsdOpHead } from '../../protocol/messages/osd-op-struct.ts';
import { frameToMessage, type Message } from '../../protocol/msgr2/message-frame.ts';
import { Tag } from '../../protocol/msgr2/tags.ts';
import { fixturePath } from '../fixtures/fixtures-root.ts';
import { parseSession } from './parse-session.ts';

export interface CapturedStep {
  head: OsdOpHead;
  /** The step's slice of the request's data segment (its indata). */
  indata: Uint8Array;
  rval: number;
  /** The step's slice of the reply's data segment (its outdata). */
  outdata: Uint8Array;
}

export interface CapturedOp {
  op: OsdOpMessage;
  reply: OsdOpReplyMessage;
  steps: CapturedStep[];
}

const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(fixturePath('ops', name)));

/** The sessions of one fixture file: le32 length, then that many bytes, repeated. */
export function sessions(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 0; at < b.length;) {
    const n = v.getUint32(at, true);
    out.push(b.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return out;
}

async function messages(b: Uint8Array): Promise<Message[]> {
  const s = await parseSession(b);
  return s.frames.filter((f) => f.frame.tag === Tag.MESSAGE).map((f) => frameToMessage(f.frame));
}

function slices(heads: OsdOpHead[], data: Uint8Array): Uint8Array[] {
  let at = 0;
  return heads.map((h) => data.subarray(at, (at += h.payloadLen)));
}

/** The messages of one type the OSD sent in a fixture's sessions (MWatchNotify, …), in order. */
export async function capturedServerMessages(name: string, type: number): Promise<Message[]> {
  const out: Message[] = [];
  for (const s of sessions(readFixture(`${name}.server.bin`))) out.push(...(await messages(s)).filter((m) => m.header.type === type));
  return out;
}

/** Every op of a fixture (all its sessions, in order) with its reply. */
export async function capturedOps(name: string): Promise<CapturedOp[]> {
  const clients = sessions(readFixture(`${name}.client.bin`));
  const servers = sessions(readFixture(`${name}.server.bin`));
  const out: CapturedOp[] = [];
  for (let i = 0; i < clients.length; i++) {
    const sent = (await messages(clients[i]!)).filter((m) => m.header.type === MsgType.OSD_OP);
    const replies = new Map((await messages(servers[i]!)).filter((m) => m.header.type === MsgType.OSD_OPREPLY).map((m) => [m.header.tid, m]));
    for (const m of sent) {
      const op = decodeOsdOp(m.front, m.header.version);
      const r = replies.get(m.header.tid);
      if (!r) continue; // a watch's op the session closed on before its reply
      const reply = decodeOsdOpReply(r.front);
      const ins = slices(op.ops, m.data);
      const outs = slices(reply.ops, r.data);
      out.push({ op, reply, steps: op.ops.map((head, j) => ({ head, indata: ins[j]!, rval: reply.rvals[j]!, outdata: outs[j]! })) });
    }
  }
  return out;
}

/** The stdout of the fixture's command(s). */
export const capturedOutput = (name: string): string => new TextDecoder().decode(readFixture(`${name}.out.txt`));

export interface CapturedCall {
  oid: string;
  cls: string;
  method: string;
  /** The method's input: indata after the class and method names (ceph_osd_op.cls lengths). */
  input: Uint8Array;
  rval: number;
  output: Uint8Array;
}

/** Every object-class call (CALL step) of a fixture, in the order sent. */
export async function capturedCalls(name: string): Promise<CapturedCall[]> {
  const text = new TextDecoder();
  return (await capturedOps(name)).flatMap((o) =>
    o.steps
      .filter((s) => s.head.op === OsdOpCode.CALL)
      .map((s) => {
        const [cl, ml] = [s.head.union[0]!, s.head.union[1]!];
        return {
          oid: o.op.oid,
          cls: text.decode(s.indata.subarray(0, cl)),
          method: text.decode(s.indata.subarray(cl, cl + ml)),
          input: s.indata.subarray(cl + ml),
          rval: s.rval,
          output: s.outdata,
        };
      }),
  );
}
