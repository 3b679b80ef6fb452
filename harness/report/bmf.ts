// Bencher Metric Format: { benchmark: { measure: { value, lower_value, upper_value } } } for
// `bencher run --adapter json` (bencher.dev/docs/reference/bencher-metric-format). Each
// head-side metric becomes a measure; time per op goes to Bencher's built-in `latency` measure,
// which is in nanoseconds, the others to measures named after the unit (Bencher creates them).
import type { VerdictReport } from '../compare/verdict.ts'

/** BmfMetric is one Bencher metric. */
export interface BmfMetric {
  value: number
  lower_value?: number
  upper_value?: number
}

/** BmfDocument maps benchmark names to measures to metrics. */
export type BmfDocument = Record<string, Record<string, BmfMetric>>

/** BMF_NAME_MAX_CHARS and BMF_SLUG_MAX_CHARS are Bencher's limits for a benchmark name and a measure slug. */
export const BMF_NAME_MAX_CHARS = 1024
export const BMF_SLUG_MAX_CHARS = 64

/** bmfMeasure names a unit's measure and the factor to its unit: sec/op → latency in ns. */
export function bmfMeasure(unit: string): { readonly slug: string; readonly factor: number } {
  if (unit === 'sec/op') return { slug: 'latency', factor: 1e9 }
  const slug = unit
    .replace(/[µμ]/g, 'u')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, BMF_SLUG_MAX_CHARS)
  return { slug: slug === '' ? 'value' : slug, factor: 1 }
}

/** renderBmf exports the head side of every judged metric as BMF JSON. */
export function renderBmf(reports: readonly VerdictReport[]): string {
  const doc: BmfDocument = {}
  for (const report of reports) {
    for (const v of report.verdicts) {
      if (v.head === undefined || !Number.isFinite(v.head.center)) continue
      const name = (v.pkg === '' ? v.name : `${v.pkg}/${v.name}`).slice(0, BMF_NAME_MAX_CHARS)
      const { slug, factor } = bmfMeasure(v.unit)
      const metric: BmfMetric = { value: v.head.center * factor }
      // An unbounded interval end is left out rather than invented.
      if (Number.isFinite(v.head.lo)) metric.lower_value = v.head.lo * factor
      if (Number.isFinite(v.head.hi)) metric.upper_value = v.head.hi * factor
      ;(doc[name] ??= {})[slug] = metric
    }
  }
  return `${JSON.stringify(doc, null, 2)}\n`
}
