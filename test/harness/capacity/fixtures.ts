// A capacity sweep document built from known laws, for the pure tests of fit and recommend.
import type { ResultsDocument } from '../../../harness/results/schema.ts'
import { toSweepBenchmark, SWEEP_TOOL } from '../../../harness/capacity/sweep.ts'
import { TEST_ENVIRONMENT } from '../../support/results.ts'

/** LAWS are the figures' true laws in nodes n. */
export const LAWS = {
  cpuSecondsPerScrape: (n: number) => 0.02 + 0.0006 * n,
  peakRssBytes: (n: number) => 80e6 + 3_000 * n,
  p95Ms: (n: number) => 50 + 0.4 * n,
  series: (n: number) => 500 + 13 * n,
}

/** sweepDoc is a sweep at `sizes` whose figures follow LAWS times (1 + noise·(±1 alternating)). */
export function sweepDoc(sizes: readonly number[], noise = 0): ResultsDocument {
  return {
    schemaVersion: 1,
    kind: 'slurmbench.results',
    startedAt: '2026-12-07T00:00:00.000Z',
    durationMs: 1,
    environment: TEST_ENVIRONMENT,
    config: { producer: 'bench', settings: { tool: SWEEP_TOOL } },
    benchmarks: sizes.map((n, i) => {
      const k = 1 + noise * (i % 2 === 0 ? 1 : -1)
      const p95 = LAWS.p95Ms(n) * k
      return toSweepBenchmark({
        shape: { nodes: n, jobs: n * 10, users: 8 },
        durationsMs: [p95 * 0.9, p95],
        cpuSecondsPerScrape: LAWS.cpuSecondsPerScrape(n) * k,
        peakRssBytes: LAWS.peakRssBytes(n) * k,
        series: Math.round(LAWS.series(n)),
        responseBytes: 700 * n,
        slurmrestdBytesPerScrape: 100_000 * n,
        warmupMs: 1,
      })
    }),
    warnings: [],
  }
}
