// The verdicts as Markdown for a PR comment or a job summary: headline counts, the method, a
// table of what needs attention, and the full table folded away.
import { VERDICT_KINDS, type MetricVerdict, type VerdictReport } from '../compare/verdict.ts'
import { VERDICT_SYMBOLS, changeText, qText, shortName, sideTexts } from './verdict-cells.ts'
import { headline, methodLine } from './verdict-text.ts'

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

function table(report: VerdictReport, rows: readonly MetricVerdict[]): string {
  let out = `| | Benchmark | Unit | ${escapeCell(report.baseLabel)} | ${escapeCell(report.headLabel)} | Change [CI] | Tolerance | q | Verdict |\n|---|---|---|--:|--:|--:|--:|--:|---|\n`
  for (const v of rows) {
    const [b, h] = sideTexts(v)
    out += `| ${VERDICT_SYMBOLS[v.verdict]} | \`${escapeCell(shortName(v.name))}\` | ${escapeCell(v.unit)} | ${b} | ${h} | ${changeText(v)} | ±${v.tolerancePct}% | ${qText(v)} | ${v.verdict} |\n`
  }
  return out
}

/** renderVerdictMarkdown renders the verdicts of one comparison as Markdown. */
export function renderVerdictMarkdown(report: VerdictReport): string {
  const order = new Map(VERDICT_KINDS.map((k, i) => [k, i]))
  const sorted = [...report.verdicts].sort((a, b) => (order.get(a.verdict) as number) - (order.get(b.verdict) as number))
  const attention = sorted.filter((v) => v.verdict === 'regressed' || v.verdict === 'inconclusive' || v.verdict === 'improved' || v.verdict === 'missing')
  let out = `### Benchmarks: ${escapeCell(report.headLabel)} vs ${escapeCell(report.baseLabel)}\n\n`
  if (report.informational) out += '> [!WARNING]\n> The environments differ; these verdicts are informational and do not gate.\n\n'
  out += `${headline(report) || 'nothing compared'}\n\n<sub>${escapeCell(methodLine(report))}</sub>\n\n`
  if (attention.length > 0) out += `${table(report, attention)}\n`
  out += `<details><summary>All ${sorted.length} metrics</summary>\n\n${table(report, sorted)}\n</details>\n`
  const warnings = [...report.warnings, ...sorted.flatMap((v) => v.warnings.map((w) => `\`${shortName(v.name)}\` ${v.unit}: ${w}`))]
  if (warnings.length > 0) out += `\n${warnings.map((w) => `- ${w}`).join('\n')}\n`
  return out
}
