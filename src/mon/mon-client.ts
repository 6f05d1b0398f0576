// The monitor client (modelled on src/mon/MonClient.cc and the kernel's net/ceph/mon_client.c):
// one session with one monitor at a time; hunting across the monmap when it drops; commands
// and version queries tracked by tid and resent on the next session, so none is lost to a fault.
import { AuthError, ConnectionError, ProtocolError, RadosError } from '../../protocol/errors.ts';
import { decodeMonMap, type MonMap } from '../../protocol/maps/monmap.ts';
import { encodeMonCommand, decodeMonCommandAck, MON_COMMAND } from '../../protocol/messages/mon-command.ts';
import { decodeMonGetVersionReply, encodeMonGetVersion, MON_GET_VERSION } from '../../protocol/messages/mon-get-version.ts';
import { decodeMonMapMessage, MMonGetMap } from '../../protocol/messages/mon-map-message.ts';
import { decodeAuthReply, encodeAuthMessage, MAUTH } from '../../protocol/messages/auth-message.ts';
import { MsgType, msgTypeName } from '../../protocol/messages/message-types.ts';
import { encodeMonSubscribe, MON_SUBSCRIBE, SUBSCRIBE_ONETIME, type SubscribeItem } from '../../protocol/messages/mon-subscribe.ts';
import type { Message } from '../../protocol/msgr2/message-frame.ts';
import { decodePoolOpReply, encodePoolOp, MPOOL_OP, type PoolOpReply } from '../../protocol/messages/pool-op.ts';
import { utf8Decode } from '../../protocol/encoding/utf8.ts';
import { type ClusterStats, decodeStatfsReply, encodeStatfs, MSTATFS } from '../../protocol/messages/statfs.ts';
import { decodeGetPoolStatsReply, encodeGetPoolStats, type GetPoolStatsReply, MGET_POOL_STATS } from '../../protocol/messages/pool-stats.ts';
import { AddrType } from '../../protocol/types/entity-addr.ts';
import { abortable, abortReason, type CallOptions, callSignal, sleep } from '../abort.ts';
import type { Logger } from '../logger.ts';
import type { Connection, OutgoingMessage } from '../msgr2/connection.ts';
import type { Messenger } from '../msgr2/messenger.ts';
import { EntityType } from '../../protocol/types/entity-name.ts';
import { isRuntimePermissionDenial } from '../transport/transport.ts';
import type { MonTarget } from './mon-addrs.ts';
import { Listeners, type Unsubscribe } from '../listeners.ts';

/** What the mon client announces about its session. */
export interface MonClientEvents {
  /** A session opened with this monitor ("ip:port"). */
  session: [mon: string, globalId: bigint];
  /** The session with this monitor was lost; hunting starts. */
  lost: [mon: string, reason: string];
}

export interface MonClientOptions {
  /** Opens our connections, with our identity and auth (a fresh mon exchange per connection). */
  messenger: Messenger;
  mons: MonTarget[];
  hostname?: string;
  /** Per-monitor connect + handshake timeout while hunting (mon_client_hunt_interval: 3 s). */
  huntIntervalMs?: number;
  /** Longest pause between hunting rounds. */
  maxBackoffMs?: number;
  keepaliveIntervalMs?: number;
  /** Default timeout of commands; 0 means none. */
  commandTimeoutMs?: number;
}

/** A monitor command's reply (Python `mon_command`: ret, outbuf, outs). */
export interface MonCommandResult {
  /** 0 or a negative errno, as Ceph returns it. */
  code: number;
  /** The status string (rs). */
  status: string;
  /** The output data (outbl). */
  output: Uint8Array;
  /** `output` as UTF-8 text. */
  outputText: string;
}

interface Pending {
  tid: bigint;
  message: () => OutgoingMessage;
  resolve: (m: Message) => void;
  reject: (e: Error) => void;
}

export class MonClient {
  monmap: MonMap | undefined;
  fsid: string | undefined;

