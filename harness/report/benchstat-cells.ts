// The strings inside benchstat's cells: the ± range, the delta and the (p=… n=…) note
// (golang/perf benchmath Summary.PctRangeString, Comparison.FormatDelta, Comparison.String).
import type { Comparison, Summary } from '../stats/summary.ts'
import { formatSignedPercent, toFixedGo } from './scale.ts'

/** pctRange prints the CI half-width relative to the centre: "1%", "∞", "?" or "0%". */
export function pctRange(s: Summary): string {
  if (!Number.isFinite(s.lo) || !Number.isFinite(s.hi)) return '∞'
  const sign = Math.sign(s.center)
  if (sign !== Math.sign(s.lo) || sign !== Math.sign(s.hi)) return '?'
  if (s.center === 0) return '0%'
  const v = Math.max(s.hi / s.center - 1, 1 - s.lo / s.center)
  return `${toFixedGo(100 * v, 0)}%`
}

/** formatDelta prints "~" when not significant, else the change of the centres. */
export function formatDelta(c: Comparison, oldCenter: number, newCenter: number): string {
  if (c.p > c.alpha) return '~'
  if (oldCenter === newCenter) return '0.00%'
  if (oldCenter === 0) return '?'
  return formatSignedPercent(newCenter / oldCenter - 1)
}

/** comparisonNote prints "p=0.446 n=10", "n=1" for exact metrics, "n=5+6" for unequal sizes. */
export function comparisonNote(c: Comparison): string {
  const p = c.p !== 0 ? `p=${toFixedGo(c.p, 3)} ` : ''
  return c.n1 === c.n2 ? `${p}n=${c.n1}` : `${p}n=${c.n1}+${c.n2}`
}

const SUPER_DIGITS = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹']

/** superscript prints a footnote number: 12 → "¹²". */
export function superscript(i: number): string {
  return String(i)
    .split('')
    .map((d) => SUPER_DIGITS[Number(d)])
    .join('')
}
