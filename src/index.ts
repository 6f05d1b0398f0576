// rados-ts (Node, Bun, Deno with node: compat): the client.
import { Rados as RadosBase } from './rados.ts';
import type { RadosConnectOptions } from './rados-options.ts';
import { nodeRuntime } from './runtime-node.ts';

export class Rados extends RadosBase {
  /** Connects to a cluster: `Rados.connect({ conf: '/etc/ceph/ceph.conf' })` or `{ monHost, key }`. */
  static connect(options: RadosConnectOptions = {}): Promise<RadosBase> {
    return RadosBase.connectWith(options, nodeRuntime);
  }
}
export type { RadosConnectOptions } from './rados-options.ts';
export { WriteOp, ReadOp } from './compound-op.ts';
export type { IoCtx, ObjectStat } from './ioctx.ts';
export type { MonCommandResult } from './mon/mon-client.ts';
export type { PoolCreateOptions } from './rados-core.ts';
export type { Logger } from './logger.ts';
export type { FrameEvent, FrameHook } from './msgr2/frame-trace.ts';
export type { Transport, TransportFactory } from './transport/transport.ts';
export { RadosError, AuthError, ConnectionError, TimeoutError, ProtocolError, Errno } from '../protocol/errors.ts';
