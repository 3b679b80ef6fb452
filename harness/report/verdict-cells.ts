// Cell text shared by the verdict renderers (terminal and Markdown).
import type { MetricVerdict, SideSummary, VerdictKind } from '../compare/verdict.ts'
import { classOf, commonScale, formatScaled, toFixedGo } from './scale.ts'

/** VERDICT_SYMBOLS mark each verdict in tables. */
export const VERDICT_SYMBOLS: Readonly<Record<VerdictKind, string>> = {
  regressed: '❌',
  inconclusive: '❔',
  improved: '⚡',
  unchanged: '✅',
  new: '🆕',
  missing: '➖',
  ignored: '·',
}

/** percent prints a fraction as a signed percentage with one decimal: 0.0512 → "+5.1%". */
export function percent(fraction: number): string {
  if (fraction === Infinity) return '+∞'
  if (fraction === -Infinity) return '-∞'
  const text = toFixedGo(fraction * 100, 1)
  return `${text.startsWith('-') ? '' : '+'}${text}%`
}

/** changeText prints "+5.1% [+2.0%, +8.3%]" (the interval omitted for exact metrics). */
export function changeText(v: MetricVerdict): string {
  if (v.change === undefined) return ''
  if (v.exact) return percent(v.change.estimate)
  return `${percent(v.change.estimate)} [${percent(v.change.lo)}, ${percent(v.change.hi)}]`
}

/** sideTexts prints both sides' centres with one prefix, and the CI half-width in percent. */
export function sideTexts(v: MetricVerdict): [string, string] {
  const sides = [v.base, v.head]
  const centers = sides.filter((s): s is SideSummary => s !== undefined).map((s) => s.center)
  const scaler = commonScale(centers, classOf(v.unit))
  return sides.map((s) => {
    if (s === undefined) return ''
    const spread =
      !Number.isFinite(s.lo) || !Number.isFinite(s.hi) || s.center === 0
        ? s.lo === s.hi
          ? '0%'
          : '∞'
        : `${toFixedGo(100 * Math.max(s.hi / s.center - 1, 1 - s.lo / s.center), 0)}%`
    return `${formatScaled(s.center, scaler)} ±${spread} n=${s.n}`
  }) as [string, string]
}

/** qText prints the adjusted p-value. */
export function qText(v: MetricVerdict): string {
  if (v.q !== undefined) return toFixedGo(v.q, 3)
  return v.exact && v.change !== undefined ? 'exact' : ''
}

/** shortName drops the `Benchmark` prefix. */
export function shortName(name: string): string {
  return name.startsWith('Benchmark') ? name.slice('Benchmark'.length) : name
}
