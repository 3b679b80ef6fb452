import { describe, expect, it } from 'vitest'
import { chooseModel, fitModel } from '../../../harness/stats/model-fit.ts'
import { studentTQuantile } from '../../../harness/stats/student-t.ts'
import { mulberry32 } from '../../../common/prng.ts'

describe('studentTQuantile', () => {
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [5, 2.5706],
    [10, 2.2281],
    [30, 2.0423],
  ])('t(0.975, df=%i) = %f (published tables)', (df, expected) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(expected, 3)
  })
})

const sizes = [100, 300, 1_000, 3_000, 10_000]

describe('fitModel', () => {
  it('recovers an affine law exactly and predicts outside the points', () => {
    const fit = fitModel(
      'affine',
      sizes.map((x) => ({ x, y: 5e7 + 2_000 * x })),
    )
    expect(fit?.coefficients.a).toBeCloseTo(5e7, 0)
    expect(fit?.coefficients.b).toBeCloseTo(2_000, 6)
    expect(fit?.r2).toBeCloseTo(1, 9)
    expect(fit?.predict(50_000).value).toBeCloseTo(5e7 + 1e8, 0)
  })
  it('recovers a power law on logs', () => {
    const fit = fitModel(
      'power',
      sizes.map((x) => ({ x, y: 3 * x ** 1.2 })),
    )
    expect(fit?.coefficients.a).toBeCloseTo(3, 6)
    expect(fit?.coefficients.b).toBeCloseTo(1.2, 9)
  })
  it('widens the prediction interval with noise and with distance', () => {
    const rand = mulberry32(7)
    const fit = fitModel(
      'affine',
      sizes.map((x) => ({ x, y: (1_000 + x) * (1 + 0.05 * (rand() - 0.5)) })),
    )
    const near = fit?.predict(1_000) as { lower: number; upper: number; value: number }
    const far = fit?.predict(50_000) as { lower: number; upper: number; value: number }
    expect(near.lower).toBeLessThan(near.value)
    expect(far.upper - far.lower).toBeGreaterThan(near.upper - near.lower)
  })
  it('refuses the power law on a figure of zero', () => {
    expect(
      fitModel('power', [
        { x: 1, y: 0 },
        { x: 2, y: 1 },
        { x: 3, y: 2 },
      ]),
    ).toBeUndefined()
  })
})

describe('chooseModel', () => {
  it('picks n log n for n log n data, with a leave-one-out error near zero', () => {
    const choice = chooseModel(sizes.map((x) => ({ x, y: 10 + 0.5 * x * Math.log(x) })))
    expect(choice.chosen?.model).toBe('nlogn')
    expect(choice.good).toBe(true)
    expect(choice.reason).toMatch(/leave-one-out/)
  })
  it('picks the proportional model for proportional data (ties go to the simpler model)', () => {
    expect(chooseModel(sizes.map((x) => ({ x, y: 4 * x }))).chosen?.model).toBe('proportional')
  })
  it('says no model fits well for a figure that jumps around', () => {
    const choice = chooseModel([100, 300, 1_000, 3_000, 10_000].map((x, i) => ({ x, y: [50, 900, 20, 700, 100][i] as number })))
    expect(choice.good).toBe(false)
    expect(choice.reason).toMatch(/no model fits well/)
  })
  it('chooses nothing from two sizes', () => {
    const choice = chooseModel([
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ])
    expect(choice.chosen).toBeUndefined()
    expect(choice.reason).toMatch(/at least 3/)
  })
})
