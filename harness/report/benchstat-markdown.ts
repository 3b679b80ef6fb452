// benchstat's tables as Markdown (benchstat has none; people awk its text into PR comments).
import type { BenchTable } from '../compare/benchstat-table.ts'
import { cellKey } from '../compare/benchstat-table.ts'
import { comparisonNote, formatDelta, pctRange, superscript } from './benchstat-cells.ts'
import { classOf, commonScale, formatScaled, formatSignedPercent, scaleOne } from './scale.ts'

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|')
}

/** renderBenchstatMarkdown renders each table as a Markdown table with footnotes. */
export function renderBenchstatMarkdown(tables: readonly BenchTable[]): string {
  const parts: string[] = []
  for (const t of tables) {
    const notes: string[] = []
    const note = (list: readonly string[]): string => {
      const marks = list.map((msg) => {
        let i = notes.indexOf(msg)
        if (i === -1) i = notes.push(msg) - 1
        return superscript(i + 1)
      })
      return marks.length > 0 ? ` ${marks.join(' ')}` : ''
    }
    const config = t.config.map(([k, v]) => `${k}: ${v}`).join(' · ')
    let out = config === '' ? `**${escapeCell(t.unit)}**\n\n` : `**${escapeCell(t.unit)}** (${escapeCell(config)})\n\n`
    const header = ['', ...t.cols.flatMap((c, i) => (i === 0 ? [escapeCell(c)] : [escapeCell(c), 'vs base']))]
    out += `| ${header.join(' | ')} |\n|${header.map((_, i) => (i === 0 ? '---' : '--:')).join('|')}|\n`
    const cls = classOf(t.unit)
    for (const row of t.rows) {
      const centers = t.cols.flatMap((c) => {
        const cell = t.cells.get(cellKey(row, c))
        return cell === undefined ? [] : [cell.summary.center]
      })
      const scaler = commonScale(centers, cls)
      const cells = [`\`${escapeCell(row)}\``]
      for (const [i, col] of t.cols.entries()) {
        const cell = t.cells.get(cellKey(row, col))
        cells.push(cell === undefined ? '' : `${formatScaled(cell.summary.center, scaler)} ± ${pctRange(cell.summary)}${note(cell.summary.warnings)}`)
        if (i > 0) {
          cells.push(
            cell?.comparison !== undefined && cell.baseline !== undefined
              ? `${formatDelta(cell.comparison, cell.baseline.summary.center, cell.summary.center)} (${comparisonNote(cell.comparison)})${note(cell.comparison.warnings)}`
              : '',
          )
        }
      }
      out += `| ${cells.join(' | ')} |\n`
    }
    if (t.rows.length > 1) {
      const cells = ['geomean']
      for (const [i, col] of t.cols.entries()) {
        const s = t.summaries.get(col)
        cells.push(s?.summary !== undefined ? scaleOne(s.summary, cls) : '')
        if (i > 0) cells.push(`${s?.ratio !== undefined ? formatSignedPercent(s.ratio - 1) : '?'}${note(s?.warnings ?? [])}`)
      }
      out += `| ${cells.join(' | ')} |\n`
    }
    if (notes.length > 0) out += `\n${notes.map((n, i) => `${superscript(i + 1)} ${n}`).join('  \n')}\n`
    parts.push(out)
  }
  return parts.join('\n')
}
