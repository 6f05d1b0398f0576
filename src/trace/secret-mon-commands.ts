// Which monitor commands carry keys in their data segment, so the trace recorder leaves that
// segment out (its length kept) unless `traceSecrets` is set. The monitor answers the `auth`
// family (src/mon/MonCommands.h, "auth get", "auth get-key", "auth print-key", "auth export",
// "auth ls", "auth get-or-create[-key]", …) with keys in the ack's output (AuthMonitor.cc writes
// them to rdata), and `auth import` / `auth add -i` read a keyring from the command's input;
// `fs authorize` answers with a keyring (AuthMonitor.cc); `osd new -i` reads the OSD's cephx
// and lockbox secrets from its input (AuthMonitor::validate_osd_new); `config-key get` and
// `config-key dump` answer with stored values, which hold dm-crypt keys, and `config-key set -i`
// reads one (src/mon/KVMonitor.cc).
import { decodeMonCommand, decodeMonCommandAck } from '../../protocol/messages/mon-command.ts';

const EXACT = new Set(['fs authorize', 'osd new', 'config-key get', 'config-key dump', 'config-key set', 'config-key put']);

/** Whether a command (MMonCommand::cmd, JSON) is one whose input or output may hold a key; a command whose prefix cannot be read counts as one. */
export function commandCarriesSecrets(cmd: readonly string[]): boolean {
  let prefix: unknown;
  try {
    prefix = (JSON.parse(cmd.join('')) as Record<string, unknown> | null)?.['prefix'];
  } catch {
    return true; // the monitor cannot read it either (it fails with EINVAL); nothing is lost by leaving its data out
  }
  if (typeof prefix !== 'string') return true;
  const p = prefix.trim().replace(/\s+/g, ' ');
  return p === 'auth' || p.startsWith('auth ') || EXACT.has(p);
}

/** The command of an MMonCommand (`ack` false) or MMonCommandAck front, undefined when the front does not decode. */
export function monCommandOf(front: Uint8Array, ack: boolean): string[] | undefined {
  try {
    return ack ? decodeMonCommandAck(front).cmd : decodeMonCommand(front).cmd;
  } catch {
    return undefined;
  }
}
