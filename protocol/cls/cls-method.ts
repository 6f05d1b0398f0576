// One object-class method, described once: its class and method names, how its `exec` input
// is encoded and its output decoded, and whether the class registers it read-only (CLS_METHOD_RD)
// or as a writer (CLS_METHOD_RD | CLS_METHOD_WR; src/objclass/objclass.h, each class's
// cls_register_cxx_method calls). The kernel's net/ceph/cls_lock_client.c writes one function per
// method in the same spirit. The OSD decides from that registration whether a CALL writes; the
// access here lets a read-only compound op refuse a writer at compile time.

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
  /** Decodes the method's output (the CALL op's outdata). */
  decode(output: Uint8Array): Out;
}

/** Input of a method that takes none (callers pass `undefined`). */
export const noInput = (_input: undefined): Uint8Array => new Uint8Array(0);
/** Output of a method that returns none (or whose output we ignore). */
export const noOutput = (): void => undefined;
/** An input or output passed through as the bytes the class takes or returns. */
export const rawBytes = (b: Uint8Array): Uint8Array => b;

/** A read-only method (CLS_METHOD_RD) with its input encoder and output decoder. */
export const clsRead = <In, Out>(cls: string, method: string, encode: (input: In) => Uint8Array, decode: (output: Uint8Array) => Out): ClsMethod<In, Out, 'read'> => ({
  cls,
  method,
  access: 'read',
  encode,
  decode,
});

/** A method that may write; its output, if any, is not used. */
export const clsWrite = <In>(cls: string, method: string, encode: (input: In) => Uint8Array): ClsMethod<In, void, 'write'> => ({
  cls,
  method,
  access: 'write',
  encode,
  decode: noOutput,
});
