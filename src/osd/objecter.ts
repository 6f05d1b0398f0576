// The Objecter (modelled on src/osdc/Objecter.cc and the kernel's net/ceph/osd_client.c): every
// op goes to the acting primary of its PG in the newest OSDMap; when the map moves the op's
// target, or its OSD session faults, the op is resent (RETRY) to the new primary — an op ends
// only with the OSD's reply, an error it was told, or the caller's timeout/abort.
import type { OSDMap } from '../../crush/osdmap/osdmap.ts';
import { actingPrimaryShard, objectToPg, pgToUpActing, rawPgToPg } from '../../crush/osdmap/placement.ts';
import { ConnectionError, Errno, ProtocolError, RadosError, TimeoutError } from '../../protocol/errors.ts';
import { MsgType } from '../../protocol/messages/message-types.ts';
import { isWriteOp, OsdFlag, osdOpName } from '../../protocol/messages/osd-op-codes.ts';
import { encodeOsdOp, MOSD_OP } from '../../protocol/messages/osd-op.ts';
import { decodeOsdOpReply } from '../../protocol/messages/osd-op-reply.ts';
import { BackoffOp, decodeOsdBackoff, encodeOsdBackoff, MOSD_BACKOFF } from '../../protocol/messages/osd-backoff.ts';
import type { Message } from '../../protocol/msgr2/message-frame.ts';
import { AddrType } from '../../protocol/types/entity-addr.ts';
import { EntityType } from '../../protocol/types/entity-name.ts';
import { CEPH_NOSNAP, type HObject } from '../../protocol/types/hobject.ts';
import { abortReason, type CallOptions, callSignal, NEVER } from '../abort.ts';
import type { Logger } from '../logger.ts';
import type { Connection } from '../msgr2/connection.ts';
import type { Messenger } from '../msgr2/messenger.ts';
import { Listeners, type Unsubscribe } from '../listeners.ts';
import { type OpTarget, pgName, resendReason } from '../../crush/osdmap/op-target.ts';
import { Throttle } from './throttle.ts';
import { SessionBackoffs, spgKey, spgKeyOf } from './backoffs.ts';
import { decodeWatchNotify, type WatchNotifyMessage } from '../../protocol/messages/watch-notify.ts';
import { CLIENT_FEATURES } from '../../protocol/features.ts';
import type { OpStep } from '../../protocol/osd/op-steps.ts';

export interface OpStepResult {
  rval: number;
  outdata: Uint8Array;
}

export interface ObjectOpRequest {
  poolId: number;
  oid: string;
  namespace?: string;
  key?: string;
  steps: OpStep[];
  snapId?: bigint;
  snapSeq?: bigint;
  snaps?: bigint[];
  /** A PG op (listing): sent to this PG's primary, not to an object's (Objecter::pg_read). */
  pgSeed?: number;
  /** Send with the READ flag even if an op code has the write bit (watch pings). */
  forceRead?: boolean;
  /** Send with the WRITE flag even if no op code has the write bit (class calls in a WriteOp). */
  forceWrite?: boolean;
}

export interface ObjectOpResult {
  result: number;
  steps: OpStepResult[];
  version: bigint;
}

export interface ObjecterDeps {
  /** Opens our OSD sessions, with our identity and auth (an authorizer per OSD connection). */
  messenger: Messenger;
  map: () => OSDMap | undefined;
  waitForLatestMap: (options: CallOptions) => Promise<void>;
  /** Close an OSD session after this long with no op on it (the kernel's osd_idle_ttl); 0: never. */
  idleTtlMs?: number;
}

/** What a pending op waits for (ObjecterOpStatus.waitingFor). */
export type ObjecterWait = 'map' | 'primary' | 'session' | 'backoff' | 'reply';

/**
 * One op the Objecter is waiting on: what `ceph daemon client.X objecter_requests` lists
 * under "ops" (Objecter::dump_ops), with why it was last sent again.
 */
