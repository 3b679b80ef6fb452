import { describe, expect, it } from 'vitest'
import { holtForecast, linearTrendForecast, type TimePoint } from '../../../harness/stats/holt.ts'
import { mulberry32 } from '../../../common/prng.ts'

const DAY_S = 86_400

function history(days: number, perDay: number, slopePerDay: number, noise: number, seed = 1): TimePoint[] {
  const rand = mulberry32(seed)
  const points: TimePoint[] = []
  for (let i = 0; i < days * perDay; i++) {
    const tS = (i * DAY_S) / perDay
    points.push({ tS, value: 100 + slopePerDay * (tS / DAY_S) + noise * (rand() - 0.5) })
  }
  return points
}

describe('linearTrendForecast', () => {
  it('projects a known trend, and the interval holds the true value', () => {
    const points = history(90, 24, 2, 10)
    const p = linearTrendForecast(points, 30 * DAY_S)
    const lastDay = (points[points.length - 1] as TimePoint).tS / DAY_S
    const truth = 100 + 2 * (lastDay + 30)
    expect(p.slopePerDay).toBeCloseTo(2, 1)
    expect(p.lower).toBeLessThan(truth)
    expect(p.upper).toBeGreaterThan(truth)
    expect(p.upper - p.lower).toBeLessThan(30)
  })
})

describe('holtForecast', () => {
  it('projects a known trend, and the interval holds the true value', () => {
    const points = history(90, 4, 1, 4)
    const p = holtForecast(points, 30 * DAY_S)
    const lastDay = (points[points.length - 1] as TimePoint).tS / DAY_S
    const truth = 100 + lastDay + 30
    expect(p.lower).toBeLessThan(truth)
    expect(p.upper).toBeGreaterThan(truth)
    expect(p.slopePerDay).toBeGreaterThan(0.5)
    expect(p.slopePerDay).toBeLessThan(1.5)
  })
})
