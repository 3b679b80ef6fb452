// The statistics against values computed independently (exact combinatorics, textbook examples).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { benjaminiHochberg } from '../../../harness/stats/benjamini-hochberg.ts'
import { choose } from '../../../harness/stats/binomial.ts'
import { formatGoFloat } from '../../../harness/stats/go-float.ts'
import { toFixedGo } from '../../../harness/report/scale.ts'
import { mannWhitneyUTest } from '../../../harness/stats/mann-whitney.ts'
import { erfc, normalCdf, normalInvCdf } from '../../../harness/stats/normal.ts'
import { estimatePower, requiredCount } from '../../../harness/stats/power.ts'
import { quantileCi } from '../../../harness/stats/quantile-ci.ts'
import { mulberry32 } from '../../../common/prng.ts'
import { ratioInterval } from '../../../harness/stats/ratio-ci.ts'
import { uCdfNoTies, uCdfTies } from '../../../harness/stats/u-distribution.ts'

// Brute force: enumerate every placement of sample 1 among the pooled ranks.
function bruteForceCdf(pooled: readonly number[], n1: number, u: number): number {
  const n = pooled.length
  const sorted = [...pooled].sort((a, b) => a - b)
  const ranks = sorted.map((v) => {
    const first = sorted.indexOf(v)
    const last = sorted.lastIndexOf(v)
    return (first + last) / 2 + 1
  })
  let below = 0
  let total = 0
  const walk = (start: number, left: number, rankSum: number): void => {
    if (left === 0) {
      total++
      if (rankSum - (n1 * (n1 + 1)) / 2 <= u + 1e-9) below++
      return
    }
    for (let i = start; i <= n - left; i++) walk(i + 1, left - 1, rankSum + (ranks[i] as number))
  }
  walk(0, n1, 0)
  return below / total
}

describe('normal distribution', () => {
  it('matches known values of erfc and Φ⁻¹', () => {
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 14)
    expect(erfc(3)).toBeCloseTo(2.209049699858544e-5, 18)
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 14)
    expect(normalInvCdf(0.975)).toBeCloseTo(1.959963984540054, 12)
    expect(normalInvCdf(1e-10)).toBeCloseTo(-6.361340902404056, 9)
  })
})

describe('Mann–Whitney U', () => {
  it("gives benchstat's p-values on its example (json 1.08e-5, gob 0.446)", () => {
    const oldJson = [1726, 1723, 1707, 1707, 1713, 1729, 1736, 1707, 1705, 1774]
    const newJson = [1423, 1416, 1411, 1413, 1412, 1426, 1422, 1424, 1447, 1425]
    const r = mannWhitneyUTest(oldJson, newJson)
    expect(r.ok && r.result.p).toBeCloseTo(2 / choose(20, 10), 15)
    const g = mannWhitneyUTest([3069, 3075, 3069, 3067, 3207, 3064, 3064, 3058, 3059, 3062], [3075, 3065, 3059, 3065, 3060, 3081, 3186, 3135, 3087, 3062])
    expect(g.ok && g.result.p.toFixed(3)).toBe('0.446')
  })

  it('reports all-equal samples as untestable', () => {
    expect(mannWhitneyUTest([1, 1, 1], [1, 1])).toEqual({ ok: false, reason: 'all-equal' })
  })

  it('exact distribution without ties equals brute-force enumeration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.nat(40), (n1, n2, u) => {
        const pooled = Array.from({ length: n1 + n2 }, (_, i) => i)
        expect(uCdfNoTies(n1, n2, u)).toBeCloseTo(bruteForceCdf(pooled, n1, u), 12)
      }),
      { numRuns: 60 },
    )
  })

  it('exact distribution with ties equals brute-force enumeration', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 11 }), fc.nat(), fc.nat(30), (values, split, u) => {
        const n1 = 1 + (split % (values.length - 1))
        const sorted = [...values].sort((a, b) => a - b)
        const ties: number[] = []
        for (let i = 0; i < sorted.length; ) {
          let j = i
          while (j < sorted.length && sorted[j] === sorted[i]) j++
          ties.push(j - i)
          i = j
        }
        expect(uCdfTies(n1, values.length - n1, ties, u / 2)).toBeCloseTo(bruteForceCdf(values, n1, u / 2), 12)
      }),
      { numRuns: 80 },
    )
  })

  it('uses the normal approximation above 50 a side and agrees with the exact test near the limit', () => {
    const a = Array.from({ length: 50 }, (_, i) => i * 1.01)
    const b = Array.from({ length: 50 }, (_, i) => i * 1.01 + 7.3)
    const exact = mannWhitneyUTest(a, b)
    const approx = mannWhitneyUTest([...a, 60], [...b, 80])
    expect(exact.ok && approx.ok).toBe(true)
    if (exact.ok && approx.ok) expect(Math.abs(exact.result.p - approx.result.p)).toBeLessThan(0.02)
  })
})

