// Choosing cephx from the configuration with keys of both types, and keys we cannot use:
// AuthError naming the key type for that entity only, never a TypeError or a failed keyring.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatKeyString } from '../../protocol/cephx/crypto-key.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { AuthError, Errno } from '../../protocol/errors.ts';
import type { ResolvedConfig } from '../config/resolve-config.ts';
import { setupAuth } from './auth-setup.ts';

const keyring = readFileSync(new URL('../../fixtures/cephx/tentacle.keyring', import.meta.url), 'utf8');
const seven = formatKeyString({ type: 7, created: { sec: 1, nsec: 0 }, secret: new Uint8Array(24).fill(9) });
const cfg = (o: Partial<ResolvedConfig>): ResolvedConfig => ({ mons: [], name: 'client.admin', key: undefined, keyringText: undefined, conf: undefined, ...o });

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('setupAuth with Tentacle keys', () => {
  const ring = `${keyring}[client.future]\n\tkey = ${seven}\n`;

  it('aes256k and aes entries of one keyring are both usable', () => {
    for (const name of ['client.admin', 'client.legacy']) {
      expect(setupAuth(cfg({ name, keyringText: ring }), webCryptoProvider).cephx).toBeDefined();
    }
  });

  it('an entry of an unknown type fails alone, naming its type', () => {
    const e = thrown(() => setupAuth(cfg({ name: 'client.future', keyringText: ring }), webCryptoProvider));
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).errno).toBe(Errno.EOPNOTSUPP);
    expect((e as AuthError).message).toMatch(/key type 7 /);
  });

  it('a key string of an unknown type says so; a broken one is EINVAL', () => {
    const e = thrown(() => setupAuth(cfg({ key: seven }), webCryptoProvider));
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).message).toMatch(/key type 7 /);
    const bad = thrown(() => setupAuth(cfg({ key: 'not a key!' }), webCryptoProvider));
    expect(bad).toBeInstanceOf(AuthError);
    expect((bad as AuthError).errno).toBe(Errno.EINVAL);
  });
});
