// Summaries and comparisons of samples under a distributional assumption, as golang/perf's
// benchmath: `nothing` (median, order-statistic CI, Mann–Whitney U) or `exact` (mode, no test).
// Warnings travel as values beside the numbers; nothing here prints.
import type { Assume } from '../results/schema.ts'
import { formatGoFloat } from './go-float.ts'
import { mannWhitneyUTest, minSamplesForUTest } from './mann-whitney.ts'
import { medianInterval, minSamplesForMedianCi } from './quantile-ci.ts'

/** DEFAULT_ALPHA is benchstat's significance level (flag -alpha). */
export const DEFAULT_ALPHA = 0.05
/** DEFAULT_CONFIDENCE is benchstat's confidence level for intervals (flag -confidence). */
export const DEFAULT_CONFIDENCE = 0.95

/** Summary is a sample's centre (median, or mode for exact metrics) with its interval. */
export interface Summary {
  readonly center: number
  readonly lo: number
  readonly hi: number
  /** Achieved confidence of [lo, hi], ≥ the requested one (1 for exact metrics). */
  readonly confidence: number
  readonly warnings: readonly string[]
}

/** Comparison is the outcome of testing whether two samples differ. */
export interface Comparison {
  /** Two-sided p-value; exactly 0 for exact metrics, which need no test. */
  readonly p: number
  readonly n1: number
  readonly n2: number
  readonly alpha: number
  readonly warnings: readonly string[]
}

/** summarize computes the Summary of ascending `values` under `assume`. */
export function summarize(values: readonly number[], assume: Assume, confidence: number): Summary {
  if (assume === 'exact') {
    let current = values[0] as number
    let count = 1
    let mode = current
    let modeCount = 1
    for (const v of values.slice(1)) {
      if (v === current) {
        count++
        if (count > modeCount) {
          mode = current
          modeCount = count
        }
      } else {
        current = v
        count = 1
      }
    }
    const lo = values[0] as number
    const hi = values[values.length - 1] as number
    const warnings = modeCount === values.length ? [] : [`exact distribution expected, but values range from ${formatGoFloat(lo)} to ${formatGoFloat(hi)}`]
    return { center: mode, lo, hi, confidence: 1, warnings }
  }
  const ci = medianInterval(values, confidence)
  const warnings: string[] = []
  if (!Number.isFinite(ci.lo) || !Number.isFinite(ci.hi)) {
    const need = minSamplesForMedianCi(confidence)
    warnings.push(
      need === undefined
        ? `need > 50 samples for confidence interval at level ${formatGoFloat(confidence)}`
        : `need >= ${need} samples for confidence interval at level ${formatGoFloat(confidence)}`,
    )
  }
  return { center: ci.median, lo: ci.lo, hi: ci.hi, confidence: ci.confidence, warnings }
}

/** compareSamples tests old against new under `assume`, as benchmath's Assumption.Compare. */
export function compareSamples(old: readonly number[], neu: readonly number[], assume: Assume, alpha: number): Comparison {
  if (assume === 'exact') return { p: 0, n1: old.length, n2: neu.length, alpha, warnings: [] }
  const outcome = mannWhitneyUTest(old, neu)
  if (!outcome.ok) {
    const warning = outcome.reason === 'all-equal' ? 'all samples are equal' : 'sample is empty'
    return { p: 1, n1: old.length, n2: neu.length, alpha, warnings: [warning] }
  }
  const warnings: string[] = []
  if (outcome.result.p > alpha) {
    const need = minSamplesForUTest(alpha)
    if (need === undefined) warnings.push(`need > 9 samples to detect a difference at alpha level ${formatGoFloat(alpha)}`)
    else if (old.length < need && neu.length < need) warnings.push(`need >= ${need} samples to detect a difference at alpha level ${formatGoFloat(alpha)}`)
  }
  return { p: outcome.result.p, n1: old.length, n2: neu.length, alpha, warnings }
}

/** isSignificant is benchstat's rule: p ≤ alpha (so p = alpha counts). */
export function isSignificant(cmp: Comparison): boolean {
  return !(cmp.p > cmp.alpha)
}

/**
 * coefficientOfVariation returns the sample standard deviation (n − 1) over the mean: the spread
 * of a figure across invocations relative to its size. Undefined for fewer than two values or a
 * zero mean.
 */
export function coefficientOfVariation(values: readonly number[]): number | undefined {
  if (values.length < 2) return undefined
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length
  if (mean === 0) return undefined
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1)
  return Math.sqrt(variance) / Math.abs(mean)
}
