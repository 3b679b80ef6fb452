// `capacity simulate --scenario`: the cluster grown at the scenario's monthly rate to each
// horizon, the mock started at that size and the exporter measured there, beside what the
// fitted models predicted for it.
import type { CapacityConfig, ScenarioName } from './config.ts'
import { clusterShapeFor } from './config.ts'
import { type FigureFit, predictFigure } from './fit.ts'
import { FIGURES, toSweepBenchmark } from './sweep.ts'
import type { ClusterShape, SizeReading } from './sweep-rig.ts'

/** ScenarioStep is one horizon of a scenario: how many days ahead and the cluster then. */
export interface ScenarioStep {
  readonly horizonDays: number
  readonly nodes: number
}

/** scenarioSteps grows `currentNodes` by the scenario's monthly rate (30-day months, compounded) to each distinct horizon. */
export function scenarioSteps(config: CapacityConfig, scenario: ScenarioName, currentNodes: number): ScenarioStep[] {
  const growth = config.scenarios[scenario].monthlyNodeGrowth
  const horizons = [...new Set(Object.values(config.resources).map((r) => r.horizonDays))].sort((a, b) => a - b)
  return horizons.map((horizonDays) => ({ horizonDays, nodes: Math.round(currentNodes * (1 + growth) ** (horizonDays / 30)) }))
}

/** SimulationRow is one figure at one horizon: predicted and measured. */
export interface SimulationRow {
  readonly horizonDays: number
  readonly nodes: number
  readonly figure: string
  readonly predicted: number | null
  readonly lower: number | null
  readonly upper: number | null
  readonly measured: number | null
  /** error is (predicted − measured) / measured. */
  readonly error: number | null
  /** inside: the measurement falls inside the prediction interval. */
  readonly inside: boolean | null
  readonly note: string
}

/** SimulationReport is what `capacity simulate` writes. */
export interface SimulationReport {
  readonly kind: 'slurmbench.capacity-simulation'
  readonly scenario: ScenarioName
  readonly monthlyNodeGrowth: number
  readonly currentNodes: number
  readonly rows: readonly SimulationRow[]
  readonly failures: readonly string[]
}

/** SIMULATED_FIGURES are the figures compared. */
export const SIMULATED_FIGURES: readonly string[] = [FIGURES.cpuSecondsPerScrape, FIGURES.peakRssBytes, FIGURES.p95Ms, FIGURES.series, FIGURES.responseBytes]

/** compareStep sets one measured size beside the predictions. */
export function compareStep(step: ScenarioStep, fits: readonly FigureFit[], measured: Readonly<Record<string, number>>): SimulationRow[] {
  const rows: SimulationRow[] = []
  for (const figure of SIMULATED_FIGURES) {
    const fit = fits.find((f) => f.figure === figure)
    const m = measured[figure] ?? null
    const p = fit === undefined ? undefined : predictFigure(fit, step.nodes)
    if (p === undefined || !p.ok) {
      rows.push({
        ...step,
        figure,
        predicted: null,
        lower: null,
        upper: null,
        measured: m,
        error: null,
        inside: null,
        note: p === undefined ? 'no fit for this figure' : p.reason,
      })
      continue
    }
    const { value, lower, upper } = p.prediction
    rows.push({
      ...step,
      figure,
      predicted: value,
      lower,
      upper,
      measured: m,
      error: m === null || m === 0 ? null : (value - m) / m,
      inside: m === null ? null : m >= lower && m <= upper,
      note: p.warning ?? '',
    })
  }
  return rows
}

/** runSimulation measures every step of the scenario with `measure` and compares it with the fits. */
export async function runSimulation(
  config: CapacityConfig,
  scenario: ScenarioName,
  currentNodes: number,
  fits: readonly FigureFit[],
  measure: (shape: ClusterShape) => Promise<SizeReading>,
  progress: (line: string) => void,
): Promise<SimulationReport> {
  const steps = scenarioSteps(config, scenario, currentNodes)
  const rows: SimulationRow[] = []
  const failures: string[] = []
  for (const [i, step] of steps.entries()) {
    const shape = clusterShapeFor(step.nodes, config.jobsPerNode)
    progress(`capacity simulate: ${scenario}: step ${i + 1}/${steps.length}: ${step.horizonDays} d ahead, ${step.nodes} nodes, ${shape.jobs} jobs`)
    try {
      const sample = toSweepBenchmark(await measure(shape)).samples[0]
      rows.push(...compareStep(step, fits, sample?.metrics ?? {}))
    } catch (err) {
      failures.push(`${step.horizonDays} d (${step.nodes} nodes): ${(err as Error).message}`)
    }
  }
  return { kind: 'slurmbench.capacity-simulation', scenario, monthlyNodeGrowth: config.scenarios[scenario].monthlyNodeGrowth, currentNodes, rows, failures }
}
