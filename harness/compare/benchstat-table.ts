// benchstat's tables: one per (configuration, unit), a row per benchmark, a column per input
// (or per value of a configuration key with -col), each cell summarised, each non-baseline cell
// compared with the first column of its row, and a geomean row (golang/perf
// cmd/benchstat/internal/benchtab).
import type { Assume, Better } from '../results/schema.ts'
import { type Comparison, compareSamples, type Summary, summarize } from '../stats/summary.ts'
import type { SampleSet } from './sample-set.ts'

/** TableOptions are benchstat's -confidence, -alpha, -col and -ignore. */
export interface TableOptions {
  readonly confidence: number
  readonly alpha: number
  /**
   * `.file` (the default: one column per input), a configuration key whose values become columns,
   * or `/key`: a name part `key=value` (`/gomaxprocs`: the `-P` suffix), dropped from the row name.
   */
  readonly col: string
  /** Configuration keys that must not split tables (volatile ones such as `commit`). */
  readonly ignore: readonly string[]
}

/** TableCell is one (row, column) sample with its summary and its comparison to the baseline. */
export interface TableCell {
  /** Values in ascending order. */
  readonly values: readonly number[]
  readonly summary: Summary
  /** The first column's cell of the same row, when this is a later column and it exists. */
  readonly baseline?: TableCell
  readonly comparison?: Comparison
}

/** ColumnSummary is a column's geomean of centres and geomean of ratios to the baseline. */
export interface ColumnSummary {
  readonly summary?: number
  readonly ratio?: number
  readonly warnings: readonly string[]
}

/** BenchTable is one table of the output. */
export interface BenchTable {
  /** The configuration shared by this table's results (printed as `key: value` above it). */
  readonly config: ReadonlyArray<readonly [string, string]>
  readonly unit: string
  readonly better: Better
  readonly assume: Assume
  readonly cols: readonly string[]
  /** Row labels: the benchmark name without the `Benchmark` prefix. */
  readonly rows: readonly string[]
  /** Full names by row label, for verdicts and JSON. */
  readonly rowNames: ReadonlyMap<string, string>
  readonly cells: ReadonlyMap<string, TableCell>
  readonly summaries: ReadonlyMap<string, ColumnSummary>
}

/** cellKey addresses a cell of a BenchTable. */
export function cellKey(row: string, col: string): string {
  return `${row}\u0000${col}`
}

/** rowLabel is benchstat's .fullname: the name without `Benchmark`. */
export function rowLabel(name: string): string {
  return name.startsWith('Benchmark') ? name.slice('Benchmark'.length) : name
}

/** NamePart is a benchmark name split at one of its keys: the key's value and the name without it. */
export interface NamePart {
  readonly value: string
  readonly rest: string
}

const GOMAXPROCS_SUFFIX = /-(\d+)$/

/**
 * splitNameKey finds `key` among a benchmark name's parts as benchfmt splits them (`/key=value`
 * sub-benchmark parts, and `gomaxprocs` for the trailing `-P`); a missing key has value ''.
 */
export function splitNameKey(name: string, key: string): NamePart {
  const procs = GOMAXPROCS_SUFFIX.exec(name)
  const bare = procs === null ? name : name.slice(0, procs.index)
  const suffix = procs === null ? '' : procs[0]
  if (key === 'gomaxprocs') return { value: procs?.[1] ?? '', rest: bare }
  const parts = bare.split('/')
  const at = parts.findIndex((part, i) => i > 0 && part.startsWith(`${key}=`))
  if (at < 0) return { value: '', rest: name }
  const value = (parts[at] as string).slice(key.length + 1)
  parts.splice(at, 1)
  return { value, rest: parts.join('/') + suffix }
}

/** geoMean is go-moremath's GeoMean: a running mean of logs; NaN when any value is ≤ 0. */
export function geoMean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN
  let m = 0
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number
    if (x <= 0) return NaN
    m += (Math.log(x) - m) / (i + 1)
  }
  return Math.exp(m)
}

interface Building {
  config: Array<[string, string]>
  unit: string
  unitIndex: number
  better: Better
  assume: Assume
  rows: Set<string>
  cols: Set<string>
  values: Map<string, number[]>
}

/**
 * compareConfigs orders two tables' configurations as benchproc does for `.config`: key by key
 * in first-seen key order, by value as plain strings (benchproc tracks first-seen order only for
 * top-level fields, not for the keys inside `.config`, so its tables come out alphabetically).
 */
