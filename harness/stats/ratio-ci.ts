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

// Exact critical ranks by sample sizes and confidence: each costs a walk up the U distribution
// (~15 ms at 20 a side), and ab or doctor ask for the same few sizes thousands of times.
const exactRanks = new Map<string, number>()

// criticalRank returns the largest k with P(U ≤ k − 1) ≤ (1 − confidence)/2: the interval is
// then [d(k), d(n1·n2 + 1 − k)] of the sorted differences. k = 0 means unbounded.
function criticalRank(n1: number, n2: number, confidence: number): number {
  const tail = (1 - confidence) / 2
  const mn = n1 * n2
  if (n1 <= 50 && n2 <= 50) {
    const key = `${n1},${n2},${confidence}`
    const known = exactRanks.get(key)
    if (known !== undefined) return known
    let k = 0
    while (k < mn && uCdfNoTies(n1, n2, k) <= tail) k++
    exactRanks.set(key, k)
    return k
  }
  const mean = mn / 2
  const sd = Math.sqrt((mn * (n1 + n2 + 1)) / 12)
  return Math.max(0, Math.floor(mean + normalInvCdf(tail) * sd - 0.5) + 1)
}

// EXPLICIT_PAIRS_MAX bounds the pairwise differences sorted outright (32 MB of doubles); above
// it each order statistic is found by bisection without listing the pairs, as 10⁶ samples a side
// would mean 10¹² differences.
const EXPLICIT_PAIRS_MAX = 4_000_000

/**
 * ratioInterval estimates new/old for positive samples; it returns undefined when any value is ≤ 0.
 * Above `explicitPairsMax` pairs it bisects instead of sorting them (same result, exactly).
 */
export function ratioInterval(
  old: readonly number[],
  neu: readonly number[],
  confidence: number,
  explicitPairsMax = EXPLICIT_PAIRS_MAX,
): RatioInterval | undefined {
  if (old.length === 0 || neu.length === 0) return undefined
  if (old.some((v) => !(v > 0)) || neu.some((v) => !(v > 0))) return undefined
  const logOld = old.map(Math.log)
  const logNew = neu.map(Math.log)
  const m = logOld.length * logNew.length
  const k = criticalRank(old.length, neu.length, confidence)
  const mid = Math.floor(m / 2)
  let nth: (rank: number) => number
  if (m <= explicitPairsMax) {
    const diffs: number[] = []
    for (const b of logNew) for (const a of logOld) diffs.push(b - a)
    diffs.sort((a, b) => a - b)
    nth = (rank) => diffs[rank - 1] as number
  } else {
    const a = Float64Array.from(logOld).sort()
    const b = Float64Array.from(logNew).sort()
    nth = (rank) => nthDifference(a, b, rank)
  }
  const hl = m % 2 === 1 ? nth(mid + 1) : (nth(mid) + nth(mid + 1)) / 2
  const lo = k < 1 ? -Infinity : nth(k)
  const hi = k < 1 ? Infinity : nth(m + 1 - k)
  return { estimate: Math.exp(hl), lo: Math.exp(lo), hi: Math.exp(hi) }
}

// countAtMost counts the pairs with b[j] − a[i] ≤ d (a and b sorted ascending) in one pass.
function countAtMost(a: Float64Array, b: Float64Array, d: number): number {
  let count = 0
  let i = 0
  for (let j = 0; j < b.length; j++) {
    const bj = b[j] as number
    while (i < a.length && bj - (a[i] as number) > d) i++
    count += a.length - i
  }
  return count
}

const bits = new Float64Array(1)
const bitsInt = new BigInt64Array(bits.buffer)
const SIGN = 0x8000000000000000n

// orderKey maps a double to an integer in the same order (−0 and +0 to 0), so that bisection
// over doubles ends after at most 64 steps.
function orderKey(x: number): bigint {
  bits[0] = x
  const v = bitsInt[0] as bigint
  return v < 0n ? -(v + SIGN) : v
}

function fromOrderKey(key: bigint): number {
  bitsInt[0] = key < 0n ? -key - SIGN : key
  return bits[0] as number
}

/** nthDifference returns the rank-th smallest (1-based) of all b[j] − a[i], exactly, without listing them. */
export function nthDifference(a: Float64Array, b: Float64Array, rank: number): number {
  let lo = orderKey((b[0] as number) - (a[a.length - 1] as number)) - 1n
  let hi = orderKey((b[b.length - 1] as number) - (a[0] as number))
  // Invariant: fewer than rank differences are ≤ fromOrderKey(lo), at least rank are ≤ fromOrderKey(hi).
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n
    if (countAtMost(a, b, fromOrderKey(mid)) >= rank) hi = mid
    else lo = mid
  }
  return fromOrderKey(hi)
}
