// A histogram as the exporter keeps it between scrapes: cumulative bucket counts, sum and count,
// written as a HistogramFamily (the self-metrics' scrape durations, the GC durations).
import type { HistogramFamily } from './metric-family.ts'

/** HistogramCounts is one histogram series: a count per upper bound, then +Inf; sum and count. */
export interface HistogramCounts {
  readonly bucketCounts: number[]
  sum: number
  count: number
}

/** emptyCounts returns zero counts for `upperBounds` (and +Inf). */
export function emptyCounts(upperBounds: readonly number[]): HistogramCounts {
  return { bucketCounts: new Array<number>(upperBounds.length + 1).fill(0), sum: 0, count: 0 }
}

/** observe adds `value` to every bucket whose upper bound holds it, to +Inf, and to sum and count. */
export function observe(h: HistogramCounts, upperBounds: readonly number[], value: number): void {
  for (let i = 0; i < upperBounds.length; i++) if (value <= (upperBounds[i] as number)) (h.bucketCounts[i] as number)++
  ;(h.bucketCounts[upperBounds.length] as number)++
  h.sum += value
  h.count++
}

/** histogramFamily writes one series per label value, in the order given, from a copy of its counts. */
export function histogramFamily(
  name: string,
  help: string,
  labelName: string,
  upperBounds: readonly number[],
  labelValues: readonly string[],
  countsOf: (labelValue: string) => HistogramCounts,
): HistogramFamily {
  return {
    kind: 'histogram',
    name,
    help,
    labelNames: [labelName],
    upperBounds,
    series: labelValues.map((value) => {
      const h = countsOf(value)
      return { labelValues: [value], bucketCounts: [...h.bucketCounts], sum: h.sum, count: h.count }
    }),
  }
}
