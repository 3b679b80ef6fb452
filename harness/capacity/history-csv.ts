// A history from a CSV file: a header `timestamp,cpu,memory,series,requests,nodes,jobs` (any
// subset of the columns after timestamp, in any order), timestamps in Unix seconds or ISO 8601.
import { InputError } from '../../common/input-error.ts'
import type { TimePoint } from '../stats/holt.ts'
import { type History, SERIES_KINDS, type SeriesKind } from './forecast.ts'

/** parseHistoryCsv reads a history CSV; every problem names its line and column. */
export function parseHistoryCsv(text: string, source: string): History {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '')
  if (lines.length === 0) throw new InputError(`${source}: empty; expected a header line timestamp,${SERIES_KINDS.join(',')} and rows`)
  const header = (lines[0] as string).split(',').map((h) => h.trim())
  if (header[0] !== 'timestamp') throw new InputError(`${source}:1: first column is "${header[0]}", expected "timestamp"`)
  const columns: SeriesKind[] = []
  for (const name of header.slice(1)) {
    if (!(SERIES_KINDS as readonly string[]).includes(name)) throw new InputError(`${source}:1: unknown column "${name}"; expected ${SERIES_KINDS.join(', ')}`)
    columns.push(name as SeriesKind)
  }
  const series: Partial<Record<SeriesKind, TimePoint[]>> = {}
  const origin: Partial<Record<SeriesKind, string>> = {}
  for (const c of columns) {
    series[c] = []
    origin[c] = `${source} column ${c}`
  }
  for (let i = 1; i < lines.length; i++) {
    const cells = (lines[i] as string).split(',').map((c) => c.trim())
    const stamp = cells[0] as string
    const tS = /^\d+(\.\d+)?$/.test(stamp) ? Number(stamp) : Date.parse(stamp) / 1_000
    if (!Number.isFinite(tS)) throw new InputError(`${source}:${i + 1}: timestamp "${stamp}" is neither Unix seconds nor ISO 8601`)
    for (const [j, c] of columns.entries()) {
      const cell = cells[j + 1]
      if (cell === undefined || cell === '') continue
      const value = Number(cell)
      if (!Number.isFinite(value)) throw new InputError(`${source}:${i + 1}: column ${c}: "${cell}" is not a number`)
      ;(series[c] as TimePoint[]).push({ tS, value })
    }
  }
  for (const c of columns) (series[c] as TimePoint[]).sort((a, b) => a.tS - b.tS)
  return { series, origin }
}
