// Writing Go's benchmark format (golang.org/design/14313-benchmark-format), byte for byte as
// `go test -bench` prints it (src/testing/benchmark.go: String, MemString, prettyPrint,
// benchmarkName, processBench), so stock benchstat reads our output unchanged.
// Only types from the schema: loading TypeBox costs ~0.4 s under tsx, and printing needs none of it.
import type { UnitInfo } from './schema.ts'

/**
 * formatFixed formats `x` with `digits` decimals as Go's %.Nf: the exact binary value rounded to
 * nearest, ties to even (JavaScript's toFixed breaks ties upwards, so 2.5 would print 3, not 2).
 */
export function formatFixed(x: number, digits: number): string {
  const text = x.toFixed(digits)
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return text
  // toFixed is exact, so a long expansion shows whether x lies exactly halfway (…d5000…).
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 60))
  const point = exact.indexOf('.')
  if (!/^50*$/.test(exact.slice(point + 1 + digits))) return text
  const truncated = exact.slice(0, digits === 0 ? point : point + 1 + digits)
  const even = Number(truncated.slice(-1)) % 2 === 0 ? truncated : incrementDecimal(truncated)
  return (x < 0 || Object.is(x, -0) ? '-' : '') + even
}

// incrementDecimal adds one unit in the last place of a non-negative decimal string.
function incrementDecimal(text: string): string {
  const chars = text.split('')
  for (let i = chars.length - 1; i >= 0; i--) {
    const c = chars[i] as string
    if (c === '.') continue
    if (c !== '9') {
      chars[i] = String(Number(c) + 1)
      return chars.join('')
    }
    chars[i] = '0'
  }
  return `1${chars.join('')}`
}

function padLeft(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text
}

/**
 * prettyPrint renders `value unit` as Go's prettyPrint: ten places before the decimal point and
 * four significant figures for small numbers, widths chosen so the decimal points line up.
 */
export function prettyPrint(value: number, unit: string): string {
  const y = Math.abs(value)
  let width: number
  let digits: number
  if (y === 0 || y >= 999.95) [width, digits] = [10, 0]
  else if (y >= 99.995) [width, digits] = [12, 1]
  else if (y >= 9.9995) [width, digits] = [13, 2]
  else if (y >= 0.99995) [width, digits] = [14, 3]
  else if (y >= 0.099995) [width, digits] = [15, 4]
  else if (y >= 0.0099995) [width, digits] = [16, 5]
  else if (y >= 0.00099995) [width, digits] = [17, 6]
  else [width, digits] = [18, 7]
  return `${padLeft(formatFixed(value, digits), width)} ${unit}`
}

