/**
 * CRC-32C in WebAssembly: the same word-sliced slicing-by-16 as crc32c-slicing.ts, run where
 * the runtime lets us compile a module from bytes (Node, Deno, Bun; not Workers, which forbid
 * run-time code generation, so they keep the JavaScript loop). Per CPU second it checks about
 * twice the bytes the JavaScript loop does at 4 MiB, including the copy into the module's
 * memory (`npm run bench -- crc32c`), because wasm loads need no bounds or type checks.
 *
 * The module is not a stored blob: `crcModule()` writes its ~400 bytes from the instruction
 * list below, so what runs is what this file says. Memory: the 16 KiB table at 0, then a
 * window the data is copied into piece by piece (a window, not the whole buffer, keeps the
 * module at two pages and each piece in cache between the copy and the loop).
 */
import { CRC32C_TABLE } from './crc32c-slicing.ts';

const TABLE_BYTES = 16 * 256 * 4;
const PAGES = 2;
const WINDOW = PAGES * 65536 - TABLE_BYTES;

// Opcodes (WebAssembly core spec, binary format §5.4).
const BLOCK = 0x02,
  LOOP = 0x03,
  BR = 0x0c,
  BR_IF = 0x0d,
  END = 0x0b,
  EMPTY = 0x40;
const GET = 0x20,
  SET = 0x21,
  CONST = 0x41,
  LOAD = 0x28,
  LOAD8_U = 0x2d;
const GE_U = 0x4f,
  ADD = 0x6a,
  SUB = 0x6b,
  AND = 0x71,
  XOR = 0x73,
  SHL = 0x74,
  SHR_U = 0x76;
const I32 = 0x7f;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => [...uleb(s.length), ...new TextEncoder().encode(s)];

// Locals: 0 c (crc), 1 p (position), 2 end (params); 3..6 the four words; 7 the end of whole blocks.
const [C, P, E, W0, BLK] = [0, 1, 2, 3, 7];

/** `T[k * 256 + ((word >>> shift) & 0xff)]` as an i32.load from the table at 0. */
function tableTerm(word: number, shift: number, k: number): number[] {
  const index = shift === 24 ? [GET, word, CONST, 24, SHR_U] : [GET, word, ...(shift ? [CONST, shift, SHR_U] : []), CONST, ...sleb(255), AND];
  return [...index, CONST, 2, SHL, LOAD, 2, ...uleb(k * 1024)];
}

/** crc(c, p, end) -> c over memory[p, end): 16 bytes a turn, then byte by byte. */
function crcBody(): number[] {
  const words: number[] = [];
  for (let w = 0; w < 4; w++) {
    words.push(GET, P, LOAD, 2, ...uleb(w * 4));
    if (w === 0) words.push(GET, C, XOR);
    words.push(SET, W0 + w);
  }
  // Byte j of the 16 (j = 4w + shift/8) looks up table 15 - j; the sixteen terms are XORed.
  const fold: number[] = [];
  for (let j = 0; j < 16; j++) {
    fold.push(...tableTerm(W0 + (j >> 2), (j & 3) * 8, 15 - j));
    if (j > 0) fold.push(XOR);
  }
  const code = [
    ...[GET, P, GET, E, GET, P, SUB, CONST, ...sleb(-16), AND, ADD, SET, BLK],
    ...[BLOCK, EMPTY, LOOP, EMPTY, GET, P, GET, BLK, GE_U, BR_IF, 1],
    ...words,
    ...fold,
    ...[SET, C, GET, P, CONST, 16, ADD, SET, P, BR, 0, END, END],
    ...[BLOCK, EMPTY, LOOP, EMPTY, GET, P, GET, E, GE_U, BR_IF, 1],
    ...[GET, C, GET, P, LOAD8_U, 0, 0, XOR, CONST, ...sleb(255), AND, CONST, 2, SHL, LOAD, 2, 0],
    ...[GET, C, CONST, 8, SHR_U, XOR, SET, C, GET, P, CONST, 1, ADD, SET, P, BR, 0, END, END],
    ...[GET, C, END],
  ];
  const body = [...vec([[5, I32]]), ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes: one function `crc`, one exported memory `mem`. */
export function crcModule(): Uint8Array {
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32]]), ...vec([[I32]])]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(PAGES)]])),
    ...section(
      7,
      vec([
        [...name('mem'), 0x02, 0],
        [...name('crc'), 0x00, 0],
      ]),
    ),
    ...section(10, vec([crcBody()])),
  ]);
}

/** `crc32c(seed, data, start?, end?)`: the CRC of data[start, end), from seed. */
export type Crc32cFn = (seed: number, data: Uint8Array, start?: number, end?: number) => number;

/** The few WebAssembly calls used here, typed locally: the pure folders carry no DOM or Node types. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** The wasm CRC-32C, or undefined where the runtime has no WebAssembly or refuses to compile modules from bytes. */
export function loadWasmCrc32c(): Crc32cFn | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  let crc: (c: number, p: number, end: number) => number;
  let memory: Uint8Array;
  try {
    if (!api) return undefined;
    const { exports } = new api.Instance(new api.Module(crcModule()), {});
    crc = exports.crc as typeof crc;
    memory = new Uint8Array((exports.mem as { buffer: ArrayBuffer }).buffer);
  } catch {
    return undefined; // Workers: "Wasm code generation disallowed by embedder"
  }
  new Int32Array(memory.buffer, 0, CRC32C_TABLE.length).set(CRC32C_TABLE);
  return (seed, data, start = 0, end = data.length) => {
    let c = seed | 0;
    for (let at = start; at < end; at += WINDOW) {
      const n = Math.min(WINDOW, end - at);
      memory.set(data.subarray(at, at + n), TABLE_BYTES);
      c = crc(c, TABLE_BYTES, TABLE_BYTES + n);
    }
    return c >>> 0;
  };
}
