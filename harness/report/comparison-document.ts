// Turning a validated comparison document back into the verdict reports the renderers take:
// the nulls JSON wrote for unbounded interval ends become infinities again.
import type { ChangeEstimate, MetricVerdict, SideSummary, VerdictReport } from '../compare/verdict.ts'
import type { ComparisonDocument, MetricVerdictJson, VerdictReportJson } from '../results/comparison-schema.ts'

function side(s: { n: number; center: number; lo: number | null; hi: number | null } | undefined): SideSummary | undefined {
  return s === undefined ? undefined : { n: s.n, center: s.center, lo: s.lo ?? -Infinity, hi: s.hi ?? Infinity }
}

function change(c: MetricVerdictJson['change']): ChangeEstimate | undefined {
  return c === undefined ? undefined : { estimate: c.estimate ?? Infinity, lo: c.lo ?? -Infinity, hi: c.hi ?? Infinity }
}

function metricVerdict(v: MetricVerdictJson): MetricVerdict {
  const { base, head, change: ch, p, q, ...rest } = v
  const b = side(base)
  const h = side(head)
  const c = change(ch)
  return {
    ...rest,
    ...(b !== undefined ? { base: b } : {}),
    ...(h !== undefined ? { head: h } : {}),
    ...(c !== undefined ? { change: c } : {}),
    ...(typeof p === 'number' ? { p } : {}),
    ...(typeof q === 'number' ? { q } : {}),
  }
}

/** verdictReportFromJson rebuilds one VerdictReport from its JSON form. */
export function verdictReportFromJson(json: VerdictReportJson): VerdictReport {
  return { ...json, verdicts: json.verdicts.map(metricVerdict) }
}

/** verdictReportsOf rebuilds every verdict report of a comparison document. */
export function verdictReportsOf(doc: ComparisonDocument): VerdictReport[] {
  return (doc.verdicts ?? []).map(verdictReportFromJson)
}
