// `npm test`: the whole suite (unit + integration) once per Ceph release in the matrix, each
// against a stock cluster of that release, one after the other (the machine has 2 cores).
// `CEPH_RELEASE=reef npm test` runs one release; `CEPH_RELEASE=reef,tentacle` a few.
// Ends with one plain line `N passed, N failed` for the whole run, and the time each took.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';
import { RUN_VAR, findLeftovers, killLeftovers } from './leftovers.ts';
import { RELEASE_NAMES, buildReleaseRoot, prepareRelease, releaseNamed } from './releases.ts';

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{ name: string; status: string; message?: string; assertionResults: Array<{ fullName: string; status: string; failureMessages?: string[] }> }>;
}

interface Outcome {
  release: string;
  version: string;
  passed: number;
  failed: number;
  skipped: number;
  prepareMs: number;
  testMs: number;
  /** Each failed test (or file that failed to run) and the first line of why. */
  failures: string[];
}

function runVitest(release: string, report: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...args], {
      stdio: 'inherit',
      env: { ...process.env, CEPH_RELEASE: release, VITEST_REPORT: report, [RUN_VAR]: RUN },
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
  const firstLine = (m: string | undefined): string => (m ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  const failures = (rep?.testResults ?? []).flatMap((f) => {
    const file = f.name.replace(/.*\/test\//, 'test/');
    if (f.status === 'failed' && f.assertionResults.length === 0) return [`${file}: ${firstLine(f.message)}`];
    return f.assertionResults.filter((a) => a.status === 'failed').map((a) => `${file} > ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
  });
  if (status !== 0 && failures.length === 0) failures.push(`vitest exited ${status} without a failed test in its report`);
  return { release, version, passed: rep?.numPassedTests ?? 0, failed, skipped: (rep?.numPendingTests ?? 0) + (rep?.numTodoTests ?? 0), prepareMs, testMs, failures };
}

/** This run's mark on what it starts (leftovers.ts). */
const RUN = randomUUID();

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Names and ends what a run left running (see leftovers.ts), so the next release starts on a quiet machine. */
function sweep(after: string): void {
  const left = findLeftovers(RUN);
  if (left.length === 0) return;
  console.log(`[matrix] ${after} left ${left.length} process(es) running; ending them:`);
  for (const l of left) console.log(`[matrix]   ${l.pid} ${l.command.slice(0, 200)}`);
  killLeftovers(left);
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
  const perRelease = userArgs.length > 0 ? userArgs : ['--project', 'unit', '--project', 'integration', '--project', 'faults', '--project', 'thrash'];
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
      console.log(`\n[matrix] ${r.name}: ${version} (ready in ${(prepareMs / 1000).toFixed(0)} s; load average ${load()})\n`);
      status = await runVitest(r.name, report, perRelease);
    } catch (err) {
      // A release that cannot be prepared fails the run loudly: its tests count as one failure.
      console.error(`[matrix] ${r.name}: could not prepare the release: ${(err as Error).message}`);
      prepareMs = Date.now() - t0;
      status = 1;
    }
    outcomes.push(outcomeOf(r.name, version, report, status, prepareMs, Date.now() - t0 - prepareMs));
    console.log(`[matrix] ${r.name} done; load average ${load()}`);
    sweep(r.name);
  }
  console.log('\n[matrix] release      passed  failed  skipped  prepare  tests');
  for (const o of outcomes) {
    console.log(
      `[matrix] ${o.release.padEnd(12)} ${String(o.passed).padStart(6)}  ${String(o.failed).padStart(6)}  ${String(o.skipped).padStart(7)}  ${(o.prepareMs / 1000).toFixed(0).padStart(6)}s  ${(o.testMs / 1000).toFixed(0).padStart(4)}s  ${o.version}`,
    );
  }
  // Every failure again, one line each, where the end of a long log shows it.
  for (const o of outcomes) for (const f of o.failures) console.log(`[matrix] ${o.release} FAILED ${f.slice(0, 400)}`);
  const sum = (k: 'passed' | 'failed' | 'skipped'): number => outcomes.reduce((a, o) => a + o[k], 0);
  const skipped = sum('skipped');
  console.log(`${sum('passed')} passed, ${sum('failed')} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return sum('failed') === 0 && skipped === 0 ? 0 : 1;
}

process.exitCode = await main();
