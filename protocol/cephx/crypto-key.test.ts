// Keys and keyrings as Tentacle's ceph-authtool writes them (fixtures/cephx, see its README):
// type 2 "aes256k" by default with 32-byte secrets, type 1 "aes" on request, both in one keyring.
// A type rados-ts does not know loads, and fails only where it is used, naming the type.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../encoding/decode-error.ts';
import { AuthError, Errno } from '../errors.ts';
import { decodeKeyString, formatKeyString, parseKeyString } from './crypto-key.ts';
import { CEPH_CRYPTO_AES, CEPH_CRYPTO_AES256KRB5, keyType } from './key-types.ts';
import { parseKeyring } from './keyring.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/cephx/${name}`, import.meta.url), 'utf8');

describe('Tentacle key strings', () => {
  it('--gen-print-key writes aes256k keys (Ag..., 32-byte secret)', () => {
    for (const name of ['tentacle-default.key', 'tentacle-aes256k.key']) {
      const text = fixture(name).trim();
      expect(text.startsWith('Ag')).toBe(true);
      const k = parseKeyString(text);
      expect(k.type).toBe(CEPH_CRYPTO_AES256KRB5);
      expect(k.secret.length).toBe(32);
      expect(k.created.sec).toBeGreaterThan(1_700_000_000);
      expect(formatKeyString(k)).toBe(text);
    }
  });

  it('--key-type aes writes the old AES-128 keys (AQ..., 16-byte secret)', () => {
    const text = fixture('tentacle-aes.key').trim();
    const k = parseKeyString(text);
    expect(k.type).toBe(CEPH_CRYPTO_AES);
    expect(k.secret.length).toBe(16);
    expect(formatKeyString(k)).toBe(text);
  });

  it('a keyring holding both types', () => {
    const ring = parseKeyring(fixture('tentacle.keyring'));
    expect([...ring.keys()].sort()).toEqual(['client.admin', 'client.legacy', 'mon.']);
    expect(ring.get('client.admin')!.key.type).toBe(CEPH_CRYPTO_AES256KRB5);
    expect(ring.get('client.admin')!.caps.get('osd')).toBe('allow *');
    expect(ring.get('mon.')!.key.type).toBe(CEPH_CRYPTO_AES256KRB5);
    expect(ring.get('client.legacy')!.key.type).toBe(CEPH_CRYPTO_AES);
    expect(ring.get('client.legacy')!.key.secret.length).toBe(16);
  });
});

describe('key types rados-ts does not know', () => {
  const seven = formatKeyString({ type: 7, created: { sec: 1_750_000_000, nsec: 0 }, secret: new Uint8Array(24).fill(7) });

  it('a key string of type 7: AuthError naming the type, not a TypeError', () => {
    expect(decodeKeyString(seven).type).toBe(7);
    let err: unknown;
    try {
      parseKeyString(seven);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).errno).toBe(Errno.EOPNOTSUPP);
    expect((err as AuthError).message).toMatch(/key type 7 /);
    expect(() => keyType(0)).toThrow(/key type 0 \(none\)/);
  });

  it('one such entry does not fail the rest of the keyring', () => {
    const ring = parseKeyring(`${fixture('tentacle.keyring')}[client.future]\n\tkey = ${seven}\n\tcaps_mon = "allow r"\n`);
    expect(ring.get('client.admin')!.key.type).toBe(CEPH_CRYPTO_AES256KRB5);
    expect(ring.get('client.future')!.key.type).toBe(7);
    expect(ring.get('client.future')!.caps.get('mon')).toBe('allow r');
    expect(() => keyType(ring.get('client.future')!.key.type)).toThrow(AuthError);
  });

  it('known types still need their whole secret', () => {
    const short = formatKeyString({ type: CEPH_CRYPTO_AES256KRB5, created: { sec: 0, nsec: 0 }, secret: new Uint8Array(16) });
    expect(() => parseKeyString(short)).toThrow(DecodeError);
    expect(() => parseKeyString('not base64 !!')).toThrow(TypeError);
  });
});
