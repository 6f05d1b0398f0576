// `Rados`: the cluster handle users create (Python: rados.Rados). Binds RadosCore to the
// placement engine's OSDMap and to the runtime (sockets, files) chosen by the entry point.
// Kept in our .d.ts (preserve) so consumers without Node types or lib esnext see Symbol.asyncDispose.
/// <reference lib="esnext.disposable" preserve="true" />
import { decodeOsdMap } from '../crush/osdmap/decode-osdmap.ts';
import { applyIncremental } from '../crush/osdmap/incremental.ts';
import type { OsdMapData } from '../crush/osdmap/osdmap.ts';
import { type CryptoProvider, webCryptoProvider } from '../protocol/crypto/crypto-provider.ts';
import { AuthMethod, ConMode } from '../protocol/msgr2/tags.ts';
import { setupAuth } from './auth/auth-setup.ts';
import type { CephxClient } from '../protocol/cephx/client.ts';
import { type ReadTextFile, resolveConfig } from './config/resolve-config.ts';
import { MonClient } from './mon/mon-client.ts';
import { clientNonce } from './msgr2/connection.ts';
import { type PlacementAdapter, RadosCore } from './rados-core.ts';
import type { RadosConnectOptions } from './rados-options.ts';
import type { TransportFactory } from './transport/transport.ts';
import { abortable, type CallOptions, callSignal } from './abort.ts';
import { IoCtx } from './ioctx.ts';
import { Objecter } from './osd/objecter.ts';
import { WatchNotify } from './osd/watch-notify.ts';

export const osdMapAdapter: PlacementAdapter<OsdMapData> = {
  decodeFull: decodeOsdMap,
  applyIncremental,
  epochOf: (m) => m.epoch,
  pools: (m) => [...m.pools.keys()].sort((a, b) => a - b).map((id) => ({ id, name: m.poolNames.get(id) ?? String(id) })),
};

/** What an entry point (Node, workerd) supplies. */
export interface RadosRuntime {
  transport: TransportFactory;
  /** The runtime's fastest CryptoProvider; Web Crypto when absent. */
  crypto?: CryptoProvider;
  readFile?: ReadTextFile;
  /** This host's name, for MMonSubscribe; called at connect, never at import (undefined: not known). */
  hostname?: () => string | undefined;
}

function modesFor(mode: RadosConnectOptions['mode']): number[] {
  switch (mode) {
    case 'secure':
      return [ConMode.SECURE];
    case 'crc':
      return [ConMode.CRC];
    case 'prefer-secure':
      return [ConMode.SECURE, ConMode.CRC];
    default:
      return [ConMode.CRC, ConMode.SECURE];
  }
}

export class Rados extends RadosCore<OsdMapData> {
  /** @internal The cephx client holding our tickets (undefined with auth none). */
  cephx: CephxClient | undefined;
  /** @internal Routes object ops to OSDs. */
  objecter: Objecter | undefined;
  /** @internal Watches and notifies over the objecter. */
  watchNotify: WatchNotify | undefined;

  /** An I/O context for a pool (Python: `rados.open_ioctx(name)`). */
  async openIoCtx(poolName: string, options?: CallOptions): Promise<IoCtx> {
    const id = await this.poolLookup(poolName, options);
    return new IoCtx(
      {
        objecter: this.objecter!,
        watchNotify: this.watchNotify!,
        map: () => this.osdmaps.map,
        poolOp: (pool, op, o) => this.monc.poolOp(pool, op, this.defaults(o)),
        waitForEpoch: (epoch, o) => abortable(this.osdmaps.waitFor(epoch), callSignal(this.defaults(o), this.callTimeoutMs, `waiting for osdmap ${epoch}`)),
        instanceId: () => this.instanceId,
        blocklistAdd: (addr, o) => this.blocklistAdd(addr, undefined, o),
      },
      id,
      poolName,
    );
  }

  /** Closes every OSD and monitor connection; the handle cannot be used after. */
  override async close(): Promise<void> {
    await this.objecter?.close();
    await super.close();
  }

  /** `close()`, for `await using rados = await Rados.connect(…)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Connects, authenticates, and waits for the monmap and the first OSDMap, with a runtime's
   * sockets and files. The handle is an instance of the class it is called on (`new this`), so
   * an entry point's `Rados.connect` returns its own `Rados`.
   * @internal Entry points call it; users call `Rados.connect`.
   */
  static async connectWith(options: RadosConnectOptions, runtime: RadosRuntime): Promise<Rados> {
    const crypto = options.crypto ?? runtime.crypto ?? webCryptoProvider;
    const cfg = await resolveConfig(options, runtime.readFile);
    const auth = setupAuth(cfg, crypto);
    // One address (nonce) and one connection counter for all our connections, as librados'
    // messenger: daemons see one client, and a blocklist entry for it fences every connection.
    const nonce = clientNonce(crypto);
    let globalSeq = 0n;
    const nextGlobalSeq = (): bigint => ++globalSeq;
    const hostname = runtime.hostname?.();
    const monc = new MonClient({
      mons: cfg.mons,
      nonce,
      nextGlobalSeq,
      auth: auth.mon,
      modes: modesFor(options.mode),
      crypto,
      transport: options.transport ?? runtime.transport,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.onFrame ? { onFrame: options.onFrame } : {}),
      ...(hostname !== undefined ? { hostname } : {}),
      ...(auth.cephx ? { tickets: { protocol: AuthMethod.CEPHX, request: () => auth.cephx!.ticketRequest(), reply: (p: Uint8Array) => auth.cephx!.handleTicketReply(p) } } : {}),
    });
    const rados = new this(monc, osdMapAdapter, options.logger, options.callTimeoutMs ?? 60_000);
    rados.cephx = auth.cephx;
    const objecter = new Objecter({
      map: () => rados.osdmaps.map,
      waitForLatestMap: (o) => rados.waitForLatestOsdMap(o),
      onOsdMap: (m) => {
        try {
          rados.osdmaps.handle(m);
        } catch (e) {
          options.logger?.warn(`objecter: cannot use an OSD's MOSDMap: ${(e as Error).message}`);
        }
      },
      cephx: auth.cephx,
      nonce,
      nextGlobalSeq,
      crypto,
      transport: options.transport ?? runtime.transport,
      modes: modesFor(options.mode),
      globalId: () => monc.globalId,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.onFrame ? { onFrame: options.onFrame } : {}),
      ...(options.osdIdleTtlMs !== undefined ? { idleTtlMs: options.osdIdleTtlMs } : {}),
    });
    rados.objecter = objecter;
    rados.watchNotify = new WatchNotify(objecter, undefined, options.watchTimeoutSec);
    rados.osdmaps.onMap = () => objecter.handleMapChange();
    await rados.start({ ...(options.signal ? { signal: options.signal } : {}), timeoutMs: options.timeoutMs ?? 30_000 });
    return rados;
  }
}