export interface ObjecterOpStatus {
  /** The op's transaction id (the tid in the OSD's log and our trace). */
  tid: bigint;
  /** The pool's id. */
  pool: number;
  /** The object's namespace ('' for the default). */
  namespace: string;
  /** The object ('' for a PG op such as a listing). */
  oid: string;
  /** Its PG as Ceph prints it (`2.1f`); undefined before a map placed it. */
  pg: string | undefined;
  /** The OSD it was last sent to, or is waiting to reach. */
  osd: number | undefined;
  /** Op names as ceph_osd_op_name gives them (`write`, `call`, `omap-get-vals`…). */
  ops: string[];
  /** Sent as a write (ONDISK), else as a read. */
  write: boolean;
  /** How often it has been sent (1 + resends). */
  attempts: number;
  /** Since the caller submitted it. */
  ageMs: number;
  /** Since it last went out on a session; undefined if it never did. */
  lastSentAgoMs: number | undefined;
  /**
   * What it waits for: `reply` (sent), `session` (the OSD's session is opening or unreachable),
   * `primary` (its PG has no acting primary in the current map), `backoff` (the OSD asked us to
   * hold its PG), `map` (its pool is not in our map yet).
   */
  waitingFor: ObjecterWait;
  /** Why it was last sent again (a map change, a session reset, a backoff's end…). */
  lastResend: string | undefined;
}

interface InFlight {
  tid: bigint;
  req: ObjectOpRequest;
  write: boolean;
  target: OpTarget | undefined;
  attempts: number;
  startedAt: number;
  lastSentAt: number | undefined;
  waiting: ObjecterWait;
  lastResend: string | undefined;
  resolve: (r: ObjectOpResult) => void;
  reject: (e: Error) => void;
}

interface OsdSession {
  osd: number;
  conn: Promise<Connection>;
  /** The connection once open: lets dispatch skip an await per op. */
  ready?: Connection;
  lastUsed: number;
  /** Closed by us for idleness: nothing on it to resend. */
  idleClosed?: boolean;
  /** What this OSD told this session to hold (they end with it). */
  backoffs: SessionBackoffs;
}

/** What the Objecter announces. */
export interface ObjecterEvents {
  /** MWatchNotify messages, for the watch/notify layer. */
  watchNotify: [m: WatchNotifyMessage];
  /**
   * A session with `osd` reset, or (osd undefined) a new map may have moved targets: watches
   * there must be checked and re-registered at once (Objecter::_linger_reconnect), not at
   * their next ping.
   */
  targetsReset: [osd: number | undefined];
  /** An open session with `osd` ended (not an idle close), with why when known. */
  sessionReset: [osd: number, reason: string | undefined];
  /** MCommandReply messages, for the OSD command layer (osd-command.ts). */
  commandReply: [m: Message];
}

/** Priority librados gives client ops (CEPH_MSG_PRIO_DEFAULT is 127; Objecter uses 63). */
const CLIENT_OP_PRIORITY = 63;

export class Objecter {
  private readonly deps: ObjecterDeps;
  private readonly log: Logger;
  private readonly ops = new Map<bigint, InFlight>();
  private readonly sessions = new Map<number, OsdSession>();
  private lastTid = 0n;
  private closed = false;
  // PG → mapping for the current map (CRUSH runs once per PG per epoch, not once per op).
  private mappingEpoch = -1;
  private mappingMap: OSDMap | undefined;
  private readonly mappings = new Map<number, ReturnType<typeof pgToUpActing>>();
  /** Counters for tests and diagnostics. */
  readonly stats = { sent: 0, resent: 0, backoffs: 0 };
  readonly throttle = new Throttle();
  readonly #events = new Listeners<ObjecterEvents>();

  /** Adds a listener (see ObjecterEvents); returns its removal. */
  on<K extends keyof ObjecterEvents>(event: K, fn: (...args: ObjecterEvents[K]) => void): Unsubscribe {
    return this.#events.on(event, fn);
  }

