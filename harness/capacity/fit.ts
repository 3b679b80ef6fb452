// `capacity fit`: a scaling model per figure of a sweep, chosen by leave-one-out error, and the
// hold-out check (fit on the small sizes, predict the large ones that were measured too).
import { InputError } from '../../common/input-error.ts'
import type { ResultsDocument } from '../results/schema.ts'
import { chooseModel, type FittedModel, type ModelFit, type Point, type Prediction } from '../stats/model-fit.ts'
import { FIGURES, SWEEP_PREFIX, SWEEP_TOOL } from './sweep.ts'

/** FigureUnit is one of the units a sweep records. */
export type FigureUnit = (typeof FIGURES)[keyof typeof FIGURES]

/** FIGURE_UNITS lists them in report order. */
export const FIGURE_UNITS: readonly FigureUnit[] = Object.values(FIGURES)

/** SweepPoint is one size of a sweep. */
export interface SweepPoint {
  readonly nodes: number
  readonly jobs: number
  readonly benchmark: string
  readonly metrics: Readonly<Record<string, number>>
}

const NAME = new RegExp(`^${SWEEP_PREFIX}/nodes=(\\d+)/jobs=(\\d+)$`)

/** sweepPoints reads the measured sizes of a sweep document; failed sizes are left out. */
export function sweepPoints(doc: ResultsDocument, source: string): SweepPoint[] {
  if (doc.config.settings?.tool !== SWEEP_TOOL)
    throw new InputError(`${source}: not a capacity sweep (config.settings.tool is ${JSON.stringify(doc.config.settings?.tool)}, expected "${SWEEP_TOOL}")`)
  const points: SweepPoint[] = []
  for (const bench of doc.benchmarks) {
    const match = NAME.exec(bench.name)
    const sample = bench.samples[0]
    if (match === null || bench.status !== 'ok' || sample === undefined) continue
    points.push({ nodes: Number(match[1]), jobs: Number(match[2]), benchmark: bench.name, metrics: sample.metrics })
  }
  return points.sort((a, b) => a.nodes - b.nodes)
}

/** FigureFit is the model chosen for one figure, with every candidate for the report. */
export interface FigureFit {
  readonly figure: FigureUnit
  /** sizes are the node counts fitted, from the benchmarks named in `benchmarks`. */
  readonly sizes: readonly number[]
  readonly benchmarks: readonly string[]
  readonly candidates: readonly ModelFit[]
  readonly chosen: ModelFit | undefined
  readonly good: boolean
  readonly reason: string
  /** model predicts (internal, not serialised). */
  readonly model: FittedModel | undefined
}

/** MIN_FIT_SIZES: two sizes fit a two-parameter model exactly and check nothing. */
export const MIN_FIT_SIZES = 3

/** fitFigures fits every figure the sweep measured at ≥ MIN_FIT_SIZES sizes, optionally only sizes ≤ maxNodes. */
export function fitFigures(points: readonly SweepPoint[], source: string, maxNodes = Number.POSITIVE_INFINITY): FigureFit[] {
  const used = points.filter((p) => p.nodes <= maxNodes)
  if (used.length < MIN_FIT_SIZES)
    throw new InputError(
      `${source}: ${used.length} measured size${used.length === 1 ? '' : 's'}${Number.isFinite(maxNodes) ? ` up to ${maxNodes} nodes` : ''}; a fit needs at least ${MIN_FIT_SIZES} (run capacity sweep with more -sizes)`,
    )
  const fits: FigureFit[] = []
  for (const figure of FIGURE_UNITS) {
    const have = used.filter((p) => p.metrics[figure] !== undefined)
    if (have.length < MIN_FIT_SIZES) continue
    const xy: Point[] = have.map((p) => ({ x: p.nodes, y: p.metrics[figure] as number }))
    const choice = chooseModel(xy)
    const strip = ({ predict: _predict, ...rest }: FittedModel): ModelFit => rest
    fits.push({
      figure,
      sizes: have.map((p) => p.nodes),
      benchmarks: have.map((p) => p.benchmark),
      candidates: choice.candidates.map(strip),
      chosen: choice.chosen === undefined ? undefined : strip(choice.chosen),
      good: choice.good,
      reason: choice.reason,
      model: choice.chosen,
    })
  }
  return fits
}

