// The gate's false-alarm rate and power under ab's defaults (6 rounds a side, 2 more while any
// verdict is inconclusive, up to 20), tolerance 2%, on simulated log-normal noise: the model
// behind the choice of the "bound" rule (benchmarks/experiment/README.md). Seeded, so exact.
import { describe, expect, it } from 'vitest'
import { DEFAULT_AB_COUNT, DEFAULT_AB_MAX_COUNT, DEFAULT_AB_STEP } from '../../../harness/cli/ab.ts'
import { builtinPolicy, DEFAULT_BEYOND } from '../../../harness/compare/policy.ts'
import type { SampleSet } from '../../../harness/compare/sample-set.ts'
import { judge } from '../../../harness/compare/verdict.ts'
import { mulberry32 } from '../../../common/prng.ts'

const METRICS = 3
const COMPARISONS = 60

function simulate(sigma: number, factor: number, seed: number): number {
  const random = mulberry32(seed)
  const gauss = (): number => {
    let u = 0
    while (u === 0) u = random()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
  }
  const policy = builtinPolicy()
  let flagged = 0
  let total = 0
  for (let c = 0; c < COMPARISONS; c++) {
    const a = Array.from({ length: METRICS }, () => [] as number[])
    const b = Array.from({ length: METRICS }, () => [] as number[])
    const add = (n: number): void => {
      for (let m = 0; m < METRICS; m++) {
        for (let i = 0; i < n; i++) {
          a[m]!.push(100 * Math.exp(sigma * gauss()))
          b[m]!.push(100 * factor * Math.exp(sigma * gauss()))
        }
      }
    }
    const set = (label: string, values: number[][]): SampleSet => ({
      label,
      source: label,
      warnings: [],
      series: values.map((v, m) => ({
        name: `BenchmarkM${m}`,
        unit: 'sec/op',
        rawUnit: 'ns/op',
        better: 'lower' as const,
        assume: 'nothing' as const,
        config: {},
        values: v,
      })),
    })
    let n = DEFAULT_AB_COUNT
    add(n)
    let report = judge(set('a', a), set('b', b), policy, { tolerancePct: 2 })
    while (report.counts.inconclusive > 0 && n < DEFAULT_AB_MAX_COUNT) {
      add(DEFAULT_AB_STEP)
      n += DEFAULT_AB_STEP
      report = judge(set('a', a), set('b', b), policy, { tolerancePct: 2 })
    }
    total += report.verdicts.length
    flagged += factor === 1 ? report.counts.regressed + report.counts.improved : report.counts.regressed
  }
  return flagged / total
}

describe(`the gate at ab's defaults, tolerance 2%, rule "${DEFAULT_BEYOND}"`, () => {
  // σ = 3% is the harder case: at 2% both goals hold with more margin (see the README's table).
  it.each([0.03])(
    'noise σ = %s: A/A false alarms at most 1 in 100, at least 80 in 100 of 5 percent and 95 in 100 of 10 percent slowdowns flagged',
    (sigma) => {
      expect(simulate(sigma, 1, 1)).toBeLessThanOrEqual(0.01)
      expect(simulate(sigma, 1.05, 2)).toBeGreaterThanOrEqual(0.8)
      expect(simulate(sigma, 1.1, 3)).toBeGreaterThanOrEqual(0.95)
      // Thousands of judgements: under a second since ratio-ci keeps its exact critical ranks.
    },
    120_000,
  )
})
