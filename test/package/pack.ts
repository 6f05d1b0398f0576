// Packs the built package (dist/, as `npm test` leaves it after `tsc -b`) with `npm pack`, as a
// publish would, into a fresh temporary folder; the package tests lint and consume that tarball.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/** A node_modules/.bin tool of this repository. */
export const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);

export interface Packed {
  /** The temporary folder holding the tarball. */
  dir: string;
  tarball: string;
}

export function packPackage(): Packed {
  const dir = mkdtempSync(join(tmpdir(), 'rados-ts-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out) as Array<{ filename: string }>;
  if (!info) throw new Error(`npm pack printed no file: ${out}`);
  return { dir, tarball: join(dir, info.filename) };
}

/** Unpacks the tarball as an installed dependency: `<dir>/node_modules/rados-ts`. */
export function installTarball(p: Packed, into: string): void {
  const target = join(into, 'node_modules', 'rados-ts');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['xzf', p.tarball, '-C', target, '--strip-components=1']);
}

export const packageJson = (): { version: string; engines: { node: string } } =>
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };
