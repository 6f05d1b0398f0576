// `Rados`: the cluster handle users create (Python: rados.Rados, librados' RadosClient): one
// Messenger (our identity on the wire), the MonClient, the newest OSDMap and its subscription,
// the Objecter and watch/notify over it, and pool management. Runtime specifics (sockets,
// files) come in through RadosRuntime, so the same class serves Node and workerd.
// Kept in our .d.ts (preserve) so consumers without Node types or lib esnext see Symbol.asyncDispose.
/// <reference lib="esnext.disposable" preserve="true" />
import { decodeOSDMap } from '../crush/osdmap/decode-osdmap.ts';
import { applyIncremental } from '../crush/osdmap/incremental.ts';
import type { OSDMap } from '../crush/osdmap/osdmap.ts';
import type { CephxClient } from '../protocol/cephx/client.ts';
import { type CryptoProvider, webCryptoProvider } from '../protocol/crypto/crypto-provider.ts';
import { Errno, RadosError } from '../protocol/errors.ts';
import { MsgType } from '../protocol/messages/message-types.ts';
import type { ClusterStats } from '../protocol/messages/statfs.ts';
import { ConMode } from '../protocol/msgr2/tags.ts';
import { abortable, type CallOptions, callSignal } from './abort.ts';
import { setupAuth } from './auth/auth-setup.ts';
import { type ReadTextFile, resolveConfig } from './config/resolve-config.ts';
import { RadosConfig, splitCephArgs } from '../protocol/config/rados-config.ts';
import { type IoCtx, newIoCtx } from './ioctx.ts';
import type { ConnectionEvent, RadosEvents } from './connection-events.ts';
import { Listeners, type Unsubscribe } from './listeners.ts';
import type { Logger } from './logger.ts';
import type { MonTarget } from './mon/mon-addrs.ts';
import { checkCommand, MonClient, type MonCommandResult } from './mon/mon-client.ts';
import { TraceRecorder, type TraceSink } from './trace/trace-recorder.ts';
import type { FrameHook } from './msgr2/frame-trace.ts';
import { Messenger } from './msgr2/messenger.ts';
import { Objecter, type ObjecterOpStatus } from './osd/objecter.ts';
import { WatchNotify, type WatchStatus } from './osd/watch-notify.ts';
import { OsdCommands, parsePgId, refusal } from './osd/osd-command.ts';
import { pingMonitor } from './mon/ping-monitor.ts';
import { MgrClient } from './mon/mgr-client.ts';
import { type OsdMapCodec, OsdMapTracker } from './osdmap/osdmap-tracker.ts';
import type { RadosConnectOptions } from './rados-options.ts';
import type { TransportFactory } from './transport/transport.ts';

/** The placement engine's OSDMap, as the tracker applies it. */
const osdMapCodec: OsdMapCodec<OSDMap> = { decodeFull: decodeOSDMap, applyIncremental, epochOf: (m) => m.epoch };

/** What an entry point (Node, workerd) supplies to `connectRados` (not exported by the entries). */
export interface RadosRuntime {
  transport: TransportFactory;
  /** The runtime's fastest CryptoProvider; Web Crypto when absent. */
  crypto?: CryptoProvider;
  readFile?: ReadTextFile;
  /** Opens a trace file for writing (Node); absent where there are no files. */
  openTraceFile?: (path: string) => Promise<TraceSink>;
  /** This host's name, for MMonSubscribe; called at connect, never at import (undefined: not known). */
  hostname?: () => string | undefined;
  /** An environment variable (Node); absent where there is no environment (workerd). */
  env?: (name: string) => string | undefined;
}

/** `createPool` options (`ceph osd pool create`). */
export interface PoolCreateOptions extends CallOptions {
  /** Placement groups (pg_num); the monitor's default when absent. */
  pgNum?: number;
  /** pgp_num; the monitor sets it to pg_num when absent. */
  pgpNum?: number;
  /** 'replicated' (default) or 'erasure'. */
  type?: 'replicated' | 'erasure';
  /** CRUSH rule name (replicated) or erasure-code profile (erasure). */
  rule?: string;
  /** Erasure-code profile of an erasure pool (the monitor's default when absent). */
  erasureCodeProfile?: string;
}

