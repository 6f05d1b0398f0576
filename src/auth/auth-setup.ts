// Chooses the authentication for a connection from the resolved configuration: cephx when we
// have a key (the normal case), "none" when the cluster is configured without auth.
import { CephxClient } from '../../protocol/cephx/client.ts';
import { parseKeyString } from '../../protocol/cephx/crypto-key.ts';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import type { CryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { AuthError, Errno } from '../../protocol/errors.ts';
import { AuthMethod } from '../../protocol/msgr2/tags.ts';
import { EntityType, parseEntityName } from '../../protocol/types/entity-name.ts';
import type { ResolvedConfig } from '../config/resolve-config.ts';
import type { AuthClient } from '../../protocol/auth/auth-provider.ts';
import { authNone } from '../../protocol/auth/auth-none.ts';

export interface ClientAuth extends AuthClient {
  /** The cephx client, when authenticating with cephx. */
  readonly cephx: CephxClient | undefined;
}

export function setupAuth(cfg: ResolvedConfig, crypto: CryptoProvider): ClientAuth {
  const name = parseEntityName(cfg.name);
  let keyString = cfg.key;
  if (!keyString && cfg.keyringText) {
    const entry = parseKeyring(cfg.keyringText).get(cfg.name);
    if (!entry) throw new AuthError(`no key for ${cfg.name} in the keyring`, Errno.ENOENT);
    return cephxAuthClient(new CephxClient({ name, key: entry.key, crypto }), cfg.name);
  }
  if (!keyString) return noneAuthClient(cfg.name);
  let key;
  try {
    key = parseKeyString(keyString);
  } catch (cause) {
    // A well-formed key of a type we cannot use already says so (AuthError naming the type).
    if (cause instanceof AuthError) throw cause;
    throw new AuthError(`the key for ${cfg.name} is not a Ceph key`, Errno.EINVAL, { cause });
  }
  keyString = undefined;
  return cephxAuthClient(new CephxClient({ name, key, crypto }), cfg.name);
}

/** cephx: mon authentication with the monitors, an authorizer from a service ticket for the others. */
export function cephxAuthClient(cx: CephxClient, entityName: string): ClientAuth {
  return {
    entityName,
    cephx: cx,
    exchange: (peerType) => (peerType === EntityType.MON ? cx.monExchange() : cx.authorizerExchange(peerType)),
    tickets: { protocol: AuthMethod.CEPHX, request: () => cx.ticketRequest(), reply: (p) => cx.handleTicketReply(p) },
  };
}

/** auth none: our name (and, once the monitors gave us one, our global id) to everyone. */
export function noneAuthClient(entityName: string): ClientAuth {
  const name = parseEntityName(entityName);
  return {
    entityName,
    cephx: undefined,
    exchange: (peerType, globalId) => (peerType === EntityType.MON ? authNone(name) : authNone(name, globalId)),
  };
}
