// The ratio's interval on large samples: the order statistics of the pairwise differences found by
// bisection, without listing the n1·n2 pairs, must be exactly those of the sorted list.
import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../common/prng.ts'
import { nthDifference, ratioInterval } from '../../../harness/stats/ratio-ci.ts'

function sortedDifferences(a: readonly number[], b: readonly number[]): number[] {
  const diffs: number[] = []
  for (const y of b) for (const x of a) diffs.push(y - x)
  return diffs.sort((p, q) => p - q)
}

describe('nthDifference', () => {
  it.each([
    { name: 'distinct values', a: [1.5, 2.25, 3], b: [0.5, 2, 4.75, 9] },
    { name: 'ties and equal sides', a: [1, 1, 2, 2, 3], b: [1, 2, 2, 3, 3] },
    { name: 'negative and zero differences', a: [-3, -1e-9, 0, 5], b: [-2, 0, 1e-300] },
  ])('equals the sorted list at every rank: $name', ({ a, b }) => {
    const fa = Float64Array.from(a).sort()
    const fb = Float64Array.from(b).sort()
    const expected = sortedDifferences(a, b)
    expect(expected.map((_, i) => nthDifference(fa, fb, i + 1))).toEqual(expected)
  })

  it('equals the sorted list on random samples', () => {
    const random = mulberry32(3)
    const a = Array.from({ length: 300 }, () => Math.log(100 + random()))
    const b = Array.from({ length: 250 }, () => Math.log(101 + random()))
    const expected = sortedDifferences(a, b)
    const fa = Float64Array.from(a).sort()
    const fb = Float64Array.from(b).sort()
    for (const rank of [1, 2, 1000, 37_500, 37_501, 74_999, 75_000]) expect(nthDifference(fa, fb, rank)).toBe(expected[rank - 1])
  })
})

describe('ratioInterval above the explicit-pairs limit', () => {
  it.each([0.9, 0.95, 0.99])('bisection gives exactly the estimate and interval of the sorted pairs (300 × 280 samples, confidence %s)', (confidence) => {
    const random = mulberry32(9)
    const old = Array.from({ length: 300 }, () => 100 * (1 + (random() - 0.5) * 0.02))
    const neu = Array.from({ length: 280 }, () => 103 * (1 + (random() - 0.5) * 0.02))
    const explicit = ratioInterval(old, neu, confidence)
    const bisected = ratioInterval(old, neu, confidence, 0)
    expect(bisected).toEqual(explicit)
    expect(explicit?.lo).toBeGreaterThan(1.02)
  })

  it('handles 200,000 samples a side (4·10¹⁰ pairs) without listing them', () => {
    const random = mulberry32(11)
    const n = 200_000
    const old = Array.from({ length: n }, () => 100 * (1 + (random() - 0.5) * 0.02))
    const neu = Array.from({ length: n }, () => 101 * (1 + (random() - 0.5) * 0.02))
    const ci = ratioInterval(old, neu, 0.95)
    expect(ci?.estimate).toBeCloseTo(1.01, 3)
    expect(ci?.lo).toBeLessThanOrEqual(ci?.estimate as number)
    expect(ci?.hi).toBeGreaterThanOrEqual(ci?.estimate as number)
  })
})
