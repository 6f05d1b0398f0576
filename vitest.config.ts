import { defineConfig } from 'vitest/config';
import { currentRelease, writeReleaseBin } from './test/cluster/releases.ts';

// Two projects: `unit` (pure code, Ceph's offline tools, fixtures) and `integration`
// (a real throwaway cluster booted once per run by test/cluster/global-setup.ts).
// One run tests one Ceph release (`CEPH_RELEASE`, default pacific): its tools come first on
// PATH (wrappers into its chroot for Reef/Tentacle), so `ceph`, `rados`, `crushtool`… in a test
// are that release's. `npm test` runs every release in turn (test/cluster/matrix.ts).
const release = currentRelease();
process.env.CEPH_RELEASE = release.name;
process.env.PATH = `${writeReleaseBin(release)}:${process.env.PATH ?? ''}`;

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: process.env.VITEST_REPORT ?? `dist/vitest-report-${release.name}.json` },
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Units first, then the clusters: CPU-bound tool runs (crushtool, tsc, typedoc) beside
          // the integration tests starved the OSDs on this 2-core machine (recovery slowed until
          // a read in objecter-faults waited out its 60 s timeout).
          sequence: { groupOrder: 0 },
          include: ['protocol/**/*.test.ts', 'crush/**/*.test.ts', 'src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/integration/**', 'test/thrash/**', 'test/package/lint.test.ts', 'test/package/format.test.ts', '**/node_modules/**', 'dist/**'],
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // The source gates (ESLint, Prettier) read the tree, not a cluster: npm test runs them
          // once, not once per Ceph release (test/cluster/matrix.ts).
          name: 'gates',
          include: ['test/package/lint.test.ts', 'test/package/format.test.ts'],
          testTimeout: 600_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          exclude: ['test/integration/objecter-faults.test.ts', '**/node_modules/**', 'dist/**'],
          globalSetup: ['test/cluster/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          // The fault-injection run last and alone, on its own cluster: its OSD restarts and
          // recovery must not share the 2 cores with other clusters (under that load a read of an
          // object waiting for recovery outlasted its 60 s bound; see the README, Reliability).
          name: 'faults',
          sequence: { groupOrder: 2 },
          include: ['test/integration/objecter-faults.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          // The thrasher (test/thrash/): three minutes of random faults on its own cluster of
          // three monitors and five OSDs, last and alone for the same reason as `faults`.
          name: 'thrash',
          sequence: { groupOrder: 3 },
          include: ['test/thrash/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
