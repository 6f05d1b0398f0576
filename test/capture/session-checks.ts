// Checks on librados' own bytes: every frame of a real mon session and a
// real OSD session, both directions, re-encoded byte for byte; every cephx step checked with
// the throwaway key: the proof, the tickets, both AUTH_SIGNATUREs, the OSD authorizer with its
// CEPHX_V2 challenge; and MOSDOp / MOSDOpReply decoded and re-encoded.
import { expect } from 'vitest';
import { CephxClient } from '../../protocol/cephx/client.ts';
import { createCipher } from '../../protocol/cephx/cipher.ts';
import { decodeDecrypt, decryptEncBl } from '../../protocol/cephx/envelope.ts';
import { KeyUsage } from '../../protocol/cephx/key-usage.ts';
import { decodeAuthenticate, decodeAuthorize, decodeAuthorizeReply, decodeServerChallenge, decodeTicketBlob, encodeAuthenticate } from '../../protocol/cephx/messages.ts';
import { challengeProof } from '../../protocol/cephx/proof.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { Reader } from '../../protocol/encoding/reader.ts';
import { Writer } from '../../protocol/encoding/writer.ts';
import { decodeOsdOp, encodeOsdOp } from '../../protocol/messages/osd-op.ts';
import { decodeOsdOpReply, encodeOsdOpReply } from '../../protocol/messages/osd-op-reply.ts';
import { decodeAuthDone, decodeAuthMore, decodeAuthRequest, encodeAuthDone, encodeAuthRequest } from '../../protocol/msgr2/auth-frames.ts';
import { CrcFrameCodec } from '../../protocol/msgr2/crc-frame-codec.ts';
import { decodeClientIdent, decodeServerIdent, encodeClientIdent, encodeServerIdent } from '../../protocol/msgr2/ident-frames.ts';
import { encodeMessageHeader, frameToMessage } from '../../protocol/msgr2/message-frame.ts';
import { Tag } from '../../protocol/msgr2/tags.ts';
import { decodeCompressionDone, decodeCompressionRequest, encodeCompressionDone, encodeCompressionRequest } from '../../protocol/msgr2/compression-frames.ts';
import { monAuthPreamble } from '../../protocol/auth/auth-provider.ts';
import { EntityType, parseEntityName } from '../../protocol/types/entity-name.ts';
import type { CephCryptoKey } from '../../protocol/cephx/crypto-key.ts';
import type { ParsedSession } from './parse-session.ts';
import { concatBytes } from '../../protocol/encoding/concat-bytes.ts';

/** Where the three sessions (ceph-mon, rados-mon, rados-osd) and the client.admin key come from. */
export interface SessionSource {
  key: CephCryptoKey;
  sessions: (name: string) => Promise<{ client: ParsedSession; server: ParsedSession }>;
}
let key: CephCryptoKey;
let sessions: SessionSource['sessions'];
export function useSource(s: SessionSource): void {
  key = s.key;
  sessions = s.sessions;
}
const frame = (s: ParsedSession, tag: number, nth = 0) => s.frames.filter((f) => f.frame.tag === tag)[nth]!;
const hmac = async (k: Uint8Array, data: Uint8Array): Promise<Uint8Array> => (await webCryptoProvider.hmacSha256(k)).sign(data);

export async function checkFrames(name: string): Promise<void> {
  {
    const { client, server } = await sessions(name);
    const codec = new CrcFrameCodec();
    for (const s of [client, server]) {
      expect(s.frames.length).toBeGreaterThan(4);
      for (const f of s.frames) expect(concatBytes(codec.encode(f.frame))).toEqual(f.raw);
      for (const { frame: f } of s.frames) {
        const seg = f.segments[0]!;
        if (f.tag === Tag.AUTH_REQUEST) expect(encodeAuthRequest(decodeAuthRequest(seg))).toEqual(seg);
        if (f.tag === Tag.AUTH_DONE) expect(encodeAuthDone(decodeAuthDone(seg))).toEqual(seg);
        if (f.tag === Tag.CLIENT_IDENT) expect(encodeClientIdent(decodeClientIdent(seg))).toEqual(seg);
        if (f.tag === Tag.SERVER_IDENT) expect(encodeServerIdent(decodeServerIdent(seg))).toEqual(seg);
        if (f.tag === Tag.MESSAGE) expect(encodeMessageHeader(frameToMessage(f).header)).toEqual(seg);
        if (f.tag === Tag.COMPRESSION_REQUEST) expect(encodeCompressionRequest(decodeCompressionRequest(seg))).toEqual(seg);
        if (f.tag === Tag.COMPRESSION_DONE) expect(encodeCompressionDone(decodeCompressionDone(seg))).toEqual(seg);
      }
    }
  }
}

