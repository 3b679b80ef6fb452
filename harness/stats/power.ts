// How many samples a side detect a change of a given size with a given power on this machine,
// estimated by resampling the machine's own A/A samples: each trial draws two disjoint samples
// of n from the observed pool (with replacement only when the pool is too small), multiplies
// one by (1 + change), and runs the two-sided Mann–Whitney U test at α. The share of trials
// that come out significant in the right direction is the power at n. No normality assumed:
// the noise is whatever this machine produced, outliers and all. Paired (pair mode), the pool is
// the A/A ratios of the pairs instead: a trial draws n of them, multiplies them by (1 + change)
// and runs the signed-rank test.
import { mannWhitneyUTest } from './mann-whitney.ts'
import { median } from '../../common/median.ts'
import type { Random } from '../../common/prng.ts'
import { pairedRatio } from './signed-rank.ts'

/** POWER_CANDIDATE_COUNTS are the -count values tried, smallest first. */
export const POWER_CANDIDATE_COUNTS: readonly number[] = [4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50]

/** PowerOptions configure the simulation. */
export interface PowerOptions {
  readonly alpha: number
  /** Target power, e.g. 0.95. */
  readonly power: number
  readonly trials: number
  readonly random: Random
  /** The pool holds A/A pair ratios (head/base), not samples. */
  readonly paired?: boolean
}

function draw(pool: readonly number[], n: number, random: Random): [number[], number[]] {
  if (2 * n <= pool.length) {
    const copy = [...pool]
    for (let i = 0; i < 2 * n; i++) {
      const j = i + Math.floor(random() * (copy.length - i))
      ;[copy[i], copy[j]] = [copy[j] as number, copy[i] as number]
    }
    return [copy.slice(0, n), copy.slice(n, 2 * n)]
  }
  const pick = (): number => pool[Math.floor(random() * pool.length)] as number
  return [Array.from({ length: n }, pick), Array.from({ length: n }, pick)]
}

/** estimatePower is the share of trials in which a change of `change` (0.05 = +5%) is detected with n a side. */
export function estimatePower(pool: readonly number[], n: number, change: number, options: Omit<PowerOptions, 'power'>): number {
  let detected = 0
  for (let t = 0; t < options.trials; t++) {
    if (options.paired === true) {
      const ratios = (
        2 * n <= pool.length ? draw(pool, n, options.random)[0] : Array.from({ length: n }, () => pool[Math.floor(options.random() * pool.length)] as number)
      ).map((r) => r * (1 + change))
      const outcome = pairedRatio(
        ratios.map(() => 1),
        ratios,
        0.95,
      )
      if (outcome !== undefined && outcome.p <= options.alpha && Math.sign(outcome.estimate - 1) === Math.sign(change)) detected++
      continue
    }
    const [a, b] = draw(pool, n, options.random)
    const shifted = b.map((v) => v * (1 + change))
    const outcome = mannWhitneyUTest(a, shifted)
    if (!outcome.ok || outcome.result.p > options.alpha) continue
    const ma = median(a)
    const mb = median(shifted)
    if (Math.sign(mb - ma) === Math.sign(change)) detected++
  }
  return detected / options.trials
}

/** requiredCount returns the smallest candidate -count reaching the power, or undefined beyond the largest. */
export function requiredCount(pool: readonly number[], change: number, options: PowerOptions): number | undefined {
  if (pool.length < 2) return undefined
  for (const n of POWER_CANDIDATE_COUNTS) {
    if (estimatePower(pool, n, change, options) >= options.power) return n
  }
  return undefined
}
