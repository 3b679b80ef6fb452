// The verdicts as CSV, one row per metric, values in base units at full precision.
import type { VerdictReport } from '../compare/verdict.ts'
import { formatGoFloat } from '../stats/go-float.ts'

function field(value: string | number | undefined): string {
  if (value === undefined) return ''
  const text = typeof value === 'number' ? (Number.isFinite(value) ? formatGoFloat(value) : '') : value
  return /[",\r\n]/.test(text) || text.startsWith(' ') ? `"${text.replaceAll('"', '""')}"` : text
}

/** renderVerdictCsv renders one row per metric verdict. */
export function renderVerdictCsv(report: VerdictReport): string {
  const header = [
    'name',
    'unit',
    'verdict',
    'better',
    'tolerance %',
    `${report.baseLabel} n`,
    `${report.baseLabel} center`,
    `${report.headLabel} n`,
    `${report.headLabel} center`,
    'change',
    'change lo',
    'change hi',
    'p',
    'q',
    'informational',
  ]
  const rows = report.verdicts.map((v) =>
    [
      v.name,
      v.unit,
      v.verdict,
      v.better,
      v.tolerancePct,
      v.base?.n,
      v.base?.center,
      v.head?.n,
      v.head?.center,
      v.change?.estimate,
      v.change?.lo,
      v.change?.hi,
      v.p,
      v.q,
      String(report.informational),
    ]
      .map(field)
      .join(','),
  )
  return `${[header.map(field).join(','), ...rows].join('\n')}\n`
}
