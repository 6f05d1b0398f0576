import type { CryptoProvider } from '../protocol/crypto/crypto-provider.ts';
import type { Logger } from './logger.ts';
import type { FrameHook } from './msgr2/frame-trace.ts';
import type { TraceSink } from './trace/trace-recorder.ts';
import type { TransportFactory } from './transport/transport.ts';

/** `Rados.connect` options: where the cluster is, who we are, and connection settings. */
export interface RadosConnectOptions {
  /** Path of a ceph.conf (Node, Deno, Bun): mon host, keyring and key are read from it. */
  conf?: string;
  /** `mon_host` as in ceph.conf: "v2:10.0.0.1:3300/0,[v2:10.0.0.2:3300,v1:10.0.0.2:6789]". */
  monHost?: string | string[];
  /** Entity name; default client.admin. */
  name?: string;
  /** The secret as `ceph auth get-key` prints it (base64). */
  key?: string;
  /** Path of a keyring file (Node) or the keyring's text. */
  keyring?: string;
  /** Connection mode: 'crc', 'secure', or 'prefer-secure' (secure first, crc accepted). Default 'prefer-crc' behaviour of Ceph: crc first. */
  mode?: 'crc' | 'secure' | 'prefer-secure' | 'prefer-crc';
  /** Aborts the connect. */
  signal?: AbortSignal;
  /** Timeout of connect (default 30 s). */
  timeoutMs?: number;
  /** Default timeout of each later call (default 60 s; 0 for none). */
  callTimeoutMs?: number;
  /** Close an OSD session unused for this long (default 60 s, as the kernel's osd_idle_ttl; 0: never). */
  osdIdleTtlMs?: number;
  /** How long an OSD keeps our watch without a ping before dropping it (osd_client_watch_timeout; default 30 s). */
  watchTimeoutSec?: number;
  /** Where diagnostics go; silent by default. */
  logger?: Logger;
  /** Called with each msgr2 frame sent or received (tracing). */
  onFrame?: FrameHook;
  /**
   * Record every frame to a trace file for `rados-ts trace decode`: a path (Node; also taken from
   * the environment variable RADOS_TS_TRACE when absent) or a sink of your own (any runtime).
   * Authentication payloads, and the input and output of monitor commands that carry keys
   * (`auth get-key`, `auth import`, …), are left out unless `traceSecrets` is true.
   */
  trace?: string | TraceSink;
  /** Keep authentication frames, MAuth messages (sealed tickets and keys) and the keys `auth` commands send and receive in the trace. */
  traceSecrets?: boolean;
  /** Runtime socket adapter; default node:net on Node, cloudflare:sockets under workerd. */
  transport?: TransportFactory;
  /** Crypto provider; default Web Crypto. */
  crypto?: CryptoProvider;
}