/** EXTRAPOLATION_LIMIT: predictions beyond this multiple of the largest size fitted carry a warning. */
export const EXTRAPOLATION_LIMIT = 10

/** FigurePrediction is one figure predicted at a size, or why not. */
export type FigurePrediction =
  | {
      readonly figure: FigureUnit
      readonly nodes: number
      readonly ok: true
      readonly prediction: Prediction
      readonly model: string
      readonly warning?: string
    }
  | { readonly figure: FigureUnit; readonly nodes: number; readonly ok: false; readonly reason: string }

/** predictFigure predicts a figure at `nodes`; it refuses when no model fits well. */
export function predictFigure(fit: FigureFit, nodes: number): FigurePrediction {
  if (fit.model === undefined || !fit.good) return { figure: fit.figure, nodes, ok: false, reason: fit.reason }
  const largest = Math.max(0, ...fit.sizes.slice(-1))
  const warning =
    nodes > largest * EXTRAPOLATION_LIMIT
      ? `${nodes} nodes is more than ${EXTRAPOLATION_LIMIT}× the largest size measured (${largest}): an extrapolation`
      : undefined
  const prediction = fit.model.predict(nodes)
  return { figure: fit.figure, nodes, ok: true, prediction, model: fit.model.formula, ...(warning === undefined ? {} : { warning }) }
}

/** HoldoutRow is one figure's prediction at a held-out size beside its measurement. */
export interface HoldoutRow {
  readonly figure: FigureUnit
  readonly nodes: number
  readonly model: string | undefined
  readonly predicted: number | undefined
  readonly lower: number | undefined
  readonly upper: number | undefined
  readonly measured: number | undefined
  /** error is (predicted − measured) / measured. */
  readonly error: number | undefined
  readonly note: string
}

/** HOLDOUT_GOAL is the issue's accuracy goal for CPU per scrape and peak RSS. */
export const HOLDOUT_GOAL = 0.15

/** holdoutCheck fits on sizes ≤ fitMaxNodes and compares the predictions with every larger measured size. */
export function holdoutCheck(points: readonly SweepPoint[], source: string, fitMaxNodes: number): HoldoutRow[] {
  const held = points.filter((p) => p.nodes > fitMaxNodes)
  if (held.length === 0) throw new InputError(`${source}: no measured size above ${fitMaxNodes} nodes to hold out`)
  const fits = fitFigures(points, source, fitMaxNodes)
  const rows: HoldoutRow[] = []
  for (const p of held) {
    for (const fit of fits) {
      const measured = p.metrics[fit.figure]
      const predicted = predictFigure(fit, p.nodes)
      if (!predicted.ok) {
        rows.push({
          figure: fit.figure,
          nodes: p.nodes,
          model: fit.chosen?.formula,
          predicted: fit.model?.predict(p.nodes).value,
          lower: undefined,
          upper: undefined,
          measured,
          error: undefined,
          note: predicted.reason,
        })
        continue
      }
      const { value, lower, upper } = predicted.prediction
      const error = measured === undefined || measured === 0 ? undefined : (value - measured) / measured
      const goal = fit.figure === FIGURES.cpuSecondsPerScrape || fit.figure === FIGURES.peakRssBytes
      const note =
        error === undefined
          ? 'not measured'
          : goal
            ? Math.abs(error) <= HOLDOUT_GOAL
              ? `within the ${HOLDOUT_GOAL * 100}% goal`
              : `misses the ${HOLDOUT_GOAL * 100}% goal`
            : ''
      rows.push({ figure: fit.figure, nodes: p.nodes, model: predicted.model, predicted: value, lower, upper, measured, error, note })
    }
  }
  return rows
}
