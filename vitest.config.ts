import { defineConfig } from 'vitest/config'

// Three projects, told apart by file name:
// - unit: `*.test.ts`, pure modules, no servers or child processes (`npm run test:unit`, seconds);
// - integration: `*.int.test.ts`, the real CLI and real servers on 127.0.0.1;
// - real-slurm: `*.real.test.ts`, against a real slurmrestd (`npm run test:real-slurm`).
const UNIT = ['test/**/*.test.ts']
const NOT_UNIT = ['test/**/*.int.test.ts', 'test/**/*.real.test.ts']

export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      // Pure modules: threads without per-file isolation start in a fraction of a process's time
      // (82 files: 37 s → 18 s on the 2-core machine).
      { test: { name: 'unit', include: UNIT, exclude: [...NOT_UNIT, '**/node_modules/**'], testTimeout: 20_000, pool: 'threads', isolate: false } },
      // Integration tests start real processes and servers; two cores make them slow, not wrong.
      { test: { name: 'integration', include: ['test/**/*.int.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      // One real Slurm for all files (globalSetup), files one at a time: the outage test stops the
      // slurmctld the others read. A cold bring-up runs debootstrap (1–3 min).
      {
        test: {
          name: 'real-slurm',
          include: ['test/real-slurm/**/*.real.test.ts'],
          globalSetup: ['test/real-slurm/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
})
