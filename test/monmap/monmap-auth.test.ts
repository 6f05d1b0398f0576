// Tentacle's monmap carries the cluster's cephx cipher settings (MonMap v10: auth_epoch,
// auth_service_cipher, auth_allowed_ciphers, auth_preferred_cipher). Maps monmaptool writes now,
// with its defaults and with every cipher option set: decoded by name, `rados-ts monmap print`
// prints what `monmaptool --print` prints, and they encode back to the same bytes. A release
// whose keys are still AES-128 (releases.ts defaultKeyType 1: Pacific, Reef) writes v9 maps
// without them, and neither we nor its monmaptool print any auth line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMonMap, encodeMonMap } from '../../protocol/index.ts';
import { monmapCommand } from '../../src/cli/monmap-commands.ts';
import { currentRelease } from '../cluster/releases.ts';
import { expectMatchesPrint } from './compare.ts';
import { monmaptool, parseMonmaptoolPrint } from './monmaptool.ts';

const release = currentRelease();
const tentacleCiphers = release.defaultKeyType === 2;
const dir = mkdtempSync(join(tmpdir(), 'rados-ts-monmap-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ourPrint(file: string): Promise<string> {
  let s = '';
  await monmapCommand(['print', file], (x) => (s += x));
  return s;
}

/** monmaptool --print without its first line (the file name). */
const theirPrint = (file: string): string => monmaptool(['--print', file]).split('\n').slice(1).join('\n');

function create(name: string, extra: string[]): { file: string; bytes: Uint8Array } {
  const file = join(dir, `${name}.monmap`);
  monmaptool(['--create', '--clobber', '--fsid', crypto.randomUUID(), '--addv', 'a', '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]', '--add', 'b', '127.0.0.2:6789', ...extra, file]);
  return { file, bytes: new Uint8Array(readFileSync(file)) };
}

describe(`monmap auth settings (${release.name})`, () => {
  it(tentacleCiphers ? 'monmaptool defaults: v10, aes256k everywhere' : 'no auth settings in a v9 map', async () => {
    const { file, bytes } = create('defaults', []);
    const map = decodeMonMap(bytes);
    expectMatchesPrint(map, parseMonmaptoolPrint(monmaptool(['--print', file])));
    expect(await ourPrint(file)).toBe(theirPrint(file));
    expect(encodeMonMap(map)).toEqual(bytes);
    if (tentacleCiphers) {
      expect(bytes[0]).toBe(10);
      expect(map.auth).toEqual({ epoch: 0, serviceCipher: 2, allowedCiphers: [2], preferredCipher: 2 });
    } else {
      expect(bytes[0]).toBe(9);
      expect(map.auth).toBeUndefined();
      expect(theirPrint(file)).not.toContain('auth_');
    }
  });

  it(tentacleCiphers ? 'every cipher option set: decoded by name, printed and re-encoded as Ceph does' : 'monmaptool has no cipher options', async () => {
    const opts = ['--auth-service-cipher', 'aes', '--auth-allowed-ciphers', 'aes256k,aes', '--auth-preferred-cipher', 'aes256k'];
    if (!tentacleCiphers) {
      expect(() => create('ciphers', opts)).toThrow();
      return;
    }
    const { file, bytes } = create('ciphers', opts);
    const map = decodeMonMap(bytes);
    // Allowed ciphers are stored sorted (MonMap::encode).
    expect(map.auth).toEqual({ epoch: 0, serviceCipher: 1, allowedCiphers: [1, 2], preferredCipher: 2 });
    const ours = await ourPrint(file);
    expect(ours).toBe(theirPrint(file));
    expect(ours).toContain('auth_allowed_ciphers aes, aes256k\n');
    expect(encodeMonMap(map)).toEqual(bytes);
    // A map we build with other settings encodes as Tentacle writes it (sorted) and decodes back.
    const edited = { ...map, auth: { epoch: 7, serviceCipher: 2, allowedCiphers: [2, 1], preferredCipher: 1 } };
    expect(decodeMonMap(encodeMonMap(edited)).auth).toEqual({ epoch: 7, serviceCipher: 2, allowedCiphers: [1, 2], preferredCipher: 1 });
  });
});