  private readonly opts: MonClientOptions;
  private readonly messenger: Messenger;
  private readonly log: Logger;
  private mons: MonTarget[];
  private session: Connection | undefined;
  private hunting: Promise<void> | undefined;
  private closed = false;
  readonly #events = new Listeners<MonClientEvents>();
  private lastTid = 0n;
  private readonly pending = new Map<bigint, Pending>();
  private readonly subs = new Map<string, SubscribeItem>();
  private lastMon: MonTarget | undefined;
  private sessionWaiters: Array<() => void> = [];
  private monmapWaiters: Array<() => void> = [];
  private ticketTimer: ReturnType<typeof setInterval> | undefined;
  private ticketRequestInFlight = false;
  /** The newest pgmap version a pool stats reply carried (Objecter's last_seen_pgmap_version). */
  private lastSeenPgmapVersion = 0n;

  /** Adds a listener (see MonClientEvents); returns its removal. */
  on<K extends keyof MonClientEvents>(event: K, fn: (...args: MonClientEvents[K]) => void): Unsubscribe {
    return this.#events.on(event, fn);
  }

  constructor(opts: MonClientOptions) {
    this.opts = opts;
    this.messenger = opts.messenger;
    this.mons = [...opts.mons];
    this.log = opts.messenger.log;
    this.subs.set('monmap', { start: 0n, flags: 0 });
    const tickets = opts.messenger.auth.tickets;
    if (tickets) {
      this.ticketTimer = setInterval(() => void this.checkTickets(), tickets.intervalMs ?? 1_000);
      (this.ticketTimer as { unref?: () => void }).unref?.();
    }
  }

  /** Renews service tickets before they expire, so sessions to OSDs outlive any one ticket. */
  private async checkTickets(): Promise<void> {
    const t = this.messenger.auth.tickets;
    const conn = this.session;
    if (!t || !conn || conn.closed || this.ticketRequestInFlight) return;
    try {
      const payload = await t.request();
      if (!payload) return;
      this.ticketRequestInFlight = true;
      await conn.send({ ...MAUTH, front: encodeAuthMessage(t.protocol, payload, this.monmap?.epoch ?? 0) });
    } catch (e) {
      this.ticketRequestInFlight = false;
      this.log.warn(`mon client: ticket renewal failed: ${(e as Error).message}`);
    }
  }

  /** Our global id (the messenger's, which mon authentication sets). */
  get globalId(): bigint {
    return this.messenger.globalId;
  }

  get currentMon(): MonTarget | undefined {
    return this.session ? this.lastMon : undefined;
  }

  /** Opens the first session. Rejects with AuthError when every monitor refuses our credentials. */
  async connect(options?: CallOptions): Promise<void> {
    const signal = callSignal(options, 30_000, 'connecting to the monitors');
    await this.hunt(signal, true);
    // Commands carry the fsid, which the monmap gives us: wait for it, as MonClient::init does.
    while (!this.monmap) await abortable(new Promise<void>((r) => this.monmapWaiters.push(r)), signal);
  }

  /** Sends a command as `ceph` does: a JSON object (or its text); the result carries Ceph's errno. */
  async command(cmd: object | string, input?: Uint8Array, options?: CallOptions): Promise<MonCommandResult> {
    const text = typeof cmd === 'string' ? cmd : JSON.stringify(cmd);
    const reply = await this.request(
      (tid) => ({ ...MON_COMMAND, tid, front: encodeMonCommand({ fsid: this.fsid ?? '00000000-0000-0000-0000-000000000000', cmd: [text] }), ...(input ? { data: [input] } : {}) }),
      options,
      `mon command ${text}`,
    );
    const ack = decodeMonCommandAck(reply.front);
    return { code: ack.r, status: ack.rs, output: reply.data, outputText: utf8Decode(reply.data, 0, reply.data.length) };
  }

