// The exporter's in-memory metric model: what collectors produce and exposition serializes.

/** MetricType is the Prometheus type of a family. Counters' names end in `_total`. */
export type MetricType = 'gauge' | 'counter'

/**
 * SampleFamily is one metric family of plain samples. Labels are stored flat so that a family of
 * a million series is two arrays, not a million objects: series `i` has the label values
 * `labelValues[i * labelNames.length …]` and the value `values[i]`.
 */
export interface SampleFamily {
  readonly kind: 'samples'
  readonly name: string
  readonly help: string
  readonly type: MetricType
  readonly labelNames: readonly string[]
  readonly labelValues: string[]
  readonly values: number[]
}

/** HistogramSeries is one labelled histogram: cumulative bucket counts, sum and count. */
export interface HistogramSeries {
  readonly labelValues: readonly string[]
  /** Cumulative counts per upper bound of the family's `upperBounds`, then +Inf last. */
  readonly bucketCounts: readonly number[]
  readonly sum: number
  readonly count: number
}

/** HistogramFamily is a histogram family; only self-metrics use one. */
export interface HistogramFamily {
  readonly kind: 'histogram'
  readonly name: string
  readonly help: string
  readonly labelNames: readonly string[]
  readonly upperBounds: readonly number[]
  readonly series: readonly HistogramSeries[]
}

/** MetricFamily is any family the exposition writes. */
export type MetricFamily = SampleFamily | HistogramFamily
