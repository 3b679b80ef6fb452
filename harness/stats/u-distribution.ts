// The exact null distribution of the Mann–Whitney U statistic, with and without ties.
import { choose } from './binomial.ts'

// uProbabilities returns p_{n1,n2}(u) for u = 0..uMax, the probability that U equals u when
// there are no ties, by the recurrence of Mann & Whitney (1947), computed as go-moremath's
// UDist.p does (one plane of the table at a time, same order of additions) so that p-values
// agree with benchstat's to the last bit.
function uProbabilities(n1: number, n2: number, uMax: number): Float64Array {
  let small = n1
  let large = n2
  if (small > large) [small, large] = [large, small]
  const memo: Float64Array[] = []
  for (let n = 0; n <= small; n++) memo.push(new Float64Array(uMax + 1))
  for (let m = 0; m <= large; m++) {
    ;(memo[0] as Float64Array)[0] = 1
    const nlim = Math.min(small, m)
    for (let n = 1; n <= nlim; n++) {
      const lp = memo[n - 1] as Float64Array
      const rp = (n <= m - 1 ? memo[n] : memo[m - 1]) as Float64Array
      const ulim = Math.min(n * m, uMax)
      const out = memo[n] as Float64Array
      const nplusm = n + m
      for (let u = ulim; u >= 0; u--) {
        const l = u - m >= 0 ? n * (lp[u - m] as number) : 0
        const r = m * (rp[u] as number)
        out[u] = (l + r) / nplusm
      }
    }
  }
  return memo[small] as Float64Array
}

/** uCdfNoTies is P(U ≤ u) for samples of sizes n1 and n2 without ties. */
export function uCdfNoTies(n1: number, n2: number, u: number): number {
  if (u < 0) return 0
  if (u >= n1 * n2) return 1
  let ui = Math.floor(u)
  // The distribution is symmetric about n1·n2/2: sum whichever tail is smaller.
  const flip = ui >= Math.floor((n1 * n2 + 1) / 2)
  if (flip) ui = n1 * n2 - ui - 1
  const pdfs = uProbabilities(n1, n2, ui)
  let p = 0
  for (let i = 0; i <= ui; i++) p += pdfs[i] as number
  return flip ? 1 - p : p
}

/**
 * uCdfTies is P(U₁ ≤ u) for the first sample (size n1) when the pooled ranks have the tie
 * vector `ties` (group sizes in rank order, summing to n1 + n2), under the permutation null.
 * It counts the C(N, n1) equally likely placements by dynamic programming over tie groups on
 * (samples placed, twice the rank sum): the same counts Cheung & Klotz's (1997) linked-list
 * algorithm produces, which go-moremath implements with maps; this table form is simpler.
 */
export function uCdfTies(n1: number, n2: number, ties: readonly number[], u: number): number {
  if (u < 0) return 0
  if (u >= n1 * n2) return 1
  const total = n1 + n2
  const maxTwoR = total * (total + 1)
  const width = maxTwoR + 1
  let counts = new Float64Array((n1 + 1) * width)
  counts[0] = 1
  let start = 1
  for (const t of ties) {
    const twoMidrank = start + (start + t - 1)
    const next = new Float64Array((n1 + 1) * width)
    for (let j = 0; j <= n1; j++) {
      for (let twoR = 0; twoR < width; twoR++) {
        const c = counts[j * width + twoR] as number
        if (c === 0) continue
        for (let r = 0; r <= t && j + r <= n1; r++) {
          const idx = (j + r) * width + twoR + r * twoMidrank
          next[idx] = (next[idx] as number) + c * choose(t, r)
        }
      }
    }
    counts = next
    start += t
  }
  const twoULimit = Math.floor(2 * u)
  const offset = n1 * (n1 + 1)
  let below = 0
  for (let twoR = 0; twoR < width; twoR++) {
    if (twoR - offset <= twoULimit) below += counts[n1 * width + twoR] as number
  }
  return below / choose(total, n1)
}
