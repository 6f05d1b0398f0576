// The part of librados' MgrClient (src/mgr/MgrClient.cc) that mgr_command needs: the MgrMap
// from the monitors ("mgrmap" subscription, asked for on the first command), one session with
// the active manager (a new one when the map names another), and MMgrCommand / its reply by
// tid — resent on the next session when one drops, as MgrClient resends its command table.
// With `target`, MgrClient's tell path: an MCommand on the same session, answered by MCommandReply.
import type { EntityAddr } from '../../protocol/types/entity-addr.ts';
import { ConnectionError, Errno, ProtocolError } from '../../protocol/errors.ts';
import { utf8Decode } from '../../protocol/encoding/utf8.ts';
import { decodeDaemonCommandReply, encodeDaemonCommand, MCOMMAND, MMGR_COMMAND } from '../../protocol/messages/command.ts';
import { MsgType } from '../../protocol/messages/message-types.ts';
import { decodeMgrMapHead, type MgrMapHead } from '../../protocol/messages/mgr-map.ts';
import type { Message } from '../../protocol/msgr2/message-frame.ts';
import { AddrType } from '../../protocol/types/entity-addr.ts';
import { EntityType } from '../../protocol/types/entity-name.ts';
import { abortable, abortReason, type CallOptions, callSignal, pendingSettlers } from '../abort.ts';
import type { Connection } from '../msgr2/connection.ts';
import type { Messenger } from '../msgr2/messenger.ts';
import type { MonClient, MonCommandResult } from './mon-client.ts';
import { refusal } from '../osd/osd-command.ts';

interface PendingMgrCommand {
  tid: bigint;
  cmd: string;
  input: Uint8Array | undefined;
  /** The tell path's manager name, or undefined for the active manager's MMgrCommand. */
  target: string | undefined;
  resolve: (r: MonCommandResult) => void;
  reject: (e: Error) => void;
}

export class MgrClient {
  readonly #messenger: Messenger;
  readonly #monc: MonClient;
  #map: MgrMapHead | undefined;
  #mapWaiters: Array<() => void> = [];
  #session: { gid: bigint; conn: Promise<Connection> } | undefined;
  readonly #pending = new Map<bigint, PendingMgrCommand>();
  #lastTid = 0n;
  #subscribed = false;
  #closed = false;

  constructor(messenger: Messenger, monc: MonClient) {
    this.#messenger = messenger;
    this.#monc = monc;
    messenger.on(MsgType.MGR_MAP, (m) => {
      try {
        this.#handleMap(decodeMgrMapHead(m.front));
      } catch (e) {
        messenger.log.warn(`mgr client: cannot use MMgrMap: ${(e as Error).message}`);
      }
    });
  }

  /** Python `mgr_command`: the command goes to the active manager (or, with `target`, to that manager by name). */
  async command(cmd: string, input: Uint8Array | undefined, target: string | undefined, options?: CallOptions): Promise<MonCommandResult> {
    if (this.#closed) throw new ConnectionError('the cluster handle is closed');
    const signal = callSignal(options, 0, `mgr command ${cmd}`);
    if (!this.#subscribed) {
      this.#subscribed = true;
      this.#monc.subscribe('mgrmap', 0);
    }
    while (!this.#activeAddr()) await abortable(new Promise<void>((r) => this.#mapWaiters.push(r)), signal);
    // MgrClient::start_tell_command: only the active manager is reachable this way.
    if (target !== undefined && target !== this.#map!.activeName) return refusal(Errno.ENXIO, '');
    const tid = ++this.#lastTid;
    return new Promise<MonCommandResult>((resolve, reject) => {
      const onAbort = (): void => {
        if (this.#pending.delete(tid)) reject(abortReason(signal));
      };
      const settle = pendingSettlers(signal, onAbort, resolve, reject);
      if (!settle) return;
      const p: PendingMgrCommand = { tid, cmd, input, target, ...settle };
      this.#pending.set(tid, p);
      void this.#send(p);
    });
  }

  /** Fails pending commands and closes the session. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#pending.values()) p.reject(new ConnectionError('the cluster handle is closed'));
    this.#pending.clear();
    const s = this.#session;
    this.#session = undefined;
    await s?.conn.then(
      (c) => c.close(),
      () => undefined,
    );
  }

  #activeAddr(): EntityAddr | undefined {
    const m = this.#map;
    return m?.available ? m.activeAddrs.find((a) => a.type === AddrType.MSGR2) : undefined;
  }

  #handleMap(map: MgrMapHead): void {
    if (this.#map && map.epoch <= this.#map.epoch) return;
    this.#monc.gotMap('mgrmap', map.epoch);
    const moved = this.#session !== undefined && this.#session.gid !== map.activeGid;
    this.#map = map;
    for (const w of this.#mapWaiters.splice(0)) w();
    if (moved) {
      // Another manager is active: drop the old session; its close resends the commands.
      const old = this.#session!;
      this.#session = undefined;
      void old.conn.then(
        (c) => c.close(),
        () => undefined,
      );
    }
  }

  #connection(): Promise<Connection> | undefined {
    const addr = this.#activeAddr();
    if (!addr) return undefined;
    if (this.#session) return this.#session.conn;
    const gid = this.#map!.activeGid;
    const conn = this.#messenger.connect({ host: addr.ip, port: addr.port, nonce: addr.nonce }, EntityType.MGR, {
      signal: AbortSignal.timeout(10_000),
      onMessage: (m, c) => {
        try {
          this.#handleReply(m);
        } catch (e) {
          void c.close(e instanceof Error ? e : new ProtocolError(String(e)));
        }
      },
      onClose: () => {
        if (this.#session?.conn === conn) this.#session = undefined;
        if (!this.#closed) for (const p of this.#pending.values()) void this.#send(p);
      },
    });
    this.#session = { gid, conn };
    return conn;
  }

  async #send(p: PendingMgrCommand): Promise<void> {
    const pending = this.#connection();
    if (!pending) {
      // No active manager now: the next map with one sends it.
      this.#mapWaiters.push(() => void this.#send(p));
      return;
    }
    let conn: Connection;
    try {
      conn = await pending;
    } catch (e) {
      if (this.#session?.conn === pending) this.#session = undefined;
      this.#messenger.log.info(`mgr client: the active manager is unreachable (${(e as Error).message}); retrying`);
      const retry = setTimeout(() => {
        if (this.#pending.has(p.tid)) void this.#send(p);
      }, 500);
      (retry as { unref?: () => void }).unref?.();
      return;
    }
    if (!this.#pending.has(p.tid)) return;
    const kind = p.target === undefined ? MMGR_COMMAND : MCOMMAND;
    const front = encodeDaemonCommand({ fsid: this.#monc.fsid ?? '00000000-0000-0000-0000-000000000000', cmd: [p.cmd] });
    conn.send({ ...kind, tid: p.tid, front, ...(p.input && p.input.length > 0 ? { data: [p.input] } : {}) }).catch((e: unknown) => {
      this.#messenger.log.debug(`mgr client: command ${p.tid} not sent (${(e as Error).message}); the session's close resends it`);
    });
  }

  #handleReply(m: Message): void {
    if (m.header.type !== MsgType.MGR_COMMAND_REPLY && m.header.type !== MsgType.COMMAND_REPLY) return;
    const p = this.#pending.get(m.header.tid);
    if (!p) return;
    const reply = decodeDaemonCommandReply(m.front);
    this.#pending.delete(p.tid);
    p.resolve({ code: reply.r, status: reply.rs, output: m.data, outputText: utf8Decode(m.data, 0, m.data.length) });
  }
}
