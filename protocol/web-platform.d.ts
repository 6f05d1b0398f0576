// The few Web Platform globals the pure folders may use. They exist in every
// runtime we target (Workers, Deno, Bun, Node, browsers); declaring them here
// instead of pulling in a whole `lib` keeps Node and DOM APIs out of the build.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(input: string, dest: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}

// Web Crypto, only the calls cephx and msgr2 secure mode make.
interface CryptoKey {
  readonly type: string;
  readonly algorithm: { name: string };
}
type WebCryptoAlgorithm = { name: 'AES-CBC'; iv: Uint8Array } | { name: 'AES-GCM'; iv: Uint8Array; tagLength?: number; additionalData?: Uint8Array } | { name: 'HMAC' };
interface SubtleCrypto {
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: 'AES-CBC' } | { name: 'AES-GCM' } | { name: 'HMAC'; hash: 'SHA-256' | 'SHA-384' },
    extractable: boolean,
    usages: Array<'encrypt' | 'decrypt' | 'sign' | 'verify'>,
  ): Promise<CryptoKey>;
  encrypt(algorithm: WebCryptoAlgorithm, key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  decrypt(algorithm: WebCryptoAlgorithm, key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  sign(algorithm: 'HMAC' | { name: 'HMAC' }, key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
}
// `var`, as lib.dom and @types/node declare it: declarations of one global var merge, a `const` would clash.
// eslint-disable-next-line no-var -- an ambient global must be a var to merge with the runtime libs' declarations
declare var crypto: {
  readonly subtle: SubtleCrypto;
  getRandomValues<T extends Uint8Array | Uint32Array>(array: T): T;
  randomUUID(): string;
};
