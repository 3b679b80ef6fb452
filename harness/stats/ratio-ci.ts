// The confidence interval of the ratio new/old, distribution-free and consistent with the U
// test: the Hodges–Lehmann estimate and Moses' interval of the shift between log values. Taking
// logs makes a multiplicative change (the way slowdowns act on every sample) a shift; the
// interval is the order statistics of the n1·n2 pairwise differences at the U test's critical
// value, so it excludes 1 exactly when a one-sided U test at (1 − confidence)/2 would reject.
import { normalInvCdf } from './normal.ts'
import { uCdfNoTies } from './u-distribution.ts'

/** RatioInterval is the estimated ratio new/old with its interval; bounds are ±∞ when the samples are too small. */
export interface RatioInterval {
  /** Hodges–Lehmann estimate: exp of the median of the pairwise log differences. */
  readonly estimate: number
  readonly lo: number
  readonly hi: number
}

// criticalRank returns the largest k with P(U ≤ k − 1) ≤ (1 − confidence)/2: the interval is
// then [d(k), d(n1·n2 + 1 − k)] of the sorted differences. k = 0 means unbounded.
function criticalRank(n1: number, n2: number, confidence: number): number {
  const tail = (1 - confidence) / 2
  const mn = n1 * n2
  if (n1 <= 50 && n2 <= 50) {
    let k = 0
    while (k < mn && uCdfNoTies(n1, n2, k) <= tail) k++
    return k
  }
  const mean = mn / 2
  const sd = Math.sqrt((mn * (n1 + n2 + 1)) / 12)
  return Math.max(0, Math.floor(mean + normalInvCdf(tail) * sd - 0.5) + 1)
}

/** ratioInterval estimates new/old for positive samples; it returns undefined when any value is ≤ 0. */
export function ratioInterval(old: readonly number[], neu: readonly number[], confidence: number): RatioInterval | undefined {
  if (old.length === 0 || neu.length === 0) return undefined
  if (old.some((v) => !(v > 0)) || neu.some((v) => !(v > 0))) return undefined
  const logOld = old.map(Math.log)
  const logNew = neu.map(Math.log)
  const diffs: number[] = []
  for (const b of logNew) for (const a of logOld) diffs.push(b - a)
  diffs.sort((a, b) => a - b)
  const m = diffs.length
  const mid = Math.floor(m / 2)
  const hl = m % 2 === 1 ? (diffs[mid] as number) : ((diffs[mid - 1] as number) + (diffs[mid] as number)) / 2
  const k = criticalRank(old.length, neu.length, confidence)
  const lo = k < 1 ? -Infinity : (diffs[k - 1] as number)
  const hi = k < 1 ? Infinity : (diffs[m - k] as number)
  return { estimate: Math.exp(hl), lo: Math.exp(lo), hi: Math.exp(hi) }
}
