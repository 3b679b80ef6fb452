// `capacity sweep`: the exporter measured at a range of cluster sizes, one fresh mock and
// exporter per size, written as a results document (producer bench, settings.tool
// "capacity-sweep") whose benchmarks are named BenchmarkCapacity/nodes=N/jobs=M.
import { InputError } from '../../common/input-error.ts'
import type { BenchmarkResult, Environment, ResultsDocument } from '../results/schema.ts'
import { RESULTS_SCHEMA_VERSION } from '../results/schema.ts'
import { clusterShapeFor } from './config.ts'
import type { ClusterShape, SizeReading } from './sweep-rig.ts'

/** DEFAULT_SIZES is the full sweep: 100 to 50,000 nodes. */
export const DEFAULT_SIZES: readonly number[] = [100, 300, 1_000, 3_000, 10_000, 30_000, 50_000]
/** QUICK_SIZES is the CI sweep: small enough for a minute on a loaded 2-core runner. */
export const QUICK_SIZES: readonly number[] = [100, 200, 400, 800]
/** SWEEP_TOOL marks a results document as a capacity sweep (config.settings.tool). */
export const SWEEP_TOOL = 'capacity-sweep'
/** SWEEP_PREFIX starts every sweep benchmark's name. */
export const SWEEP_PREFIX = 'BenchmarkCapacity'

/** FIGURES are the units a sweep records per size, the figures `capacity fit` models. */
export const FIGURES = {
  p50Ms: 'p50-ms',
  p95Ms: 'p95-ms',
  cpuSecondsPerScrape: 'cpu-s/scrape',
  peakRssBytes: 'peak-rss-B',
  series: 'series',
  responseBytes: 'response-B',
  slurmrestdBytes: 'slurmrestd-B/scrape',
} as const

/** parseSizes reads `--sizes 100,1000,10k`; at least three distinct sizes (two fit a model, a third checks it). */
export function parseSizes(text: string): number[] {
  const sizes: number[] = []
  for (const part of text.split(',')) {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kK]?)\s*$/.exec(part)
    const value = match === null ? Number.NaN : Number(match[1]) * (match[2] === '' ? 1 : 1_000)
    if (!Number.isInteger(value) || value < 1) throw new InputError(`--sizes: "${part}" is not a node count (expected a whole number such as 1000 or 10k)`)
    sizes.push(value)
  }
  const distinct = [...new Set(sizes)].sort((a, b) => a - b)
  if (distinct.length < 3)
    throw new InputError(
      `--sizes: found ${distinct.length} distinct size${distinct.length === 1 ? '' : 's'} (${text}); a sweep needs at least 3: two to fit a model and one to check it on a size it did not see`,
    )
  return distinct
}

/**
 * estimateLeftMs guesses the time left from the time spent so far, assuming time grows with the
 * node count (a size's mock generation, warm-up and scrapes all read every node and job).
 */
export function estimateLeftMs(doneNodes: readonly number[], spentMs: number, leftNodes: readonly number[]): number | undefined {
  let done = 0
  for (const n of doneNodes) done += n
  let left = 0
  for (const n of leftNodes) left += n
  if (done === 0) return undefined
  return (spentMs / done) * left
}

/** formatDurationMs renders a duration as `1h02m`, `3m05s` or `12s`. */
export function formatDurationMs(ms: number): string {
  const s = Math.round(ms / 1_000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
}

/** percentile is the nearest-rank percentile (q in 0..1) of `values`. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number
}

/** sweepBenchmarkName names one size's benchmark. */
export function sweepBenchmarkName(shape: ClusterShape): string {
  return `${SWEEP_PREFIX}/nodes=${shape.nodes}/jobs=${shape.jobs}`
}

/** toSweepBenchmark turns one size's reading into a benchmark result with one sample. */
export function toSweepBenchmark(reading: SizeReading): BenchmarkResult {
  const metrics: Record<string, number> = {
    [FIGURES.p50Ms]: percentile(reading.durationsMs, 0.5),
    [FIGURES.p95Ms]: percentile(reading.durationsMs, 0.95),
    [FIGURES.series]: reading.series,
    [FIGURES.responseBytes]: reading.responseBytes,
  }
  if (reading.cpuSecondsPerScrape !== undefined) metrics[FIGURES.cpuSecondsPerScrape] = reading.cpuSecondsPerScrape
  if (reading.peakRssBytes !== undefined) metrics[FIGURES.peakRssBytes] = reading.peakRssBytes
  if (reading.slurmrestdBytesPerScrape !== undefined) metrics[FIGURES.slurmrestdBytes] = reading.slurmrestdBytesPerScrape
  return {
    name: sweepBenchmarkName(reading.shape),
    pkg: 'capacity',
    file: 'harness/capacity/sweep.ts',
    procs: 1,
    status: 'ok',
    samples: [{ round: 0, iterations: reading.durationsMs.length, metrics }],
    extra: { capacity: { ...reading.shape, durationsMs: reading.durationsMs, warmupMs: reading.warmupMs } },
  }
}

/** SweepOptions are a sweep's settings. */
export interface SweepOptions {
  readonly sizes: readonly number[]
  readonly scrapes: number
  readonly jobsPerNode: number
  /** target is recorded in the document: "reference" or the exporter's URL. */
  readonly target: string
}

/** SweepHooks are the sweep's edges: measuring one size, the clock and progress lines. */
export interface SweepHooks {
  measure(shape: ClusterShape): Promise<SizeReading>
  nowMs(): number
  progress(line: string): void
}

/**
 * runSweep measures every size, smallest first, and prints a progress line per size with the
 * time left. A size that fails is recorded as a failed benchmark and the sweep goes on.
 */
export async function runSweep(options: SweepOptions, environment: Environment, hooks: SweepHooks): Promise<ResultsDocument> {
  const startedAt = new Date().toISOString()
  const startMs = hooks.nowMs()
  const benchmarks: BenchmarkResult[] = []
  const warnings: string[] = []
  const done: number[] = []
  for (const [i, nodes] of options.sizes.entries()) {
    const shape = clusterShapeFor(nodes, options.jobsPerNode)
    const left = options.sizes.slice(i)
    const eta = estimateLeftMs(done, hooks.nowMs() - startMs, left)
    hooks.progress(
      `capacity sweep: size ${i + 1}/${options.sizes.length}: ${nodes} nodes, ${shape.jobs} jobs${eta === undefined ? '' : `, about ${formatDurationMs(eta)} left`}`,
    )
    try {
      benchmarks.push(toSweepBenchmark(await hooks.measure(shape)))
    } catch (err) {
      const message = (err as Error).message
      warnings.push(`${sweepBenchmarkName(shape)}: ${message}`)
      benchmarks.push({
        name: sweepBenchmarkName(shape),
        pkg: 'capacity',
        file: 'harness/capacity/sweep.ts',
        procs: 1,
        status: 'failed',
        samples: [],
        failure: { message, kind: 'error' },
      })
    }
    done.push(nodes)
  }
  if (environment.loadAverage[0] !== undefined && environment.loadAverage[0] > environment.cores)
    warnings.push(`load average ${environment.loadAverage[0].toFixed(1)} above ${environment.cores} cores when the sweep started: figures are noisy`)
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    kind: 'slurmbench.results',
    startedAt,
    durationMs: hooks.nowMs() - startMs,
    environment,
    config: {
      producer: 'bench',
      count: 1,
      settings: { tool: SWEEP_TOOL, sizes: options.sizes, scrapes: options.scrapes, jobsPerNode: options.jobsPerNode, target: options.target },
    },
    benchmarks,
    warnings,
  }
}
