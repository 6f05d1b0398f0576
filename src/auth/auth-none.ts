// Auth method "none" (src/auth/none/AuthNoneClientHandler.h): the mon request carries only the
// MonConnection boilerplate (AUTH_MODE_MON, entity name, global id) and nothing is signed.
import { Writer } from '../../protocol/encoding/writer.ts';
import { AuthMethod } from '../../protocol/msgr2/tags.ts';
import { encodeEntityName, type EntityName } from '../../protocol/types/entity-name.ts';
import type { AuthOutcome, AuthProvider } from '../msgr2/auth-provider.ts';

/** src/auth/Auth.h: AUTH_MODE_MON, the first byte of a mon connection's auth payload. */
export const AUTH_MODE_MON = 10;

export function monAuthPreamble(w: Writer, name: EntityName, globalId: bigint): Writer {
  w.u8(AUTH_MODE_MON);
  encodeEntityName(w, name);
  w.u64(globalId);
  return w;
}

export function authNone(name: EntityName, globalId = 0n): AuthProvider {
  return {
    method: AuthMethod.NONE,
    request: () => Promise.resolve(monAuthPreamble(new Writer(64), name, globalId).finish()),
    replyMore: () => Promise.reject(new Error('auth none has no extra round')),
    done: (): Promise<AuthOutcome> => Promise.resolve({ sessionKey: new Uint8Array(0), connectionSecret: new Uint8Array(0) }),
  };
}
