import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure code, Ceph's offline tools, fixtures) and `integration`
// (a real throwaway cluster booted once per run by test/cluster/global-setup.ts).
export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'dist/vitest-report.json' },
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['protocol/**/*.test.ts', 'crush/**/*.test.ts', 'src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/integration/**', '**/node_modules/**', 'dist/**'],
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/cluster/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
