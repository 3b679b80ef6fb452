// The two-sided Mann–Whitney U test as benchstat runs it (go-moremath stats.MannWhitneyUTest).
import { normalCdf } from './normal.ts'
import { uCdfNoTies, uCdfTies } from './u-distribution.ts'

/** MANN_WHITNEY_EXACT_LIMIT is the largest sample size using the exact U distribution without ties. */
export const MANN_WHITNEY_EXACT_LIMIT = 50
/** MANN_WHITNEY_TIES_EXACT_LIMIT is the same limit when the samples have ties (benchstat's 25). */
export const MANN_WHITNEY_TIES_EXACT_LIMIT = 25

/** MannWhitneyResult is the smaller U statistic (ties count ½) and the two-sided p-value. */
export interface MannWhitneyResult {
  readonly n1: number
  readonly n2: number
  readonly u: number
  readonly p: number
}

/** MannWhitneyOutcome is a result, or why the test could not run (benchstat then reports p = 1). */
export type MannWhitneyOutcome =
  | { readonly ok: true; readonly result: MannWhitneyResult }
  | { readonly ok: false; readonly reason: 'sample-size' | 'all-equal' }

/** mannWhitneyUTest tests whether x1 and x2 differ in location (two-sided). */
export function mannWhitneyUTest(x1: readonly number[], x2: readonly number[]): MannWhitneyOutcome {
  const n1 = x1.length
  const n2 = x2.length
  if (n1 === 0 || n2 === 0) return { ok: false, reason: 'sample-size' }
  const merged = [...x1.map((v) => [v, 1] as const), ...x2.map((v) => [v, 2] as const)].sort((a, b) => a[0] - b[0])
  let rankSum1 = 0
  const ties: number[] = []
  let hasTies = false
  let tieCorrection = 0
  for (let i = 0; i < merged.length; ) {
    const first = i
    const value = (merged[i] as readonly [number, number])[0]
    let inFirst = 0
    for (; i < merged.length && (merged[i] as readonly [number, number])[0] === value; i++) {
      if ((merged[i] as readonly [number, number])[1] === 1) inFirst++
    }
    const run = i - first
    // Tied values share the average of their ranks (rank 1 is the smallest).
    rankSum1 += ((first + 1 + i) / 2) * inFirst
    ties.push(run)
    if (run > 1) hasTies = true
    tieCorrection += run * run * run - run
  }
  let u1 = rankSum1 - (n1 * (n1 + 1)) / 2
  let u2 = n1 * n2 - u1
  if (u2 < u1) [u1, u2] = [u2, u1]
  let p: number
  const exact = hasTies
    ? n1 <= MANN_WHITNEY_TIES_EXACT_LIMIT && n2 <= MANN_WHITNEY_TIES_EXACT_LIMIT
    : n1 <= MANN_WHITNEY_EXACT_LIMIT && n2 <= MANN_WHITNEY_EXACT_LIMIT
  if (exact) {
    if (ties.length === 1) return { ok: false, reason: 'all-equal' }
    if (u1 === u2) {
      // The discrete distribution is symmetric about U: doubling CDF(U) would count its mass twice.
      p = 1
    } else {
      p = 2 * (hasTies ? uCdfTies(n1, n2, ties, u1) : uCdfNoTies(n1, n2, u1))
    }
  } else {
    const total = n1 + n2
    const mean = (n1 * n2) / 2
    const sd = Math.sqrt((n1 * n2 * (total + 1 - tieCorrection / (total * (total - 1)))) / 12)
    if (sd === 0) return { ok: false, reason: 'all-equal' }
    let numer = u1 - mean
    numer -= Math.sign(numer) * 0.5 // continuity correction
    const z = numer / sd
    p = 2 * Math.min(normalCdf(z), 1 - normalCdf(z))
  }
  return { ok: true, result: { n1, n2, u: u1, p } }
}

/** U_TEST_MIN_P[n] is the smallest p the two-sided U test can give for two samples of size n. */
export const U_TEST_MIN_P: readonly number[] = [
  NaN,
  1,
  0.3333333333333333,
  0.1,
  0.02857142857142857,
  0.007936507936507936,
  0.0021645021645021645,
  0.0005827505827505828,
  0.0001554001554001554,
  4.113533525298231e-5,
]

/** minSamplesForUTest returns the smallest n (per side) that can reach `alpha`, or undefined beyond 9. */
export function minSamplesForUTest(alpha: number): number | undefined {
  for (let n = 1; n < U_TEST_MIN_P.length; n++) if ((U_TEST_MIN_P[n] as number) <= alpha) return n
  return undefined
}
