// Reading the Go benchmark data format (golang/proposal design/14313-benchmark-format.md, as
// golang/perf benchfmt reads it): configuration lines `key: value`, result lines
// `BenchmarkName <iterations> <value> <unit>…`, and `Unit <unit> key=value…` metadata lines.
// Every other line (PASS, ok, logs, blank) means nothing and is skipped. Malformed result and
// unit lines are errors naming file:line, since a truncated file would otherwise compare short.
import { InputError } from '../../common/input-error.ts'
import type { Assume, Better } from './schema.ts'

/** GoBenchValue is one `<value> <unit>` pair of a result line, as written (not tidied). */
export interface GoBenchValue {
  readonly value: number
  readonly unit: string
}

/** GoBenchResult is one result line with the configuration in force where it appeared. */
export interface GoBenchResult {
  /** Full name as written, `Benchmark` prefix included. */
  readonly name: string
  readonly iterations: number
  readonly values: readonly GoBenchValue[]
  /** Configuration keys in force, in first-seen order. */
  readonly config: Readonly<Record<string, string>>
  /** 1-based line number, for errors downstream. */
  readonly line: number
}

/** GoUnitMetadata is what `Unit` lines declared for one unit. */
export interface GoUnitMetadata {
  readonly better?: Better
  readonly assume?: Assume
}

/** GoBenchFile is a parsed file: its results in order and its unit metadata. */
export interface GoBenchFile {
  readonly source: string
  readonly results: readonly GoBenchResult[]
  readonly units: Readonly<Record<string, GoUnitMetadata>>
}

const CONFIG_LINE = /^([a-z][^\s:A-Z]*):(?:[ \t]+(.*))?$/
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i
/** Units whose values can never be negative: durations, bytes, counts, rates. */
/** A time unit in the numerator: `ns/op`, `sec/op`, `p95-ms`, `gc-pause-ms/op`. */
const DURATION_UNIT = /(^|[-*])(ns|us|µs|ms|sec)($|[-*/])/
const NON_NEGATIVE_UNITS = new Set(['ns/op', 'sec/op', 'B/op', 'allocs/op', 'MB/s', 'B/s'])

/** isBenchmarkName is Go's rule: `Benchmark` followed by the end of the field or a non-lower-case character. */
export function isBenchmarkName(field: string): boolean {
  if (!field.startsWith('Benchmark')) return false
  const next = field.charAt('Benchmark'.length)
  return next === '' || !/\p{Ll}/u.test(next)
}

function fail(source: string, line: number, message: string): never {
  throw new InputError(`${source}:${line}: ${message}`)
}

function parseValue(source: string, line: number, text: string, unit: string): number {
  if (SPECIAL.test(text)) fail(source, line, `value "${text}" for ${unit} is not a finite number`)
  if (!DECIMAL.test(text)) fail(source, line, `expected a number before unit "${unit}", found "${text}"`)
  const value = Number(text)
  if (!Number.isFinite(value)) fail(source, line, `value "${text}" for ${unit} is not a finite number`)
  const isDuration = DURATION_UNIT.test(unit)
  if (value < 0 && (isDuration || NON_NEGATIVE_UNITS.has(unit))) {
    fail(source, line, `negative ${isDuration ? 'duration' : 'value'} ${text} ${unit}; expected a value ≥ 0`)
  }
  return value
}

/**
 * GoBenchReader reads the Go benchmark format one line at a time, so a file of any size is read
 * as a stream; each result line goes to `onResult` as it is read, and `units` collects the
 * `Unit` lines (which apply to the whole file, wherever they appear).
 */
export class GoBenchReader {
  readonly units: Record<string, { better?: Better; assume?: Assume }> = {}
  private readonly unitLines: Record<string, Record<string, number>> = {}
  private config: Record<string, string> = {}
  private lineNo = 0

  constructor(
    readonly source: string,
    private readonly onResult: (result: GoBenchResult) => void,
  ) {}

  /** push reads the next line (without its newline). */
  push(rawLine: string): void {
    const source = this.source
    const lineNo = ++this.lineNo
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine
    const configMatch = CONFIG_LINE.exec(line)
    if (configMatch !== null) {
      const key = configMatch[1] as string
      const value = (configMatch[2] ?? '').trimEnd()
      // A key/value applies to every following result until overwritten; copy on write so
      // earlier results keep the configuration they were read under.
      this.config = { ...this.config, [key]: value }
      return
    }
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '')
    if (fields.length === 0) return
    const first = fields[0] as string
    if (first === 'Unit') {
      if (fields.length < 3) fail(source, lineNo, `expected "Unit <unit> <key>=<value>…", found "${line.trim()}"`)
      const unit = fields[1] as string
      for (const pair of fields.slice(2)) {
        const eq = pair.indexOf('=')
        if (eq <= 0) fail(source, lineNo, `expected <key>=<value> in Unit line, found "${pair}"`)
        const key = pair.slice(0, eq)
        const value = pair.slice(eq + 1)
        const meta = (this.units[unit] ??= {})
        const seen = (this.unitLines[unit] ??= {})
        if (key === 'better') {
          if (value !== 'higher' && value !== 'lower') fail(source, lineNo, `Unit ${unit}: better=${value}; expected better=higher or better=lower`)
          if (meta.better !== undefined && meta.better !== value)
            fail(source, lineNo, `Unit ${unit}: better=${value} conflicts with better=${meta.better} on line ${seen[key]}`)
          meta.better = value
        } else if (key === 'assume') {
          if (value !== 'nothing' && value !== 'exact') fail(source, lineNo, `Unit ${unit}: assume=${value}; expected assume=nothing or assume=exact`)
          if (meta.assume !== undefined && meta.assume !== value)
            fail(source, lineNo, `Unit ${unit}: assume=${value} conflicts with assume=${meta.assume} on line ${seen[key]}`)
          meta.assume = value
        }
        // Other keys are reserved for tools we do not know; the format says to keep going.
        seen[key] ??= lineNo
      }
      return
    }
    if (!isBenchmarkName(first)) return
    // `go test -v` prints the bare name before running a benchmark; it carries no result.
    if (fields.length === 1) return
    if (fields.length < 4 || fields.length % 2 !== 0) {
      fail(
        source,
        lineNo,
        `malformed result line for ${first}: expected "<name> <iterations> <value> <unit> [<value> <unit>…]" (${fields.length} fields; is the file truncated?)`,
      )
    }
    const iterText = fields[1] as string
    if (!/^\d+$/.test(iterText)) fail(source, lineNo, `expected an iteration count after ${first}, found "${iterText}"`)
    const values: GoBenchValue[] = []
    const seenUnits = new Set<string>()
    for (let f = 2; f < fields.length; f += 2) {
      const unit = fields[f + 1] as string
      if (seenUnits.has(unit)) fail(source, lineNo, `unit ${unit} appears twice in the result for ${first}`)
      seenUnits.add(unit)
      values.push({ value: parseValue(source, lineNo, fields[f] as string, unit), unit })
    }
    this.onResult({ name: first, iterations: Number(iterText), values, config: this.config, line: lineNo })
  }
}

/** parseGoBench parses `text` in the Go benchmark format; `source` names it in errors. */
export function parseGoBench(text: string, source: string): GoBenchFile {
  const results: GoBenchResult[] = []
  const reader = new GoBenchReader(source, (r) => results.push(r))
  for (const line of text.split('\n')) reader.push(line)
  return { source, results, units: reader.units }
}