  /** The acting primary an op for `req` goes to under the current map (undefined: none now). */
  primaryFor(req: ObjectOpRequest): number | undefined {
    return this.calcTarget(req)?.osd;
  }

  private idleTimer: ReturnType<typeof setInterval> | undefined;

  constructor(deps: ObjecterDeps) {
    this.deps = deps;
    this.log = deps.messenger.log;
    const ttl = deps.idleTtlMs ?? 60_000;
    if (ttl > 0) {
      this.idleTimer = setInterval(() => this.closeIdleSessions(ttl), Math.max(50, ttl / 2));
      (this.idleTimer as { unref?: () => void }).unref?.();
    }
  }

  /** The OSDs we hold a session with (open or opening). */
  get sessionOsds(): number[] {
    return [...this.sessions.keys()].sort((a, b) => a - b);
  }

  /** Closes sessions no op has used for `ttl` ms; the next op to that OSD opens a new one. */
  private closeIdleSessions(ttl: number): void {
    const now = Date.now();
    for (const [osd, s] of this.sessions) {
      if (!s.ready || now - s.lastUsed < ttl) continue;
      let busy = false;
      for (const op of this.ops.values()) if (op.target?.osd === osd) busy = true;
      if (busy) continue;
      this.sessions.delete(osd);
      s.idleClosed = true;
      this.log.debug(`objecter: closing idle session with osd.${osd}`);
      void s.ready.close();
    }
  }

  get inFlight(): number {
    return this.ops.size;
  }

  /** The ops waiting for an answer, oldest first (`objecter_requests`). */
  requests(now = Date.now()): ObjecterOpStatus[] {
    return [...this.ops.values()].map((op) => ({
      tid: op.tid,
      pool: op.req.poolId,
      namespace: op.req.namespace ?? '',
      oid: op.req.oid,
      pg: op.target ? pgName(op.target) : undefined,
      osd: op.target?.osd,
      ops: op.req.steps.map((st) => osdOpName(st.op)),
      write: op.write,
      attempts: op.attempts,
      ageMs: now - op.startedAt,
      lastSentAgoMs: op.lastSentAt === undefined ? undefined : now - op.lastSentAt,
      waitingFor: op.waiting,
      lastResend: op.lastResend,
    }));
  }

  /** The session with `osd`, opened if need be (OSD commands go out on the ops' sessions). */
  connection(osd: number): Promise<Connection> {
    if (this.closed) return Promise.reject(new ConnectionError('the cluster handle is closed'));
    const open = this.sessions.get(osd);
    if (open) open.lastUsed = Date.now();
    return open?.ready ? Promise.resolve(open.ready) : this.session(osd);
  }

  /** Sends `op` again, saying why (the debug log and `requests()` keep the reason). */
  private resend(op: InFlight, why: string): void {
    op.lastResend = why;
    this.log.debug(`objecter: resending tid ${op.tid} (${op.req.oid}): ${why}`);
    void this.dispatch(op);
  }

  async submit(req: ObjectOpRequest, options?: CallOptions): Promise<ObjectOpResult> {
    if (this.closed) throw new ConnectionError('the cluster handle is closed');
    // One signal for the whole op: its timeout and abort cover the wait for the throttle too.
    const signal = callSignal(options, 0, `op on ${req.oid}`);
    let bytes = 0;
    for (const s of req.steps) bytes += s.indata?.length ?? 0;
    const wait = this.throttle.acquire(bytes, signal);
    if (wait) await wait;
    try {
      return await this.start(req, signal);
    } finally {
      this.throttle.release(bytes);
    }
  }

