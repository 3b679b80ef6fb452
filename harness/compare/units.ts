// Units as benchstat normalises them (golang/perf benchunit.Tidy): `ns/op` becomes `sec/op`,
// `MB/s` becomes `B/s`, and any `ns` or `MB` in a numerator is rescaled to its base unit.
import { DEFAULT_UNITS, type UnitInfo } from '../results/schema.ts'

/** TidyUnit is a unit in base units and the factor that converts a value into it. */
export interface TidyUnit {
  readonly unit: string
  readonly factor: number
}

const SEPARATOR = /[*/\-\s]/

/** tidyUnit normalises `unit` to base units (sec, B). */
export function tidyUnit(unit: string): TidyUnit {
  switch (unit) {
    case 'ns/op':
      return { unit: 'sec/op', factor: 1e-9 }
    case 'MB/s':
      return { unit: 'B/s', factor: 1e6 }
    case 'B/op':
    case 'allocs/op':
      return { unit, factor: 1 }
  }
  if (!unit.includes('ns') && !unit.includes('MB')) return { unit, factor: 1 }
  let factor = 1
  let out = ''
  let denominator = false
  let i = 0
  while (i < unit.length) {
    const ch = unit[i] as string
    if (SEPARATOR.test(ch)) {
      if (ch === '*') denominator = false
      else if (ch === '/') denominator = true
      out += ch
      i++
      continue
    }
    let j = i
    while (j < unit.length && !SEPARATOR.test(unit[j] as string)) j++
    const token = unit.slice(i, j)
    if (!denominator && token === 'ns') {
      out += 'sec'
      factor /= 1e9
    } else if (!denominator && token === 'MB') {
      out += 'B'
      factor *= 1e6
    } else {
      out += token
    }
    i = j
  }
  return { unit: out, factor }
}

/** defaultUnitInfo gives a tidied unit's direction: Go's defaults, B/s and rates (`/s`) higher, else lower. */
export function defaultUnitInfo(tidied: string): UnitInfo {
  const known: Record<string, UnitInfo> = {
    'sec/op': { better: 'lower', assume: 'nothing' },
    'B/s': { better: 'higher', assume: 'nothing' },
  }
  return known[tidied] ?? DEFAULT_UNITS[tidied] ?? { better: tidied.endsWith('/s') ? 'higher' : 'lower', assume: 'nothing' }
}
