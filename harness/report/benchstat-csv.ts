// benchstat's CSV output (golang/perf benchtab Table.ToCSV): centres in base units at full
// precision, warnings returned separately (benchstat writes them to stderr) prefixed with the
// spreadsheet cell they belong to.
import type { BenchTable } from '../compare/benchstat-table.ts'
import { cellKey } from '../compare/benchstat-table.ts'
import { formatGoFloat } from '../stats/go-float.ts'
import { comparisonNote, formatDelta, pctRange } from './benchstat-cells.ts'
import { formatSignedPercent } from './scale.ts'

/** CsvOutput is the CSV text and the warnings to print on stderr. */
export interface CsvOutput {
  readonly csv: string
  readonly warnings: readonly string[]
}

const LABEL_COLS = 1
const CENTER_COLS = 2
const DELTA_COLS = 2

function startCol(exp: number): number {
  return exp === 0 ? LABEL_COLS : LABEL_COLS + CENTER_COLS + (exp - 1) * (CENTER_COLS + DELTA_COLS)
}

// csvField quotes as Go's encoding/csv does: fields with a comma, quote, CR/LF or a leading space.
function csvField(field: string): string {
  if (field === '') return field
  if (/[",\r\n]/.test(field) || field.startsWith(' ') || field.startsWith('\t') || field === '\\.') return `"${field.replaceAll('"', '""')}"`
  return field
}

// spreadsheetColumn reproduces benchstat's cell label for 0-based column x.
function spreadsheetColumn(x: number): string {
  let name = ''
  for (let v = x; v > 0; v = Math.floor(v / 26)) name = String.fromCharCode(65 + (v % 26)) + name
  return name === '' ? 'A' : name
}

/** renderBenchstatCsv renders every table as CSV. */
export function renderBenchstatCsv(tables: readonly BenchTable[]): CsvOutput {
  const lines: string[] = []
  const warnings: string[] = []
  let rowNumber = 1
  const emitRecord = (record: readonly string[]): void => {
    lines.push(record.map(csvField).join(','))
    rowNumber++
  }
  let prev: Map<string, string> | undefined
  for (const [i, t] of tables.entries()) {
    if (i > 0) emitRecord([''])
    const current = new Map(t.config)
    const keys = new Set([...(prev?.keys() ?? []), ...current.keys()])
    for (const key of keys) {
      const value = current.get(key) ?? ''
      if (prev === undefined ? value !== '' : prev.get(key) !== value && (value !== '' || prev.has(key))) emitRecord([`${key}: ${value}`])
    }
    prev = current
    let row: string[] = []
    const clearTo = (col: number): void => {
      while (row.length < col) row.push('')
    }
    const emit = (): void => {
      emitRecord(row)
      row = []
    }
    const warn = (msgs: readonly string[]): void => {
      for (const msg of msgs) warnings.push(`${spreadsheetColumn(row.length)}${rowNumber}: ${msg}`)
    }
    for (const [exp, col] of t.cols.entries()) {
      clearTo(startCol(exp))
      row.push(col)
    }
    emit()
    for (const exp of t.cols.keys()) {
      clearTo(startCol(exp))
      row.push(t.unit, 'CI')
      if (exp > 0) row.push('vs base', 'P')
    }
    emit()
    for (const label of t.rows) {
      row.push(label)
      for (const [exp, col] of t.cols.entries()) {
        const cell = t.cells.get(cellKey(label, col))
        if (cell === undefined) continue
        clearTo(startCol(exp))
        warn(cell.summary.warnings)
        row.push(formatGoFloat(cell.summary.center), pctRange(cell.summary))
        if (exp > 0 && cell.baseline !== undefined && cell.comparison !== undefined) {
          warn(cell.comparison.warnings)
          row.push(formatDelta(cell.comparison, cell.baseline.summary.center, cell.summary.center), comparisonNote(cell.comparison))
        }
      }
      emit()
    }
    row.push('geomean')
    for (const [exp, col] of t.cols.entries()) {
      const s = t.summaries.get(col)
      if (s === undefined) continue
      clearTo(startCol(exp))
      warn(s.warnings)
      if (s.summary !== undefined) row.push(formatGoFloat(s.summary))
      if (exp > 0) {
        clearTo(startCol(exp) + CENTER_COLS)
        row.push(s.ratio !== undefined ? formatSignedPercent(s.ratio - 1) : '?')
      }
    }
    emit()
  }
  return { csv: lines.map((l) => `${l}\n`).join(''), warnings }
}
