// One object-class method, described once: its class and method names, how its `exec` input
// is encoded and its output decoded, and whether the class registers it read-only (CLS_METHOD_RD)
// or as a writer (CLS_METHOD_RD | CLS_METHOD_WR; src/objclass/objclass.h, each class's
// cls_register_cxx_method calls). The kernel's net/ceph/cls_lock_client.c writes one function per
// method in the same spirit. The OSD decides from that registration whether a CALL writes; the
// access here lets a read-only compound op refuse a writer at compile time. Each method also
// reads its input back (decodeInput), so a trace can show what any client asked a class for.
import { Reader } from '../encoding/reader.ts';

/** How an object-class method is registered: 'read' (CLS_METHOD_RD) or 'write' (CLS_METHOD_RD | CLS_METHOD_WR). */
export type ClsAccess = 'read' | 'write';

/** An object-class method with typed input and output, for an `exec` (CEPH_OSD_OP_CALL) op. */
export interface ClsMethod<In, Out, A extends ClsAccess = ClsAccess> {
  /** The class name (e.g. "rbd", "lock"). */
  readonly cls: string;
  /** The method name within the class (e.g. "get_size"). */
  readonly method: string;
  /** Whether the class registers the method as a reader or a writer. */
  readonly access: A;
  /** Encodes the method's input (the CALL op's indata). */
  encode(input: In): Uint8Array;
  /**
   * Decodes the method's input (what `encode` writes, or what another client sent) from the CALL
   * op's indata after the class and method names. The whole input must be read: short input,
   * trailing bytes or a value `In` cannot hold throw a DecodeError.
   */
  decodeInput(input: Uint8Array): In;
  /** Decodes the method's output (the CALL op's outdata). */
  decode(output: Uint8Array): Out;
}

/** Input of a method that takes none (callers pass `undefined`). */
export const noInput = (_input: undefined): Uint8Array => new Uint8Array(0);
/** noInput's partner: there must be nothing (the class would ignore bytes, but no client of it sends any). */
export const decodeNoInput = (b: Uint8Array): undefined => {
  new Reader(b).expectEnd('input (the method takes none)');
  return undefined;
};
/** Output of a method that returns none (or whose output we ignore). */
export const noOutput = (): void => undefined;
/** An input or output passed through as the bytes the class takes or returns (its own partner as an input decoder). */
export const rawBytes = (b: Uint8Array): Uint8Array => b;

/** Reads a whole input with `body`: a DecodeError names `what` if bytes are left over. */
export function decodeWhole<T>(b: Uint8Array, what: string, body: (r: Reader) => T): T {
  const r = new Reader(b);
  const out = body(r);
  r.expectEnd(what);
  return out;
}

/** A read-only method (CLS_METHOD_RD) with its input encoder and decoder and its output decoder. */
export const clsRead = <In, Out>(
  cls: string,
  method: string,
  encode: (input: In) => Uint8Array,
  decodeInput: (input: Uint8Array) => In,
  decode: (output: Uint8Array) => Out,
): ClsMethod<In, Out, 'read'> => ({
  cls,
  method,
  access: 'read',
  encode,
  decodeInput,
  decode,
});

/** A method that may write, with its input encoder and decoder; its output, if any, is not used. */
export const clsWrite = <In>(cls: string, method: string, encode: (input: In) => Uint8Array, decodeInput: (input: Uint8Array) => In): ClsMethod<In, void, 'write'> => ({
  cls,
  method,
  access: 'write',
  encode,
  decodeInput,
  decode: noOutput,
});
