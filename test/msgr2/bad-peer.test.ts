// A peer that misbehaves mid-session: we replay a real monitor's bytes (fixtures/msgr2) from a
// local socket and then break the stream. The broken connection closes with ProtocolError;
// another connection in the same process keeps working.
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c } from '../../protocol/checksum/crc32c.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { ConnectionError, ProtocolError } from '../../protocol/errors.ts';
import type { Message } from '../../protocol/msgr2/message-frame.ts';
import { ConMode } from '../../protocol/msgr2/tags.ts';
import { parseEntityName } from '../../protocol/types/entity-name.ts';
import { authNone } from '../../protocol/auth/auth-none.ts';
import { Connection } from '../../src/msgr2/connection.ts';
import { nodeTransport } from '../../src/transport/node-transport.ts';

const RX = new Uint8Array(readFileSync(new URL('../../fixtures/msgr2/mon-authnone-crc.rx.bin', import.meta.url)));

/** What to send after the real session's bytes. */
let tail: (s: Socket) => void = () => {};
let server: Server;
let port = 0;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
    s.write(RX);
    tail(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

async function open(): Promise<{ conn: Connection; messages: Message[]; closed: Promise<Error | undefined> }> {
  const conn = await Connection.open({
    host: '127.0.0.1',
    port,
    transport: nodeTransport,
    auth: authNone(parseEntityName('client.admin')),
    modes: [ConMode.CRC],
    crypto: webCryptoProvider,
    signal: AbortSignal.timeout(5_000),
  });
  const messages: Message[] = [];
  conn.on('message', (m) => void messages.push(m));
  const closed = new Promise<Error | undefined>((r) => conn.on('close', (e) => r(e)));
  return { conn, messages, closed };
}

function preamble(tag: number, len: number): Uint8Array {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setUint8(0, tag);
  v.setUint8(1, 1);
  v.setUint32(2, len, true);
  v.setUint16(6, 8, true);
  v.setUint32(28, crc32c(0, b, 0, 28), true);
  return b;
}

describe('a misbehaving peer', () => {
  it('a corrupt frame closes that connection with ProtocolError; another connection carries on', async () => {
    tail = () => {};
    const healthy = await open();
    tail = (s) => {
      const junk = preamble(17, 41).slice();
      junk[10]! ^= 0xff; // breaks the preamble crc
      s.write(junk);
    };
    const broken = await open();
    const err = await broken.closed;
    expect(err).toBeInstanceOf(ProtocolError);
    expect(broken.conn.closed).toBe(true);
    // Messages before the fault were delivered, none after.
    expect(broken.messages.length).toBeGreaterThan(0);
    expect(healthy.conn.closed).toBe(false);
    await expect(broken.conn.send({ type: 5, version: 1, compatVersion: 0, front: new Uint8Array(0) })).rejects.toThrow(ProtocolError);
    await healthy.conn.close();
  });

  it('an unknown tag and an absurd length are protocol errors too', async () => {
    for (const bad of [preamble(99, 8), preamble(17, 0x7fffffff)]) {
      tail = (s) => s.write(bad);
      const c = await open();
      expect(await c.closed).toBeInstanceOf(ProtocolError);
    }
  });

  it('a peer that hangs up mid-frame gives ConnectionError, not a hang', async () => {
    tail = (s) => {
      s.write(preamble(17, 4096));
      s.end();
    };
    // Depending on timing the hang-up is seen during the handshake (open rejects) or after it.
    const outcome = await open().then(
      (c) => c.closed,
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(ConnectionError);
  });
});
