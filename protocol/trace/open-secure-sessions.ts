// Opens the secure-mode sessions of a capture with a keyring: mon sessions first (their AUTH_DONE
// and MAuthReply messages hand out the tickets), then OSD/MGR sessions (their authorizers use
// those tickets). Each opened direction's 'encrypted' span becomes frames; what stays encrypted
// says why, naming the session's entity.
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import type { KeyringEntry } from '../cephx/keyring.ts';
import type { TcpConnection } from '../capture/tcp-streams.ts';
import { byteRuns } from './frame-walker.ts';
import { walkSecureFrames } from './secure-walker.ts';
import { CephxFollower, type SessionKeyVerdict } from './session-keys.ts';
import type { SessionSpan, TracedSession } from './trace-session.ts';

/** What opening a session came to. */
export interface SessionKeys {
  /** Who authenticated, and to which service. */
  entity: string;
  service: string;
  /** The session's secure part was decrypted (both directions, as far as the capture goes). */
  decrypted: boolean;
  /** Frames read through secure mode. */
  frames: number;
  /** Where the key that opened it came from. */
  via?: string;
  /** Why it was not decrypted. */
  reason?: string;
}

/**
 * Follows cephx through `sessions` (each with its TCP connection) and decrypts the secure ones
 * it can; without a keyring only names who each encrypted session belongs to. Mutates the sessions.
 */
export async function openSecureSessions(
  sessions: Array<{ session: TracedSession; conn: TcpConnection }>,
  keyring: Map<string, KeyringEntry> | undefined,
  crypto: CryptoProvider,
): Promise<Map<number, SessionKeys>> {
  const follower = new CephxFollower(keyring, crypto);
  const out = new Map<number, SessionKeys>();
  const mon = sessions.filter((x) => CephxFollower.isMonSession(x.session));
  const others = sessions.filter((x) => !mon.includes(x));
  for (const x of mon) {
    const v = await follower.monSession(x.session);
    if (x.session.mode === 'secure') out.set(x.session.id, await open(x, v, crypto));
    await follower.learnTickets(x.session);
  }
  for (const x of others) {
    if (x.session.mode !== 'secure') continue;
    out.set(x.session.id, await open(x, await follower.serviceSession(x.session), crypto));
  }
  return out;
}

async function open({ session, conn }: { session: TracedSession; conn: TcpConnection }, v: SessionKeyVerdict, crypto: CryptoProvider): Promise<SessionKeys> {
  const result: SessionKeys = { entity: v.entity, service: v.service, decrypted: false, frames: 0, ...(v.via ? { via: v.via } : {}) };
  const secret = v.connectionSecret;
  if (!secret) {
    result.reason = v.reason ?? 'no connection secret';
    for (const s of session.spans) if (s.kind === 'encrypted') s.reason = `secure mode, encrypted: ${result.reason}`;
    return result;
  }
  const spans: SessionSpan[] = [];
  for (const [dir, half] of [
    ['to-server', conn.toServer],
    ['to-client', conn.toClient],
  ] as const) {
    const mine = session.spans.filter((s) => s.dir === dir);
    spans.push(...mine.filter((s) => s.kind !== 'encrypted'));
    const encrypted = mine.filter((s) => s.kind === 'encrypted');
    const first = encrypted[0];
    if (!first) continue;
    // Secure mode goes on from where the plaintext ended; if bytes before that are lost, the walk
    // starts by resynchronising.
    const lostBefore = mine.some((s) => s.kind === 'lost' && s.offset < first.offset);
    const walk = await walkSecureFrames(crypto, secret, dir, byteRuns(half), first.offset, lostBefore);
    session.frames.push(...walk.frames.map((f) => ({ ...f, dir })));
    result.frames += walk.frames.length;
    // What the walk did not read stays encrypted, with its reason.
    for (const u of walk.unread) spans.push({ dir, kind: 'encrypted', offset: u.offset, length: u.length, reason: `secure mode, encrypted: ${u.reason}` });
  }
  session.spans = spans.sort((a, b) => a.offset - b.offset);
  session.frames.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
  result.decrypted = !session.spans.some((s) => s.kind === 'encrypted');
  if (!result.decrypted) result.reason = 'part of the session stays encrypted';
  return result;
}
