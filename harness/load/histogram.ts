// Latency histograms: HdrHistogram (hdr-histogram-js) in integer microseconds with 3
// significant digits, so memory is fixed by the value range (tens of KB), not by the run's
// length — k6's array-backed Trend sinks grow without bound (grafana/k6 #3618, #1543). The
// compressed base64 form (HdrHistogram V2 encoding) merges exactly across shards.
import * as hdr from 'hdr-histogram-js'

/** LatencyHistogram is an HdrHistogram of microseconds. */
export type LatencyHistogram = hdr.Histogram

/** SIGNIFICANT_DIGITS keeps values to 0.1% (1 µs up to 1 ms, 1 ms near 1 s). */
const SIGNIFICANT_DIGITS = 3

/** newLatencyHistogram returns an empty, auto-resizing histogram of microseconds. */
export function newLatencyHistogram(): LatencyHistogram {
  return hdr.build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: SIGNIFICANT_DIGITS })
}

/** encodeHistogram returns the compressed base64 V2 encoding. */
export function encodeHistogram(histogram: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(histogram)
}

/** decodeHistogram reads an encoding from encodeHistogram; it throws on malformed input. */
export function decodeHistogram(encoded: string): LatencyHistogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false)
  // Decoded histograms keep the encoder's fixed range; let merges grow them.
  decoded.autoResize = true
  return decoded
}

/** mergeHistograms adds every histogram into a new one: counts add exactly, bucket by bucket. */
export function mergeHistograms(histograms: readonly LatencyHistogram[]): LatencyHistogram {
  const merged = newLatencyHistogram()
  for (const h of histograms) merged.add(h)
  return merged
}

/** TrendStats are the summary statistics of a histogram, in milliseconds. */
export interface TrendStats {
  readonly count: number
  readonly minMs: number
  readonly meanMs: number
  readonly p50Ms: number
  readonly p90Ms: number
  readonly p95Ms: number
  readonly p99Ms: number
  readonly maxMs: number
}

/** percentileMs is the value at percentile `p` (0–100) in milliseconds; NaN when empty. */
export function percentileMs(histogram: LatencyHistogram, p: number): number {
  if (histogram.totalCount === 0) return Number.NaN
  return histogram.getValueAtPercentile(p) / 1e3
}

/** trendStats summarises a histogram; every field is NaN when it is empty. */
export function trendStats(histogram: LatencyHistogram): TrendStats {
  const count = histogram.totalCount
  const empty = count === 0
  return {
    count,
    minMs: percentileMs(histogram, 0),
    meanMs: empty ? Number.NaN : histogram.mean / 1e3,
    p50Ms: percentileMs(histogram, 50),
    p90Ms: percentileMs(histogram, 90),
    p95Ms: percentileMs(histogram, 95),
    p99Ms: percentileMs(histogram, 99),
    maxMs: empty ? Number.NaN : histogram.maxValue / 1e3,
  }
}
