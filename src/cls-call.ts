// The one path by which src/ calls an object-class method: a typed descriptor from protocol/cls
// (class and method named once, input encoder, output decoder) sent as IoCtx.exec sends it
// (librados rados_exec: one CALL op), with the caller's AbortSignal/timeout options.
import type { ClsMethod } from '../protocol/cls/cls-method.ts';
import type { CallOptions } from './abort.ts';
import type { IoCtx } from './ioctx.ts';

/** Calls an object-class method (IoCtx.exec) through its typed descriptor: encodes `input`, decodes the output. */
export async function callCls<In, Out>(io: IoCtx, oid: string, method: ClsMethod<In, Out>, input: In, options?: CallOptions): Promise<Out> {
  return method.decode(await io.exec(oid, method.cls, method.method, method.encode(input), options));
}

/** callCls with the object fixed (an image's header, for the code that works on an open image). */
export type ObjectClsCall = <In, Out>(method: ClsMethod<In, Out>, input: In, options?: CallOptions) => Promise<Out>;
