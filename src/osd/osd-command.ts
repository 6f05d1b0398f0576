// Commands for OSDs (librados osd_command and pg_command; Objecter::osd_command / pg_command,
// _calc_command_target, _send_command in src/osdc/Objecter.cc): an MCommand on the Objecter's
// session with the target OSD — a given OSD, or a PG's acting primary — answered by an
// MCommandReply with the same tid. A target missing from our map (the OSD does not exist: ENOENT;
// is down: ENXIO; the PG's pool does not exist: ENOENT) is checked against the newest map first,
// as Objecter's map check does, and then is the command's result (code and status string, as
// librados returns it), not a throw. Commands are resent when their session resets or a new map
// moves their target.
import type { OSDMap } from '../../crush/osdmap/osdmap.ts';
import { osdExists, osdIsUp } from '../../crush/osdmap/osdmap.ts';
import { pgToUpActing, rawPgToPg } from '../../crush/osdmap/placement.ts';
import { ConnectionError, Errno } from '../../protocol/errors.ts';
import { decodeDaemonCommandReply, encodeDaemonCommand, MCOMMAND } from '../../protocol/messages/command.ts';
import type { Message } from '../../protocol/msgr2/message-frame.ts';
import { utf8Decode } from '../../protocol/encoding/utf8.ts';
import { abortReason, type CallOptions, callSignal, pendingSettlers } from '../abort.ts';
import type { Logger } from '../logger.ts';
import type { MonCommandResult } from '../mon/mon-client.ts';
import type { Objecter } from './objecter.ts';

/** Where a command goes: one OSD, or the acting primary of one PG. */
export type CommandTarget = { osd: number } | { pool: number; seed: number };

/** What the command layer uses of its cluster handle. */
export interface OsdCommandDeps {
  objecter: Pick<Objecter, 'connection' | 'on'>;
  map: () => OSDMap | undefined;
  waitForLatestMap: (options: CallOptions) => Promise<void>;
  fsid: () => string;
  log: Logger;
}

interface PendingCommand {
  tid: bigint;
  target: CommandTarget;
  cmd: string[];
  input: Uint8Array | undefined;
  /** The OSD it was last sent to (undefined: waiting for a map that gives it one). */
  osd: number | undefined;
  resolve: (r: MonCommandResult) => void;
  reject: (e: Error) => void;
}

/** `"1.2f"` → pool 1, seed 0x2f, as pg_t::parse reads it; undefined when it is not one. */
export function parsePgId(pgid: string): { pool: number; seed: number } | undefined {
  const m = /^(\d+)\.([0-9a-fA-F]+)$/.exec(pgid);
  if (!m) return undefined;
  const pool = Number(m[1]);
  const seed = parseInt(m[2]!, 16);
  if (!Number.isSafeInteger(pool) || seed > 0xffff_ffff) return undefined;
  return { pool, seed };
}

/** A command's result that never reached a daemon: a negative errno and its status string. */
export function refusal(errno: number, status: string): MonCommandResult {
  return { code: -errno, status, output: new Uint8Array(0), outputText: '' };
}

export class OsdCommands {
  readonly #deps: OsdCommandDeps;
  readonly #pending = new Map<bigint, PendingCommand>();
  #lastTid = 0n;

