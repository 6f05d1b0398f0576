// The RADOS cluster handle (librados' Rados / Python `rados.Rados`): one MonClient, the current
// OSDMap, pool management. Runtime specifics (sockets, files) come in through RadosRuntime,
// so the same class serves Node and workerd.
import { Errno, RadosError } from '../protocol/errors.ts';
import { abortable, type CallOptions, callSignal } from './abort.ts';
import { type Logger, silentLogger } from './logger.ts';
import { checkCommand, MonClient, type MonCommandResult } from './mon/mon-client.ts';
import { type OsdMapCodec, OsdMapTracker } from './osdmap/osdmap-tracker.ts';

/** What the client needs to know about a decoded OSDMap, beyond the tracker's codec. */
export interface PlacementAdapter<M> extends OsdMapCodec<M> {
  pools(map: M): ReadonlyArray<{ id: number; name: string }>;
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

export class RadosCore<M> {
  /** @internal The monitor session. */
  readonly monc: MonClient;
  /** @internal The newest OSDMap and its subscription. */
  readonly osdmaps: OsdMapTracker<M>;
  /** @internal */
  protected readonly adapter: PlacementAdapter<M>;
  /** @internal */
  protected readonly log: Logger;
  /** @internal */
  protected readonly callTimeoutMs: number;
  private closed = false;

  protected constructor(monc: MonClient, adapter: PlacementAdapter<M>, log: Logger | undefined, callTimeoutMs: number) {
    this.monc = monc;
    this.adapter = adapter;
    this.log = log ?? silentLogger;
    this.callTimeoutMs = callTimeoutMs;
    this.osdmaps = new OsdMapTracker(adapter, monc, this.log);
    monc.onOsdMap = (m) => {
      try {
        this.osdmaps.handle(m);
      } catch (e) {
        this.log.error(`osdmap: cannot use MOSDMap: ${(e as Error).message}`);
      }
    };
  }

  /** Connects the mon client and waits for the first OSDMap. */
  protected async start(options: CallOptions): Promise<void> {
    const signal = callSignal(options, 30_000, 'connecting to the cluster');
    try {
      await this.monc.connect({ signal });
      this.osdmaps.start();
      await abortable(this.osdmaps.waitFor(1), signal);
    } catch (e) {
      await this.monc.close();
      throw e;
    }
  }

  /** The cluster's fsid, from the monmap. */
  get fsid(): string {
    return this.monc.fsid!;
  }

  /** Our cephx global id (the "client.NNNN" number Ceph shows for this session). */
  get instanceId(): bigint {
    return this.monc.globalId;
  }

  /** The newest OSDMap we hold. */
  get osdMap(): M {
    return this.osdmaps.map!;
  }

  /** A monitor command (JSON object or text); the result carries Ceph's return code, it does not throw on one. */
  monCommand(cmd: object | string, input?: Uint8Array, options?: CallOptions): Promise<MonCommandResult> {
    return this.monc.command(cmd, input, this.defaults(options));
  }

  /**
   * Python `blocklist_add`: fences a client address (as `ceph osd blocklist add`); its ops are
   * refused by every OSD from the map that carries it, which we hold when this resolves.
   */
  async blocklistAdd(address: string, expireSeconds?: number, options?: CallOptions): Promise<void> {
    const cmd: Record<string, unknown> = { prefix: 'osd blocklist', blocklistop: 'add', addr: address };
    if (expireSeconds !== undefined) cmd['expire'] = expireSeconds;
    checkCommand(await this.monCommand(cmd, undefined, options), `blocklist ${address}`);
    await this.waitForLatestOsdMap(options);
  }

  /** Resolves once we hold the newest OSDMap the monitors have committed. */
  async waitForLatestOsdMap(options?: CallOptions): Promise<void> {
    const signal = callSignal(this.defaults(options), this.callTimeoutMs, 'waiting for the latest osdmap');
    const { version } = await this.monc.getVersion('osdmap', { signal });
    await abortable(this.osdmaps.waitFor(Number(version)), signal);
  }

  /** The pools' names (Python `list_pools`). */
  async listPools(options?: CallOptions): Promise<string[]> {
    await this.waitForLatestOsdMap(options);
    return this.adapter.pools(this.osdMap).map((p) => p.name);
  }

  /** Pool id by name; RadosError ENOENT when there is none. */
  async poolLookup(name: string, options?: CallOptions): Promise<number> {
    const find = (): number | undefined => this.adapter.pools(this.osdMap).find((p) => p.name === name)?.id;
    let id = find();
    if (id === undefined) {
      await this.waitForLatestOsdMap(options);
      id = find();
    }
    if (id === undefined) throw new RadosError(`pool '${name}' does not exist`, Errno.ENOENT);
    return id;
  }

  /** Whether a pool of that name exists (Python `pool_exists`). */
  async poolExists(name: string, options?: CallOptions): Promise<boolean> {
    await this.waitForLatestOsdMap(options);
    return this.adapter.pools(this.osdMap).some((p) => p.name === name);
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
    const r = await this.monCommand(
      { prefix: 'osd pool delete', pool: name, pool2: name, yes_i_really_really_mean_it: true },
      undefined,
      options,
    );
    checkCommand(r, `delete pool ${name}`);
    await this.waitForLatestOsdMap(options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.monc.close();
  }

  protected defaults(options: CallOptions | undefined): CallOptions {
    return options?.timeoutMs !== undefined ? options : { ...options, timeoutMs: this.callTimeoutMs };
  }
}
