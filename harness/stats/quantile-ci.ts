// The distribution-free confidence interval of a quantile from order statistics, as benchstat
// computes it (aclements/go-moremath stats.QuantileCI): the binomial distribution of how many
// samples fall below the population quantile, summed outward from its mode.
import { binomialPmf } from './binomial.ts'
import { normalCdf, normalInvCdf } from './normal.ts'
import { medianOfSorted } from '../../common/median.ts'

/** QUANTILE_CI_EXACT_LIMIT is the largest n summed exactly; Go uses the normal approximation above 30. */
export const QUANTILE_CI_EXACT_LIMIT = 30

/** QuantileCi is the interval as 1-based order statistics; orders outside 1..n mean ±∞. */
export interface QuantileCi {
  readonly n: number
  readonly quantile: number
  /** Achieved confidence, ≥ the requested one. */
  readonly confidence: number
  readonly loOrder: number
  readonly hiOrder: number
}

/** quantileCi returns the order statistics bounding the `quantile` of a sample of size n. */
export function quantileCi(n: number, quantile: number, confidence: number): QuantileCi {
  if (confidence >= 1) return { n, quantile, confidence: 1, loOrder: 0, hiOrder: n + 1 }
  let l: number
  let r: number
  let achieved: number
  if (n <= QUANTILE_CI_EXACT_LIMIT) {
    // Start at the (lower) mode and add the larger neighbour until the confidence is reached;
    // on equal neighbours take the left one, as Go does.
    const x = quantile === 0 ? 0 : Math.ceil((n + 1) * quantile) - 1
    let accum = binomialPmf(n, quantile, x)
    l = x
    r = x + 1
    let lp = binomialPmf(n, quantile, l - 1)
    let rp = binomialPmf(n, quantile, r)
    while (accum < confidence && (lp > 0 || rp > 0)) {
      if (lp >= rp) {
        accum += lp
        l--
        lp = binomialPmf(n, quantile, l - 1)
      } else {
        accum += rp
        r++
        rp = binomialPmf(n, quantile, r)
      }
    }
    achieved = accum
  } else {
    const mu = n * quantile
    const sigma = Math.sqrt(n * quantile * (1 - quantile))
    const alpha = (1 - confidence) / 2
    const l1 = normalInvCdf(alpha, mu, sigma)
    const r1 = 2 * mu - l1
    l = Math.floor(Math.floor(l1 - 0.5) + 0.5) + 1
    r = Math.floor(Math.ceil(r1 - 0.5) + 0.5) + 1
    const cdf = (lo: number, hi: number): number => normalCdf(hi - 0.5, mu, sigma) - normalCdf(lo - 0.5, mu, sigma)
    achieved = cdf(l, r)
    const biased = cdf(l, r - 1)
    if (biased >= confidence && biased < achieved) {
      achieved = biased
      r = r - 1
    }
    if (l <= 0 && r >= n + 1) achieved = 1
  }
  return { n, quantile, confidence: achieved, loOrder: Math.max(l, 0), hiOrder: Math.min(r, n + 1) }
}

/** MedianInterval is a sample's median with its confidence interval (bounds may be ±∞). */
export interface MedianInterval {
  readonly median: number
  readonly lo: number
  readonly hi: number
  readonly confidence: number
}

/** medianInterval applies quantileCi(n, 0.5, confidence) to ascending `xs`. */
export function medianInterval(xs: readonly number[], confidence: number): MedianInterval {
  const ci = quantileCi(xs.length, 0.5, confidence)
  const lo = ci.loOrder < 1 ? -Infinity : (xs[ci.loOrder - 1] as number)
  const hi = ci.hiOrder - 1 >= xs.length ? Infinity : (xs[ci.hiOrder - 1] as number)
  return { median: medianOfSorted(xs), lo, hi, confidence: ci.confidence }
}

/** MEDIAN_CI_SEARCH_LIMIT bounds the search for the smallest n with a finite interval. */
const MEDIAN_CI_SEARCH_LIMIT = 50

/** minSamplesForMedianCi returns the smallest n whose median CI is finite, or undefined above 50. */
export function minSamplesForMedianCi(confidence: number): number | undefined {
  for (let n = 2; n <= MEDIAN_CI_SEARCH_LIMIT; n++) {
    const ci = quantileCi(n, 0.5, confidence)
    if (ci.loOrder > 0 && ci.hiOrder <= n) return n
  }
  return undefined
}