  constructor(deps: OsdCommandDeps) {
    this.#deps = deps;
    deps.objecter.on('commandReply', (m) => this.#handleReply(m));
    deps.objecter.on('sessionReset', (osd) => {
      for (const p of this.#pending.values()) if (p.osd === osd) this.#send(p, `the session with osd.${osd} reset`);
    });
    // A new map (osd undefined): a command whose target moved, or went away, is resent or failed.
    deps.objecter.on('targetsReset', (osd) => {
      if (osd !== undefined) return;
      for (const p of this.#pending.values()) {
        const refused = this.#targetError(p.target);
        if (refused) {
          this.#pending.delete(p.tid);
          p.resolve(refused);
        } else if (this.#targetOsd(p.target) !== p.osd) this.#send(p, 'a new map moved its target');
      }
    });
  }

  /** Sends `cmd` (JSON text) to the target; the result carries the daemon's return code. */
  async command(target: CommandTarget, cmd: string, input: Uint8Array | undefined, options?: CallOptions): Promise<MonCommandResult> {
    const signal = callSignal(options, 0, `osd command ${cmd}`);
    // Objecter's map check: what our map refuses is asked again of the newest map.
    if (this.#targetError(target)) {
      await this.#deps.waitForLatestMap({ signal });
      const refused = this.#targetError(target);
      if (refused) return refused;
    }
    const tid = ++this.#lastTid;
    return new Promise<MonCommandResult>((resolve, reject) => {
      const onAbort = (): void => {
        const p = this.#pending.get(tid);
        if (p) this.#finish(p, abortReason(signal));
      };
      const settle = pendingSettlers(signal, onAbort, resolve, reject);
      if (!settle) return;
      const p: PendingCommand = { tid, target, cmd: [cmd], input, osd: undefined, ...settle };
      this.#pending.set(tid, p);
      this.#send(p, undefined);
    });
  }

  /** Fails every pending command (the handle is closing). */
  close(): void {
    for (const p of this.#pending.values()) this.#finish(p, new ConnectionError('the cluster handle is closed'));
  }

  /** Objecter::_calc_command_target's refusals (map_check_error and its string), from our map. */
  #targetError(t: CommandTarget): MonCommandResult | undefined {
    const m = this.#deps.map();
    if (!m) return undefined;
    if ('osd' in t) {
      if (!osdExists(m, t.osd)) return refusal(Errno.ENOENT, 'osd dne');
      if (!osdIsUp(m, t.osd)) return refusal(Errno.ENXIO, 'osd down');
      return undefined;
    }
    if (!m.pools.has(t.pool)) return refusal(Errno.ENOENT, 'pool dne');
    return undefined;
  }

  #targetOsd(t: CommandTarget): number | undefined {
    if ('osd' in t) return t.osd;
    const m = this.#deps.map();
    const pool = m?.pools.get(t.pool);
    if (!m || !pool) return undefined;
    const primary = pgToUpActing(m, t.pool, rawPgToPg(pool, t.seed)).actingPrimary;
    return primary >= 0 ? primary : undefined;
  }

  #send(p: PendingCommand, why: string | undefined): void {
    const osd = this.#targetOsd(p.target);
    p.osd = osd;
    if (why !== undefined) this.#deps.log.debug(`osd command ${p.tid}: resending: ${why}`);
    if (osd === undefined) return; // a new map with a primary sends it
    this.#deps.objecter.connection(osd).then(
      (conn) => {
        if (!this.#pending.has(p.tid) || p.osd !== osd) return;
        const front = encodeDaemonCommand({ fsid: this.#deps.fsid(), cmd: p.cmd });
        conn.send({ ...MCOMMAND, tid: p.tid, front, ...(p.input && p.input.length > 0 ? { data: [p.input] } : {}) }).catch((e: unknown) => {
          this.#deps.log.debug(`osd command ${p.tid} not sent to osd.${osd} (${(e as Error).message}); the session's reset resends it`);
        });
      },
      (e: unknown) => {
        this.#deps.log.info(`osd command ${p.tid}: osd.${osd} unreachable (${(e as Error).message}); retrying`);
        const retry = setTimeout(() => {
          if (this.#pending.has(p.tid) && p.osd === osd) this.#send(p, `osd.${osd} was unreachable`);
        }, 500);
        (retry as { unref?: () => void }).unref?.();
      },
    );
  }

  #handleReply(m: Message): void {
    const p = this.#pending.get(m.header.tid);
    if (!p) return; // answered already, or given up
    let reply;
    try {
      reply = decodeDaemonCommandReply(m.front);
    } catch (e) {
      this.#finish(p, e as Error);
      return;
    }
    this.#pending.delete(p.tid);
    p.resolve({ code: reply.r, status: reply.rs, output: m.data, outputText: utf8Decode(m.data, 0, m.data.length) });
  }

  #finish(p: PendingCommand, err: Error): void {
    if (!this.#pending.delete(p.tid)) return;
    p.reject(err);
  }
}
