// The real-slurm project: `npm run test:real-slurm`. One cluster for all files (globalSetup), files
// one at a time because the outage test stops slurmctld that the others read.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/real-slurm/**/*.real.test.ts'],
    globalSetup: ['test/real-slurm/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    // A cold bring-up runs debootstrap (1–3 min); the outage and token tests wait on real timers.
    hookTimeout: 600_000,
    testTimeout: 180_000,
  },
})