/** `mgrCommand` options (Python `mgr_command`'s `target`). */
export interface MgrCommandOptions extends CallOptions {
  /** A manager by name ("x" of mgr.x): the command goes to it as `ceph tell mgr.x` (MCommand); only the active one answers (else -ENXIO, as librados against Reef and Tentacle; against Pacific it waits). */
  target?: string;
}

/** What the handle is built from (connectRados resolves it from the options and the runtime). */
interface RadosParts {
  messenger: Messenger;
  mons: MonTarget[];
  hostname: string | undefined;
  /** The cephx client holding our tickets (undefined with auth none). */
  cephx: CephxClient | undefined;
  callTimeoutMs: number;
  osdIdleTtlMs: number | undefined;
  watchTimeoutSec: number | undefined;
  /** Records frames to a trace file; closed with the handle. */
  recorder: TraceRecorder | undefined;
  /** The option values (ceph.conf, CEPH_ARGS, the connect options). */
  config: RadosConfig;
}

/** What `Rados.inFlight()` reports: pending ops and registered watches. */
export interface InFlightStatus {
  /** Ops waiting for an answer, oldest first (`objecter_requests` "ops"). */
  ops: ObjecterOpStatus[];
  /** Registered watches (`objecter_requests` "linger_ops"). */
  watches: WatchStatus[];
}

/** @internal What tests inspect of a handle (never exported by the entry points). */
export interface RadosInternals {
  readonly monc: MonClient;
  readonly objecter: Objecter;
  readonly cephx: CephxClient | undefined;
  readonly messenger: Messenger;
}

// What the class body hands to this module (its static block): private state stays off the class's surface.
let internalsOf: (rados: Rados) => RadosInternals;
let construct: (cls: typeof Rados, parts: RadosParts) => Rados;
let start: (rados: Rados, options: CallOptions) => Promise<void>;

function modesFor(mode: RadosConnectOptions['mode']): number[] {
  switch (mode) {
    case 'secure':
      return [ConMode.SECURE];
    case 'crc':
      return [ConMode.CRC];
    case 'prefer-secure':
      return [ConMode.SECURE, ConMode.CRC];
    case 'prefer-crc':
    case undefined:
      return [ConMode.CRC, ConMode.SECURE];
  }
}

/** The trace recorder `options.trace` asks for (a path needs the runtime's files). */
async function openRecorder(options: RadosConnectOptions, runtime: RadosRuntime, entity: string): Promise<TraceRecorder | undefined> {
  const trace = options.trace;
  if (trace === undefined) return undefined;
  let sink: TraceSink;
  if (typeof trace === 'string') {
    if (!runtime.openTraceFile) throw new RadosError(`trace: this runtime has no files; pass a TraceSink instead of '${trace}'`, Errno.EINVAL);
    sink = await runtime.openTraceFile(trace);
  } else sink = trace;
  return TraceRecorder.open(sink, entity, options.traceSecrets === true);
}

export class Rados {
  readonly #recorder: TraceRecorder | undefined;
  readonly #messenger: Messenger;
  readonly #monc: MonClient;
  readonly #osdmaps: OsdMapTracker<OSDMap>;
  readonly #objecter: Objecter;
  readonly #watchNotify: WatchNotify;
  readonly #osdCommands: OsdCommands;
  readonly #mgr: MgrClient;
  readonly #cephx: CephxClient | undefined;
  readonly #log: Logger;
  readonly #callTimeoutMs: number;
  readonly #config: RadosConfig;
  readonly #events = new Listeners<RadosEvents>();
  #closed = false;