  /** MMonGetVersion: the newest and oldest committed versions of a map ("osdmap", "monmap", ...). */
  async getVersion(what: string, options?: CallOptions): Promise<{ version: bigint; oldestVersion: bigint }> {
    const reply = await this.request((tid) => ({ ...MON_GET_VERSION, tid, front: encodeMonGetVersion(tid, what) }), options, `get version of ${what}`);
    const r = decodeMonGetVersionReply(reply.front);
    return { version: r.version, oldestVersion: r.oldestVersion };
  }

  /** MStatfs: the cluster's usage totals (Objecter::get_fs_stats, through the monitor). */
  async statfs(options?: CallOptions): Promise<ClusterStats> {
    const reply = await this.request(
      (tid) => ({ ...MSTATFS, tid, front: encodeStatfs({ fsid: this.fsid ?? '00000000-0000-0000-0000-000000000000', dataPool: undefined }) }),
      options,
      'statfs',
    );
    return decodeStatfsReply(reply.front).stats;
  }

  /** MGetPoolStats: the named pools' pool_stat_t (Objecter::get_pool_stats, through the monitor). */
  async poolStats(pools: string[], options?: CallOptions): Promise<GetPoolStatsReply> {
    const reply = await this.request(
      (tid) => ({
        ...MGET_POOL_STATS,
        tid,
        front: encodeGetPoolStats({ fsid: this.fsid ?? '00000000-0000-0000-0000-000000000000', pools, version: this.lastSeenPgmapVersion }),
      }),
      options,
      `pool stats of ${pools.join(', ')}`,
    );
    const r = decodeGetPoolStatsReply(reply.front, reply.header.version);
    if (r.header.version > this.lastSeenPgmapVersion) this.lastSeenPgmapVersion = r.header.version;
    return r;
  }

  /** MPoolOp (pool snapshots): resolves with the reply's code, epoch and data. */
  async poolOp(pool: number, op: number, opts: { name?: string; snapId?: bigint } & CallOptions = {}): Promise<PoolOpReply> {
    const reply = await this.request(
      (tid) => ({
        ...MPOOL_OP,
        tid,
        front: encodePoolOp({ fsid: this.fsid ?? '00000000-0000-0000-0000-000000000000', pool, op, snapId: opts.snapId ?? 0n, name: opts.name ?? '' }),
      }),
      opts,
      `pool op ${op} on pool ${pool}`,
    );
    return decodePoolOpReply(reply.front);
  }

  /** Subscribes to a map from epoch `start` (0: just the latest); renewed on every new session. */
  subscribe(what: string, start: bigint | number, onetime = false): void {
    this.subs.set(what, { start: BigInt(start), flags: onetime ? SUBSCRIBE_ONETIME : 0 });
    this.sendSubscriptions();
  }

  /** Notes that epoch `epoch` of `what` arrived: a continuous subscription moves on, a one-time one ends. */
  gotMap(what: string, epoch: number): void {
    const s = this.subs.get(what);
    if (!s) return;
    if (s.flags & SUBSCRIBE_ONETIME) this.subs.delete(what);
    else s.start = BigInt(epoch) + 1n;
  }

