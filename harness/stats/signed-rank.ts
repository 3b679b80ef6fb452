// Paired comparison of new against old: Wilcoxon's signed-rank test on the log ratios of the
// pairs, with the Hodges–Lehmann estimate and Tukey's interval from the Walsh averages. It is the
// paired counterpart of mann-whitney.ts and ratio-ci.ts: used when sample k of both sides was
// measured in the same worker, so that what the machine did at that moment cancels in the ratio.
import { normalCdf } from './normal.ts'
import { medianOfSorted } from '../../common/median.ts'
import { averageRanks } from './rank-correlation.ts'

/** SignedRankOutcome is the test and the estimated ratio new/old with its interval. */
export interface SignedRankOutcome {
  /** Pairs used (pairs with a zero difference are dropped, as Wilcoxon's test does). */
  readonly n: number
  /** Two-sided p-value, exact (conditional on ties). 1 when no pair differs. */
  readonly p: number
  /** exp of the Hodges–Lehmann estimate: the median Walsh average of the log ratios. */
  readonly estimate: number
  /** Interval of the ratio at the confidence asked; ±∞ bounds when the pairs are too few. */
  readonly lo: number
  readonly hi: number
}

/**
 * nullDistribution returns P(T⁺ ≤ t) for every t = 0 … Σranks, the ranks given doubled (integers,
 * so average ranks of ties stay exact): under no change each pair's sign is + or − with
 * probability ½. O(n³) for n pairs: exact up to EXACT_MAX_PAIRS, a normal approximation above.
 */
function nullDistribution(doubledRanks: readonly number[]): Float64Array {
  const total = doubledRanks.reduce((a, b) => a + b, 0)
  let counts = new Float64Array(total + 1)
  counts[0] = 1
  let reach = 0
  for (const r of doubledRanks) {
    const next = new Float64Array(total + 1)
    for (let s = 0; s <= reach; s++) {
      const c = counts[s] as number
      if (c === 0) continue
      next[s] = (next[s] as number) + c / 2
      next[s + r] = (next[s + r] as number) + c / 2
    }
    reach += r
    counts = next
  }
  const cdf = new Float64Array(total + 1)
  let acc = 0
  for (let s = 0; s <= total; s++) {
    acc += counts[s] as number
    cdf[s] = acc
  }
  return cdf
}

/** EXACT_MAX_PAIRS bounds the exact distribution's work (n = 200: ~10⁷ steps). */
const EXACT_MAX_PAIRS = 200

/** normalTail is P(T⁺ ≤ t) by the normal approximation with continuity correction (ranks doubled). */
function normalTail(doubled: readonly number[], t: number): number {
  const mean = doubled.reduce((a, b) => a + b, 0) / 2
  const sd = Math.sqrt(doubled.reduce((a, r) => a + r * r, 0) / 4)
  return normalCdf((t + 1 - mean) / sd) // +1: half a rank step, doubled
}

/**
 * pairedRatio compares paired positive samples (neu[k] measured with old[k]). It returns
 * undefined when the lengths differ, there are no pairs, or a value is not positive.
 */
export function pairedRatio(old: readonly number[], neu: readonly number[], confidence: number): SignedRankOutcome | undefined {
  if (old.length !== neu.length || old.length === 0) return undefined
  if (old.some((v) => !(v > 0)) || neu.some((v) => !(v > 0))) return undefined
  const all = neu.map((v, k) => Math.log(v) - Math.log(old[k] as number))
  // Walsh averages of every pair difference (zeros included, as Tukey's interval).
  const walsh: number[] = []
  for (let i = 0; i < all.length; i++) for (let j = i; j < all.length; j++) walsh.push(((all[i] as number) + (all[j] as number)) / 2)
  walsh.sort((a, b) => a - b)
  const m = walsh.length
  const hl = medianOfSorted(walsh)
  // Tukey's interval: [W(k), W(m + 1 − k)] with k the largest such that P(T⁺ ≤ k − 1) ≤ tail,
  // from the no-ties distribution of the n pairs.
  const tail = (1 - confidence) / 2
  const plain = all.map((_, i) => 2 * (i + 1))
  const exact = all.length <= EXACT_MAX_PAIRS
  const noTies = exact ? nullDistribution(plain) : undefined
  const cdfAt = (t: number): number => (noTies === undefined ? normalTail(plain, 2 * t) : (noTies[2 * t] as number))
  let k = 0
  while (k < m && cdfAt(k) <= tail) k++
  const lo = k < 1 ? -Infinity : (walsh[k - 1] as number)
  const hi = k < 1 ? Infinity : (walsh[m - k] as number)
  const nonzero = all.filter((d) => d !== 0)
  let p = 1
  if (nonzero.length > 0) {
    const ranks = averageRanks(nonzero.map(Math.abs)).map((r) => 2 * r)
    const tPlus = nonzero.reduce((acc, d, i) => acc + (d > 0 ? (ranks[i] as number) : 0), 0)
    const total = ranks.reduce((a, b) => a + b, 0)
    // Two-sided: twice the smaller tail (the distribution is symmetric about total/2).
    const tMin = Math.min(tPlus, total - tPlus)
    p = Math.min(1, 2 * (nonzero.length <= EXACT_MAX_PAIRS ? (nullDistribution(ranks)[tMin] as number) : normalTail(ranks, tMin)))
  }
  return { n: nonzero.length, p, estimate: Math.exp(hl), lo: Math.exp(lo), hi: Math.exp(hi) }
}
