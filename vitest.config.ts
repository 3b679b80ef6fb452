import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real processes and servers; two cores make them slow, not wrong.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
