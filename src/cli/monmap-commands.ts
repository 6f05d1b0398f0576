import { readFile } from 'node:fs/promises';
import { cephReleaseName, decodeMonMap, formatEntityAddrvec, formatUtime, monCipherName } from '../../protocol/index.ts';

/** `rados-ts monmap print FILE`: the same lines as `monmaptool --print FILE`, from our decoder. */
export async function monmapCommand(args: string[], out: (s: string) => void): Promise<number> {
  const [sub, file] = args;
  if (sub !== 'print' || file === undefined) {
    out('usage: rados-ts monmap print FILE\n');
    return 2;
  }
  const map = decodeMonMap(new Uint8Array(await readFile(file)));
  const lines = [
    `epoch ${map.epoch}`,
    `fsid ${map.fsid}`,
    `last_changed ${formatUtime(map.lastChanged)}`,
    `created ${formatUtime(map.created)}`,
    `min_mon_release ${map.minMonRelease} (${cephReleaseName(map.minMonRelease)})`,
    `election_strategy: ${map.electionStrategy}`,
    ...map.ranks.map((name, rank) => `${rank}: ${formatEntityAddrvec(map.monInfo.get(name)?.publicAddrs ?? [])} mon.${name}`),
  ];
  // Tentacle's monmaptool prints the map's cephx cipher settings after the monitors.
  if (map.auth) {
    lines.push(
      `auth_epoch ${map.auth.epoch}`,
      `auth_service_cipher ${monCipherName(map.auth.serviceCipher)}`,
      `auth_allowed_ciphers ${map.auth.allowedCiphers.map(monCipherName).join(', ')}`,
      `auth_preferred_cipher ${monCipherName(map.auth.preferredCipher)}`,
    );
  }
  out(`${lines.join('\n')}\n`);
  return 0;
}
