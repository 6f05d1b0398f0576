// One object-class method, described once: its class and method names, how its `exec` input
// is encoded and its output decoded, and whether the class registers it read-only (CLS_METHOD_RD)
// or as a writer (CLS_METHOD_RD | CLS_METHOD_WR; src/objclass/objclass.h, each class's
// cls_register_cxx_method calls). The kernel's net/ceph/cls_lock_client.c writes one function per
// method in the same spirit. The OSD decides from that registration whether a CALL writes; the
// access here lets a read-only compound op refuse a writer at compile time.

export type ClsAccess = 'read' | 'write';

export interface ClsMethod<In, Out, A extends ClsAccess = ClsAccess> {
  readonly cls: string;
  readonly method: string;
  readonly access: A;
  encode(input: In): Uint8Array;
  decode(output: Uint8Array): Out;
}

/** Input of a method that takes none (callers pass `undefined`). */
export const noInput = (_input: undefined): Uint8Array => new Uint8Array(0);
/** Output of a method that returns none (or whose output we ignore). */
export const noOutput = (): void => undefined;
/** An input or output passed through as the bytes the class takes or returns. */
export const rawBytes = (b: Uint8Array): Uint8Array => b;

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
