// Forecasts of one time series with a prediction interval: a linear trend (least squares on
// time) and Holt's linear method (double exponential smoothing, parameters by least one-step
// squared error on a grid). Interval of Holt's method: Hyndman et al., "Forecasting with
// exponential smoothing" (2008), table 6.1, class 1, ETS(A,A,N).
import { normalInvCdf } from './normal.ts'
import { studentTQuantile } from './student-t.ts'

/** TimePoint is one observation: seconds since the epoch and a value. */
export interface TimePoint {
  readonly tS: number
  readonly value: number
}

/** Projection is a forecast at one time with its interval, and the fitted level now. */
export interface Projection {
  /** nowValue is the method's estimate at the last observation (less noisy than the last value). */
  readonly nowValue: number
  readonly value: number
  readonly lower: number
  readonly upper: number
  /** slopePerDay is the estimated trend in units per day. */
  readonly slopePerDay: number
}

const DAY_S = 86_400

/** linearTrendForecast fits value = a + b·t by least squares and projects `aheadS` past the last point. */
export function linearTrendForecast(points: readonly TimePoint[], aheadS: number, confidence = 0.95): Projection {
  const n = points.length
  const t0 = (points[0] as TimePoint).tS
  let mt = 0
  let my = 0
  for (const p of points) {
    mt += (p.tS - t0) / DAY_S / n
    my += p.value / n
  }
  let sxx = 0
  let sxy = 0
  for (const p of points) {
    const dt = (p.tS - t0) / DAY_S - mt
    sxx += dt * dt
    sxy += dt * (p.value - my)
  }
  const slope = sxx === 0 ? 0 : sxy / sxx
  const intercept = my - slope * mt
  let ssr = 0
  for (const p of points) ssr += (p.value - (intercept + slope * ((p.tS - t0) / DAY_S))) ** 2
  const df = n - 2
  const s = df > 0 ? Math.sqrt(ssr / df) : Number.NaN
  const lastT = ((points[n - 1] as TimePoint).tS - t0) / DAY_S
  const atT = lastT + aheadS / DAY_S
  const value = intercept + slope * atT
  const half = df > 0 && sxx > 0 ? studentTQuantile(1 - (1 - confidence) / 2, df) * s * Math.sqrt(1 + 1 / n + (atT - mt) ** 2 / sxx) : Number.POSITIVE_INFINITY
  return { nowValue: intercept + slope * lastT, value, lower: value - half, upper: value + half, slopePerDay: slope }
}

interface HoltState {
  level: number
  trend: number
  sse: number
}

function holtRun(ys: readonly number[], alpha: number, beta: number): HoltState {
  let level = ys[0] as number
  let trend = (ys[1] as number) - (ys[0] as number)
  let sse = 0
  for (let i = 1; i < ys.length; i++) {
    const forecast = level + trend
    const y = ys[i] as number
    sse += (y - forecast) ** 2
    const newLevel = alpha * y + (1 - alpha) * forecast
    trend = beta * (newLevel - level) + (1 - beta) * trend
    level = newLevel
  }
  return { level, trend, sse }
}

/**
 * holtForecast projects `aheadS` past the last point with Holt's linear method. The points must be
 * evenly spaced (a Prometheus range query's step); α and β are chosen on a 0.05 grid.
 */
export function holtForecast(points: readonly TimePoint[], aheadS: number, confidence = 0.95): Projection {
  const ys = points.map((p) => p.value)
  const stepS = ((points[points.length - 1] as TimePoint).tS - (points[0] as TimePoint).tS) / (points.length - 1)
  let best = { alpha: 0.5, beta: 0.1, state: holtRun(ys, 0.5, 0.1) }
  for (let a = 0.05; a <= 1.0001; a += 0.05) {
    for (let b = 0.05; b <= a + 1e-9; b += 0.05) {
      const state = holtRun(ys, a, b)
      if (state.sse < best.state.sse) best = { alpha: a, beta: b, state }
    }
  }
  const h = Math.max(1, Math.round(aheadS / stepS))
  const { alpha, beta, state } = best
  const sigma2 = state.sse / Math.max(1, ys.length - 3)
  let factor = 1
  for (let j = 1; j < h; j++) factor += (alpha * (1 + j * beta)) ** 2
  const half = normalInvCdf(1 - (1 - confidence) / 2) * Math.sqrt(sigma2 * factor)
  const value = state.level + h * state.trend
  return { nowValue: state.level, value, lower: value - half, upper: value + half, slopePerDay: (state.trend * DAY_S) / stepS }
}
