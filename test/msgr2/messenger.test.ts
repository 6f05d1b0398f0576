// The Messenger's own bookkeeping, over a real monitor's bytes replayed in memory
// (fixtures/msgr2, auth none, crc): every connection it opens carries the one address nonce,
// the next value of the one global_seq counter, our global id once a monitor gave one, and
// the auth exchange for its peer type; its per-type dispatchers see messages from every
// connection until removed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { MsgType } from '../../protocol/messages/message-types.ts';
import { decodeClientIdent } from '../../protocol/msgr2/ident-frames.ts';
import { ConMode, Tag } from '../../protocol/msgr2/tags.ts';
import { EntityType } from '../../protocol/types/entity-name.ts';
import { noneAuthClient } from '../../src/auth/auth-setup.ts';
import type { AuthClient } from '../../protocol/auth/auth-provider.ts';
import type { FrameEvent } from '../../src/msgr2/frame-trace.ts';
import { Messenger } from '../../src/msgr2/messenger.ts';
import type { Transport, TransportFactory } from '../../src/transport/transport.ts';

const RX = new Uint8Array(readFileSync(new URL('../../fixtures/msgr2/mon-authnone-crc.rx.bin', import.meta.url)));

/** A transport that plays the monitor's recorded bytes, then stays open until closed. */
const replay: TransportFactory = () => {
  let release: () => void = () => {};
  const closed = new Promise<void>((r) => (release = r));
  const t: Transport = {
    write: () => Promise.resolve(),
    async *readable() {
      yield RX.slice();
      await closed;
    },
    close: () => {
      release();
      return Promise.resolve();
    },
  };
  return Promise.resolve(t);
};

function setup(): { messenger: Messenger; frames: FrameEvent[]; exchanges: Array<{ peerType: number; globalId: bigint }> } {
  const frames: FrameEvent[] = [];
  const exchanges: Array<{ peerType: number; globalId: bigint }> = [];
  const none = noneAuthClient('client.admin');
  const auth: AuthClient = {
    entityName: none.entityName,
    exchange: (peerType, globalId) => {
      exchanges.push({ peerType, globalId });
      return none.exchange(peerType, globalId);
    },
  };
  const messenger = new Messenger({ auth, crypto: webCryptoProvider, transport: replay, modes: [ConMode.CRC], onFrame: (e) => frames.push(e) });
  return { messenger, frames, exchanges };
}

const idents = (frames: FrameEvent[]) => frames.filter((f) => f.direction === 'tx' && f.tag === Tag.CLIENT_IDENT).map((f) => decodeClientIdent(f.segments[0]!));

describe('Messenger', () => {
  it('gives every connection the one nonce and the next global_seq, and our global id once known', async () => {
    const { messenger, frames, exchanges } = setup();
    expect(messenger.entityName).toBe('client.admin');
    const mon = await messenger.connect({ host: '127.0.0.1', port: 3300 }, EntityType.MON, { keepaliveIntervalMs: 0 });
    expect(mon.globalId).toBeGreaterThan(0n);
    messenger.setGlobalId(mon.globalId);
    const osd = await messenger.connect({ host: '127.0.0.1', port: 6800, nonce: 1234 }, EntityType.OSD, { keepaliveIntervalMs: 0 });
    const [a, b] = idents(frames);
    expect(a!.addrs[0]!.nonce).toBe(messenger.nonce);
    expect(b!.addrs[0]!.nonce).toBe(messenger.nonce);
    expect([a!.globalSeq, b!.globalSeq]).toEqual([1n, 2n]);
    // A mon connection presents the id its own AUTH_DONE gave; the others present ours.
    expect(a!.gid).toBe(mon.globalId);
    expect(b!.gid).toBe(mon.globalId);
    expect(b!.targetAddr.nonce).toBe(1234);
    expect(exchanges).toEqual([
      { peerType: EntityType.MON, globalId: 0n },
      { peerType: EntityType.OSD, globalId: mon.globalId },
    ]);
    expect(messenger.nextGlobalSeq()).toBe(3n);
    await mon.close();
    await osd.close();
  });

  it("delivers a message type to its dispatchers from every connection, before the owner's handler, until removed", async () => {
    const { messenger } = setup();
    const seen: string[] = [];
    const off = messenger.on(MsgType.MON_MAP, (_m, c) => seen.push(`dispatcher ${c.peer}`));
    const owned = new Promise<void>((resolve) => {
      void messenger.connect({ host: '127.0.0.1', port: 3300 }, EntityType.MON, {
        keepaliveIntervalMs: 0,
        onMessage: (m, c) => {
          if (m.header.type !== MsgType.MON_MAP) return;
          seen.push(`owner ${c.peer}`);
          resolve();
        },
      });
    });
    await owned;
    // Each MMonMap so far went to the dispatcher, then to the owner, in the same turn.
    const before = [...seen];
    expect(before.length).toBeGreaterThanOrEqual(2);
    before.forEach((e, i) => expect(e).toBe(`${i % 2 === 0 ? 'dispatcher' : 'owner'} 127.0.0.1:3300`));
    off();
    off(); // a second call removes nothing more
    const again = new Promise<void>((resolve) => {
      void messenger.connect({ host: '127.0.0.1', port: 3301 }, EntityType.MON, {
        keepaliveIntervalMs: 0,
        onMessage: (m, c) => {
          if (m.header.type !== MsgType.MON_MAP) return;
          seen.push(`owner ${c.peer}`);
          resolve();
        },
      });
    });
    await again;
    expect(seen).toContain('owner 127.0.0.1:3301');
    expect(seen.slice(before.length).filter((e) => e.startsWith('dispatcher'))).toEqual([]);
  });
});
