// A client-side msgr2.1 connection (src/msg/async/ProtocolV2.cc, client half): banner, HELLO,
// AUTH_*, AUTH_SIGNATURE, CLIENT_IDENT/SERVER_IDENT, then MESSAGE frames. The policy is
// lossy, as for every Ceph client: no reconnect; a fault closes the connection with a typed
// error and the owner (MonClient, Objecter) opens a new one and resends.
import type { CryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { AuthError, ConnectionError, ProtocolError } from '../../protocol/errors.ts';
import { decodeBannerHead, decodeBannerPayload, encodeBanner, MSGR2_FEATURE_REVISION_1 } from '../../protocol/msgr2/banner.ts';
import { CrcFrameCodec, FrameAbortedError } from '../../protocol/msgr2/crc-frame-codec.ts';
import { type Frame, type OutFrame, type OutSegment, segmentChunks } from '../../protocol/msgr2/frame.ts';
import type { FrameCodec } from '../../protocol/msgr2/frame-codec.ts';
import { FrameDecoder } from '../../protocol/msgr2/frame-decoder.ts';
import {
  decodeAuthBadMethod,
  decodeAuthDone,
  decodeAuthMore,
  decodeAuthSignature,
  decodeHello,
  encodeAuthMore,
  encodeAuthRequest,
  encodeHello,
} from '../../protocol/msgr2/auth-frames.ts';
import { CONNECT_LOSSY, decodeIdentMissingFeatures, decodeServerIdent, encodeClientIdent, type ServerIdent } from '../../protocol/msgr2/ident-frames.ts';
import { frameToMessage, type Message, MSG_PRIO_DEFAULT, messageToFrame } from '../../protocol/msgr2/message-frame.ts';
import { SecureFrameCodec, splitConnectionSecret } from '../../protocol/msgr2/secure-frame-codec.ts';
import { decodeKeepalive, encodeKeepalive } from '../../protocol/msgr2/session-frames.ts';
import { ConMode, Tag, tagName } from '../../protocol/msgr2/tags.ts';
import { AddrType, AF_INET, AF_INET6, type EntityAddr } from '../../protocol/types/entity-addr.ts';
import { EntityType } from '../../protocol/types/entity-name.ts';
import type { UTime } from '../../protocol/types/utime.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { Transport, TransportFactory } from '../transport/transport.ts';
import type { AuthProvider } from '../../protocol/auth/auth-provider.ts';
import { CLIENT_FEATURES, FEATURE_MSG_ADDR2 } from '../../protocol/features.ts';
import { frameEvent, type FrameHook } from './frame-trace.ts';
import { concatBytes } from '../../protocol/encoding/concat-bytes.ts';
import { Listeners, type Unsubscribe } from '../listeners.ts';

export interface ConnectionOptions {
  host: string;
  port: number;
  /** The nonce in the peer's advertised address (0 for mons; from the OSDMap for OSDs). */
  peerNonce?: number;
  transport: TransportFactory;
  auth: AuthProvider;
  /** Connection modes we accept, preferred first (ConMode.CRC / ConMode.SECURE). */
  modes: readonly number[];
  crypto: CryptoProvider;
  features?: bigint;
  /**
   * The nonce of our own address: one per client instance, as librados' messenger has one, so
   * every daemon sees the same address for us (lock owners, watchers and blocklist entries match).
   */
  nonce?: number;
  /** Our global id when known (CLIENT_IDENT gid); -1 before the first mon authentication. */
  gid?: bigint;
  globalSeq?: bigint;
  logger?: Logger;
  onFrame?: FrameHook;
  /** The connection's number within its messenger, for frame hooks (FrameEvent.connection). */
  id?: number;
  signal?: AbortSignal;
  keepaliveIntervalMs?: number;
  /** No bytes from the peer for this long → fault. */
  idleTimeoutMs?: number;
  /** The owner's message handler, registered before any message can arrive. */
  onMessage?: (m: Message, conn: Connection) => void;
  /** The owner's close handler (see `on('close')`), registered at construction. */
  onClose?: (error: Error | undefined, conn: Connection) => void;
}

/** What a connection announces: each MESSAGE in order; its end (once, only if it had opened). */
export interface ConnectionEvents {
  message: [m: Message, conn: Connection];
  /** `error` is undefined after a local close(). */
  close: [error: Error | undefined, conn: Connection];
}

export interface OutgoingMessage {
  type: number;
  version: number;
  compatVersion: number;
  front: Uint8Array;
  middle?: Uint8Array;
  /** The data segment: one buffer or a list of them (sent back to back, not gathered). */
  data?: OutSegment;
  tid?: bigint;
  priority?: number;
}

const EMPTY = new Uint8Array(0);
const setImmediateFn = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
const yieldTurn: (() => Promise<void>) | undefined = setImmediateFn ? () => new Promise<void>((r) => void setImmediateFn(r)) : undefined;
const COALESCE_LIMIT = 64 * 1024;

export class Connection {
  readonly peer: string;
  globalId = 0n;
  conMode: number = ConMode.CRC;
  serverIdent: ServerIdent | undefined;
  readonly #events = new Listeners<ConnectionEvents>();
  /** Set once the handshake completed: only an open connection announces its close. */
  #opened = false;

  private readonly opts: ConnectionOptions;
  private readonly log: Logger;
  private transport: Transport | undefined;
  private reader: AsyncIterator<Uint8Array> | undefined;
  private readonly decoder: FrameDecoder;
  private txCodec: FrameCodec = new CrcFrameCodec();
  private encChain: Promise<void> = Promise.resolve();
  /** Frames whose (asynchronous) encode has not reached the batch yet. */
  private pendingEncodes = 0;
  private flushChain: Promise<void> = Promise.resolve();
  private outBatch: { chunks: Uint8Array[]; bytes: number; waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> } | undefined;
  private preAuth: { tx: Uint8Array[]; rx: Uint8Array[] } | undefined = { tx: [], rx: [] };
  private outSeq = 0n;
  private inSeq = 0n;
  private closedWith: { error: Error | undefined } | undefined;
  private keepaliveTimer: ReturnType<typeof setInterval> | undefined;
  private lastRx = Date.now();

  private constructor(opts: ConnectionOptions) {
    this.opts = opts;
    this.peer = `${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`;
    this.log = opts.logger ?? silentLogger;
    if (opts.onMessage) this.#events.on('message', opts.onMessage);
    if (opts.onClose) this.#events.on('close', opts.onClose);
    this.decoder = new FrameDecoder(
      new CrcFrameCodec(),
      (b) => {
        this.lastRx = Date.now();
        this.preAuth?.rx.push(b.slice());
      },
      {
        allocate: (n) => this.transport?.allocate?.(n) ?? new Uint8Array(n),
        readInto: (dest) => this.transport?.readInto?.(dest),
      },
    );
  }

  /** Adds a listener: 'message' sees each MESSAGE in order, 'close' the end of an opened connection. */
  on<K extends keyof ConnectionEvents>(event: K, fn: (...args: ConnectionEvents[K]) => void): Unsubscribe {
    return this.#events.on(event, fn);
  }

  get mode(): 'crc' | 'secure' {
    return this.txCodec.mode;
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Opens the TCP stream and runs the whole handshake; resolves when messages can flow. */
  static async open(opts: ConnectionOptions): Promise<Connection> {
    const c = new Connection(opts);
    const onAbort = (): void => void c.close(opts.signal?.reason instanceof Error ? opts.signal.reason : new ConnectionError('aborted'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      c.transport = await opts.transport({ host: opts.host, port: opts.port, ...(opts.signal ? { signal: opts.signal } : {}) });
      c.reader = c.transport.readable()[Symbol.asyncIterator]();
      await c.handshake();
    } catch (e) {
      const err = c.closedWith?.error ?? e;
      await c.close(err as Error);
      throw err;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    c.#opened = true;
    void c.readLoop();
    c.startKeepalive();
    return c;
  }

  /** Queues a message; resolves when its bytes are handed to the transport. */
  send(m: OutgoingMessage): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith.error ?? new ConnectionError(`connection to ${this.peer} is closed`));
    this.outSeq += 1n;
    const frame = messageToFrame({
      header: {
        seq: this.outSeq,
        tid: m.tid ?? 0n,
        type: m.type,
        priority: m.priority ?? MSG_PRIO_DEFAULT,
        version: m.version,
        dataPrePaddingLen: 0,
        dataOff: 0,
        ackSeq: this.inSeq,
        flags: 0,
        compatVersion: m.compatVersion,
        reserved: 0,
      },
      front: m.front,
      middle: m.middle ?? EMPTY,
      data: m.data ?? EMPTY,
    });
    return this.writeFrame(frame);
  }

  async close(error?: Error): Promise<void> {
    if (this.closedWith) return;
    this.closedWith = { error };
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    if (error) this.log.debug(`msgr2 ${this.peer}: closing: ${error.message}`);
    await this.transport?.close().catch((e: unknown) => {
      this.log.debug(`msgr2 ${this.peer}: socket close failed (${(e as Error).message}); it is dropped all the same`);
    });
    // A failed open rejects open() instead: the owner never held this connection.
    if (this.#opened) this.#events.emit('close', error, this);
  }

  // --- handshake -------------------------------------------------------------------------

  private async handshake(): Promise<void> {
    const o = this.opts;
    await this.writeRaw(encodeBanner({ supported: MSGR2_FEATURE_REVISION_1, required: MSGR2_FEATURE_REVISION_1 }));
    const head = await this.readRaw(10);
    const banner = decodeBannerPayload(await this.readRaw(decodeBannerHead(head)));
    if ((banner.supported & MSGR2_FEATURE_REVISION_1) === 0n) throw new ProtocolError(`${this.peer} does not speak msgr2.1`);
    if ((banner.required & ~MSGR2_FEATURE_REVISION_1) !== 0n) {
      throw new ProtocolError(`${this.peer} requires msgr2 features 0x${banner.required.toString(16)} we lack`);
    }

    const family = o.host.includes(':') ? AF_INET6 : AF_INET;
    const peerAddr: EntityAddr = { type: AddrType.MSGR2, nonce: o.peerNonce ?? 0, family, ip: o.host, port: o.port };
    await this.writeFrame({ tag: Tag.HELLO, segments: [encodeHello({ entityType: EntityType.CLIENT, peerAddr })] });
    const hello = decodeHello(this.expect(await this.readFrame(), Tag.HELLO));
    const me = hello.peerAddr;

    await this.authenticate();

    const myAddr: EntityAddr = { type: AddrType.ANY, nonce: o.nonce ?? clientNonce(o.crypto), family: me.family, ip: me.ip, port: 0 };
    await this.writeFrame({
      tag: Tag.CLIENT_IDENT,
      segments: [
        encodeClientIdent({
          addrs: [myAddr],
          targetAddr: peerAddr,
          gid: o.gid ?? (this.globalId > 0n ? this.globalId : -1n),
          globalSeq: o.globalSeq ?? 1n,
          supportedFeatures: o.features ?? CLIENT_FEATURES,
          requiredFeatures: FEATURE_MSG_ADDR2,
          flags: CONNECT_LOSSY,
          cookie: 0n,
        }),
      ],
    });
    const f = await this.readFrame();
    if (f.tag === Tag.IDENT_MISSING_FEATURES) {
      const missing = decodeIdentMissingFeatures(f.segments[0] ?? EMPTY);
      throw new ProtocolError(`${this.peer} requires features we lack: 0x${missing.toString(16)}`);
    }
    if (f.tag === Tag.WAIT) throw new ConnectionError(`${this.peer} asked us to wait (connection race); retry`);
    this.serverIdent = decodeServerIdent(this.expect(f, Tag.SERVER_IDENT));
    this.log.debug(`msgr2 ${this.peer}: ready, mode ${this.mode}, global_id ${this.globalId}`);
  }

  private async authenticate(): Promise<void> {
    const o = this.opts;
    await this.writeFrame({
      tag: Tag.AUTH_REQUEST,
      segments: [encodeAuthRequest({ method: o.auth.method, preferredModes: [...o.modes], payload: await o.auth.request() })],
    });
    for (;;) {
      const f = await this.readFrame();
      const seg = f.segments[0] ?? EMPTY;
      if (f.tag === Tag.AUTH_REPLY_MORE) {
        const next = await o.auth.replyMore(decodeAuthMore(seg));
        await this.writeFrame({ tag: Tag.AUTH_REQUEST_MORE, segments: [encodeAuthMore(next)] });
        continue;
      }
      if (f.tag === Tag.AUTH_BAD_METHOD) {
        const bad = decodeAuthBadMethod(seg);
        throw new AuthError(
          `${this.peer} refused auth method ${bad.method} (result ${bad.result}; allowed methods [${bad.allowedMethods.join(', ')}], modes [${bad.allowedModes.join(', ')}])`,
          bad.result < 0 ? -bad.result : 13,
        );
      }
      const done = decodeAuthDone(this.expect(f, Tag.AUTH_DONE));
      if (!o.modes.includes(done.conMode)) throw new ProtocolError(`${this.peer} chose connection mode ${done.conMode} we did not offer`);
      const outcome = await o.auth.done(done.globalId, done.conMode, done.payload);
      this.globalId = done.globalId;
      this.conMode = done.conMode;
      const pre = this.preAuth!;
      this.preAuth = undefined;
      if (done.conMode === ConMode.SECURE) {
        const keys = splitConnectionSecret(outcome.connectionSecret);
        // One codec object per direction would share nothing but the key; one instance keeps both nonces.
        const secure = await SecureFrameCodec.create(o.crypto, keys);
        this.txCodec = secure;
        this.decoder.setCodec(secure);
      }
      await this.exchangeSignatures(outcome.sessionKey, pre);
      return;
    }
  }

  /** AUTH_SIGNATURE (ProtocolV2::handle_auth_done / handle_auth_signature): HMAC-SHA256 of the peer's bytes. */
  private async exchangeSignatures(sessionKey: Uint8Array, pre: { tx: Uint8Array[]; rx: Uint8Array[] }): Promise<void> {
    const o = this.opts;
    let ours: Uint8Array = new Uint8Array(32);
    let expected: Uint8Array = new Uint8Array(32);
    if (sessionKey.length > 0) {
      const hmac = await o.crypto.hmacSha256(sessionKey);
      ours = await hmac.sign(concatBytes(pre.rx));
      expected = await hmac.sign(concatBytes(pre.tx));
    }
    await this.writeFrame({ tag: Tag.AUTH_SIGNATURE, segments: [ours] });
    const theirs = decodeAuthSignature(this.expect(await this.readFrame(), Tag.AUTH_SIGNATURE));
    if (!equalBytes(theirs, expected)) throw new AuthError(`${this.peer} sent a bad AUTH_SIGNATURE: the session is not authentic`, 13);
  }

  // --- steady state ----------------------------------------------------------------------

  private async readLoop(): Promise<void> {
    try {
      for (;;) {
        let f: Frame;
        try {
          f = await this.readFrame();
        } catch (e) {
          if (e instanceof FrameAbortedError) continue;
          throw e;
        }
        this.dispatch(f);
      }
    } catch (e) {
      await this.close(e instanceof Error ? e : new ConnectionError(String(e)));
    }
  }

  private dispatch(f: Frame): void {
    switch (f.tag) {
      case Tag.MESSAGE: {
        const m = frameToMessage(f);
        if (m.header.seq <= this.inSeq) {
          this.log.warn(`msgr2 ${this.peer}: dropping duplicate message seq ${m.header.seq}`);
          return;
        }
        this.inSeq = m.header.seq;
        this.#events.emit('message', m, this);
        return;
      }
      case Tag.KEEPALIVE2:
        void this.writeFrame({ tag: Tag.KEEPALIVE2_ACK, segments: [encodeKeepalive(decodeKeepalive(f.segments[0] ?? EMPTY))] }).catch((e: unknown) => {
          this.log.debug(`msgr2 ${this.peer}: keepalive ack not sent (${(e as Error).message}); the write error closes the session`);
        });
        return;
      case Tag.KEEPALIVE2_ACK:
      case Tag.ACK: // lossy sessions ignore acks
        return;
      default:
        throw new ProtocolError(`unexpected ${tagName(f.tag)} frame from ${this.peer} on an open session`);
    }
  }

  private startKeepalive(): void {
    const interval = this.opts.keepaliveIntervalMs ?? 10_000;
    const idle = this.opts.idleTimeoutMs ?? 60_000;
    if (interval <= 0) return;
    this.keepaliveTimer = setInterval(() => {
      if (Date.now() - this.lastRx > idle) {
        void this.close(new ConnectionError(`no bytes from ${this.peer} for ${idle} ms`));
        return;
      }
      const now = Date.now();
      const stamp: UTime = { sec: Math.floor(now / 1000), nsec: (now % 1000) * 1e6 };
      void this.writeFrame({ tag: Tag.KEEPALIVE2, segments: [encodeKeepalive(stamp)] }).catch((e: unknown) => {
        this.log.debug(`msgr2 ${this.peer}: keepalive not sent (${(e as Error).message}); the write error closes the session`);
      });
    }, interval);
    (this.keepaliveTimer as { unref?: () => void }).unref?.();
  }

  // --- bytes -----------------------------------------------------------------------------

  private expect(f: Frame, tag: number): Uint8Array {
    if (f.tag !== tag) throw new ProtocolError(`expected ${tagName(tag)} from ${this.peer}, got ${tagName(f.tag)}`);
    return f.segments[0] ?? EMPTY;
  }

  private async pull(): Promise<void> {
    const r = await this.reader!.next();
    if (r.done) throw this.closedWith?.error ?? new ConnectionError(`${this.peer} closed the connection`);
    this.decoder.push(r.value);
  }

  private async readRaw(n: number): Promise<Uint8Array> {
    for (;;) {
      const b = this.decoder.takeRaw(n);
      if (b) return b;
      await this.pull();
    }
  }

  private async readFrame(): Promise<Frame> {
    for (;;) {
      const f = await this.decoder.next();
      if (f) {
        this.opts.onFrame?.(frameEvent('rx', this.peer, this.opts.id ?? 0, this.mode, f.tag, f.segments));
        return f;
      }
      await this.pull();
    }
  }

  private writeRaw(b: Uint8Array): Promise<void> {
    this.preAuth?.tx.push(b);
    return this.transport!.write(b);
  }

  /**
   * Frames are encoded strictly in order (secure mode's nonces depend on it), then gathered:
   * every frame encoded while the previous socket write is under way goes out in the next single
   * write, so a queue of small ops costs one syscall, not one each. A codec that encodes
   * synchronously (crc, node:crypto) takes no promise hop unless an asynchronous encode is
   * still ahead of it.
   */
  private writeFrame(frame: OutFrame): Promise<void> {
    if (this.pendingEncodes === 0) {
      let enc: Uint8Array[] | Promise<Uint8Array[]>;
      try {
        this.checkOpen(frame);
        enc = this.txCodec.encode(frame);
      } catch (e) {
        return Promise.reject(e);
      }
      if (!(enc instanceof Promise)) return this.enqueue(this.encoded(frame, enc));
      return this.chainEncode(enc.then((chunks) => this.encoded(frame, chunks)));
    }
    return this.chainEncode(
      this.encChain.then(async () => {
        this.checkOpen(frame);
        const enc = this.txCodec.encode(frame);
        return this.encoded(frame, enc instanceof Promise ? await enc : enc);
      }),
    );
  }

  private checkOpen(frame: OutFrame): void {
    if (this.closedWith && frame.tag !== Tag.AUTH_SIGNATURE) throw this.closedWith.error ?? new ConnectionError(`connection to ${this.peer} is closed`);
  }

  private encoded(frame: OutFrame, chunks: Uint8Array[]): Uint8Array[] {
    // Tracing sees each segment whole (gathered only when someone traces).
    if (this.opts.onFrame)
      this.opts.onFrame(
        frameEvent(
          'tx',
          this.peer,
          this.opts.id ?? 0,
          this.mode,
          frame.tag,
          frame.segments.map((g) => (g instanceof Uint8Array ? g : concatBytes(segmentChunks(g)))),
        ),
      );
    if (this.preAuth) for (const c of chunks) this.preAuth.tx.push(c);
    return chunks;
  }

  /** An asynchronous encode: later frames queue behind it until it is in the batch. */
  private chainEncode(encoding: Promise<Uint8Array[]>): Promise<void> {
    this.pendingEncodes++;
    const queued = encoding.then(
      (chunks) => {
        this.pendingEncodes--;
        return { sent: this.enqueue(chunks) };
      },
      (e: unknown) => {
        this.pendingEncodes--;
        throw e;
      },
    );
    // Only the order is kept here: the encode's failure reaches the sender through `queued`.
    this.encChain = queued.then(
      () => undefined,
      () => undefined,
    );
    return queued.then((q) => q.sent);
  }

  private enqueue(chunks: Uint8Array[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let b = this.outBatch;
      if (!b) {
        b = { chunks: [], bytes: 0, waiters: [] };
        this.outBatch = b;
        // In steady state wait one turn of the event loop, so ops issued by replies that
        // arrived together leave together.
        this.flushChain = this.flushChain.then(() => (this.preAuth || !yieldTurn ? undefined : yieldTurn())).then(() => this.flush());
      }
      for (const c of chunks) {
        b.chunks.push(c);
        b.bytes += c.length;
      }
      b.waiters.push({ resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const b = this.outBatch;
    this.outBatch = undefined;
    if (!b) return;
    try {
      if (b.chunks.length > 1 && b.bytes <= COALESCE_LIMIT) await this.transport!.write(concatBytes(b.chunks));
      else for (const c of b.chunks) await this.transport!.write(c);
      for (const w of b.waiters) w.resolve();
    } catch (e) {
      for (const w of b.waiters) w.reject(e as Error);
    }
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** A random address nonce for a new client instance (librados: the messenger's nonce). */
export function clientNonce(crypto: CryptoProvider): number {
  const b = crypto.randomBytes(4);
  return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
}
