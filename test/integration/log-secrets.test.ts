// Nothing secret in what rados-ts logs, hands to the frame hook, or throws: the busiest paths
// (cephx connect, mon commands, pools, objects with xattrs and omap, watch/notify, RBD with
// snapshots, a clone and exclusive-lock hand-overs, close) and failure paths (a wrong key,
// connections cut mid-stream), in crc and in secure mode, with a logger that keeps every level.
// The secrets are the client key, every cephx session key and service ticket, every connection
// secret the connections were keyed with, and every key the crypto provider was asked to import;
// no log line or error may hold 8 bytes of one in hex, base64 (any alignment), or as decimal
// numbers (JSON arrays, util.inspect of a Uint8Array, a JSON-stringified Uint8Array), and no
// frame's plaintext may hold 8 of their raw bytes.
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuthOutcome, AuthProvider } from '../../protocol/auth/auth-provider.ts';
import { CephxClient, SERVICE_AUTH } from '../../protocol/cephx/client.ts';
import { formatKeyString } from '../../protocol/cephx/crypto-key.ts';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import type { CryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { EntityType } from '../../protocol/types/entity-name.ts';
import { nodeCryptoProvider } from '../../src/crypto/node-crypto-provider.ts';
import { AuthError, Rados, RBD, type RadosConnectOptions } from '../../src/index.ts';
import type { Logger } from '../../src/logger.ts';
import type { FrameEvent } from '../../src/msgr2/frame-trace.ts';
import { type Rados as RadosHandle, radosInternals } from '../../src/rados.ts';
import { nodeTransport } from '../../src/transport/node-transport.ts';
import { cuttingTransport } from './fault-transport.ts';

const cluster = inject('cluster');
const adminKey = parseKeyring(readFileSync(cluster.keyringPath, 'utf8')).get('client.admin')!.key;
const enc = new TextEncoder();

const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const toBase64 = (b: Uint8Array): string => btoa(String.fromCharCode(...b));
const toBase64Url = (b: Uint8Array): string => toBase64(b).replace(/\+/g, '-').replace(/\//g, '_');

/** 8 bytes of a secret anywhere is a leak; fewer could match by chance. */
const WINDOW = 8;
/** 12 bytes are 16 base64 characters without padding, whatever the alignment of the buffer around them. */
const B64_WINDOW = 12;

/** Finds any 8-byte window of a registered secret in text (hex, base64, decimal runs) or bytes. */
class SecretScanner {
  private readonly hex = new Map<string, string>();
  private readonly b64 = new Map<string, string>();
  private readonly words = new Map<number, Array<{ bytes: Uint8Array; name: string }>>();
  readonly names = new Set<string>();

  add(name: string, secret: Uint8Array): void {
    if (secret.length < 16) throw new Error(`secret ${name} has ${secret.length} bytes; a real one has at least 16`);
    this.names.add(name);
    for (let i = 0; i + WINDOW <= secret.length; i++) {
      const w = secret.slice(i, i + WINDOW);
      this.hex.set(toHex(w), name);
      const first = new DataView(w.buffer).getUint32(0, true);
      const list = this.words.get(first) ?? [];
      list.push({ bytes: w, name });
      this.words.set(first, list);
    }
    for (let i = 0; i + B64_WINDOW <= secret.length; i++) {
      const w = secret.subarray(i, i + B64_WINDOW);
      this.b64.set(toBase64(w), name);
      this.b64.set(toBase64Url(w), name);
    }
  }

  /** The name of a secret whose bytes the text holds, if any. */
  inText(text: string): string | undefined {
    for (const m of text.matchAll(/[A-Za-z0-9+/_-]{16,}/g)) {
      for (let i = 0; i + 16 <= m[0].length; i++) {
        const hit = this.b64.get(m[0].slice(i, i + 16));
        if (hit) return `${hit} (base64)`;
      }
    }
    // Hex with or without separators: "0a1b…", "0a 1b …" (<Buffer …>), "0a:1b:…".
    for (const m of text
      .toLowerCase()
      .replace(/[\s:,]/g, '')
      .matchAll(/[0-9a-f]{16,}/g)) {
      for (let i = 0; i + 2 * WINDOW <= m[0].length; i++) {
        const hit = this.hex.get(m[0].slice(i, i + 2 * WINDOW));
        if (hit) return `${hit} (hex)`;
      }
    }
    // Decimal byte runs: "[1,2,…]", "Uint8Array(16) [ 1, 2, … ]", and JSON's {"0":1,"1":2,…}.
    for (const m of text.matchAll(/\d{1,3}(?:[\s,]+\d{1,3}){7,}/g)) {
      const hit = this.inNumbers(m[0].split(/[\s,]+/).map(Number));
      if (hit) return `${hit} (decimal)`;
    }
    for (const m of text.matchAll(/"\d+"\s*:\s*\d{1,3}(?:\s*,\s*"\d+"\s*:\s*\d{1,3}){7,}/g)) {
      const hit = this.inNumbers([...m[0].matchAll(/:\s*(\d{1,3})/g)].map((v) => Number(v[1])));
      if (hit) return `${hit} (decimal, JSON object)`;
    }
    return undefined;
  }

  /** The name of a secret whose raw bytes appear in b, if any. */
  inBytes(b: Uint8Array): string | undefined {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i + WINDOW <= b.length; i++) {
      const list = this.words.get(dv.getUint32(i, true));
      if (!list) continue;
      for (const { bytes, name } of list) if (bytes.every((x, k) => b[i + k] === x)) return name;
    }
    return undefined;
  }

  private inNumbers(ns: number[]): string | undefined {
    return ns.every((n) => n <= 255) ? this.inBytes(Uint8Array.from(ns)) : undefined;
  }
}

const bigintSafe = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);
const bytesAsArrays = (k: string, v: unknown): unknown =>
  v instanceof Uint8Array
    ? Array.from(v)
    : v instanceof Error
      ? { ...Object.fromEntries(Object.entries(v)), name: v.name, message: v.message, stack: v.stack, cause: v.cause }
      : bigintSafe(k, v);
