// Chooses the authentication for a connection from the resolved configuration: cephx when we
// have a key (the normal case), "none" when the cluster is configured without auth.
import { CephxClient } from '../../protocol/cephx/client.ts';
import { parseKeyString } from '../../protocol/cephx/crypto-key.ts';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import type { CryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { AuthError, Errno } from '../../protocol/errors.ts';
import { parseEntityName } from '../../protocol/types/entity-name.ts';
import type { ResolvedConfig } from '../config/resolve-config.ts';
import type { AuthProvider } from '../../protocol/auth/auth-provider.ts';
import { authNone } from '../../protocol/auth/auth-none.ts';

export interface ClientAuth {
  /** The exchange for a new monitor connection. */
  mon(): AuthProvider;
  /** The cephx client, when authenticating with cephx. */
  cephx: CephxClient | undefined;
}

export function setupAuth(cfg: ResolvedConfig, crypto: CryptoProvider): ClientAuth {
  const name = parseEntityName(cfg.name);
  let keyString = cfg.key;
  if (!keyString && cfg.keyringText) {
    const entry = parseKeyring(cfg.keyringText).get(cfg.name);
    if (!entry) throw new AuthError(`no key for ${cfg.name} in the keyring`, Errno.ENOENT);
    const cx = new CephxClient({ name, key: entry.key, crypto });
    return { mon: () => cx.monExchange(), cephx: cx };
  }
  if (!keyString) {
    return { mon: () => authNone(name), cephx: undefined };
  }
  let key;
  try {
    key = parseKeyString(keyString);
  } catch (cause) {
    // A well-formed key of a type we cannot use already says so (AuthError naming the type).
    if (cause instanceof AuthError) throw cause;
    throw new AuthError(`the key for ${cfg.name} is not a Ceph key`, Errno.EINVAL, { cause });
  }
  keyString = undefined;
  const cx = new CephxClient({ name, key, crypto });
  return { mon: () => cx.monExchange(), cephx: cx };
}
