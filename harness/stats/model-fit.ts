// Scaling models fitted by least squares to (size, figure) points: proportional (b·n), affine
// (a + b·n), n log n (a + b·n·ln n) and power law (a·n^b, fitted on logs). The model is chosen
// by leave-one-out error: each point predicted by the model fitted without it, so a model is
// judged on what it is used for, predicting sizes it did not see. AIC would compare likelihoods
// in different spaces (the power law is fitted on logs), which leave-one-out avoids.
import { studentTQuantile } from './student-t.ts'

/** ModelName names a candidate scaling model. */
export type ModelName = 'proportional' | 'affine' | 'nlogn' | 'power'

/** MODEL_NAMES are the candidates, simplest first (ties go to the simpler model). */
export const MODEL_NAMES: readonly ModelName[] = ['proportional', 'affine', 'nlogn', 'power']

/** Point is one measured size and figure. */
export interface Point {
  readonly x: number
  readonly y: number
}

/** Prediction is a model's value at one size with its prediction interval. */
export interface Prediction {
  readonly value: number
  readonly lower: number
  readonly upper: number
}

/** ModelFit is one model fitted to every point. */
export interface ModelFit {
  readonly model: ModelName
  /** formula shows the model with its coefficients, e.g. `1.2e6 + 3.4e3·n`. */
  readonly formula: string
  /** coefficients by name: a (intercept or scale), b (slope or exponent). */
  readonly coefficients: Readonly<Record<string, number>>
  /** r2 is 1 − SSres/SStot on the figure itself (not on logs). */
  readonly r2: number
  /** looError is the mean absolute leave-one-out error relative to the measured figure; undefined below 3 points. */
  readonly looError: number | undefined
  readonly points: number
}

/** GOOD_LOO_ERROR: a chosen model whose leave-one-out error is above this does not "fit well". */
export const GOOD_LOO_ERROR = 0.15
/** GOOD_R2: nor does one explaining less of the variance than this. */
export const GOOD_R2 = 0.9

interface Spec {
  features(x: number): number[]
  /** log fits ln y (the power law). */
  readonly log: boolean
}

const SPECS: Readonly<Record<ModelName, Spec>> = {
  proportional: { features: (x) => [x], log: false },
  affine: { features: (x) => [1, x], log: false },
  nlogn: { features: (x) => [1, x * Math.log(x)], log: false },
  power: { features: (x) => [1, Math.log(x)], log: true },
}

interface Ols {
  readonly beta: number[]
  /** inverse of XᵀX, for the interval. */
  readonly xtxInv: number[][]
  /** residual variance (NaN when there are no degrees of freedom). */
  readonly s2: number
  readonly df: number
}

function invert(m: number[][]): number[][] | undefined {
  if (m.length === 1) {
    const v = (m[0] as number[])[0] as number
    return v === 0 ? undefined : [[1 / v]]
  }
  const [[a, b], [c, d]] = m as [[number, number], [number, number]]
  const det = a * d - b * c
  if (Math.abs(det) < 1e-12 * Math.abs(a * d)) return undefined
  return [
    [d / det, -b / det],
    [-c / det, a / det],
  ]
}

function ols(rows: readonly number[][], ys: readonly number[]): Ols | undefined {
  const p = (rows[0] as number[]).length
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0))
  const xty = new Array<number>(p).fill(0)
  for (const [i, row] of rows.entries()) {
    for (let j = 0; j < p; j++) {
      xty[j] = (xty[j] as number) + (row[j] as number) * (ys[i] as number)
      for (let k = 0; k < p; k++) (xtx[j] as number[])[k] = ((xtx[j] as number[])[k] as number) + (row[j] as number) * (row[k] as number)
    }
  }
  const xtxInv = invert(xtx)
  if (xtxInv === undefined) return undefined
  const beta = xtxInv.map((r) => r.reduce((sum, v, k) => sum + v * (xty[k] as number), 0))
  let ssr = 0
  for (const [i, row] of rows.entries()) {
    const fitted = row.reduce((sum, v, k) => sum + v * (beta[k] as number), 0)
    ssr += ((ys[i] as number) - fitted) ** 2
  }
  const df = rows.length - p
  return { beta, xtxInv, s2: df > 0 ? ssr / df : Number.NaN, df }
}

function fitOls(model: ModelName, points: readonly Point[]): Ols | undefined {
  const spec = SPECS[model]
  if (spec.log && points.some((p) => p.y <= 0)) return undefined
  if (points.some((p) => p.x <= 0)) return undefined
  return ols(
    points.map((p) => spec.features(p.x)),
    points.map((p) => (spec.log ? Math.log(p.y) : p.y)),
  )
}

