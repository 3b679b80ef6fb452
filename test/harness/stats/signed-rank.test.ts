// The paired test behind pair mode's verdicts: Wilcoxon's signed-rank test on log ratios, the
// Hodges–Lehmann estimate and Tukey's interval, against SciPy and brute-force enumeration.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { pairedRatio } from '../../../harness/stats/signed-rank.ts'

// Brute force: the two-sided p of T⁺ over all 2^n sign patterns of the given |d| ranks.
function bruteP(d: readonly number[]): number {
  const nz = d.filter((x) => x !== 0)
  const abs = nz.map(Math.abs)
  const rank = abs.map((a) => {
    const below = abs.filter((b) => b < a).length
    const equal = abs.filter((b) => b === a).length
    return below + (equal + 1) / 2
  })
  const t = nz.reduce((acc, x, i) => acc + (x > 0 ? (rank[i] as number) : 0), 0)
  const total = rank.reduce((a, b) => a + b, 0)
  const tMin = Math.min(t, total - t)
  let le = 0
  for (let mask = 0; mask < 2 ** nz.length; mask++) {
    let s = 0
    for (let i = 0; i < nz.length; i++) if (mask & (1 << i)) s += rank[i] as number
    if (s <= tMin + 1e-9) le++
  }
  return Math.min(1, (2 * le) / 2 ** nz.length)
}

describe('pairedRatio (Wilcoxon signed-rank)', () => {
  it('matches SciPy: wilcoxon(method="exact") p and the median Walsh average', () => {
    // scipy.stats.wilcoxon(np.log(neu) - np.log(old), method='exact') → 0.0078125; HL 1.04078522.
    const r = pairedRatio([10, 11, 12, 13, 14, 15, 16, 17], [10.5, 11.2, 12.9, 13.1, 15.0, 15.2, 16.1, 18.3], 0.95)
    expect(r?.p).toBeCloseTo(0.0078125, 12)
    expect(r?.estimate).toBeCloseTo(1.0407852225669203, 12)
    // Two pairs do not differ: dropped from the test (SciPy's default), p 0.037109375.
    const zeros = pairedRatio([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1.1, 1.9, 3.3, 4.0, 5.6, 5.9, 7.7, 8.1, 9.0, 10.9, 11.5, 12.6], 0.95)
    expect(zeros?.n).toBe(10)
    expect(zeros?.p).toBeCloseTo(0.037109375, 12)
    expect(zeros?.estimate).toBeCloseTo(1.0488088481701514, 12)
  })

  it('is exact against enumeration, ties included, and symmetric in its sides', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 1, maxLength: 10 }), (steps) => {
        const old = steps.map(() => 100)
        const neu = steps.map((s) => 100 * Math.exp(s / 100))
        const r = pairedRatio(old, neu, 0.95)
        const d = neu.map((v, k) => Math.log(v) - Math.log(old[k] as number))
        expect(r?.p).toBeCloseTo(bruteP(d), 10)
        const swapped = pairedRatio(neu, old, 0.95)
        expect(swapped?.p).toBeCloseTo(r?.p as number, 12)
        expect(swapped?.estimate).toBeCloseTo(1 / (r?.estimate as number), 10)
      }),
    )
  })

  it("gives Tukey's interval: [min, max] at n = 6 (96.9%), unbounded at n = 5, and the estimate inside", () => {
    const old = [100, 100, 100, 100, 100, 100]
    const six = pairedRatio(old, [101, 103, 102, 105, 104, 106], 0.95)
    expect(six?.lo).toBeCloseTo(1.01, 12)
    expect(six?.hi).toBeCloseTo(1.06, 12)
    expect(six?.p).toBeCloseTo(2 / 64, 12)
    const five = pairedRatio(old.slice(0, 5), [101, 103, 102, 105, 104], 0.95)
    expect(five?.lo).toBe(0)
    expect(five?.hi).toBe(Infinity)
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 1, maxLength: 30 }), (ratios) => {
        const r = pairedRatio(
          ratios.map(() => 1),
          ratios,
          0.95,
        )
        expect(r?.lo).toBeLessThanOrEqual(r?.estimate as number)
        expect(r?.hi).toBeGreaterThanOrEqual(r?.estimate as number)
      }),
    )
  })

  it('refuses unpaired input: different lengths, no pairs, values ≤ 0', () => {
    expect(pairedRatio([1, 2], [1], 0.95)).toBeUndefined()
    expect(pairedRatio([], [], 0.95)).toBeUndefined()
    expect(pairedRatio([1, 0], [1, 1], 0.95)).toBeUndefined()
  })

  it('uses the normal approximation above 200 pairs and agrees with the exact test near the limit', () => {
    const make = (n: number) => Array.from({ length: n }, (_, i) => 100 * (1 + 0.01 * Math.sin(i * 7.1) + 0.002))
    const exact = pairedRatio(Array(200).fill(100), make(200), 0.95)
    const approx = pairedRatio(Array(201).fill(100), make(201), 0.95)
    expect(Math.abs(Math.log((approx?.p as number) / (exact?.p as number)))).toBeLessThan(0.3)
    expect(approx?.lo).toBeGreaterThan(0)
    expect(approx?.hi).toBeLessThan(Infinity)
  })
})