describe('median confidence interval', () => {
  it('n = 10 uses order statistics 2 and 9 with 97.85% confidence, n ≤ 5 is unbounded', () => {
    expect(quantileCi(10, 0.5, 0.95)).toMatchObject({ loOrder: 2, hiOrder: 9, confidence: 0.978515625 })
    const five = quantileCi(5, 0.5, 0.95)
    expect(five.loOrder < 1 || five.hiOrder > 5).toBe(true)
    const six = quantileCi(6, 0.5, 0.95)
    expect(six.loOrder).toBeGreaterThanOrEqual(1)
    expect(six.hiOrder).toBeLessThanOrEqual(6)
  })

  it('reaches the requested confidence at every n, exact and approximated', () => {
    for (let n = 6; n <= 80; n++) {
      const ci = quantileCi(n, 0.5, 0.95)
      expect(ci.confidence).toBeGreaterThanOrEqual(0.95)
      expect(ci.loOrder).toBeLessThanOrEqual(Math.ceil(n / 2))
      expect(ci.hiOrder).toBeGreaterThanOrEqual(Math.floor(n / 2) + 1)
    }
  })
})

describe('ratio interval and Benjamini–Hochberg', () => {
  it('brackets a 10% shift of identical shapes', () => {
    const base = [100, 101, 99, 102, 98, 100.5, 99.5, 101.5, 98.5, 100.2]
    const ci = ratioInterval(
      base,
      base.map((v) => v * 1.1),
      0.95,
    )
    expect(ci?.estimate).toBeCloseTo(1.1, 10)
    expect(ci!.lo).toBeLessThan(1.1)
    expect(ci!.hi).toBeGreaterThan(1.1)
    expect(ci!.lo).toBeGreaterThan(1.05)
  })

  it('adjusts p-values as in Benjamini & Hochberg (1995)', () => {
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.005])).toEqual([0.02, 0.04, 0.04, 0.02])
  })
})

describe('power by resampling', () => {
  it('needs more samples for smaller changes and noisier pools', () => {
    const random = mulberry32(7)
    const quiet = Array.from({ length: 60 }, () => 100 * (1 + (random() - 0.5) * 0.02))
    const noisy = Array.from({ length: 60 }, () => 100 * (1 + (random() - 0.5) * 0.3))
    const opts = { alpha: 0.05, power: 0.95, trials: 100, random: mulberry32(1) }
    expect(requiredCount(quiet, 0.1, opts)).toBe(4)
    const n5 = requiredCount(noisy, 0.05, opts)
    const n10 = requiredCount(noisy, 0.1, opts)
    expect(n10).toBeDefined()
    expect(n5 === undefined || n5 > (n10 as number)).toBe(true)
    expect(estimatePower(quiet, 4, 0, { alpha: 0.05, trials: 200, random: mulberry32(2) })).toBeLessThan(0.1)
  })
})

describe('Go number formatting', () => {
  it('prints %v like Go', () => {
    expect(formatGoFloat(1.7180000000000001e-6)).toBe('1.7180000000000001e-06')
    expect(formatGoFloat(3.0655e-6)).toBe('3.0655e-06')
    expect(formatGoFloat(0.95)).toBe('0.95')
    expect(formatGoFloat(100)).toBe('100')
    expect(formatGoFloat(1e21)).toBe('1e+21')
    expect(formatGoFloat(123456.5)).toBe('123456.5')
    // Go's fmt.Sprint switches to exponent form from 1e6 (JavaScript only from 1e21).
    expect(formatGoFloat(607465000)).toBe('6.07465e+08')
    expect(formatGoFloat(1e6)).toBe('1e+06')
    expect(formatGoFloat(999999)).toBe('999999')
  })

  it("rounds like strconv 'f': exact halves to even, near-halves by their true value", () => {
    expect(toFixedGo(0.125, 2)).toBe('0.12')
    expect(toFixedGo(0.375, 2)).toBe('0.38')
    expect(toFixedGo(2.5, 0)).toBe('2')
    expect(toFixedGo(3.5, 0)).toBe('4')
    expect(toFixedGo(-0.125, 2)).toBe('-0.12')
    // The double nearest 1.9265 is 1.92650000000000010125…, above the half: Go prints 1.927.
    expect(toFixedGo(1.9265, 3)).toBe('1.927')
    // 2270.5 ns scaled to µs is 2.27050000000000018474…: stock benchstat prints 2.271µ.
    expect(toFixedGo(2270.5 / 1000, 3)).toBe('2.271')
  })
})
