// benchstat's text output, byte for byte (golang/perf benchtab Table.ToText and
// Tables.ToText): config lines when they change, a header per table, rows, a geomean row
// when there is more than one row, then the footnotes.
import type { BenchTable } from '../compare/benchstat-table.ts'
import { cellKey } from '../compare/benchstat-table.ts'
import { comparisonNote, formatDelta, pctRange, superscript } from './benchstat-cells.ts'
import { classOf, commonScale, formatScaled, formatSignedPercent, scaleOne } from './scale.ts'
import { TextLayout } from './text-layout.ts'

const LABEL_COLS = 1
const CENTER_COLS = 3 // centre, ± range, footnotes
const DELTA_COLS = 3 // delta, (p=… n=…), footnotes

function startCol(exp: number): number {
  return exp === 0 ? LABEL_COLS : LABEL_COLS + CENTER_COLS + (exp - 1) * (CENTER_COLS + DELTA_COLS)
}

/** renderTableText renders one table and its footnotes. */
export function renderTableText(t: BenchTable): string {
  const o = new TextLayout()
  const warningList: string[] = []
  const warningIndex = new Map<string, number>()
  const warn = (...lists: ReadonlyArray<readonly string[]>): void => {
    const notes: string[] = []
    for (const list of lists) {
      for (const msg of list) {
        let i = warningIndex.get(msg)
        if (i === undefined) {
          i = warningList.length
          warningIndex.set(msg, i)
          warningList.push(msg)
        }
        notes.push(superscript(i + 1))
      }
    }
    o.cell(notes.join(' '))
  }
  const rEdge = startCol(t.cols.length + 1)
  o.row()
  for (const [i, col] of t.cols.entries()) {
    const l = startCol(i)
    const r = startCol(i + 1)
    o.col(l).span(r - l, col, { align: 'center', leftMargin: ' │ ' })
  }
  o.col(rEdge).cell('', { leftMargin: ' │' })
  o.row()
  for (const i of t.cols.keys()) {
    const l = startCol(i)
    o.col(l)
    o.span(CENTER_COLS, t.unit, { align: 'center', leftMargin: ' │ ' })
    if (i > 0) o.span(DELTA_COLS, 'vs base', { align: 'left', leftMargin: '  ' })
    for (let j = l + 1; j < o.currentCol(); j++) o.setShrink(j, true)
  }
  o.col(rEdge).cell('', { leftMargin: ' │' })
  const cls = classOf(t.unit)
  for (const row of t.rows) {
    o.row()
    o.cell(row)
    const centers: number[] = []
    for (const col of t.cols) {
      const cell = t.cells.get(cellKey(row, col))
      if (cell !== undefined) centers.push(cell.summary.center)
    }
    const scaler = commonScale(centers, cls)
    for (const [exp, col] of t.cols.entries()) {
      const cell = t.cells.get(cellKey(row, col))
      if (cell === undefined) continue
      o.col(startCol(exp))
      o.cell(formatScaled(cell.summary.center, scaler), { align: 'right' })
      o.cell(pctRange(cell.summary), { align: 'right', leftMargin: ' ± ' })
      warn(cell.summary.warnings)
      if (exp > 0 && cell.baseline !== undefined && cell.comparison !== undefined) {
        o.cell(formatDelta(cell.comparison, cell.baseline.summary.center, cell.summary.center), { align: 'right' })
        o.cell(`(${comparisonNote(cell.comparison)})`)
        warn(cell.comparison.warnings)
      }
    }
  }
  if (t.rows.length > 1) {
    o.row()
    o.cell('geomean')
    for (const [exp, col] of t.cols.entries()) {
      const s = t.summaries.get(col)
      if (s === undefined) continue
      if (s.summary !== undefined) {
        o.col(startCol(exp))
        o.cell(scaleOne(s.summary, cls), { align: 'right' })
      }
      if (exp > 0) {
        o.col(startCol(exp) + CENTER_COLS)
        if (s.ratio !== undefined) o.cell(formatSignedPercent(s.ratio - 1), { align: 'right' })
        else o.cell('?')
      }
      o.col(startCol(exp + 1) - 1)
      warn(s.warnings)
    }
  }
  let out = o.format()
  for (const [i, msg] of warningList.entries()) out += `${superscript(i + 1)} ${msg}\n`
  return out
}

/** renderBenchstatText renders every table, with config lines when they change and a blank line between tables. */
export function renderBenchstatText(tables: readonly BenchTable[]): string {
  let out = ''
  let prev: Map<string, string> | undefined
  for (const [i, t] of tables.entries()) {
    if (i > 0) out += '\n'
    const current = new Map(t.config)
    const keys = new Set([...(prev?.keys() ?? []), ...current.keys()])
    for (const key of keys) {
      const value = current.get(key) ?? ''
      if (prev === undefined ? value !== '' : prev.get(key) !== value && (value !== '' || prev.has(key))) out += `${key}: ${value}\n`
    }
    prev = current
    out += renderTableText(t)
  }
  return out
}
