// Number scaling as benchstat prints it (golang/perf benchunit): one SI or IEC prefix per row,
// chosen from the smallest non-zero value so that every value shows at least three significant
// digits; IEC (Ki, Mi…) when bytes are in the numerator.

/** UnitClass says which prefixes a unit takes. */
export type UnitClass = 'decimal' | 'binary'

/** Scaler formats numbers with a fixed prefix and number of decimals. */
export interface Scaler {
  readonly decimals: number
  readonly factor: number
  readonly prefix: string
}

const SEPARATORS = /[*/\-\s]/

/** classOf is `binary` when B, MB or bytes appears in the unit's numerator. */
export function classOf(unit: string): UnitClass {
  let denominator = false
  let token = ''
  const flush = (): boolean => {
    const isBytes = !denominator && (token === 'B' || token === 'MB' || token === 'bytes')
    token = ''
    return isBytes
  }
  for (const ch of unit) {
    if (SEPARATORS.test(ch)) {
      if (flush()) return 'binary'
      if (ch === '*') denominator = false
      else if (ch === '/') denominator = true
    } else {
      token += ch
    }
  }
  return flush() ? 'binary' : 'decimal'
}

interface Factor {
  readonly factor: number
  readonly prefix: string
  readonly t100: number
  readonly t10: number
  readonly t1: number
}

// The thresholds are the printed rounding boundaries (99.995, 9.9995, .99995 of each prefix),
// parsed from text as Go builds them so that a value never prints as "1000" of a prefix.
const SI_FACTORS: readonly Factor[] = ['T', 'G', 'M', 'k', '', 'm', 'µ', 'n'].map((prefix, i) => {
  const exp = 12 - 3 * i
  return { factor: 10 ** exp, prefix, t100: Number(`99.995e${exp}`), t10: Number(`9.9995e${exp}`), t1: Number(`.99995e${exp}`) }
})
const IEC_FACTORS: readonly Factor[] = ['Ti', 'Gi', 'Mi', 'Ki', ''].map((prefix, i) => {
  const exp = 40 - 10 * i
  const f = 2 ** exp
  return { factor: f, prefix, t100: 99.995 * f, t10: 9.9995 * f, t1: 0.99995 * f }
})
const SIGFIGS: readonly number[] = [-1, -2, -3, -4, -5, -6, -7, -8].map((exp) => Number(`9.9995e${exp}`))
const SIGFIGS_BASE = 3

/** commonScale returns the scaler that shows every value of `values` with ≥ 3 significant digits. */
export function commonScale(values: readonly number[], cls: UnitClass): Scaler {
  let min = 0
  for (const raw of values) {
    const v = Math.abs(raw)
    if (v !== 0 && (min === 0 || v < min)) min = v
  }
  if (min === 0) return { decimals: 3, factor: 1, prefix: '' }
  const factors = cls === 'binary' ? IEC_FACTORS : SI_FACTORS
  for (const f of factors) {
    if (min >= f.t100) return { decimals: 1, factor: f.factor, prefix: f.prefix }
    if (min >= f.t10) return { decimals: 2, factor: f.factor, prefix: f.prefix }
    if (min >= f.t1) return { decimals: 3, factor: f.factor, prefix: f.prefix }
  }
  const last = factors[factors.length - 1] as Factor
  const val = min / last.factor
  for (let i = 0; i < SIGFIGS.length; i++) {
    if (val >= (SIGFIGS[i] as number) || i === SIGFIGS.length - 1) return { decimals: i + SIGFIGS_BASE, factor: last.factor, prefix: last.prefix }
  }
  return { decimals: 3, factor: last.factor, prefix: last.prefix }
}

/** formatScaled prints value with the scaler's prefix: 1.718e-6 with µ → "1.718µ". */
export function formatScaled(value: number, scaler: Scaler): string {
  return `${toFixedGo(value / scaler.factor, scaler.decimals)}${scaler.prefix}`
}

/** scaleOne formats a single value with its own best prefix. */
export function scaleOne(value: number, cls: UnitClass): string {
  return formatScaled(value, commonScale([value], cls))
}

/**
 * toFixedGo is Go's strconv 'f' formatting: correctly rounded, halves to even on the exact
 * binary value. JavaScript's toFixed also rounds the exact value but sends exact halves up, so a
 * half is detected on the double's exact decimal expansion (not on value × 10^decimals, whose
 * own rounding turns near-halves such as 1.92650000000000010125 into false ties) and rounded to
 * even.
 */
export function toFixedGo(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN'
  const text = value.toFixed(decimals)
  const magnitude = Math.abs(value)
  if (magnitude >= 1e21) return text
  // toFixed(100) is exact for every double this formats: their expansions end well before.
  const exact = magnitude.toFixed(100)
  const point = exact.indexOf('.')
  const tail = exact.slice(point + 1 + decimals)
  if (tail[0] !== '5' || !/^0*$/.test(tail.slice(1))) return text
  const truncated = exact.slice(0, decimals === 0 ? point : point + 1 + decimals)
  // toFixed sent the half up; that is right when it reached an even digit.
  if (Number(truncated.slice(-1)) % 2 === 1) return text
  return value < 0 ? `-${truncated}` : truncated
}

/** formatPercent prints a ratio as Go's "%+.2f%%" of (ratio − 1)·100, or "%.0f%%" when unsigned. */
export function formatSignedPercent(fraction: number): string {
  const text = toFixedGo(fraction * 100, 2)
  return `${text.startsWith('-') ? '' : '+'}${text}%`
}
