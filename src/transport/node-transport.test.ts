// node:net transport against a local TCP peer: `readInto` puts the stream's next bytes in the
// caller's buffer (queued ones copied, later ones read there by the kernel), every byte comes
// out once and in order, and what follows the buffer flows as usual.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeTransport } from './node-transport.ts';

const STREAM = new Uint8Array(3 << 20).map((_, i) => (i * 131 + (i >>> 16)) & 0xff);
let server: Server;
let port = 0;
/** Sends STREAM in pieces, pausing after the first so the client can ask for readInto between. */
beforeAll(async () => {
  server = createServer((s: Socket) => {
    s.write(STREAM.subarray(0, 10_000));
    setTimeout(() => s.end(STREAM.subarray(10_000)), 200);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

describe('nodeTransport readInto', () => {
  for (const [name, askAfter] of [
    ['asked while bytes are queued', 0],
    ['asked after taking the first piece', 1],
  ] as const) {
    it(name, async () => {
      const t = await nodeTransport({ host: '127.0.0.1', port });
      await new Promise((r) => setTimeout(r, 100)); // the first 10,000 bytes are queued by now
      const it = t.readable()[Symbol.asyncIterator]();
      const got: Uint8Array[] = [];
      let taken = 0;
      const take = async (): Promise<boolean> => {
        const r = await it.next();
        if (r.done) return false;
        got.push(r.value.slice());
        taken += r.value.length;
        return true;
      };
      for (let i = 0; i < askAfter; i++) await take();
      const start = taken;
      const dest = new Uint8Array(2 << 20);
      t.readInto!(dest);
      let inDest = 0;
      let views = 0;
      while (inDest < dest.length) {
        const r = await it.next();
        expect(r.done).toBe(false);
        const c = r.value as Uint8Array;
        // Every chunk until dest is full is a view of dest at the fill point.
        expect(c.buffer).toBe(dest.buffer);
        expect(c.byteOffset).toBe(dest.byteOffset + inDest);
        inDest += c.length;
        views++;
        got.push(c.slice());
        taken += c.length;
      }
      expect(inDest).toBe(dest.length);
      expect(same(dest, STREAM.subarray(start, start + dest.length))).toBe(true);
      while (await take());
      let at = 0;
      for (const c of got) {
        expect(same(c, STREAM.subarray(at, at + c.length))).toBe(true);
        at += c.length;
      }
      expect(at).toBe(STREAM.length);
      expect(views).toBeGreaterThan(0);
      await t.close();
    });
  }
});
