// The text of `slurmbench profile diff`: the functions whose share grew the most, as a table in
// the spirit of `go tool pprof -top` (flat and cum), with base, head and the change in points.
import type { FunctionShare, ProfileDiff } from '../profile/diff.ts'

/** formatTotal prints a profile total in its unit (ns as ms, bytes in IEC prefixes). */
export function formatTotal(value: number, unit: string): string {
  if (unit === 'nanoseconds') return `${(value / 1e6).toFixed(2)}ms`
  if (unit === 'bytes') {
    const prefixes = ['B', 'KiB', 'MiB', 'GiB']
    let scaled = value
    let at = 0
    while (scaled >= 1024 && at < prefixes.length - 1) {
      scaled /= 1024
      at++
    }
    return `${scaled.toFixed(at === 0 ? 0 : 2)}${prefixes[at]}`
  }
  return `${value} ${unit}`
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`
}

function points(delta: number): string {
  const value = (delta * 100).toFixed(1)
  return `${delta >= 0 ? '+' : ''}${value}pp`
}

/** functionLabel names a function with its file and first line, as pprof's -lines does. */
export function functionLabel(fn: Pick<FunctionShare, 'name' | 'file' | 'line'>): string {
  if (fn.file === '') return fn.name
  return fn.line > 0 ? `${fn.name} ${fn.file}:${fn.line}` : `${fn.name} ${fn.file}`
}

/** renderProfileDiffText renders the `count` functions whose flat share grew the most. */
export function renderProfileDiffText(diff: ProfileDiff, grown: readonly FunctionShare[]): string {
  const lines = [
    `Type: ${diff.sampleType} (${diff.unit}); base total ${formatTotal(diff.baseTotal, diff.unit)}, head total ${formatTotal(diff.headTotal, diff.unit)}`,
    "Shares of each side's total; pp = percentage points (head − base).",
  ]
  if (grown.length === 0) {
    lines.push("No function's flat share grew.")
    return `${lines.join('\n')}\n`
  }
  const header = ['flat base', 'flat head', 'flat Δ', 'cum base', 'cum head', 'cum Δ']
  const rows = grown.map((fn) => [
    percent(fn.baseFlat),
    percent(fn.headFlat),
    points(fn.headFlat - fn.baseFlat),
    percent(fn.baseCum),
    percent(fn.headCum),
    points(fn.headCum - fn.baseCum),
  ])
  const widths = header.map((title, i) => rows.reduce((width, row) => Math.max(width, (row[i] as string).length), title.length))
  const format = (cells: readonly string[], label: string): string => `${cells.map((cell, i) => cell.padStart(widths[i] as number)).join('  ')}  ${label}`
  lines.push(format(header, 'function'))
  grown.forEach((fn, i) => {
    lines.push(format(rows[i] as string[], functionLabel(fn)))
  })
  return `${lines.join('\n')}\n`
}