  /** Sends a message on the current session (waiting for one if hunting). */
  async send(m: OutgoingMessage, options?: CallOptions): Promise<void> {
    const conn = await this.waitForSession(callSignal(options, 0, 'sending to the monitor'));
    await conn.send(m);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ticketTimer) clearInterval(this.ticketTimer);
    const err = new ConnectionError('mon client closed');
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const w of this.sessionWaiters) w();
    this.sessionWaiters = [];
    await this.session?.close();
    this.session = undefined;
  }

  // --- requests --------------------------------------------------------------------------

  private request(build: (tid: bigint) => OutgoingMessage, options: CallOptions | undefined, what: string): Promise<Message> {
    if (this.closed) return Promise.reject(new ConnectionError('mon client is closed'));
    const signal = callSignal(options, this.opts.commandTimeoutMs ?? 60_000, what);
    const tid = ++this.lastTid;
    const onAbort = (): void => {
      const entry = this.pending.get(tid);
      this.pending.delete(tid);
      entry?.reject(abortReason(signal));
    };
    // The listener goes as the request settles, either way: no promise derived from p whose
    // rejection (p's own, which reaches the caller) would have to be swallowed.
    const settled = (): void => signal.removeEventListener('abort', onAbort);
    const p = new Promise<Message>((resolve, reject) => {
      this.pending.set(tid, {
        tid,
        message: () => build(tid),
        resolve: (m) => {
          settled();
          resolve(m);
        },
        reject: (e) => {
          settled();
          reject(e);
        },
      });
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    if (this.session && !this.session.closed) {
      this.session.send(build(tid)).catch((e: unknown) => {
        this.log.debug(`mon client: command ${tid} not sent (${(e as Error).message}); resent on the next session`);
      });
    } else this.ensureHunting();
    return p;
  }

  private handle(m: Message): void {
    const type = m.header.type;
    switch (type) {
      case MsgType.MON_MAP: {
        const map = decodeMonMap(decodeMonMapMessage(m.front));
        this.monmap = map;
        this.fsid = map.fsid;
        this.updateMonsFromMap(map);
        this.gotMap('monmap', map.epoch);
        for (const w of this.monmapWaiters.splice(0)) w();
        return;
      }
      case MsgType.MON_COMMAND_ACK:
      case MsgType.STATFS_REPLY:
      case MsgType.GETPOOLSTATSREPLY:
      case MsgType.POOLOP_REPLY:
      case MsgType.MON_GET_VERSION_REPLY: {
        const p = this.pending.get(m.header.tid);
        if (!p) return;
        this.pending.delete(m.header.tid);
        p.resolve(m);
        return;
      }
      case MsgType.OSD_MAP: // the messenger's dispatcher for maps (Rados: the OSDMap tracker) has it
        return;
      case MsgType.AUTH_REPLY: {
        const reply = decodeAuthReply(m.front);
        this.ticketRequestInFlight = false;
        if (reply.result < 0) {
          this.log.warn(`mon client: ticket renewal refused (${reply.result} ${reply.message})`);
          return;
        }
        this.messenger.auth.tickets?.reply(reply.payload).catch((e: unknown) => this.log.warn(`mon client: bad ticket reply: ${(e as Error).message}`));
        return;
      }
      case MsgType.MON_SUBSCRIBE_ACK:
      case MsgType.CONFIG:
        return;
      default:
        this.log.debug(`mon client: ignoring ${msgTypeName(type)}`);
    }
  }

  private updateMonsFromMap(map: MonMap): void {
    const targets: MonTarget[] = [];
    for (const rank of map.ranks) {
      const info = map.monInfo.get(rank);
      const v2 = info?.publicAddrs.find((a) => a.type === AddrType.MSGR2);
      if (v2) targets.push({ host: v2.ip, port: v2.port, nonce: v2.nonce });
    }
    if (targets.length > 0) this.mons = targets;
  }

  // --- sessions and hunting --------------------------------------------------------------

  private ensureHunting(): void {
    if (this.closed || this.hunting || (this.session && !this.session.closed)) return;
    void this.hunt(new AbortController().signal, false).catch((e: unknown) => {
      this.log.warn(`mon client: hunting stopped: ${(e as Error).message}`);
    });
  }

  private hunt(signal: AbortSignal, failOnAuth: boolean): Promise<void> {
    if (this.hunting) return abortable(this.hunting, signal);
    const run = async (): Promise<void> => {
      let backoff = 100;
      let authFailures = 0;
      for (;;) {
        if (this.closed) throw new ConnectionError('mon client closed');
        const order = shuffle(this.mons);
        // Leave the monitor that just failed us for last.
        if (this.lastMon && order.length > 1) {
          const i = order.findIndex((m) => m.host === this.lastMon!.host && m.port === this.lastMon!.port);
          if (i >= 0) order.push(...order.splice(i, 1));
        }
        let lastError: Error | undefined;
        authFailures = 0;
        for (const mon of order) {
          if (signal.aborted) throw abortReason(signal);
          try {
            await this.openSession(mon, signal);
            return;
          } catch (e) {
            lastError = e as Error;
            if (isRuntimePermissionDenial(e)) throw e;
            if (e instanceof AuthError) authFailures++;
            this.log.info(`mon client: ${mon.host}:${mon.port} failed: ${lastError.message}`);
          }
        }
        if (failOnAuth && authFailures === order.length && lastError) throw lastError;
        if (signal.aborted) throw abortReason(signal);
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, this.opts.maxBackoffMs ?? 5_000);
      }
    };
    this.hunting = run().finally(() => {
      this.hunting = undefined;
    });
    return abortable(this.hunting, signal);
  }

  private async openSession(mon: MonTarget, outer: AbortSignal): Promise<void> {
    const attempt = AbortSignal.any([outer, AbortSignal.timeout(this.opts.huntIntervalMs ?? 3_000)]);
    const conn = await this.messenger.connect(mon, EntityType.MON, {
      signal: attempt,
      ...(this.opts.keepaliveIntervalMs !== undefined ? { keepaliveIntervalMs: this.opts.keepaliveIntervalMs } : {}),
      onMessage: (m, c) => {
        try {
          this.handle(m);
        } catch (e) {
          void c.close(e instanceof Error ? e : new ProtocolError(String(e)));
        }
      },
      onClose: (err, c) => {
        if (this.session !== c) return;
        this.session = undefined;
        if (!this.closed) {
          this.log.info(`mon client: session with ${c.peer} lost (${err?.message ?? 'closed'}); hunting`);
          this.#events.emit('lost', `${mon.host}:${mon.port}`, err?.message ?? 'closed');
          this.ensureHunting();
        }
      },
    });
    if (this.closed) {
      await conn.close();
      throw new ConnectionError('mon client closed');
    }
    this.lastMon = mon;
    this.messenger.setGlobalId(conn.globalId);
    this.session = conn;
    this.log.info(`mon client: session with ${conn.peer}, global_id ${conn.globalId}`);
    this.#events.emit('session', `${mon.host}:${mon.port}`, conn.globalId);
    // As MonConnection::start does for msgr2: ask for the monmap, then (re)send subscriptions and requests.
    await conn.send({ ...MMonGetMap, front: new Uint8Array(0) });
    this.sendSubscriptions();
    for (const p of [...this.pending.values()].sort((a, b) => (a.tid < b.tid ? -1 : 1))) {
      conn.send(p.message()).catch((e: unknown) => {
        this.log.debug(`mon client: resend to ${conn.peer} failed (${(e as Error).message}); resent on the next session`);
      });
    }
    const waiters = this.sessionWaiters;
    this.sessionWaiters = [];
    for (const w of waiters) w();
  }

  private sendSubscriptions(): void {
    const conn = this.session;
    if (!conn || conn.closed || this.subs.size === 0) return;
    conn.send({ ...MON_SUBSCRIBE, front: encodeMonSubscribe(this.subs, this.opts.hostname ?? 'rados-ts') }).catch((e: unknown) => {
      this.log.debug(`mon client: subscribe to ${conn.peer} failed (${(e as Error).message}); renewed on the next session`);
    });
  }

  private async waitForSession(signal: AbortSignal): Promise<Connection> {
    for (;;) {
      if (this.closed) throw new ConnectionError('mon client is closed');
      if (this.session && !this.session.closed) return this.session;
      this.ensureHunting();
      await abortable(new Promise<void>((r) => this.sessionWaiters.push(r)), signal);
    }
  }
}

function shuffle<T>(items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Turns a failed command result into a RadosError carrying Ceph's errno. */
export function checkCommand(r: MonCommandResult, what: string): MonCommandResult {
  if (r.code < 0) throw new RadosError(`${what}: ${r.status || `error ${r.code}`}`, r.code);
  return r;
}
