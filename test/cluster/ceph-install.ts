import { execFileSync, spawnSync } from 'node:child_process';

/** The Debian packages the throwaway cluster needs. */
export const CEPH_PACKAGES = ['ceph-mon', 'ceph-osd', 'ceph-mgr', 'ceph-common', 'uuid-runtime'] as const;
const REQUIRED_BINARIES = ['ceph-mon', 'ceph-osd', 'ceph-mgr', 'ceph', 'ceph-authtool', 'monmaptool'] as const;

export class CephNotInstalledError extends Error {
  override readonly name = 'CephNotInstalledError';
}

function missingBinaries(): string[] {
  return REQUIRED_BINARIES.filter((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status !== 0);
}

/**
 * Makes sure Ceph's daemons and tools are installed, installing them with apt
 * (as root, or through `sudo -n`) when they are not. Never skips: when it cannot
 * install, it throws with the exact command that would.
 */
export function ensureCephInstalled(log: (s: string) => void = () => {}): void {
  const missing = missingBinaries();
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix = isRoot ? [] : ['sudo', '-n'];
  const install = [...prefix, 'apt-get', 'install', '-y', ...CEPH_PACKAGES];
  const command = install.join(' ');
  log(`Ceph binaries missing (${missing.join(', ')}); running: ${command}`);
  try {
    const update = [...prefix, 'apt-get', 'update'];
    execFileSync(update[0]!, update.slice(1), { stdio: 'pipe', timeout: 600_000 });
    execFileSync(install[0]!, install.slice(1), {
      stdio: 'pipe',
      timeout: 1_200_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (err) {
    throw new CephNotInstalledError(`Ceph is not installed and could not be installed automatically. Run:\n  ${command}\n(${(err as Error).message.split('\n')[0]})`, {
      cause: err,
    });
  }
  const still = missingBinaries();
  if (still.length > 0) {
    throw new CephNotInstalledError(`after installing, still missing ${still.join(', ')}. Run:\n  ${command}`);
  }
}