  private start(req: ObjectOpRequest, signal: AbortSignal): Promise<ObjectOpResult> {
    if (this.closed) return Promise.reject(new ConnectionError('the cluster handle is closed'));
    const tid = ++this.lastTid;
    const write = req.forceWrite === true || (!req.forceRead && req.steps.some((s) => isWriteOp(s.op)));
    return new Promise<ObjectOpResult>((resolve, reject) => {
      const op: InFlight = {
        tid,
        req,
        write,
        target: undefined,
        attempts: 0,
        startedAt: Date.now(),
        lastSentAt: undefined,
        waiting: 'session',
        lastResend: undefined,
        resolve,
        reject,
      };
      if (signal === NEVER) {
        this.ops.set(tid, op);
        void this.dispatch(op);
        return;
      }
      const onAbort = (): void => {
        this.finish(op, timedOutAs(abortReason(signal), op));
      };
      if (signal.aborted) {
        reject(abortReason(signal));
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      op.resolve = (r) => {
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      };
      op.reject = (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      };
      this.ops.set(tid, op);
      void this.dispatch(op);
    });
  }

  /**
   * New OSDMaps: resend every op whose target moved in any of them (Objecter::handle_osd_map
   * scans each epoch it applies, crush/osdmap/op-target.ts), or every op when epochs were skipped (a full map
   * past a gap: what changed in between is unknown, and the OSDs drop ops sent under a map older
   * than their PG's last interval). The ops go out once, to their target in the newest map.
   * `epochs`: the maps installed, oldest first (default: the current one alone).
   */
  handleMapChange(epochs?: readonly OSDMap[], skipped = false): void {
    const current = this.deps.map();
    const maps = epochs ?? (current ? [current] : []);
    const caches = maps.map(() => new Map<number, ReturnType<typeof pgToUpActing>>());
    for (const op of this.ops.values()) {
      let why = skipped ? `maps were skipped before epoch ${current?.epoch}` : maps.length === 0 ? 'a new map' : undefined;
      let prev = op.target;
      for (let i = 0; i < maps.length && why === undefined; i++) {
        const m = maps[i]!;
        const now = this.calcTarget(op.req, m, m === current ? undefined : caches[i]);
        why = resendReason(prev, now, m.pools.get(op.req.poolId), m.epoch);
        prev = now;
      }
      if (why !== undefined) this.resend(op, why);
    }
    this.#events.emit('targetsReset', undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearInterval(this.idleTimer);
    for (const op of this.ops.values()) op.reject(new ConnectionError('the cluster handle is closed'));
    this.ops.clear();
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(
      sessions.map((s) =>
        s.conn.then(
          (c) => c.close(),
          // The failed open was reported to the ops that waited for it; nothing is open to close.
          (e: unknown) => this.log.debug(`objecter: closing: a session whose open had failed (${(e as Error).message}) has nothing to close`),
        ),
      ),
    );
  }

  // ---------------------------------------------------------------------------------------

  private finish(op: InFlight, err: Error | undefined, result?: ObjectOpResult): void {
    if (!this.ops.delete(op.tid)) return;
    if (err) op.reject(err);
    else op.resolve(result!);
  }

  /**
   * Where `req` goes under map `m` (the current one by default, whose PG mappings are cached);
   * `scan` caches another map's mappings for one rescan of intermediate epochs.
   */
  private calcTarget(req: ObjectOpRequest, m: OSDMap | undefined = this.deps.map(), scan?: Map<number, ReturnType<typeof pgToUpActing>>): OpTarget | undefined {
    if (!m) return undefined;
    const pool = m.pools.get(req.poolId);
    if (!pool) return undefined;
    const rawSeed = req.pgSeed ?? objectToPg(m, req.poolId, req.oid, { ...(req.namespace ? { namespace: req.namespace } : {}), ...(req.key ? { key: req.key } : {}) }).seed;
    const seed = rawPgToPg(pool, rawSeed);
    let cache = scan;
    if (!cache) {
      if (this.mappingEpoch !== m.epoch || this.mappingMap !== m) {
        this.mappings.clear();
        this.mappingEpoch = m.epoch;
        this.mappingMap = m;
      }
      cache = this.mappings;
    }
    const key = req.poolId * 0x1_0000_0000 + seed;
    let r = cache.get(key);
    if (!r) {
      r = pgToUpActing(m, req.poolId, seed);
      cache.set(key, r);
    }
    if (r.actingPrimary < 0) return undefined;
    const shard = actingPrimaryShard(m, req.poolId, seed, r);
    return { osd: r.actingPrimary, pool: req.poolId, seed, rawHash: rawSeed, shard, acting: r.acting, pgNum: pool.pgNum, lastForceResend: pool.lastForceOpResend };
  }

  private async dispatch(op: InFlight): Promise<void> {
    if (!this.ops.has(op.tid)) return;
    let m = this.deps.map();
    if (m && !m.pools.has(op.req.poolId)) {
      op.waiting = 'map';
      // As Objecter does for a pool it does not know: check the newest map before giving up.
      try {
        await this.deps.waitForLatestMap({ timeoutMs: 30_000 });
      } catch (e) {
        this.finish(op, e as Error);
        return;
      }
      m = this.deps.map();
      if (!m?.pools.has(op.req.poolId)) {
        this.finish(op, new RadosError(`pool ${op.req.poolId} does not exist`, Errno.ENOENT));
        return;
      }
    }
    const target = this.calcTarget(op.req);
    op.target = target;
    if (!target) {
      op.waiting = 'primary';
      return; // handleMapChange() sends it when a map gives its PG a primary
    }
    op.waiting = 'session';
    op.attempts++;
    if (op.attempts > 1) this.stats.resent++;
    this.stats.sent++;
    let conn: Connection;
    try {
      const open = this.sessions.get(target.osd);
      if (open) open.lastUsed = Date.now();
      conn = open?.ready ?? (await this.session(target.osd));
    } catch (e) {
      this.log.info(`objecter: osd.${target.osd} unreachable (${(e as Error).message}); waiting for a new map`);
      this.sessions.delete(target.osd);
      const retry = setTimeout(() => {
        if (op.target === target) this.resend(op, `osd.${target.osd} was unreachable`);
      }, 500);
      (retry as { unref?: () => void }).unref?.(); // Node: do not hold the process open; elsewhere a number
      return;
    }
    if (!this.ops.has(op.tid) || op.target !== target) return; // finished or retargeted meanwhile
    if (this.sessions.get(target.osd)?.backoffs.blocks(spgKey(target.pool, target.seed, target.shard), op.req.pgSeed === undefined ? opHObject(op.req, target) : undefined)) {
      op.waiting = 'backoff';
      return; // held until UNBLOCK
    }
    const epoch = m?.epoch ?? 0;
    const now = Date.now();
    const front = encodeOsdOp({
      pgid: { pgid: { pool: target.pool, seed: target.seed, preferred: -1 }, shard: target.shard },
      hash: target.rawHash,
      epoch,
      flags:
        (op.write ? OsdFlag.WRITE | OsdFlag.ONDISK : OsdFlag.READ) | (op.req.pgSeed !== undefined ? OsdFlag.PGOP : 0) | OsdFlag.KNOWN_REDIR | (op.attempts > 1 ? OsdFlag.RETRY : 0),
      reqid: { name: { type: 0, num: 0n }, tid: 0n, inc: 0 },
      trace: { traceId: 0n, spanId: 0n, parentSpanId: 0n },
      clientInc: 0,
      mtime: { sec: Math.floor(now / 1000), nsec: (now % 1000) * 1e6 },
      locator: { pool: op.req.poolId, key: op.req.key ?? '', nspace: op.req.namespace ?? '', hash: -1 },
      oid: op.req.oid,
      ops: op.req.steps.map((s) => ({ op: s.op, flags: s.flags ?? 0, union: s.union, payloadLen: s.indata?.length ?? 0 })),
      snapId: op.req.snapId ?? CEPH_NOSNAP,
      snapSeq: op.req.snapSeq ?? 0n,
      snaps: op.req.snaps ?? [],
      retryAttempt: op.attempts - 1,
      features: CLIENT_FEATURES,
    });
    // The ops' payloads go out as they are, one after another (no gathering copy).
    const data = op.req.steps.filter((s) => s.indata && s.indata.length > 0).map((s) => s.indata!);
    op.waiting = 'reply';
    op.lastSentAt = now;
    conn.send({ ...MOSD_OP, tid: op.tid, priority: CLIENT_OP_PRIORITY, front, data }).catch((e: unknown) => {
      this.log.debug(`objecter: op ${op.tid} not sent to ${conn.peer} (${(e as Error).message}); the session's close resends it`);
    });
  }

  private session(osd: number): Promise<Connection> {
    const existing = this.sessions.get(osd);
    if (existing) return existing.conn;
    const m = this.deps.map();
    const addr = m?.osdAddrs[osd]?.find((a) => a.type === AddrType.MSGR2);
    if (!m || !addr) return Promise.reject(new ConnectionError(`osd.${osd} has no msgr2 address in epoch ${m?.epoch}`));
    const conn = this.deps.messenger.connect({ host: addr.ip, port: addr.port, nonce: addr.nonce }, EntityType.OSD, {
      signal: AbortSignal.timeout(10_000),
      onMessage: (msg, c) => this.handleMessage(msg, c, s),
      onClose: (err) => this.sessionClosed(s, err),
    });
    const s: OsdSession = { osd, conn, lastUsed: Date.now(), backoffs: new SessionBackoffs() };
    this.sessions.set(osd, s);
    void conn.then(
      (c) => {
        s.ready = c;
      },
      () => {
        if (this.sessions.get(osd) === s) this.sessions.delete(osd);
      },
    );
    return conn;
  }

  /** An open OSD session ended: every op that was on it goes out again (to whatever the map says now). */
  private sessionClosed(s: OsdSession, err: Error | undefined): void {
    const osd = s.osd;
    if (this.sessions.get(osd) === s) this.sessions.delete(osd);
    // Its backoffs went with it (they belong to the session that set them).
    if (this.closed || s.idleClosed) return;
    for (const op of this.ops.values()) if (op.target?.osd === osd) this.resend(op, `the session with osd.${osd} reset`);
    this.#events.emit('targetsReset', osd);
    this.#events.emit('sessionReset', osd, err?.message);
    if (err) this.log.info(`objecter: session with osd.${osd} closed: ${err.message}`);
  }

  /**
   * MOSDBackoff (Objecter::handle_osd_backoff): ack a BLOCK and hold, on this session, the ops
   * in its range (backoffs.ts); on UNBLOCK send this session's ops on that PG again — held
   * ones, and the one that met the backoff, which the OSD dropped.
   */
  private handleBackoff(msg: Message, conn: Connection, s: OsdSession): void {
    const b = this.decodeOrClose(conn, 'MOSDBackoff', () => decodeOsdBackoff(msg.front));
    if (!b) return;
    if (b.op === BackoffOp.BLOCK) {
      this.stats.backoffs++;
      s.backoffs.block(b.pgid, b.id, b.begin, b.end);
      // At our ops' priority (Objecter::handle_osd_backoff): the OSD's op queue orders by it, and an
      // ACK overtaken by an op we resend on UNBLOCK leaves the backoff "deleting", which drops
      // that op silently. At the default priority this lost ops under Pacific's WPQ.
      conn.send({ ...MOSD_BACKOFF, priority: CLIENT_OP_PRIORITY, front: encodeOsdBackoff({ ...b, op: BackoffOp.ACK_BLOCK }) }).catch((e: unknown) => {
        this.log.debug(`objecter: backoff ack to ${conn.peer} not sent (${(e as Error).message}); the OSD drops the backoff with the session`);
      });
    } else if (b.op === BackoffOp.UNBLOCK) {
      s.backoffs.unblock(b.id);
      const pg = spgKeyOf(b.pgid);
      for (const op of this.ops.values()) {
        const t = op.target;
        if (t?.osd === s.osd && spgKey(t.pool, t.seed, t.shard) === pg) this.resend(op, `osd.${s.osd} lifted its backoff on pg ${pgName(t)}`);
      }
    }
  }

  /** A message that does not decode closes its session with ProtocolError; the ops on it are resent. */
  private decodeOrClose<T>(conn: Connection, what: string, decode: () => T): T | undefined {
    try {
      return decode();
    } catch (e) {
      void conn.close(new ProtocolError(`undecodable ${what}: ${(e as Error).message}`, { cause: e }));
      return undefined;
    }
  }

  private handleMessage(msg: Message, conn: Connection, s: OsdSession): void {
    const osd = s.osd;
    // MOSDMap from an OSD goes to the messenger's map dispatcher (the OSDMap tracker), as a mon's does.
    if (msg.header.type === MsgType.WATCH_NOTIFY) {
      const m = this.decodeOrClose(conn, 'MWatchNotify', () => decodeWatchNotify(msg.front, msg.data));
      if (m) this.#events.emit('watchNotify', m);
      return;
    }
    if (msg.header.type === MsgType.OSD_BACKOFF) {
      this.handleBackoff(msg, conn, s);
      return;
    }
    if (msg.header.type === MsgType.COMMAND_REPLY) {
      this.#events.emit('commandReply', msg);
      return;
    }
    if (msg.header.type !== MsgType.OSD_OPREPLY) return;
    const op = this.ops.get(msg.header.tid);
    if (!op) return; // a reply to an op we already finished (e.g. resent)
    const reply = this.decodeOrClose(conn, 'MOSDOpReply', () => decodeOsdOpReply(msg.front));
    if (!reply) return;
    if (reply.result === -Errno.EAGAIN || reply.redirect) {
      // Not the primary any more, or told to go elsewhere: resend once the map moves.
      const why = reply.redirect ? `osd.${osd} redirected it` : `osd.${osd} answered EAGAIN`;
      const resend = setTimeout(() => this.resend(op, why), 100);
      (resend as { unref?: () => void }).unref?.();
      return;
    }
    const steps: OpStepResult[] = [];
    let at = 0;
    reply.ops.forEach((o, i) => {
      steps.push({ rval: reply.rvals[i] ?? 0, outdata: msg.data.subarray(at, at + o.payloadLen) });
      at += o.payloadLen;
    });
    this.finish(op, undefined, { result: reply.result, steps, version: reply.userVersion });
  }
}

/**
 * A timeout says what the op was waiting for when it fired (it leaves `requests()` with it):
 * a stall is then named by the error itself, not by a second look that comes too late.
 */
function timedOutAs(err: Error, op: InFlight): Error {
  if (!(err instanceof TimeoutError)) return err;
  const where = op.target ? `pg ${pgName(op.target)} on osd.${op.target.osd}` : 'no target';
  const last = op.lastResend ? `; last resent: ${op.lastResend}` : '';
  const sent = op.lastSentAt === undefined ? 'never sent' : `last sent ${Date.now() - op.lastSentAt} ms ago`;
  return new TimeoutError(`${err.message} (tid ${op.tid}, waiting for ${op.waiting}, ${where}, ${op.attempts} attempt(s), ${sent}${last})`, { cause: err });
}

/** The object an op is on, as backoff ranges name objects (op_target_t::get_hobj: the head, whatever snap it reads). */
function opHObject(req: ObjectOpRequest, target: OpTarget): HObject {
  return { pool: BigInt(req.poolId), hash: target.rawHash, nspace: req.namespace ?? '', key: req.key ?? '', oid: req.oid, snap: CEPH_NOSNAP, max: false };
}
