// A msgr2 frame in words: the handshake frames by their fields (frames_v2.h), a MESSAGE frame by
// the message inside it (describe-message.ts). Never throws: what does not decode says why.
import { decodeAuthBadMethod, decodeAuthDone, decodeAuthRequest, decodeHello } from '../msgr2/auth-frames.ts';
import type { Frame } from '../msgr2/frame.ts';
import { featureNames } from '../feature-names.ts';
import { decodeClientIdent, decodeServerIdent } from '../msgr2/ident-frames.ts';
import { frameToMessage } from '../msgr2/message-frame.ts';
import { AuthMethod, ConMode, Tag, tagName } from '../msgr2/tags.ts';
import { formatEntityAddr, formatEntityAddrvec } from '../types/entity-addr.ts';
import { entityTypeName } from '../types/entity-name.ts';
import { describeMessage, type MessageDescription } from './describe-message.ts';

/** What a frame says. */
export interface FrameDescription {
  /** The frame tag's name (HELLO, MESSAGE, …). */
  tag: string;
  line: string;
  fields: Record<string, unknown>;
  /** For MESSAGE frames: the message. */
  message?: MessageDescription;
  error?: string;
}

const AUTH_NAMES: Record<number, string> = { [AuthMethod.NONE]: 'none', [AuthMethod.CEPHX]: 'cephx' };
const MODE_NAMES: Record<number, string> = { [ConMode.CRC]: 'crc', [ConMode.SECURE]: 'secure' };
const name = (table: Record<number, string>, v: number): string => table[v] ?? String(v);

/** Describes a frame from its tag and segments; `source` names the session's client (for messages that leave it implied). */
export function describeFrame(f: Pick<Frame, 'tag' | 'segments'>, source?: string): FrameDescription {
  const tag = tagName(f.tag);
  const seg0 = f.segments[0] ?? new Uint8Array(0);
  try {
    switch (f.tag) {
      case Tag.MESSAGE: {
        const message = describeMessage(frameToMessage({ tag: f.tag, segments: [...f.segments] }), source);
        return { tag, line: message.line, fields: { type: message.type, ...message.fields }, message, ...(message.error ? { error: message.error } : {}) };
      }
      case Tag.HELLO: {
        const h = decodeHello(seg0);
        return {
          tag,
          line: `HELLO ${entityTypeName(h.entityType)} sees peer at ${formatEntityAddr(h.peerAddr)}`,
          fields: { entityType: entityTypeName(h.entityType), peerAddr: formatEntityAddr(h.peerAddr) },
        };
      }
      case Tag.AUTH_REQUEST: {
        const a = decodeAuthRequest(seg0);
        const modes = a.preferredModes.map((m) => name(MODE_NAMES, m));
        return {
          tag,
          line: `AUTH_REQUEST method ${name(AUTH_NAMES, a.method)} modes ${modes.join(',')} payload ${a.payload.length}`,
          fields: { method: name(AUTH_NAMES, a.method), modes, payload: a.payload.length },
        };
      }
      case Tag.AUTH_BAD_METHOD: {
        const a = decodeAuthBadMethod(seg0);
        return { tag, line: `AUTH_BAD_METHOD method ${name(AUTH_NAMES, a.method)} result ${a.result}`, fields: { method: name(AUTH_NAMES, a.method), result: a.result } };
      }
      case Tag.AUTH_DONE: {
        const a = decodeAuthDone(seg0);
        return { tag, line: `AUTH_DONE global_id ${a.globalId} mode ${name(MODE_NAMES, a.conMode)}`, fields: { globalId: String(a.globalId), mode: name(MODE_NAMES, a.conMode) } };
      }
      case Tag.CLIENT_IDENT: {
        const c = decodeClientIdent(seg0);
        const fields = {
          addrs: formatEntityAddrvec(c.addrs),
          target: formatEntityAddr(c.targetAddr),
          gid: String(c.gid),
          globalSeq: String(c.globalSeq),
          features: `0x${c.supportedFeatures.toString(16)}`,
          featureNames: featureNames(c.supportedFeatures),
          cookie: String(c.cookie),
        };
        return { tag, line: `CLIENT_IDENT ${fields.addrs} → ${fields.target} gid ${fields.gid} global_seq ${fields.globalSeq} features ${fields.features}`, fields };
      }
      case Tag.SERVER_IDENT: {
        const s = decodeServerIdent(seg0);
        const fields = {
          addrs: formatEntityAddrvec(s.addrs),
          gid: String(s.gid),
          globalSeq: String(s.globalSeq),
          features: `0x${s.supportedFeatures.toString(16)}`,
          featureNames: featureNames(s.supportedFeatures),
          cookie: String(s.cookie),
        };
        return { tag, line: `SERVER_IDENT ${fields.addrs} gid ${fields.gid} global_seq ${fields.globalSeq} features ${fields.features}`, fields };
      }
      case Tag.ACK:
      case Tag.KEEPALIVE2:
      case Tag.KEEPALIVE2_ACK: {
        const v = new DataView(seg0.buffer, seg0.byteOffset, seg0.byteLength);
        const value = f.tag === Tag.ACK && seg0.length >= 8 ? `seq ${v.getBigUint64(0, true)}` : '';
        return { tag, line: `${tag} ${value}`.trim(), fields: {} };
      }
      default:
        return { tag, line: `${tag} ${f.segments.map((s) => s.length).join('+')} bytes`, fields: { segments: f.segments.map((s) => s.length) } };
    }
  } catch (e) {
    return { tag, line: `${tag} (undecodable: ${(e as Error).message})`, fields: {}, error: (e as Error).message };
  }
}
