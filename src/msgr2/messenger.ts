// The client's messenger (librados: one Messenger per client; the kernel's struct
// ceph_messenger in net/ceph/messenger.c): who we are on the wire — entity name, address
// nonce, the global_seq counter, our global id once the monitors gave one — and how we talk
// (crypto, sockets, connection modes, auth, tracing). Every connection of the client is
// opened here, so daemons see one client: one address, ordered connection sequence numbers,
// and a blocklist entry for it fences every connection.
import type { CryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import type { Message } from '../../protocol/msgr2/message-frame.ts';
import { EntityType } from '../../protocol/types/entity-name.ts';
import { Listeners, type Unsubscribe } from '../listeners.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { TransportFactory } from '../transport/transport.ts';
import type { AuthClient } from '../../protocol/auth/auth-provider.ts';
import { clientNonce, Connection } from './connection.ts';
import type { FrameHook } from './frame-trace.ts';

export interface MessengerOptions {
  /** Authentication for every connection (none or cephx); carries our entity name. */
  auth: AuthClient;
  crypto: CryptoProvider;
  transport: TransportFactory;
  /** Connection modes we accept, preferred first (ConMode.CRC / ConMode.SECURE). */
  modes: readonly number[];
  /** Our address nonce; a random one when absent (one per client instance). */
  nonce?: number;
  logger?: Logger;
  /** Sees each frame sent or received on every connection (tracing). */
  onFrame?: FrameHook;
}

/** A daemon's msgr2 address. */
export interface PeerAddr {
  host: string;
  port: number;
  /** The nonce in the daemon's advertised address (0 for mons; from the OSDMap for OSDs). */
  nonce?: number;
}

/** Per-connection settings and the owner's handlers (registered before any message can arrive). */
export interface MessengerConnectOptions {
  signal?: AbortSignal;
  keepaliveIntervalMs?: number;
  idleTimeoutMs?: number;
  onMessage?: (m: Message, conn: Connection) => void;
  onClose?: (error: Error | undefined, conn: Connection) => void;
}

type DispatchEvents = Record<number, [m: Message, conn: Connection]>;

export class Messenger {
  /** Our address nonce, the same on every connection. */
  readonly nonce: number;
  readonly log: Logger;
  readonly #opts: MessengerOptions;
  #globalSeq = 0n;
  #globalId = 0n;
  readonly #dispatchers = new Listeners<DispatchEvents>();

  constructor(opts: MessengerOptions) {
    this.#opts = opts;
    this.nonce = opts.nonce ?? clientNonce(opts.crypto);
    this.log = opts.logger ?? silentLogger;
  }

  /** Our entity name ("client.admin"). */
  get entityName(): string {
    return this.#opts.auth.entityName;
  }

  get auth(): AuthClient {
    return this.#opts.auth;
  }

  /** Our global id (the number in "client.NNNN"); 0 until a monitor authenticated us. */
  get globalId(): bigint {
    return this.#globalId;
  }

  /** Records the global id a monitor gave us (librados: messenger->set_myname(CLIENT(global_id))). */
  setGlobalId(id: bigint): void {
    this.#globalId = id;
  }

  /**
   * The next msgr2 global_seq: one counter for all our connections, so with one address for
   * them all a daemon tells a new connection of ours from a stale one.
   */
  nextGlobalSeq(): bigint {
    return ++this.#globalSeq;
  }

  /**
   * Opens a connection to a daemon of `peerType` (EntityType): mon authentication for a
   * monitor, an authorizer for the others; resolves once messages can flow.
   */
  /** Connections opened so far (numbers FrameEvent.connection). */
  #connections = 0;

  connect(addr: PeerAddr, peerType: number, options: MessengerConnectOptions = {}): Promise<Connection> {
    const o = this.#opts;
    return Connection.open({
      host: addr.host,
      port: addr.port,
      peerNonce: addr.nonce ?? 0,
      transport: o.transport,
      auth: o.auth.exchange(peerType, this.#globalId),
      modes: o.modes,
      crypto: o.crypto,
      nonce: this.nonce,
      // A monitor connection takes the global id AUTH_DONE gives it; the others present ours.
      ...(peerType === EntityType.MON ? {} : { gid: this.#globalId }),
      globalSeq: this.nextGlobalSeq(),
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.onFrame ? { onFrame: o.onFrame, id: ++this.#connections } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.keepaliveIntervalMs !== undefined ? { keepaliveIntervalMs: options.keepaliveIntervalMs } : {}),
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      // The messenger's dispatchers first (maps from any daemon), then the connection's owner.
      onMessage: (m, conn) => {
        this.#dispatchers.emit(m.header.type, m, conn);
        options.onMessage?.(m, conn);
      },
      ...(options.onClose ? { onClose: options.onClose } : {}),
    });
  }

  /**
   * Handles messages of `type` (MsgType) whichever of our connections carries them, as Ceph's
   * Dispatchers do: an OSDMap from a monitor or from an OSD takes the same path.
   */
  on(type: number, fn: (m: Message, conn: Connection) => void): Unsubscribe {
    return this.#dispatchers.on(type, fn);
  }
}
