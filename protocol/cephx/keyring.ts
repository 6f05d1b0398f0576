// Keyring files (src/auth/KeyRing.cc, ini format): `[client.admin]` sections with
// `key = AQ...` and `caps mon = "allow *"` lines (`caps_mon` too: KeyRing::decode reads `_` as
// a space). Keys of every type load, including types rados-ts cannot use: such an entry fails
// only when used (CephxClient / createCipher throw AuthError naming the type), not the keyring.
import { type CephCryptoKey, decodeKeyString } from './crypto-key.ts';

export interface KeyringEntry {
  key: CephCryptoKey;
  caps: Map<string, string>;
}

export function parseKeyring(text: string): Map<string, KeyringEntry> {
  const out = new Map<string, KeyringEntry>();
  let name: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)[#;].*$/, '').trim();
    if (!line) continue;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec) {
      name = sec[1]!.trim();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || name === undefined) continue;
    const k = line
      .slice(0, eq)
      .trim()
      .replace(/[\s_]+/g, ' ');
    let v = line.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    if (k === 'key') {
      const caps = out.get(name)?.caps ?? new Map<string, string>();
      out.set(name, { key: decodeKeyString(v), caps });
    } else if (k.startsWith('caps ')) {
      const e = out.get(name);
      if (e) e.caps.set(k.slice(5), v);
    }
  }
  return out;
}