function asJson(v: unknown, replacer: (k: string, v: unknown) => unknown): string {
  try {
    // Typed string, but undefined for a lone function or undefined.
    const out = JSON.stringify(v, replacer) as string | undefined;
    return out ?? '';
  } catch (e) {
    return `(not JSON: ${(e as Error).message})`; // a cycle: inspect() below still renders it
  }
}

/** Every way a logger could print a value: String(), util.inspect (with causes), JSON two ways. */
function renderings(v: unknown): string[] {
  return [String(v), inspect(v, { depth: 20, maxArrayLength: null, maxStringLength: null, breakLength: Infinity }), asJson(v, bigintSafe), asJson(v, bytesAsArrays)];
}

interface Captured {
  level: keyof Logger;
  text: string;
}

/** One mode's run: everything its clients logged, framed and threw, and the secrets they held. */
interface Run {
  lines: Captured[];
  frames: FrameEvent[];
  errors: unknown[];
  /** Bytes the first client's trace recorder wrote (authentication left out, as by default). */
  trace: Uint8Array[];
  /** Keys: never in a log line, an error, the trace, nor in any frame's plaintext. */
  keys: SecretScanner;
  /** Service tickets: sealed, so an authorizer frame carries them; never in a log line, an error or the trace. */
  tickets: SecretScanner;
  logger: Logger;
  onFrame: (e: FrameEvent) => void;
}

function newRun(): Run {
  const lines: Captured[] = [];
  const frames: FrameEvent[] = [];
  const log =
    (level: keyof Logger) =>
    (msg: string, ...args: unknown[]): void => {
      lines.push({ level, text: [msg, ...args.flatMap(renderings)].join(' ') });
    };
  return {
    lines,
    frames,
    errors: [],
    trace: [],
    keys: new SecretScanner(),
    tickets: new SecretScanner(),
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    // Segments are copied: the hook's buffers are the connection's, not ours to keep.
    onFrame: (e) => frames.push({ ...e, segments: e.segments.map((s) => s.slice()) }),
  };
}