// Go pads with %-*s, whose width counts Unicode code points, while maxLen counts bytes.
function padName(name: string, width: number): string {
  const length = [...name].length
  return length >= width ? name : name + ' '.repeat(width - length)
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/**
 * NameWidth tracks the width of the name column as Go's benchContext.maxLen: the longest
 * top-level name with the widest -P suffix, widened (with 8 bytes of slack) when a longer
 * sub-benchmark is probed.
 */
export class NameWidth {
  private readonly extLen: number
  private maxLen = 0

  /** The constructor takes the matching top-level names and the largest -cpu value. */
  constructor(topLevelNames: readonly string[], maxProcs: number) {
    this.extLen = maxProcs === 1 ? 0 : `-${maxProcs}`.length
    for (const name of topLevelNames) {
      const full = maxProcs === 1 ? name : `${name}-${maxProcs}`
      this.maxLen = Math.max(this.maxLen, byteLength(full) + this.extLen + 1)
    }
  }

  /** observeProbe widens the column for a (sub-)benchmark that is about to run, as Go's run1. */
  observeProbe(name: string): void {
    const needed = byteLength(name) + this.extLen + 1
    if (needed > this.maxLen) this.maxLen = needed + 8
  }

  /** width is the current column width in bytes. */
  get width(): number {
    return this.maxLen
  }
}

// The units Go prints itself, and where: ns/op and MB/s first, B/op and allocs/op last.
const BUILT_IN = new Set(['ns/op', 'MB/s', 'B/op', 'allocs/op'])

/**
 * printedValue is `value` at the precision its Go-format result line prints it: B/op and
 * allocs/op rounded to whole numbers (Go prints them with %d), MB/s at two decimals, ns/op and
 * every other metric as prettyPrint does (at least four significant figures).
 *
 * It is the one rule for the precision of a result: the runner stores each sample's metrics
 * through it, so the JSON document holds exactly what the .txt line says, and `compare` of the
 * .txt and of the .json of the same run gives the same table. The precision dropped is below
 * what a sample can resolve: allocs/op is a sampling profiler's count over about 10³ ops with a
 * calibrated offset (0.003–0.005 for a body that allocates nothing), B/op an average with stray
 * allocations of the runtime in it; Go's own counts are integers.
 */
export function printedValue(unit: string, value: number): number {
  if (unit === 'B/op' || unit === 'allocs/op') return integerPerOp(value)
  if (unit === 'MB/s') return Number(formatFixed(value, 2))
  return Number(prettyPrint(value, unit).trimStart().split(' ')[0])
}

/**
 * printedMetrics applies printedValue to every metric of a sample, in the order the result line
 * prints them (readers such as compare order their tables by first appearance).
 */
export function printedMetrics(metrics: Readonly<Record<string, number>>): Record<string, number> {
  const printed: Record<string, number> = {}
  for (const unit of lineOrder(metrics)) printed[unit] = printedValue(unit, metrics[unit] as number)
  return printed
}

// lineOrder lists the units of a result line in Go's order: ns/op, MB/s, the others by name, B/op, allocs/op.
function lineOrder(metrics: Readonly<Record<string, number>>): string[] {
  const units = Object.keys(metrics)
  const first = ['ns/op', 'MB/s'].filter((unit) => unit in metrics)
  const last = ['B/op', 'allocs/op'].filter((unit) => unit in metrics)
  return [...first, ...units.filter((unit) => !BUILT_IN.has(unit)).sort(compareBytes), ...last]
}

/**
 * formatResultLine renders one result line: `%-*s\t` name, `%8d` iterations, ns/op,
 * `\t%7.2f MB/s`, other metrics sorted by unit, then `\t%8d B/op\t%8d allocs/op`.
 */
export function formatResultLine(name: string, nameWidth: number, iterations: number, metrics: Readonly<Record<string, number>>): string {
  let line = `${padName(name, nameWidth)}\t${padLeft(String(iterations), 8)}`
  const ns = metrics['ns/op']
  if (ns !== undefined && ns !== 0) line += `\t${prettyPrint(ns, 'ns/op')}`
  const mbs = metrics['MB/s']
  if (mbs !== undefined && mbs !== 0) line += `\t${padLeft(formatFixed(mbs, 2), 7)} MB/s`
  const others = Object.keys(metrics)
    .filter((unit) => !BUILT_IN.has(unit))
    .sort(compareBytes)
  for (const unit of others) line += `\t${prettyPrint(metrics[unit] as number, unit)}`
  const bytes = metrics['B/op']
  const allocs = metrics['allocs/op']
  if (bytes !== undefined || allocs !== undefined) {
    line += `\t${padLeft(String(integerPerOp(bytes ?? 0)), 8)} B/op\t${padLeft(String(integerPerOp(allocs ?? 0)), 8)} allocs/op`
  }
  return line
}

// Go prints B/op and allocs/op as integers. Its counts are exact and it truncates; ours carry a
// calibrated offset of a fraction of an allocation, so rounding to nearest is the honest integer
// (printedValue stores the same integer in the JSON).
function integerPerOp(value: number): number {
  return Math.round(value)
}

// Go's sort.Strings orders by bytes; for the ASCII units in use this is code-unit order.
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** ConfigLine is one `key: value` configuration line. */
export type ConfigLine = readonly [key: string, value: string]

/** formatConfigLines renders `key: value` lines. */
export function formatConfigLines(lines: readonly ConfigLine[]): string {
  return lines.map(([key, value]) => `${key}: ${value}\n`).join('')
}

// The directions benchstat assumes without a Unit line (design/14313-benchmark-format.md).
const DEFAULT_BETTER: Readonly<Record<string, UnitInfo['better']>> = { 'MB/s': 'higher', 'B/s': 'higher' }

/** unitInfoFor returns a unit's metadata: `…/s` rates are higher-is-better, anything else lower. */
export function unitInfoFor(unit: string): UnitInfo {
  return { better: unit.endsWith('/s') ? 'higher' : 'lower', assume: 'nothing' }
}

/** needsUnitLine reports whether benchstat would assume another direction than unitInfoFor's without a Unit line. */
export function needsUnitLine(unit: string): boolean {
  return unitInfoFor(unit).better !== (DEFAULT_BETTER[unit] ?? 'lower')
}

/** formatUnitLine renders the `Unit` metadata line of a unit that needs one, or ''. */
export function formatUnitLine(unit: string): string {
  return needsUnitLine(unit) ? `Unit ${unit} better=${unitInfoFor(unit).better}\n` : ''
}

function indent(lines: readonly string[], prefix: string): string {
  return lines.map((line) => `${prefix}${line}\n`).join('')
}

/** formatFailBlock renders `--- FAIL: name` with the message (and stack) indented as Go's test output. */
export function formatFailBlock(name: string, message: string, stack?: string, log: readonly string[] = []): string {
  const stackLines =
    stack === undefined
      ? []
      : stack
          .split('\n')
          .filter((line) => /^\s+at /.test(line))
          .map((line) => line.trim())
  return `--- FAIL: ${name}\n${indent(log, '    ')}${indent(message.split('\n'), '    ')}${indent(stackLines, '        ')}`
}

/** formatSkipBlock renders `--- SKIP: name` with the reason. */
export function formatSkipBlock(name: string, reason: string, log: readonly string[] = []): string {
  return `--- SKIP: ${name}\n${indent(log, '    ')}${reason === '' ? '' : indent(reason.split('\n'), '    ')}`
}

/** formatBenchBlock renders `--- BENCH: name` with what the benchmark logged (Go always prints benchmark logs). */
export function formatBenchBlock(name: string, log: readonly string[]): string {
  return log.length === 0 ? '' : `--- BENCH: ${name}\n${indent(log, '    ')}`
}

/** formatPackageSummary renders Go's last line for a package: `ok  \tpkg\t1.234s` or `FAIL\tpkg\t1.234s`. */
export function formatPackageSummary(pkg: string, passed: boolean, seconds: number): string {
  return passed ? `ok  \t${pkg}\t${seconds.toFixed(3)}s\n` : `FAIL\t${pkg}\t${seconds.toFixed(3)}s\n`
}
