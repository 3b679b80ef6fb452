// `load ceiling`: one short round of this generator beside wrk against a local server. Without
// wrk (Debian: apt-get install wrk) only this generator is measured, and the test says so; with
// SLURMBENCH_STRICT=1 (CI) a missing wrk is a failure.
import { describe, expect, it } from 'vitest'
import { measureCeiling, renderCeiling } from '../../../harness/load/ceiling.ts'
import { ok, startServer } from './servers.ts'

const STRICT = process.env.SLURMBENCH_STRICT === '1'

describe('ceiling', () => {
  it('measures this generator beside wrk in one round', async () => {
    const server = await startServer(ok)
    try {
      const options = { url: new URL(server.url), headers: {}, connections: 4, durationMs: 1_000, rounds: 1, wrk: 'wrk' }
      const rounds = await measureCeiling(options)
      expect(rounds).toHaveLength(1)
      expect(rounds[0]?.requestsPerSecond).toBeGreaterThan(50)
      expect(rounds[0]?.failed).toBe(0)
      const wrkError = rounds[0]?.wrkError
      if (wrkError !== undefined && !STRICT) console.warn(`ceiling: wrk not measured (${wrkError})`)
      if (wrkError === undefined || STRICT) {
        expect(wrkError).toBeUndefined()
        expect(rounds[0]?.wrkRequestsPerSecond).toBeGreaterThan(50)
      } else expect(wrkError).toMatch(/not installed|bash/)
      expect(renderCeiling(rounds, options, 0.7)).toMatch(/slurmbench best \d+ req\/s/)
    } finally {
      await server.close()
    }
  })
})