// Every connection's AuthOutcome (session key, connection secret) and every key the crypto
// provider imports, from each CephxClient of this file: the mon session's connection secret is
// made during connect, before the handle (and internals) exist.
const outcomes: AuthOutcome[] = [];
const importedKeys: Uint8Array[] = [];
const recordDone = (p: AuthProvider): AuthProvider => ({
  method: p.method,
  request: () => p.request(),
  replyMore: (payload) => p.replyMore(payload),
  done: async (globalId, conMode, payload) => {
    const o = await p.done(globalId, conMode, payload);
    outcomes.push({ sessionKey: o.sessionKey.slice(), connectionSecret: o.connectionSecret.slice() });
    return o;
  },
});
const proto = CephxClient.prototype;
// Called with .call(this) on the instance, as the prototype's own methods would be.
// eslint-disable-next-line @typescript-eslint/unbound-method
const { monExchange, authorizerExchange } = proto;
beforeAll(() => {
  proto.monExchange = function (this: CephxClient) {
    return recordDone(monExchange.call(this));
  };
  proto.authorizerExchange = function (this: CephxClient, service: number) {
    return recordDone(authorizerExchange.call(this, service));
  };
});
afterAll(() => {
  proto.monExchange = monExchange;
  proto.authorizerExchange = authorizerExchange;
});
const importing =
  <K>(f: (key: Uint8Array) => Promise<K>) =>
  (key: Uint8Array): Promise<K> => {
    importedKeys.push(key.slice());
    return f(key);
  };
const crypto: CryptoProvider = {
  name: 'recording-node',
  aesCbc: importing((k) => nodeCryptoProvider.aesCbc(k)),
  aesCbcRaw: importing((k) => nodeCryptoProvider.aesCbcRaw(k)),
  aesGcm: importing((k) => nodeCryptoProvider.aesGcm(k)),
  hmacSha256: importing((k) => nodeCryptoProvider.hmacSha256(k)),
  hmacSha384: importing((k) => nodeCryptoProvider.hmacSha384(k)),
  randomBytes: (n) => nodeCryptoProvider.randomBytes(n),
};

/** What a connected client holds now: session keys and tickets of every service (kept across renewals). */
function collectTickets(run: Run, rados: RadosHandle, who: string): number {
  const cephx = radosInternals(rados).cephx!;
  let n = 0;
  for (const [name, service] of [
    ['auth', SERVICE_AUTH],
    ['mon', EntityType.MON],
    ['osd', EntityType.OSD],
    ['mgr', EntityType.MGR],
  ] as const) {
    const t = cephx.ticket(service);
    if (!t) continue;
    run.keys.add(`${who} ${name} session key`, t.sessionKey.secret);
    run.tickets.add(`${who} ${name} ticket`, t.ticket.blob);
    n++;
  }
  return n;
}

/** Rejections are kept for the scan, and must happen: `fn` is a path that fails. */
async function failing(run: Run, fn: () => Promise<unknown>): Promise<unknown> {
  const e = await fn().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(Error);
  run.errors.push(e);
  return e;
}

describe('the scanner', () => {
  it('finds a secret in every form a logger prints bytes in, and nothing in unrelated text', () => {
    const s = new SecretScanner();
    const secret = adminKey.secret;
    s.add('key', secret);
    const inside = new Uint8Array(40);
    inside.set(secret, 7); // an unaligned window inside a longer buffer
    const forms = [
      toHex(secret),
      toHex(secret).toUpperCase(),
      toBase64(secret),
      toBase64Url(inside),
      toBase64(inside.subarray(1)),
      toBase64(inside.subarray(2)),
      formatKeyString(adminKey),
      JSON.stringify(Array.from(secret)),
      JSON.stringify(secret),
      inspect(secret),
      inspect(Buffer.from(inside)),
      inspect({ deep: { nested: [inside] } }, { depth: 10 }),
      Array.from(inside).join(', '),
    ];
    for (const f of forms) expect(s.inText(`before ${f} after`), f).toBeDefined();
    expect(s.inBytes(inside)).toBe('key');
    expect(s.inText(`key ${toHex(secret.slice(0, 7))} ${Array.from(secret.slice(0, 7)).join(',')} ${toBase64(secret.slice(0, 9))}`)).toBeUndefined();
    expect(s.inBytes(secret.slice(1, 8))).toBeUndefined();
  });
});

