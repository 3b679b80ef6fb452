// Plain-text renderers of the capacity engines' results: fits, the hold-out check, forecasts,
// recommendations and simulations. Columns are padded; numbers keep 3–4 significant digits.
import type { FigureFit, HoldoutRow } from '../capacity/fit.ts'
import type { ForecastReport } from '../capacity/forecast.ts'
import type { RecommendReport } from '../capacity/recommend.ts'
import type { SimulationReport } from '../capacity/simulate.ts'

/** formatFigure renders a figure with 4 significant digits, large values with a k/M/G suffix. */
export function formatFigure(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return value === Number.POSITIVE_INFINITY ? '∞' : '—'
  const abs = Math.abs(value)
  // k starts at 10,000 so counts such as 1451 nodes stay exact.
  for (const [limit, divisor, suffix] of [
    [1e9, 1e9, 'G'],
    [1e6, 1e6, 'M'],
    [1e4, 1e3, 'k'],
  ] as const) {
    if (abs >= limit) return `${Number((value / divisor).toPrecision(4))}${suffix}`
  }
  return String(Number(value.toPrecision(4)))
}

/** formatRatio renders a signed ratio as a percentage. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—'
  return `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`
}

/** table pads the cells of `rows` (first row the header) into aligned columns. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const row of rows) for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length)
  return `${rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] as number)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`
}

/** renderFitsText lists each figure's chosen model and every candidate's error. */
export function renderFitsText(fits: readonly FigureFit[], source: string): string {
  let out = `capacity fit: ${source}\n\n`
  const rows: string[][] = [['figure', 'model', 'R²', 'LOO error', 'verdict']]
  for (const fit of fits) {
    rows.push([
      fit.figure,
      fit.chosen?.formula ?? '—',
      fit.chosen === undefined ? '—' : fit.chosen.r2.toFixed(3),
      formatRatio(fit.chosen?.looError).replace('+', ''),
      fit.good ? 'fits well' : 'no good fit',
    ])
  }
  out += table(rows)
  out += '\nCandidates (leave-one-out mean absolute error; the lowest is chosen, ties within half a point go to the simpler):\n'
  for (const fit of fits) {
    out += `  ${fit.figure}: ${fit.candidates.map((c) => `${c.model} ${formatRatio(c.looError).replace('+', '')}`).join(', ')}${fit.good ? '' : ` — ${fit.reason}`}\n`
  }
  return out
}

/** renderHoldoutText is the hold-out table: predicted at the held-out size beside measured. */
export function renderHoldoutText(rows: readonly HoldoutRow[], fitMaxNodes: number): string {
  const out: string[][] = [['figure', 'nodes', 'model', 'predicted', '95% interval', 'measured', 'error', 'note']]
  for (const r of rows) {
    out.push([
      r.figure,
      String(r.nodes),
      r.model ?? '—',
      formatFigure(r.predicted),
      r.lower === undefined ? '—' : `${formatFigure(r.lower)}–${formatFigure(r.upper)}`,
      formatFigure(r.measured),
      formatRatio(r.error),
      r.note,
    ])
  }
  return `capacity fit: hold-out check, fitted on sizes up to ${fitMaxNodes} nodes\n\n${table(out)}`
}

/** renderForecastText lists each resource's projection and flag. */
export function renderForecastText(report: ForecastReport): string {
  const rows: string[][] = [['resource', 'unit', 'now', 'horizon', 'projected', '95% interval', 'growth', 'threshold', 'flag']]
  for (const r of [...report.resources, ...report.cluster]) {
    rows.push([
      r.resource,
      r.unit,
      formatFigure(r.current),
      `${r.horizonDays} d`,
      formatFigure(r.projected.value),
      `${formatFigure(r.projected.lower)}–${formatFigure(r.projected.upper)}`,
      formatRatio(r.growth),
      r.threshold === undefined ? '' : formatRatio(r.threshold),
      r.flagged ? (r.certain ? 'FLAG (whole interval)' : 'FLAG') : '',
    ])
  }
  let out = `capacity forecast (${report.method === 'holt' ? "Holt's linear method" : 'linear trend'}, 95% prediction intervals)\n\n${table(rows)}`
  for (const r of report.resources) for (const w of r.warnings) out += `warning: ${r.resource}: ${w}\n`
  return out
}

/** renderRecommendText lists each recommendation with its reason. */
export function renderRecommendText(report: RecommendReport): string {
  const rows: string[][] = [['resource', 'unit', 'current', 'projected', 'recommended']]
  for (const r of report.recommendations) {
    const rec = r.kubernetes?.limits ?? r.kubernetes?.requests ?? (typeof r.recommended === 'number' ? formatFigure(r.recommended) : (r.recommended ?? 'none'))
    rows.push([r.resource, r.unit, formatFigure(r.current), formatFigure(r.projected), `${rec}${r.capped ? ' (CAPPED)' : ''}`])
  }
  let out = `capacity recommend: ${report.currentNodes} nodes today, ${Math.round(report.headroom * 100)}% headroom\n\n${table(rows)}\n`
  for (const r of report.recommendations) out += `${r.resource}: ${r.why}\n`
  for (const w of report.warnings) out += `warning: ${w}\n`
  return out
}

/** renderSimulationText sets predicted beside measured per horizon. */
export function renderSimulationText(report: SimulationReport): string {
  const rows: string[][] = [['horizon', 'nodes', 'figure', 'predicted', '95% interval', 'measured', 'error', 'in interval']]
  for (const r of report.rows) {
    rows.push([
      `${r.horizonDays} d`,
      String(r.nodes),
      r.figure,
      formatFigure(r.predicted),
      r.lower === null ? '—' : `${formatFigure(r.lower)}–${formatFigure(r.upper)}`,
      formatFigure(r.measured),
      formatRatio(r.error),
      r.inside === null ? r.note : r.inside ? 'yes' : 'no',
    ])
  }
  let out = `capacity simulate: scenario ${report.scenario} (${formatRatio(report.monthlyNodeGrowth)} nodes a month from ${report.currentNodes})\n\n${table(rows)}`
  for (const f of report.failures) out += `failed: ${f}\n`
  return out
}
