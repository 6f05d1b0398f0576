// Keeps the newest OSDMap from MOSDMap messages (as Objecter::handle_osd_map does): apply
// incrementals in order; take a full map when one is newer; on a gap with no full map, ask
// the monitor for the latest full map. Waiters are woken when an epoch arrives.
import { decodeOsdMapMessage } from '../../protocol/messages/osd-map-message.ts';
import type { Message } from '../../protocol/msgr2/message-frame.ts';
import { Listeners, type Unsubscribe } from '../listeners.ts';
import type { Logger } from '../logger.ts';

export interface OsdMapCodec<M> {
  decodeFull(bytes: Uint8Array): M;
  applyIncremental(map: M, incremental: Uint8Array): M;
  epochOf(map: M): number;
}

export interface OsdMapSource {
  subscribe(what: string, start: bigint | number, onetime?: boolean): void;
  gotMap(what: string, epoch: number): void;
}

/** What one MOSDMap changed: each map installed, oldest first, and whether epochs were skipped. */
export interface MapChange<M> {
  /** Every epoch installed from the message, in order (the last is the new current map). */
  epochs: M[];
  /** A full map was taken past epochs we never saw (Objecter's skipped_map): anything may have moved in between. */
  skipped: boolean;
}

export class OsdMapTracker<M> {
  map: M | undefined;
  private readonly codec: OsdMapCodec<M>;
  private readonly source: OsdMapSource;
  private readonly log: Logger;
  private waiters: Array<{ epoch: number; resolve: () => void }> = [];
  private fullRequested = false;
  readonly #events = new Listeners<{ map: [map: M, change: MapChange<M>] }>();

  constructor(codec: OsdMapCodec<M>, source: OsdMapSource, log: Logger) {
    this.codec = codec;
    this.source = source;
    this.log = log;
  }

  /** 'map': called after a message's maps are installed, with each epoch (the Objecter rescans its ops per epoch). */
  on(event: 'map', fn: (map: M, change: MapChange<M>) => void): Unsubscribe {
    return this.#events.on(event, fn);
  }

  get epoch(): number {
    return this.map ? this.codec.epochOf(this.map) : 0;
  }

  /** Starts a continuous subscription from the epoch after ours. */
  start(): void {
    this.source.subscribe('osdmap', this.map ? this.epoch + 1 : 0);
  }

  handle(m: Message): void {
    const msg = decodeOsdMapMessage(m.front, m.header.version);
    let map = this.map;
    let epoch = this.epoch;
    const last = Math.max(0, ...msg.incrementals.keys(), ...msg.fulls.keys());
    if (last <= epoch) return;
    const epochs: M[] = [];
    let skipped = false;
    for (let e = epoch + 1; e <= last; e++) {
      const inc = msg.incrementals.get(e);
      const full = msg.fulls.get(e);
      if (map && inc && e === epoch + 1) {
        map = this.codec.applyIncremental(map, inc);
      } else if (full) {
        // Past a gap (not our first map): the epochs in between are unknown.
        if (map && e !== epoch + 1) skipped = true;
        map = this.codec.decodeFull(full);
      } else {
        continue;
      }
      epoch = this.codec.epochOf(map);
      epochs.push(map);
    }
    if (!map || epoch <= this.epoch) {
      // A gap we cannot bridge: ask for the latest full map once.
      this.log.info(`osdmap: gap after epoch ${this.epoch} (message has ${[...msg.incrementals.keys()].join(',')}/${[...msg.fulls.keys()].join(',')}); requesting a full map`);
      this.fullRequested = true;
      this.source.subscribe('osdmap', 0, true);
      return;
    }
    this.map = map;
    if (this.fullRequested) {
      // The one-time request replaced our continuous subscription: restore it.
      this.fullRequested = false;
      this.source.subscribe('osdmap', epoch + 1);
    } else {
      this.source.gotMap('osdmap', epoch);
    }
    this.#events.emit('map', map, { epochs, skipped });
    const ready = this.waiters.filter((w) => w.epoch <= epoch);
    this.waiters = this.waiters.filter((w) => w.epoch > epoch);
    for (const w of ready) w.resolve();
  }

  /** Resolves once we hold epoch ≥ `epoch`. */
  waitFor(epoch: number): Promise<void> {
    if (this.epoch >= epoch && this.map) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ epoch, resolve }));
  }
}