describe.each(['crc', 'secure'] as const)('%s mode: no secret in logs, frames or errors', (mode) => {
  const run = newRun();
  const pool = `log-secrets-${mode}`;
  const connect = (extra: RadosConnectOptions = {}): Promise<Rados> =>
    Rados.connect({ conf: cluster.confPath, keyring: cluster.keyringPath, mode, logger: run.logger, onFrame: run.onFrame, crypto, ...extra });
  let firstOutcome = 0;
  beforeAll(() => {
    firstOutcome = outcomes.length;
  });

  it('the busiest paths', async () => {
    const rados = await connect({ trace: { write: (b) => void run.trace.push(b.slice()), close: () => Promise.resolve() } });
    const other = await connect();
    try {
      const r = await rados.monCommand({ prefix: 'status', format: 'json' });
      expect(r.code).toBe(0);
      // The client's own key comes back in a reply: it may cross the wire (inside the reply), never the log.
      const got = await rados.monCommand({ prefix: 'auth get-key', entity: 'client.admin', format: 'json' });
      expect(got.code).toBe(0);
      expect(got.outputText).toContain(formatKeyString(adminKey));

      await rados.createPool(pool, { pgNum: 8 });
      const io = await rados.openIoCtx(pool);
      await io.writeFull('obj', 'some bytes');
      await io.write('obj', enc.encode('more'), 4);
      expect(new TextDecoder().decode(await io.read('obj'))).toBe('somemorees');
      await io.setXattr('obj', 'user.a', 'xattr value');
      expect(new TextDecoder().decode(await io.getXattr('obj', 'user.a'))).toBe('xattr value');
      await failing(run, () => io.getXattr('obj', 'user.missing'));
      await io.setOmap('obj', { k1: 'v1', k2: 'v2' });
      expect([...(await io.getOmapVals('obj')).entries.keys()]).toEqual(['k1', 'k2']);
      expect((await io.stat('obj')).size).toBe(10);

      // Watch/notify, with a handler that throws once (the library logs and acks without a reply).
      let notifies = 0;
      const w = await io.watch('obj', () => {
        if (notifies++ === 0) throw new Error('handler failure');
        return enc.encode('pong');
      });
      const first = await io.notify('obj', 'ping', { timeoutMs: 10_000 });
      expect(first.acks).toHaveLength(1);
      const second = await io.notify('obj', 'ping', { timeoutMs: 10_000 });
      expect(second.acks.map((a) => new TextDecoder().decode(a.reply))).toEqual(['pong']);
      await w.close();
      await io.remove('obj');

      // RBD: create, write, read, snapshot, clone, copy-on-write, and the exclusive lock handed
      // between two clients (REQUEST_LOCK, RELEASED_LOCK, ACQUIRED_LOCK notifies).
      await RBD.create(io, 'base', 8 << 20);
      const base = await RBD.open(io, 'base');
      const data = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 31 + 7) & 0xff);
      await base.write(data, 0);
      expect(await base.read(0, data.length)).toEqual(data);
      await base.createSnap('s1');
      await base.protectSnap('s1');
      await RBD.clone(io, 'base', 's1', io, 'kid');
      const kid = await RBD.open(io, 'kid');
      expect(await kid.read(4096, 4096)).toEqual(data.slice(4096, 8192));
      await kid.write(enc.encode('copy-on-write'), 100);
      const theirs = await RBD.open(await other.openIoCtx(pool), 'base');
      await theirs.write(enc.encode('theirs'), 2 << 20); // takes the lock from `base`
      await base.write(enc.encode('ours again'), 3 << 20); // and back
      expect(new TextDecoder().decode(await theirs.read(3 << 20, 10))).toBe('ours again');
      expect(collectTickets(run, rados, 'first client')).toBeGreaterThanOrEqual(3);
      expect(collectTickets(run, other, 'second client')).toBeGreaterThanOrEqual(3);
      await theirs.close();
      await kid.close();
      await RBD.remove(io, 'kid');
      await base.unprotectSnap('s1');
      await base.removeSnap('s1');
      await base.close();
      await RBD.remove(io, 'base');
    } finally {
      await other.close();
      await rados.close();
    }
  }, 180_000);

  it('the failure paths: a wrong key, connections cut mid-stream', async () => {
    const wrong = { ...adminKey, secret: adminKey.secret.map((b) => b ^ 0x5a) };
    run.keys.add('the wrong key', wrong.secret);
    const e = await failing(run, () =>
      Rados.connect({ monHost: cluster.monAddrs, key: formatKeyString(wrong), mode, logger: run.logger, onFrame: run.onFrame, crypto, timeoutMs: 10_000 }),
    );
    expect(e).toBeInstanceOf(AuthError);

    let cutting = false;
    const transport = cuttingTransport(nodeTransport, { minBytes: 16 << 10, maxBytes: 64 << 10, enabled: () => cutting });
    const rados = await connect({ transport });
    try {
      const io = await rados.openIoCtx(pool);
      cutting = true;
      const payload = new Uint8Array(4096).fill(1);
      for (let i = 0; i < 40; i++) {
        await io.writeFull(`cut-${i}`, payload, { timeoutMs: 60_000 }).catch((err: unknown) => run.errors.push(err));
        if (i % 10 === 0) await rados.monCommand({ prefix: 'osd pool ls', format: 'json' }, undefined, { timeoutMs: 60_000 }).catch((err: unknown) => run.errors.push(err));
      }
      cutting = false;
      expect(transport.cuts).toBeGreaterThan(0);
      await io.writeFull('after-cuts', 'fine');
      expect(new TextDecoder().decode(await io.read('after-cuts'))).toBe('fine');
      collectTickets(run, rados, 'cut client');
      await rados.deletePool(pool);
    } finally {
      await rados.close();
    }
  }, 180_000);

  it('leaves no secret in any log line, frame or error', () => {
    const mine = outcomes.slice(firstOutcome);
    run.keys.add('client key', adminKey.secret);
    for (const [i, o] of mine.entries()) {
      run.keys.add(`connection ${i} session key`, o.sessionKey);
      if (o.connectionSecret.length > 0) run.keys.add(`connection ${i} connection secret`, o.connectionSecret);
    }
    for (const [i, k] of importedKeys.entries()) if (k.length >= 16) run.keys.add(`imported key ${i}`, k);
    // The secrets were there to find: mon and OSD sessions of three clients, and in secure mode
    // a connection secret for each (cephx sends none for crc: connection_secret_required_len 0).
    expect(mine.length).toBeGreaterThanOrEqual(6);
    const secrets = mine.filter((o) => o.connectionSecret.length > 0).length;
    if (mode === 'secure') expect(secrets).toBe(mine.length);
    expect(run.keys.names.size).toBeGreaterThanOrEqual(20);
    expect(run.tickets.names.size).toBeGreaterThanOrEqual(9);
    // …and the logger heard the library: every level the run provokes, debug most of all.
    const debug = run.lines.filter((l) => l.level === 'debug').length;
    // (rados-ts logs sessions and faults, not frames: ~25 debug and ~8 info lines per mode here.)
    expect(debug).toBeGreaterThanOrEqual(15);
    expect(run.lines.filter((l) => l.level === 'info').length).toBeGreaterThanOrEqual(5);
    expect(run.lines.some((l) => l.text.includes('the notify handler of notify'))).toBe(true);
    expect(run.trace.reduce((n, b) => n + b.length, 0)).toBeGreaterThan(100_000);
    expect(run.frames.length).toBeGreaterThan(500);
    expect(run.errors.length).toBeGreaterThanOrEqual(2);

    const leaks: string[] = [];
    for (const l of run.lines) {
      const hit = run.keys.inText(l.text) ?? run.tickets.inText(l.text);
      if (hit) leaks.push(`${l.level} line holds ${hit}: ${l.text.slice(0, 300)}`);
    }
    for (const e of run.errors) {
      for (const text of renderings(e)) {
        const hit = run.keys.inText(text) ?? run.tickets.inText(text);
        if (hit) leaks.push(`error holds ${hit}: ${text.slice(0, 300)}`);
      }
    }
    for (const f of run.frames) {
      for (const s of f.segments) {
        const hit = run.keys.inBytes(s);
        if (hit) leaks.push(`${f.direction} ${f.tagName} frame to ${f.peer} holds ${hit} in plaintext`);
      }
    }
    const trace = new Uint8Array(run.trace.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of run.trace) {
      trace.set(b, at);
      at += b.length;
    }
    const inTrace = run.keys.inBytes(trace) ?? run.tickets.inBytes(trace);
    if (inTrace) leaks.push(`the trace (without traceSecrets) holds ${inTrace}`);
    // …nor as text: the `auth get-key` above answers with the key in base64 (JSON in the ack's
    // data segment), which a byte scan for the raw key misses. latin1 keeps one character per byte.
    const traceText = Buffer.from(trace).toString('latin1');
    const inTraceText = run.keys.inText(traceText) ?? run.tickets.inText(traceText);
    if (inTraceText) leaks.push(`the trace (without traceSecrets) holds ${inTraceText} as text`);
    expect(leaks).toEqual([]);
  });
});