function compareConfigs(keys: readonly string[], a: ReadonlyArray<readonly [string, string]>, b: ReadonlyArray<readonly [string, string]>): number {
  const av = new Map(a)
  const bv = new Map(b)
  for (const key of keys) {
    const x = av.get(key) ?? ''
    const y = bv.get(key) ?? ''
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

/** buildTables groups the inputs into benchstat tables. */
export function buildTables(sets: readonly SampleSet[], options: TableOptions): BenchTable[] {
  const rowOrder = new Map<string, number>()
  const colOrder = new Map<string, number>()
  const configKeyOrder = new Map<string, number>()
  const unitOrder = new Map<string, number>()
  const rowNames = new Map<string, string>()
  const tables = new Map<string, Building>()
  const order = <K>(map: Map<K, number>, key: K): number => {
    let i = map.get(key)
    if (i === undefined) {
      i = map.size
      map.set(key, i)
    }
    return i
  }
  for (const set of sets) {
    for (const series of set.series) {
      const byName = options.col.startsWith('/') ? splitNameKey(series.name, options.col.slice(1)) : undefined
      const col = options.col === '.file' ? set.label : byName !== undefined ? byName.value : (series.config[options.col] ?? '')
      const config = Object.entries(series.config).filter(([k]) => k !== options.col && !options.ignore.includes(k))
      const configId = JSON.stringify(config)
      for (const [k] of config) order(configKeyOrder, k)
      const row = rowLabel(byName?.rest ?? series.name)
      rowNames.set(row, byName?.rest ?? series.name)
      order(rowOrder, row)
      order(colOrder, col)
      const tableId = `${configId}\u0000${series.unit}`
      let table = tables.get(tableId)
      if (table === undefined) {
        table = {
          config,
          unit: series.unit,
          unitIndex: order(unitOrder, series.unit),
          better: series.better,
          assume: series.assume,
          rows: new Set(),
          cols: new Set(),
          values: new Map(),
        }
        tables.set(tableId, table)
      }
      table.rows.add(row)
      table.cols.add(col)
      const key = cellKey(row, col)
      const list = table.values.get(key) ?? []
      for (const v of series.values) list.push(v)
      table.values.set(key, list)
    }
  }
  const keys = [...configKeyOrder.keys()]
  const sorted = [...tables.values()].sort((a, b) => compareConfigs(keys, a.config, b.config) || a.unitIndex - b.unitIndex)
  return sorted.map((t) => finishTable(t, rowOrder, colOrder, rowNames, options))
}

function finishTable(
  t: Building,
  rowOrder: Map<string, number>,
  colOrder: Map<string, number>,
  rowNames: Map<string, string>,
  options: TableOptions,
): BenchTable {
  const rows = [...t.rows].sort((a, b) => (rowOrder.get(a) as number) - (rowOrder.get(b) as number))
  const cols = [...t.cols].sort((a, b) => (colOrder.get(a) as number) - (colOrder.get(b) as number))
  const baseCol = cols[0] as string
  const cells = new Map<string, TableCell>()
  for (const row of rows) {
    const baseValues = t.values.get(cellKey(row, baseCol))
    const baseline: TableCell | undefined = baseValues === undefined ? undefined : makeCell(baseValues, t.assume, options.confidence, undefined, options.alpha)
    for (const col of cols) {
      const values = t.values.get(cellKey(row, col))
      if (values === undefined) continue
      const cell = col === baseCol ? (baseline as TableCell) : makeCell(values, t.assume, options.confidence, baseline, options.alpha)
      cells.set(cellKey(row, col), cell)
    }
  }
  let nBase = 0
  for (const row of rows) if (cells.has(cellKey(row, baseCol))) nBase++
  const summaries = new Map<string, ColumnSummary>()
  for (const [i, col] of cols.entries()) summaries.set(col, summarizeColumn(rows, col, cells, nBase, i === 0))
  const names = new Map<string, string>()
  for (const row of rows) names.set(row, rowNames.get(row) as string)
  return { config: t.config, unit: t.unit, better: t.better, assume: t.assume, cols, rows, rowNames: names, cells, summaries }
}

function makeCell(values: readonly number[], assume: Assume, confidence: number, baseline: TableCell | undefined, alpha: number): TableCell {
  const sortedValues = [...values].sort((a, b) => a - b)
  const summary = summarize(sortedValues, assume, confidence)
  if (baseline === undefined) return { values: sortedValues, summary }
  return { values: sortedValues, summary, baseline, comparison: compareSamples(baseline.values, sortedValues, assume, alpha) }
}

// summarizeColumn computes the geomean of the summary ratios rather than the ratio of the
// summary geomeans: the same when the benchmark sets match, and still a column's geomean when
// they differ (benchstat's reasoning, kept).
function summarizeColumn(rows: readonly string[], col: string, cells: ReadonlyMap<string, TableCell>, nBase: number, isBase: boolean): ColumnSummary {
  const summaries: number[] = []
  const ratios: number[] = []
  let badRatio = false
  const warnings: string[] = []
  for (const row of rows) {
    const cell = cells.get(cellKey(row, col))
    if (cell === undefined) continue
    summaries.push(cell.summary.center)
    if (cell.baseline !== undefined) {
      const a = cell.summary.center
      const b = cell.baseline.summary.center
      if (a === b) ratios.push(1)
      else if (b === 0) {
        badRatio = true
        ratios.push(0)
      } else ratios.push(a / b)
    }
  }
  if (!isBase && nBase !== ratios.length) warnings.push('benchmark set differs from baseline; geomeans may not be comparable')
  let summary: number | undefined
  const gm = geoMean(summaries)
  if (Number.isNaN(gm)) warnings.push('summaries must be >0 to compute geomean')
  else summary = gm
  let ratio: number | undefined
  if (!isBase && !badRatio) {
    const gr = geoMean(ratios)
    if (Number.isNaN(gr)) warnings.push('ratios must be >0 to compute geomean')
    else ratio = gr
  }
  return { ...(summary !== undefined ? { summary } : {}), ...(ratio !== undefined ? { ratio } : {}), warnings }
}
