// The Ceph releases the suite runs against: one entry each. Adding a release (Squid, once a
// Debian suite carries it) is one more row here; everything else reads this table.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureCephInstalled } from './ceph-install.ts';

export interface CephRelease {
  /** Name as Ceph spells it (`ceph --version` ends with it). */
  readonly name: string;
  /** The version Debian packages (`ceph --version` starts with it). */
  readonly version: string;
  /** Where its packages come from: the host's own apt, or a Debian suite in a minimal chroot. */
  readonly source: { readonly kind: 'host' } | { readonly kind: 'chroot'; readonly suite: string };
  /** Whether the release knows the read balancer (`ceph osd pg-upmap-primary`, Reef+). */
  readonly readBalancer: boolean;
  /** Whether its crushtool knows MSR rules (`msr_firstn`/`msr_indep`, Squid+). */
  readonly msrRules: boolean;
  /** The key type `ceph-authtool --gen-key` writes (1 = AES-128, 2 = AES256-KRB5, Tentacle+). */
  readonly defaultKeyType: 1 | 2;
}

export const RELEASES = {
  pacific: { name: 'pacific', version: '16.2', source: { kind: 'host' }, readBalancer: false, msrRules: false, defaultKeyType: 1 },
  reef: { name: 'reef', version: '18.2', source: { kind: 'chroot', suite: 'trixie' }, readBalancer: true, msrRules: false, defaultKeyType: 1 },
  tentacle: { name: 'tentacle', version: '20.2', source: { kind: 'chroot', suite: 'sid' }, readBalancer: true, msrRules: true, defaultKeyType: 2 },
} as const satisfies Record<string, CephRelease>;

export type ReleaseName = keyof typeof RELEASES;
export const RELEASE_NAMES = Object.keys(RELEASES) as ReleaseName[];

/** The release this process tests against: `CEPH_RELEASE`, default pacific. */
export function currentRelease(): CephRelease {
  return releaseNamed(process.env.CEPH_RELEASE ?? 'pacific');
}

export function releaseNamed(name: string): CephRelease {
  const r = (RELEASES as Record<string, CephRelease>)[name];
  if (!r) throw new Error(`unknown Ceph release '${name}' (known: ${RELEASE_NAMES.join(', ')})`);
  return r;
}

/** Where chroots live; kept across runs so CI reuses them (`RADOS_TS_CHROOTS` overrides). */
export function chrootBase(): string {
  return process.env.RADOS_TS_CHROOTS ?? '/var/cache/rados-ts/chroots';
}

/** The file-system root a release's binaries and libraries live under ('/' on the host). */
export function releaseRoot(r: CephRelease): string {
  return r.source.kind === 'host' ? '/' : join(chrootBase(), r.name);
}

/** The Ceph programs the suite runs; each gets a wrapper in the release's bin directory. */
export const CEPH_TOOLS = ['ceph', 'rados', 'rbd', 'ceph-mon', 'ceph-osd', 'ceph-mgr', 'ceph-authtool', 'ceph-conf', 'monmaptool', 'crushtool', 'osdmaptool', 'python3'] as const;
export type CephTool = (typeof CEPH_TOOLS)[number];

const REPO = resolve(new URL('.', import.meta.url).pathname, '..', '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));

/** The directory of wrappers that run a release's tools: put it first on PATH. */
export function releaseBinDir(r: CephRelease): string {
  return join(REPO, '.ceph-bin', r.name);
}

/** Where a tool is for a release, as [file, ...leading args] to spawn. */
export function releaseTool(r: CephRelease, tool: CephTool): string {
  return join(releaseBinDir(r), tool);
}

function wrapper(r: CephRelease, tool: CephTool): string {
  // The host's python3 may be another interpreter (pyenv) without Ceph's bindings: always Debian's.
  const path = tool === 'python3' ? '/usr/bin/python3' : tool;
  if (r.source.kind === 'host') {
    return `#!/bin/sh\nPATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH exec ${path} "$@"\n`;
  }
  // The chroot shares /tmp and the repository at the same paths (ceph-chroot.sh); the working
  // directory is kept when it exists inside too.
  return [
    '#!/bin/sh',
    `exec chroot ${releaseRoot(r)} /usr/bin/env PATH=/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -c 'cd "$0" 2>/dev/null || cd /; exec "$@"' "$PWD" ${path} "$@"`,
    '',
  ].join('\n');
}

/**
 * Writes the wrappers for a release (cheap; every run, so they follow the table). A wrapper
 * already right is left alone and a changed one replaced by rename, never rewritten in place:
 * another run may be executing it (ETXTBSY).
 */
export function writeReleaseBin(r: CephRelease): string {
  const dir = releaseBinDir(r);
  mkdirSync(dir, { recursive: true });
  for (const tool of CEPH_TOOLS) {
    const path = join(dir, tool);
    const text = wrapper(r, tool);
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o755 });
    renameSync(tmp, path);
  }
  return dir;
}

/** Whether the release's packages are in place (host: the binaries; chroot: the build marker). */
export function releaseReady(r: CephRelease): boolean {
  if (r.source.kind === 'host') return existsSync('/usr/bin/ceph-mon') && existsSync('/usr/bin/crushtool');
  return existsSync(join(releaseRoot(r), '.rados-ts-ready'));
}

/**
 * Builds (or reuses) a chroot release's root and mounts what it shares; nothing for the host.
 * Async, so the matrix builds every missing chroot at once (network and disk bound, ~2 min each).
 */
export async function buildReleaseRoot(r: CephRelease, log: (s: string) => void = () => {}): Promise<void> {
  if (r.source.kind !== 'chroot') return;
  await promisify(execFile)('bash', chrootScript(r, r.source.suite, log), { timeout: 1_800_000 });
}

/** ceph-chroot.sh's arguments for a chroot release, saying first when it will be built. */
function chrootScript(r: CephRelease, suite: string, log: (s: string) => void): string[] {
  if (!releaseReady(r)) log(`building the ${r.name} chroot (Debian ${suite}) in ${releaseRoot(r)}; a few minutes`);
  return [join(REPO, 'test', 'cluster', 'ceph-chroot.sh'), suite, releaseRoot(r), REPO];
}

/**
 * Makes a release usable: installs the host's packages (apt) or builds (reuses) its chroot and mounts what it shares, then writes
 * its wrappers. Returns `ceph --version` of the release. Throws with the command's own output
 * when it cannot: a release that cannot start fails loudly.
 */
export function prepareRelease(r: CephRelease, log: (s: string) => void = () => {}): string {
  if (r.source.kind === 'host') ensureCephInstalled(log);
  if (r.source.kind === 'chroot') {
    execFileSync('bash', chrootScript(r, r.source.suite, log), { stdio: ['ignore', 'pipe', 'inherit'], timeout: 1_800_000 });
  }
  writeReleaseBin(r);
  const version = execFileSync(releaseTool(r, 'ceph'), ['--version'], { encoding: 'utf8' }).trim();
  if (!version.includes(`ceph version ${r.version}.`)) {
    throw new Error(`release ${r.name}: expected ceph ${r.version}.x, found '${version}'`);
  }
  return version;
}

/** Whether a file exists inside a release's root (e.g. its rados-classes). */
export function releaseFileExists(r: CephRelease, path: string): boolean {
  return existsSync(join(releaseRoot(r), path));
}