  static {
    internalsOf = (r) => ({ monc: r.#monc, objecter: r.#objecter, cephx: r.#cephx, messenger: r.#messenger });
    construct = (cls, parts) => new cls(parts);
    start = (r, o) => r.#start(o);
  }

  /** Entry points construct through `connectRados`. */
  protected constructor(parts: RadosParts) {
    this.#recorder = parts.recorder;
    const messenger = parts.messenger;
    this.#messenger = messenger;
    this.#log = messenger.log;
    this.#cephx = parts.cephx;
    this.#callTimeoutMs = parts.callTimeoutMs;
    this.#config = parts.config;
    this.#monc = new MonClient({ messenger, mons: parts.mons, ...(parts.hostname !== undefined ? { hostname: parts.hostname } : {}) });
    this.#osdmaps = new OsdMapTracker(osdMapCodec, this.#monc, this.#log);
    this.#objecter = new Objecter({
      messenger,
      map: () => this.#osdmaps.map,
      waitForLatestMap: (o) => this.waitForLatestOsdMap(o),
      ...(parts.osdIdleTtlMs !== undefined ? { idleTtlMs: parts.osdIdleTtlMs } : {}),
    });
    this.#watchNotify = new WatchNotify(this.#objecter, undefined, parts.watchTimeoutSec, messenger.log);
    this.#mgr = new MgrClient(messenger, this.#monc);
    this.#osdCommands = new OsdCommands({
      objecter: this.#objecter,
      map: () => this.#osdmaps.map,
      waitForLatestMap: (o) => this.waitForLatestOsdMap(o),
      fsid: () => this.fsid,
      log: this.#log,
    });
    // One path for every MOSDMap, from a monitor or an OSD (Objecter::handle_osd_map).
    messenger.on(MsgType.OSD_MAP, (m) => {
      try {
        this.#osdmaps.handle(m);
      } catch (e) {
        this.#log.error(`osdmap: cannot use MOSDMap: ${(e as Error).message}`);
      }
    });
    this.#osdmaps.on('map', (_map, change) => this.#objecter.handleMapChange(change.epochs, change.skipped));
    const announce = (event: ConnectionEvent): void => {
      // A listener that throws must not break the session code that announced the change.
      try {
        this.#events.emit('connection', event);
      } catch (e) {
        this.#log.warn(`connection event listener threw: ${(e as Error).message}`);
      }
    };
    this.#monc.on('session', (mon, globalId) => announce({ type: 'mon-session', mon, globalId }));
    this.#monc.on('lost', (mon, reason) => announce({ type: 'mon-hunting', mon, reason }));
    this.#objecter.on('sessionReset', (osd, reason) => announce({ type: 'osd-session-reset', osd, ...(reason !== undefined ? { reason } : {}) }));
    this.#watchNotify.on('reconnected', (cookie, addr) => announce({ type: 'watch-reconnected', cookie, pool: addr.poolId, oid: addr.oid }));
    this.#watchNotify.on('lost', (cookie, addr, error) =>
      announce({ type: 'watch-lost', cookie, pool: addr.poolId, oid: addr.oid, errno: error instanceof RadosError ? error.errno : 0 }),
    );
  }

  /**
   * Listens to the handle's connection changes: `rados.on('connection', (e) => …)` hears a
   * monitor session lost ('mon-hunting') and the next one found ('mon-session'; the first,
   * made during connect, is over before a listener can be added), OSD sessions that reset
   * ('osd-session-reset'), and watches registered again ('watch-reconnected') or lost
   * ('watch-lost'). Returns the listener's removal. A listener that throws is logged and ignored.
   */
  on<K extends keyof RadosEvents>(event: K, fn: (...args: RadosEvents[K]) => void): Unsubscribe {
    return this.#events.on(event, fn);
  }

  /** Connects the mon client and waits for the first OSDMap. */
  async #start(options: CallOptions): Promise<void> {
    const signal = callSignal(options, 30_000, 'connecting to the cluster');
    try {
      await this.#monc.connect({ signal });
      this.#osdmaps.start();
      await abortable(this.#osdmaps.waitFor(1), signal);
    } catch (e) {
      await this.#objecter.close();
      await this.#monc.close();
      throw e;
    }
  }

  /** The cluster's fsid, from the monmap. */
  get fsid(): string {
    return this.#monc.fsid!;
  }

  /** Our cephx global id (the "client.NNNN" number Ceph shows for this session). */
  get instanceId(): bigint {
    return this.#messenger.globalId;
  }

  /** The newest OSDMap we hold. */
  get osdMap(): OSDMap {
    return this.#osdmaps.map!;
  }

  /**
   * What this handle waits on, as `ceph daemon client.X objecter_requests` shows it for
   * librados: every op not yet answered (its target, attempts, age, last send and why it was
   * last resent) and every registered watch (when its OSD last confirmed it). The ops are
   * oldest first: an op whose `ageMs` keeps growing while `waitingFor` stays the same is
   * the one to look at.
   */
  inFlight(): InFlightStatus {
    const now = Date.now();
    return { ops: this.#objecter.requests(now), watches: this.#watchNotify.watchStatus(now) };
  }

  /** An I/O context for a pool (Python: `rados.open_ioctx(name)`). */
  async openIoCtx(poolName: string, options?: CallOptions): Promise<IoCtx> {
    const id = await this.poolLookup(poolName, options);
    return newIoCtx(
      {
        objecter: this.#objecter,
        watchNotify: this.#watchNotify,
        map: () => this.#osdmaps.map,
        poolOp: (pool, op, o) => this.#monc.poolOp(pool, op, this.#defaults(o)),
        waitForEpoch: (epoch, o) => abortable(this.#osdmaps.waitFor(epoch), callSignal(this.#defaults(o), this.#callTimeoutMs, `waiting for osdmap ${epoch}`)),
        instanceId: () => this.instanceId,
        blocklistAdd: (addr, o) => this.blocklistAdd(addr, undefined, o),
        monCommand: (cmd, o) => this.monCommand(cmd, undefined, o),
        waitForLatestOsdMap: (o) => this.waitForLatestOsdMap(o),
        poolStats: (pools, o) => this.#monc.poolStats(pools, this.#defaults(o)),
        log: this.#log,
      },
      id,
      poolName,
    );
  }

  /** A monitor command (JSON object or text); the result carries Ceph's return code, it does not throw on one. */
  monCommand(cmd: object | string, input?: Uint8Array, options?: CallOptions): Promise<MonCommandResult> {
    return this.#monc.command(cmd, input, this.#defaults(options));
  }

  /**
   * Python `osd_command`: a command for one OSD (as `ceph tell osd.N`), sent to it as librados
   * does (MCommand on our session with it). Like `monCommand` the result carries the return code
   * and does not throw on one: an OSD id below 0 is -EINVAL, one the newest map does not have
   * -ENOENT ("osd dne"), one that is down -ENXIO ("osd down"), a command the OSD does not know
   * -EINVAL from the OSD itself.
   */
  osdCommand(osdId: number, cmd: object | string, input?: Uint8Array, options?: CallOptions): Promise<MonCommandResult> {
    if (!Number.isInteger(osdId) || osdId < 0) return Promise.resolve(refusal(Errno.EINVAL, ''));
    return this.#osdCommands.command({ osd: osdId }, typeof cmd === 'string' ? cmd : JSON.stringify(cmd), input, this.#defaults(options));
  }

  /**
   * Python `pg_command`: a command for a PG ("1.2f"), sent to its acting primary as librados
   * does; the result carries the return code as `osdCommand`'s. A pgid that does not parse is
   * -EINVAL (rados_pg_command; Python's binding then fails decoding buffers librados never filled), a pool the newest map
   * does not have -ENOENT ("pool dne").
   */
  pgCommand(pgid: string, cmd: object | string, input?: Uint8Array, options?: CallOptions): Promise<MonCommandResult> {
    const pg = parsePgId(pgid);
    if (!pg) return Promise.resolve(refusal(Errno.EINVAL, ''));
    return this.#osdCommands.command(pg, typeof cmd === 'string' ? cmd : JSON.stringify(cmd), input, this.#defaults(options));
  }

  /**
   * Python `mgr_command`: a command for the active manager (MMgrCommand on a session with it, as
   * librados' MgrClient; the MgrMap is subscribed to on the first call), or with `target` for
   * that manager by name (MCommand; -ENXIO unless it is the active one, as librados). Like `monCommand` the
   * result carries the return code. Waits, within the call's timeout, while no manager is active.
   */
  mgrCommand(cmd: object | string, input?: Uint8Array, options?: MgrCommandOptions): Promise<MonCommandResult> {
    return this.#mgr.command(typeof cmd === 'string' ? cmd : JSON.stringify(cmd), input, options?.target, this.#defaults(options));
  }

  /**
   * Python `ping_monitor`: asks one monitor, by name ("a"), for its health and status on a
   * connection of its own (MPing, as MonClient::ping_monitor), even without quorum; returns its
   * JSON text. EINVAL for an empty name, ENOENT for a monitor the monmap does not have.
   */
  pingMonitor(monId: string, options?: CallOptions): Promise<string> {
    return pingMonitor(this.#messenger, this.#monc.monmap!, monId, this.#defaults(options));
  }

  /**
   * Python `conf_get`: an option's value as librados prints it ("rados_osd_op_timeout" →
   * "0", floats with six decimals, bools as true/false), from ceph.conf, `CEPH_ARGS`, the
   * connect options and `confSet`, else its default. RadosError ENOENT for an option this client
   * does not know and nothing set (Python's binding returns None where librados says ENOENT).
   * The client applies mon_host, key and keyring at connect; the others are kept for reading.
   */
  confGet(option: string): string {
    return this.#config.get(option);
  }

  /**
   * Python `conf_set`: ENOENT for an unknown option, EINVAL for a value its type refuses,
   * EPERM for one fixed once connected (mon_host, key, keyfile, run_dir, admin_socket).
   */
  confSet(option: string, value: string): void {
    this.#config.set(option, value, true);
  }

  /**
   * Python `conf_read_file` on a connected handle: librados reads config files only before it
   * connects (md_config_t::parse_config_files refuses once threads run), so this is ENOSYS, as
   * there; give the file to `Rados.connect({ conf })`, which reads it (and `CEPH_CONF`, the
   * default paths) as rados_conf_read_file does.
   */
  confReadFile(path?: string): Promise<void> {
    return Promise.reject(new RadosError(`conf_read_file${path !== undefined ? ` ${path}` : ''}: the handle is connected; pass the file to Rados.connect({ conf })`, Errno.ENOSYS));
  }

  /**
   * Python `conf_parse_argv` on a connected handle: ENOSYS, as librados once connected. The
   * options `CEPH_ARGS` gives are taken at connect (as Python's `Rados()` does).
   */
  confParseArgv(args: readonly string[]): string[] {
    throw new RadosError(`conf_parse_argv ${args.join(' ')}: the handle is connected; options are taken from CEPH_ARGS at connect`, Errno.ENOSYS);
  }

  /**
   * Python `conf_parse_env` on a connected handle: nothing changes, as with librados once
   * connected (it returns success and applies nothing). `CEPH_ARGS` is read at connect.
   */
  confParseEnv(variable = 'CEPH_ARGS'): void {
    this.#log.debug(`conf_parse_env ${variable}: the handle is connected; nothing applied (as librados)`);
  }

  /**
   * Python `blocklist_add`: fences a client address (as `ceph osd blocklist add`); its ops are
   * refused by every OSD from the map that carries it, which we hold when this resolves.
   */
  async blocklistAdd(address: string, expireSeconds?: number, options?: CallOptions): Promise<void> {
    // The monitor's `expire` is a CephFloat, and its JSON parser refuses a whole number there
    // ("bad or missing field 'expire'"): librados (RadosClient::blocklist_add) writes the
    // seconds followed by ".0", and leaves the field out for 0 (the monitor's default expiry).
    let cmd = `{"prefix": "osd blocklist", "blocklistop": "add", "addr": ${JSON.stringify(address)}`;
    if (expireSeconds !== undefined && expireSeconds !== 0) cmd += `, "expire": ${Number.isInteger(expireSeconds) ? `${expireSeconds}.0` : JSON.stringify(expireSeconds)}`;
    cmd += '}';
    checkCommand(await this.monCommand(cmd, undefined, options), `blocklist ${address}`);
    await this.waitForLatestOsdMap(options);
  }

  /**
   * The cluster's usage totals (Python `get_cluster_stats`: kb, kb_used, kb_avail, num_objects),
   * asked of the monitor with MStatfs as librados does; `rados df` prints the same totals.
   */
  getClusterStats(options?: CallOptions): Promise<ClusterStats> {
    return this.#monc.statfs(this.#defaults(options));
  }

  /** Resolves once we hold the newest OSDMap the monitors have committed. */
  async waitForLatestOsdMap(options?: CallOptions): Promise<void> {
    const signal = callSignal(this.#defaults(options), this.#callTimeoutMs, 'waiting for the latest osdmap');
    const { version } = await this.#monc.getVersion('osdmap', { signal });
    await abortable(this.#osdmaps.waitFor(Number(version)), signal);
  }

  /** The pools' names (Python `list_pools`). */
  async listPools(options?: CallOptions): Promise<string[]> {
    await this.waitForLatestOsdMap(options);
    return this.#pools().map((p) => p.name);
  }

  /** A pool's name from its id (Python `pool_reverse_lookup`); ENOENT when no pool has it, after asking for the newest map. */
  async poolReverseLookup(poolId: number, options?: CallOptions): Promise<string> {
    return (await this.#poolWhere((p) => p.id === poolId, `pool ${poolId}`, options)).name;
  }

  /**
   * The pool a cache tier sits over, or the pool itself when it is not a tier (Python
   * `get_pool_base_tier`, rados_pool_get_base_tier); ENOENT when no pool has the id.
   */
  async getPoolBaseTier(poolId: number, options?: CallOptions): Promise<number> {
    await this.poolReverseLookup(poolId, options);
    const tierOf = this.osdMap.pools.get(poolId)!.tierOf;
    return tierOf >= 0n ? Number(tierOf) : poolId;
  }

  /** Pool id by name; RadosError ENOENT when there is none. */
  async poolLookup(name: string, options?: CallOptions): Promise<number> {
    return (await this.#poolWhere((p) => p.name === name, `pool '${name}'`, options)).id;
  }

  /** The pool `match` picks in our map, or after asking for the newest one (a pool made since); ENOENT when none. */
  async #poolWhere(match: (p: { id: number; name: string }) => boolean, what: string, options?: CallOptions): Promise<{ id: number; name: string }> {
    let pool = this.#pools().find(match);
    if (pool === undefined) {
      await this.waitForLatestOsdMap(options);
      pool = this.#pools().find(match);
    }
    if (pool === undefined) throw new RadosError(`${what} does not exist`, Errno.ENOENT);
    return pool;
  }

  /** Whether a pool of that name exists (Python `pool_exists`). */
  async poolExists(name: string, options?: CallOptions): Promise<boolean> {
    await this.waitForLatestOsdMap(options);
    return this.#pools().some((p) => p.name === name);
  }

  /** `ceph osd pool create`; resolves when our OSDMap has the pool. */
  async createPool(name: string, options: PoolCreateOptions = {}): Promise<number> {
    // As Objecter::create_pool: a name already in the newest map is EEXIST (the mon command alone would say 0).
    if (await this.poolExists(name, options)) throw new RadosError(`pool '${name}' already exists`, Errno.EEXIST);
    const cmd: Record<string, unknown> = { prefix: 'osd pool create', pool: name, pool_type: options.type ?? 'replicated' };
    if (options.pgNum !== undefined) cmd['pg_num'] = options.pgNum;
    if (options.pgpNum !== undefined) cmd['pgp_num'] = options.pgpNum;
    if (options.type === 'erasure') {
      if (options.erasureCodeProfile) cmd['erasure_code_profile'] = options.erasureCodeProfile;
      if (options.rule) cmd['rule'] = options.rule;
    } else if (options.rule) cmd['rule'] = options.rule;
    checkCommand(await this.monCommand(cmd, undefined, options), `create pool ${name}`);
    return this.poolLookup(name, options);
  }

  /** `ceph osd pool delete` (the cluster must allow it: mon_allow_pool_delete). */
  async deletePool(name: string, options?: CallOptions): Promise<void> {
    const r = await this.monCommand({ prefix: 'osd pool delete', pool: name, pool2: name, yes_i_really_really_mean_it: true }, undefined, options);
    checkCommand(r, `delete pool ${name}`);
    await this.waitForLatestOsdMap(options);
  }

  /** Closes every OSD and monitor connection; the handle cannot be used after. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#osdCommands.close();
    await this.#mgr.close();
    await this.#objecter.close();
    await this.#monc.close();
    await this.#recorder?.close();
  }

  /** `close()`, for `await using rados = await Rados.connect(…)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Pools by id, with their names. */
  #pools(): Array<{ id: number; name: string }> {
    const m = this.osdMap;
    return [...m.pools.keys()].sort((a, b) => a - b).map((id) => ({ id, name: m.poolNames.get(id) ?? String(id) }));
  }

  #defaults(options: CallOptions | undefined): CallOptions {
    return options?.timeoutMs !== undefined ? options : { ...options, timeoutMs: this.#callTimeoutMs };
  }
}

/** @internal The monitor client, objecter, cephx client and messenger of a handle (tests; not exported by the entry points). */
export function radosInternals(rados: Rados): RadosInternals {
  return internalsOf(rados);
}

/**
 * Connects, authenticates, and waits for the monmap and the first OSDMap, with a runtime's
 * sockets and files. The handle is an instance of `cls`, so an entry point's `Rados.connect`
 * returns its own `Rados`. A module function, not a static of the class: the entry points
 * call it and do not re-export it, so users reach it only through `Rados.connect`.
 */
export async function connectRados(cls: typeof Rados, options: RadosConnectOptions, runtime: RadosRuntime): Promise<Rados> {
  const crypto = options.crypto ?? runtime.crypto ?? webCryptoProvider;
  const cfg = await resolveConfig(options, runtime.readFile);
  const auth = setupAuth(cfg, crypto);
  const recorder = await openRecorder(options, runtime, cfg.name);
  const hooks = [options.onFrame, recorder?.frame].filter((h): h is FrameHook => h !== undefined);
  const onFrame: FrameHook | undefined =
    hooks.length <= 1
      ? hooks[0]
      : (e) => {
          for (const h of hooks) h(e);
        };
  // One messenger for all our connections, as librados: one address (nonce) and one
  // connection counter, so daemons see one client and a blocklist entry fences it whole.
  const messenger = new Messenger({
    auth,
    crypto,
    transport: options.transport ?? runtime.transport,
    modes: modesFor(options.mode),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(onFrame ? { onFrame } : {}),
  });
  // As librados: the ceph.conf, then CEPH_ARGS's options (command-line values outrank the file's).
  const config = new RadosConfig(cfg.name);
  if (cfg.conf) config.readConf(cfg.conf);
  const cephArgs = runtime.env?.('CEPH_ARGS');
  if (cephArgs) config.parseArgv(splitCephArgs(cephArgs), false);
  // What the options gave, over the ceph.conf's (a keyring given as text is no path to show).
  if (options.monHost !== undefined) config.set('mon_host', Array.isArray(options.monHost) ? options.monHost.join(',') : options.monHost, false);
  if (options.key !== undefined) config.set('key', options.key, false);
  if (options.keyring !== undefined && !options.keyring.includes('[')) config.set('keyring', options.keyring, false);
  const rados = construct(cls, {
    config,
    messenger,
    mons: cfg.mons,
    hostname: runtime.hostname?.(),
    cephx: auth.cephx,
    callTimeoutMs: options.callTimeoutMs ?? 60_000,
    osdIdleTtlMs: options.osdIdleTtlMs,
    watchTimeoutSec: options.watchTimeoutSec,
    recorder,
  });
  await start(rados, { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: options.timeoutMs ?? 30_000 });
  return rados;
}
