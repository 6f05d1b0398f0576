// Auth method "none" (src/auth/none/AuthNoneClientHandler.h): the mon request carries only the
// MonConnection boilerplate (AUTH_MODE_MON, entity name, global id) and nothing is signed.
import { Writer } from '../encoding/writer.ts';
import { AuthMethod } from '../msgr2/tags.ts';
import type { EntityName } from '../types/entity-name.ts';
import { type AuthOutcome, type AuthProvider, monAuthPreamble } from './auth-provider.ts';

export function authNone(name: EntityName, globalId = 0n): AuthProvider {
  return {
    method: AuthMethod.NONE,
    request: () => Promise.resolve(monAuthPreamble(new Writer(64), name, globalId).finish()),
    replyMore: () => Promise.reject(new Error('auth none has no extra round')),
    done: (): Promise<AuthOutcome> => Promise.resolve({ sessionKey: new Uint8Array(0), connectionSecret: new Uint8Array(0) }),
  };
}