function predictOls(model: ModelName, fit: Ols, x: number, confidence: number): Prediction {
  const spec = SPECS[model]
  const f = spec.features(x)
  const center = f.reduce((sum, v, k) => sum + v * (fit.beta[k] as number), 0)
  let leverage = 0
  for (let j = 0; j < f.length; j++)
    for (let k = 0; k < f.length; k++) leverage += (f[j] as number) * ((fit.xtxInv[j] as number[])[k] as number) * (f[k] as number)
  const half = fit.df > 0 ? studentTQuantile(1 - (1 - confidence) / 2, fit.df) * Math.sqrt(fit.s2 * (1 + leverage)) : Number.POSITIVE_INFINITY
  if (spec.log) return { value: Math.exp(center), lower: Math.exp(center - half), upper: Math.exp(center + half) }
  return { value: center, lower: center - half, upper: center + half }
}

function describe(model: ModelName, beta: readonly number[]): { formula: string; coefficients: Record<string, number> } {
  const g = (v: number): string => Number(v.toPrecision(4)).toString()
  const [b0 = 0, b1 = 0] = beta
  switch (model) {
    case 'proportional':
      return { formula: `${g(b0)}·n`, coefficients: { b: b0 } }
    case 'affine':
      return { formula: `${g(b0)} + ${g(b1)}·n`, coefficients: { a: b0, b: b1 } }
    case 'nlogn':
      return { formula: `${g(b0)} + ${g(b1)}·n·ln n`, coefficients: { a: b0, b: b1 } }
    case 'power':
      return { formula: `${g(Math.exp(b0))}·n^${g(b1)}`, coefficients: { a: Math.exp(b0), b: b1 } }
  }
}

/** FittedModel is a ModelFit that can predict. */
export interface FittedModel extends ModelFit {
  predict(x: number, confidence?: number): Prediction
}

/** fitModel fits one model to the points, or returns undefined when it cannot be fitted (too few points, a non-positive figure on logs). */
export function fitModel(model: ModelName, points: readonly Point[]): FittedModel | undefined {
  const fit = fitOls(model, points)
  if (fit === undefined || points.length < SPECS[model].features(1).length + 1) return undefined
  let ssRes = 0
  let mean = 0
  for (const p of points) mean += p.y / points.length
  let ssTot = 0
  for (const p of points) {
    ssRes += (p.y - predictOls(model, fit, p.x, 0.95).value) ** 2
    ssTot += (p.y - mean) ** 2
  }
  let looError: number | undefined
  if (points.length >= 3) {
    let sum = 0
    let counted = 0
    for (let i = 0; i < points.length; i++) {
      const rest = points.filter((_, j) => j !== i)
      const restFit = fitOls(model, rest)
      const held = points[i] as Point
      if (restFit === undefined || held.y === 0) continue
      sum += Math.abs(predictOls(model, restFit, held.x, 0.95).value - held.y) / Math.abs(held.y)
      counted++
    }
    looError = counted === points.length ? sum / counted : undefined
  }
  return {
    model,
    ...describe(model, fit.beta),
    r2: ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot,
    looError,
    points: points.length,
    predict: (x, confidence = 0.95) => predictOls(model, fit, x, confidence),
  }
}

/** ModelChoice is every candidate fitted and the one chosen, with whether it fits well. */
export interface ModelChoice {
  readonly candidates: readonly FittedModel[]
  readonly chosen: FittedModel | undefined
  /** good is true when the chosen model's leave-one-out error ≤ GOOD_LOO_ERROR and R² ≥ GOOD_R2. */
  readonly good: boolean
  /** reason says why the model was chosen or why none fits well. */
  readonly reason: string
}

/** TIE_LOO_ERROR: models whose leave-one-out errors differ by less than this are tied; the simpler wins. */
export const TIE_LOO_ERROR = 0.005

/** chooseModel fits every candidate and picks the lowest leave-one-out error (ties: the simpler). */
export function chooseModel(points: readonly Point[]): ModelChoice {
  const candidates: FittedModel[] = []
  for (const name of MODEL_NAMES) {
    const fit = fitModel(name, points)
    if (fit !== undefined) candidates.push(fit)
  }
  const scored = candidates.filter((c) => c.looError !== undefined)
  if (scored.length === 0)
    return { candidates, chosen: undefined, good: false, reason: `${points.length} sizes: at least 3 are needed to check a model on a size it did not see` }
  let chosen = scored[0] as FittedModel
  for (const c of scored) if ((c.looError as number) < (chosen.looError as number) - TIE_LOO_ERROR) chosen = c
  const loo = chosen.looError as number
  const good = loo <= GOOD_LOO_ERROR && chosen.r2 >= GOOD_R2
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`
  const reason = good
    ? `lowest leave-one-out error (${pct(loo)}) of ${scored.length} models; R² ${chosen.r2.toFixed(3)}`
    : `no model fits well: the best (${chosen.model}) has leave-one-out error ${pct(loo)} (limit ${pct(GOOD_LOO_ERROR)}) and R² ${chosen.r2.toFixed(3)} (limit ${GOOD_R2})`
  return { candidates, chosen, good, reason }
}