/** Replays the mon half of cephx with our CephxClient; returns it holding librados' tickets. */
async function monSession(name: string): Promise<{ cx: CephxClient; sessionKey: Uint8Array; client: ParsedSession; server: ParsedSession }> {
  const { client, server } = await sessions(name);
  const req = decodeAuthRequest(frame(client, Tag.AUTH_REQUEST).frame.segments[0]!);
  expect(req.method).toBe(2);
  // AUTH_MODE_MON, the entity name, global id 0 (a fresh client): what monAuthPreamble writes.
  expect(req.payload).toEqual(monAuthPreamble(new Writer(), parseEntityName('client.admin'), 0n).finish());
  const serverChallenge = decodeServerChallenge(new Reader(decodeAuthMore(frame(server, Tag.AUTH_REPLY_MORE).frame.segments[0]!)));
  const more = decodeAuthMore(frame(client, Tag.AUTH_REQUEST_MORE).frame.segments[0]!);
  const mr = new Reader(more);
  expect(mr.u16()).toBe(0x0100);
  const auth = decodeAuthenticate(mr);
  // Our proof from librados' challenges and the known key equals librados' proof.
  const secret = await createCipher(webCryptoProvider, key);
  expect(await challengeProof(secret, serverChallenge, auth.clientChallenge)).toBe(auth.key);
  const w = new Writer();
  w.u16(0x0100);
  encodeAuthenticate(w, auth);
  expect(w.finish()).toEqual(more);
  // Our ticket handling on the monitor's AUTH_DONE.
  const cx = new CephxClient({ name: parseEntityName('client.admin'), key, crypto: webCryptoProvider });
  const done = decodeAuthDone(frame(server, Tag.AUTH_DONE).frame.segments[0]!);
  const out = await cx.monExchange().done(done.globalId, done.conMode, done.payload);
  return { cx, sessionKey: out.sessionKey, client, server };
}

async function checkSignatures(client: ParsedSession, server: ParsedSession, sessionKey: Uint8Array): Promise<void> {
  // The client signs what it received up to AUTH_DONE; the server what it received up to the last AUTH_REQUEST(_MORE).
  const doneEnd = frame(server, Tag.AUTH_DONE).end;
  const lastRequest = client.frames.filter((f) => f.frame.tag === Tag.AUTH_REQUEST || f.frame.tag === Tag.AUTH_REQUEST_MORE).at(-1)!;
  expect(await hmac(sessionKey, server.bytes.subarray(0, doneEnd))).toEqual(frame(client, Tag.AUTH_SIGNATURE).frame.segments[0]);
  expect(await hmac(sessionKey, client.bytes.subarray(0, lastRequest.end))).toEqual(frame(server, Tag.AUTH_SIGNATURE).frame.segments[0]);
}

export async function checkMonCephx(name: string): Promise<void> {
  const { cx, sessionKey, client, server } = await monSession(name);
  expect(cx.ticket(EntityType.OSD)).toBeDefined();
  await checkSignatures(client, server, sessionKey);
}

export async function checkOsdAuthorizer(): Promise<void> {
  {
    const { cx } = await monSession('rados-mon');
    const { client, server } = await sessions('rados-osd');
    const osd = cx.ticket(EntityType.OSD)!;
    const req = decodeAuthRequest(frame(client, Tag.AUTH_REQUEST).frame.segments[0]!);
    const r = new Reader(req.payload);
    expect(r.u8()).toBe(1);
    expect(r.u64()).toBe(cx.globalId);
    expect(r.u32()).toBe(EntityType.OSD);
    expect(decodeTicketBlob(r)).toEqual(osd.ticket);
    const first = await decodeDecrypt(osd.cipher, KeyUsage.AUTHORIZE, r, 'CephXAuthorize', decodeAuthorize);
    expect(first.haveChallenge).toBe(false);
    const challengeFrame = server.frames.find((f) => f.frame.tag === Tag.AUTH_REPLY_MORE);
    expect(challengeFrame, 'Pacific OSDs challenge the authorizer (CEPHX_V2)').toBeDefined();
    const challenge = await decryptEncBl(osd.cipher, KeyUsage.AUTHORIZE_CHALLENGE, decodeAuthMore(challengeFrame!.frame.segments[0]!), 'challenge', (r) => {
      r.u8();
      return r.u64();
    });
    const again = new Reader(decodeAuthMore(frame(client, Tag.AUTH_REQUEST_MORE).frame.segments[0]!));
    again.skip(1 + 8 + 4);
    decodeTicketBlob(again);
    const second = await decodeDecrypt(osd.cipher, KeyUsage.AUTHORIZE, again, 'CephXAuthorize', decodeAuthorize);
    expect(second).toEqual({ nonce: first.nonce, haveChallenge: true, serverChallengePlusOne: challenge + 1n });
    const done = decodeAuthDone(frame(server, Tag.AUTH_DONE).frame.segments[0]!);
    const reply = await decodeDecrypt(osd.cipher, KeyUsage.AUTHORIZE_REPLY, new Reader(done.payload), 'CephXAuthorizeReply', decodeAuthorizeReply);
    expect(reply.noncePlusOne).toBe(first.nonce + 1n);
    await checkSignatures(client, server, osd.sessionKey.secret);
  }
}

export async function checkOsdOps(): Promise<void> {
  {
    const { client, server } = await sessions('rados-osd');
    const op = frameToMessage(client.frames.find((f) => f.frame.tag === Tag.MESSAGE && frameToMessage(f.frame).header.type === 42)!.frame);
    const decoded = decodeOsdOp(op.front, op.header.version);
    expect(encodeOsdOp(decoded)).toEqual(op.front);
    expect(decoded.oid).toBe('obj1');
    expect(decoded.ops.map((o) => o.op)).toContain(0x2202); // WRITEFULL
    expect(new TextDecoder().decode(op.data)).toBe('rados-ts capture payload: hello from librados\n');
    const rep = frameToMessage(server.frames.find((f) => f.frame.tag === Tag.MESSAGE && frameToMessage(f.frame).header.type === 43)!.frame);
    const reply = decodeOsdOpReply(rep.front);
    expect(encodeOsdOpReply(reply)).toEqual(rep.front);
    expect(reply.oid).toBe('obj1');
    expect(reply.result).toBe(0);
    expect(rep.header.tid).toBe(op.header.tid);
  }
}
