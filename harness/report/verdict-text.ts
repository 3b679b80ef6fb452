// The verdict table for terminals: one line per metric, worst verdicts first.
import { VERDICT_KINDS, type VerdictReport } from '../compare/verdict.ts'
import { toFixedGo } from './scale.ts'
import { TextLayout } from './text-layout.ts'
import { VERDICT_SYMBOLS, changeText, qText, shortName, sideTexts } from './verdict-cells.ts'

/** headline prints the counts: "❌ 1 regressed · ✅ 12 unchanged". */
export function headline(report: VerdictReport): string {
  return VERDICT_KINDS.filter((k) => report.counts[k] > 0)
    .map((k) => `${VERDICT_SYMBOLS[k]} ${report.counts[k]} ${k}`)
    .join(' · ')
}

/** methodLine says how the verdicts were reached. */
export function methodLine(report: VerdictReport): string {
  const s = report.settings
  const ci = `${toFixedGo(s.confidence * 100, 0)}% CI`
  const change = report.verdicts.some((v) => v.paired === true)
    ? `change = ratio of the pairs (sample k of both sides from one worker) with a distribution-free ${ci} (Hodges–Lehmann and Tukey on log ratios); two-sided Wilcoxon signed-rank`
    : `change = ratio of medians with a distribution-free ${ci} (Hodges–Lehmann on logs); two-sided Mann–Whitney U`
  return `method: median ± ${ci} per side; ${change}, Benjamini–Hochberg q ≤ ${s.alpha}; regressed when significant and the ${s.beyond === 'estimate' ? 'point estimate' : 'interval bound'} is worse than the tolerance; ≥ ${s.minSamples} samples a side; policy ${s.policy}`
}

/** renderVerdictText renders the verdicts of one comparison. */
export function renderVerdictText(report: VerdictReport): string {
  let out = ''
  if (report.informational)
    out += '⚠ INFORMATIONAL ONLY: the environments differ (see warnings); verdicts do not gate. Pass --allow-cross-env to gate anyway.\n'
  out += `verdicts: ${report.headLabel} vs ${report.baseLabel}: ${headline(report) || 'nothing compared'}\n`
  out += `${methodLine(report)}\n`
  const o = new TextLayout()
  o.row().cell('benchmark').cell('unit').cell(report.baseLabel).cell(report.headLabel).cell('change [CI]').cell('tol').cell('q').cell('verdict')
  const order = new Map(VERDICT_KINDS.map((k, i) => [k, i]))
  const sorted = [...report.verdicts].sort((a, b) => (order.get(a.verdict) as number) - (order.get(b.verdict) as number))
  const notes: string[] = []
  for (const v of sorted) {
    const [baseText, headText] = sideTexts(v)
    // The symbol goes last: emoji are two columns wide on terminals but one character here.
    o.row()
      .cell(shortName(v.name))
      .cell(v.unit)
      .cell(baseText)
      .cell(headText)
      .cell(changeText(v))
      .cell(`±${v.tolerancePct}%`)
      .cell(qText(v))
      .cell(`${v.verdict} ${VERDICT_SYMBOLS[v.verdict]}`)
    for (const w of v.warnings) notes.push(`${shortName(v.name)} ${v.unit}: ${w}`)
  }
  out += o.format()
  for (const w of [...report.warnings, ...notes]) out += `  note: ${w}\n`
  return out
}
