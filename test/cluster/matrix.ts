// `npm test`: the whole suite (unit + integration) once per Ceph release in the matrix, each
// against a stock cluster of that release, one after the other (the machine has 2 cores).
// `CEPH_RELEASE=reef npm test` runs one release; `CEPH_RELEASE=reef,tentacle` a few.
// Ends with one plain line `N passed, N failed` for the whole run, and the time each took.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { RELEASE_NAMES, buildReleaseRoot, prepareRelease, releaseNamed } from './releases.ts';

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{ status: string; assertionResults: unknown[] }>;
}

interface Outcome {
  release: string;
  version: string;
  passed: number;
  failed: number;
  skipped: number;
  prepareMs: number;
  testMs: number;
}

function runVitest(release: string, report: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...args], {
      stdio: 'inherit',
      env: { ...process.env, CEPH_RELEASE: release, VITEST_REPORT: report },
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function readReport(path: string): Report | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Report;
  } catch {
    return undefined;
  }
}

/** A run's counts from its JSON report; a run that failed without failing tests counts as one failure. */
function outcomeOf(release: string, version: string, report: string, status: number, prepareMs: number, testMs: number): Outcome {
  const rep = readReport(report);
  const broken = rep?.testResults.filter((t) => t.status === 'failed' && t.assertionResults.length === 0).length ?? 0;
  let failed = (rep?.numFailedTests ?? 0) + broken;
  if (status !== 0 && failed === 0) failed = 1;
  return { release, version, passed: rep?.numPassedTests ?? 0, failed, skipped: (rep?.numPendingTests ?? 0) + (rep?.numTodoTests ?? 0), prepareMs, testMs };
}

async function main(): Promise<number> {
  const names = (process.env.CEPH_RELEASE ?? RELEASE_NAMES.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const releases = names.map(releaseNamed);
  const outcomes: Outcome[] = [];
  // Missing chroots are built together first; a failure here shows again, loudly, in its row.
  const t0 = Date.now();
  const built = await Promise.allSettled(releases.map((r) => buildReleaseRoot(r, (l) => console.log(`[matrix] ${l}`))));
  built.forEach((b, i) => b.status === 'rejected' && console.error(`[matrix] ${releases[i]!.name}: ${(b.reason as Error).message}`));
  console.log(`[matrix] release roots ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  // Arguments (a file, a project) narrow every run; without them the source gates run once, first,
  // and each release runs the projects that need its tools and clusters.
  const userArgs = process.argv.slice(2);
  const perRelease = userArgs.length > 0 ? userArgs : ['--project', 'unit', '--project', 'integration', '--project', 'faults'];
  if (userArgs.length === 0) {
    const g0 = Date.now();
    const report = 'dist/vitest-report-gates.json';
    rmSync(report, { force: true });
    const status = await runVitest(releases[0]!.name, report, ['--project', 'gates']);
    outcomes.push(outcomeOf('gates', 'eslint + prettier', report, status, 0, Date.now() - g0));
  }
  for (const r of releases) {
    const t0 = Date.now();
    let version = '';
    let prepareMs = 0;
    let status: number;
    const report = `dist/vitest-report-${r.name}.json`;
    rmSync(report, { force: true });
    try {
      version = prepareRelease(r, (l) => console.log(`[matrix] ${l}`));
      prepareMs = Date.now() - t0;
      console.log(`\n[matrix] ${r.name}: ${version} (ready in ${(prepareMs / 1000).toFixed(0)} s)\n`);
      status = await runVitest(r.name, report, perRelease);
    } catch (err) {
      // A release that cannot be prepared fails the run loudly: its tests count as one failure.
      console.error(`[matrix] ${r.name}: could not prepare the release: ${(err as Error).message}`);
      prepareMs = Date.now() - t0;
      status = 1;
    }
    outcomes.push(outcomeOf(r.name, version, report, status, prepareMs, Date.now() - t0 - prepareMs));
  }
  console.log('\n[matrix] release      passed  failed  skipped  prepare  tests');
  for (const o of outcomes) {
    console.log(
      `[matrix] ${o.release.padEnd(12)} ${String(o.passed).padStart(6)}  ${String(o.failed).padStart(6)}  ${String(o.skipped).padStart(7)}  ${(o.prepareMs / 1000).toFixed(0).padStart(6)}s  ${(o.testMs / 1000).toFixed(0).padStart(4)}s  ${o.version}`,
    );
  }
  const sum = (k: 'passed' | 'failed' | 'skipped'): number => outcomes.reduce((a, o) => a + o[k], 0);
  const skipped = sum('skipped');
  console.log(`${sum('passed')} passed, ${sum('failed')} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return sum('failed') === 0 && skipped === 0 ? 0 : 1;
}

process.exitCode = await main();
