import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../common/prng.ts'
import { changePoints } from '../../../harness/stats/change-points.ts'

// A series of `n` nights around `level` with relative noise `cv` (normal, Box–Muller).
function nights(random: () => number, n: number, level: number, cv: number): number[] {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
    out.push(level * (1 + cv * z))
  }
  return out
}

describe('changePoints (E-divisive means)', () => {
  it('finds one level shift where it is, with its size', () => {
    const random = mulberry32(1)
    const series = [...nights(random, 20, 100, 0.02), ...nights(random, 20, 110, 0.02)]
    const found = changePoints(series, { random: mulberry32(2) })
    expect(found).toHaveLength(1)
    expect(found[0]?.index).toBe(20)
    expect(found[0]?.change).toBeGreaterThan(0.08)
    expect(found[0]?.change).toBeLessThan(0.12)
    expect(found[0]?.p).toBeLessThan(0.05)
  })

  it('finds two shifts, up then down', () => {
    const random = mulberry32(3)
    const series = [...nights(random, 15, 100, 0.02), ...nights(random, 15, 120, 0.02), ...nights(random, 15, 100, 0.02)]
    expect(changePoints(series, { random: mulberry32(4) }).map((c) => c.index)).toEqual([15, 30])
  })

  it('reports no shift for a flat series, nor for one odd night', () => {
    const random = mulberry32(5)
    const flat = nights(random, 40, 100, 0.03)
    expect(changePoints(flat, { random: mulberry32(6) })).toEqual([])
    const outlier = [...flat]
    outlier[25] = 180
    expect(changePoints(outlier, { random: mulberry32(6) })).toEqual([])
  })

  it('needs minSegment points on each side', () => {
    const series = [100, 100, 100, 100, 100, 100, 130, 130]
    expect(changePoints(series, { random: mulberry32(7), minSegment: 3 })).toEqual([])
    expect(changePoints([...series, 130], { random: mulberry32(7), minSegment: 3 }).map((c) => c.index)).toEqual([6])
  })

  it('is deterministic for a seed', () => {
    const random = mulberry32(8)
    const series = [...nights(random, 12, 50, 0.05), ...nights(random, 12, 56, 0.05)]
    expect(changePoints(series, { random: mulberry32(9) })).toEqual(changePoints(series, { random: mulberry32(9) }))
  })
})
