// CRC-32C for every msgr2 frame. Three implementations, each where it measured faster in
// `npm run bench -- crc32c` (README, dependency table): the card's crc-32 package below 64 bytes
// (preambles, small segments), our word-sliced slicing-by-16 in JavaScript from 64 bytes on
// (1.3× crc-32 at 4 KiB and 4 MiB), and the same loop in WebAssembly from WASM_FROM bytes on
// where the runtime compiles modules from bytes (Node, Deno, Bun; Workers keep JavaScript).
import CRC32C from 'crc-32/crc32c.js';
import { crc32cSlicing } from './crc32c-slicing.ts';
import { loadWasmCrc32c } from './crc32c-wasm.ts';

const OWN_FROM = 64;
/** Below this the copy into the module's memory and the call cost more than the loop saves. */
const WASM_FROM = 1024;
const wasm = loadWasmCrc32c();

/** Which loop checks large buffers here: 'wasm', or 'js' where modules cannot be compiled. */
export const crc32cLargeImpl: 'wasm' | 'js' = wasm ? 'wasm' : 'js';

/**
 * CRC-32C with Ceph's raw semantics (src/common/crc32c.cc, `ceph_crc32c(seed, data, len)`):
 * reflected polynomial 0x82F63B78, no initial or final inversion. msgr2 seeds the preamble
 * with 0 and segments with 0xFFFFFFFF. crc-32 computes the standard (inverted) CRC-32C, so
 * the raw value is ~crc(data, ~seed). Returns an unsigned 32-bit value.
 */
export function crc32c(seed: number, data: Uint8Array, start = 0, end = data.length): number {
  if (wasm && end - start >= WASM_FROM) return wasm(seed, data, start, end);
  if (end - start >= OWN_FROM) return crc32cSlicing(seed, data, start, end);
  const part = start === 0 && end === data.length ? data : data.subarray(start, end);
  return ~CRC32C.buf(part, ~seed) >>> 0;
}
