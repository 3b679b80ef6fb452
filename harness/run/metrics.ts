// Turning one measured run into metrics by unit, with Go's precedence: a metric reported with
// b.reportMetric overrides the built-in of the same unit, and `ns/op` 0 suppresses ns/op.

/** MemoryFigures are the per-op memory figures of one leaf; absent without -benchmem/reportAllocs. */
export interface MemoryFigures {
  /** On-heap bytes allocated per op (GC-profiler accounting over a warm, untimed pass). */
  readonly heapBytesPerOp: number
  /** Allocation events per op (sampling heap profiler pass). */
  readonly allocsPerOp: number
  /** Off-heap bytes per op from GC-free batches; undefined when no batch was GC-free. */
  readonly externalBytesPerOp: number | undefined
  readonly gcsPerOp: number
  readonly gcPauseNsPerOp: number
}

/** MeasuredRun is the reported run of one leaf. */
export interface MeasuredRun {
  readonly iterations: number
  readonly durationNs: number
  /** setBytes value: bytes processed per op (→ MB/s). */
  readonly bytesPerOp: number
  /** Metrics the benchmark reported itself, by unit. */
  readonly extra: ReadonlyMap<string, number>
  readonly memory: MemoryFigures | undefined
}

/** EXTERNAL_BYTES_UNIT is off-heap (ArrayBuffer backing store) bytes per op, beside Go's on-heap B/op. */
export const EXTERNAL_BYTES_UNIT = 'ext-B/op'
/** GCS_UNIT is garbage collections per op inside the timed windows. */
export const GCS_UNIT = 'gcs/op'
/** GC_PAUSE_UNIT is GC pause time per op inside the timed windows, in nanoseconds. */
export const GC_PAUSE_UNIT = 'gc-pause-ns/op'

/** MEMORY_UNITS are the units of the memory passes' figures, in the order buildMetrics puts them. */
export const MEMORY_UNITS: readonly string[] = ['B/op', 'allocs/op', EXTERNAL_BYTES_UNIT, GCS_UNIT, GC_PAUSE_UNIT]

/**
 * withMemoryFigures returns `metrics` with the memory units of `memory` (another run's metrics)
 * where buildMetrics puts them, after ns/op and MB/s. A unit the benchmark reported itself stays.
 */
export function withMemoryFigures(metrics: Readonly<Record<string, number>>, memory: Readonly<Record<string, number>>): Record<string, number> {
  const merged: Record<string, number> = {}
  for (const unit of ['ns/op', 'MB/s']) if (metrics[unit] !== undefined) merged[unit] = metrics[unit]
  for (const unit of MEMORY_UNITS) {
    const value = metrics[unit] ?? memory[unit]
    if (value !== undefined) merged[unit] = value
  }
  for (const [unit, value] of Object.entries(metrics)) if (!(unit in merged)) merged[unit] = value
  return merged
}

/** buildMetrics returns the metrics of a run by unit, as Go's BenchmarkResult.String and MemString would print them. */
export function buildMetrics(run: MeasuredRun): Record<string, number> {
  const n = run.iterations
  const metrics: Record<string, number> = {}
  const nsPerOp = run.extra.get('ns/op') ?? (n > 0 ? run.durationNs / n : 0)
  if (nsPerOp !== 0) metrics['ns/op'] = nsPerOp
  const mbPerS = run.extra.get('MB/s') ?? (run.bytesPerOp > 0 && run.durationNs > 0 && n > 0 ? (run.bytesPerOp * n) / 1e6 / (run.durationNs / 1e9) : 0)
  if (mbPerS !== 0) metrics['MB/s'] = mbPerS
  const memory = run.memory
  if (memory !== undefined && n > 0) {
    metrics['B/op'] = memory.heapBytesPerOp
    metrics['allocs/op'] = memory.allocsPerOp
    if (memory.externalBytesPerOp !== undefined && memory.externalBytesPerOp > 0) metrics[EXTERNAL_BYTES_UNIT] = memory.externalBytesPerOp
    metrics[GCS_UNIT] = memory.gcsPerOp
    metrics[GC_PAUSE_UNIT] = memory.gcPauseNsPerOp
  }
  for (const [unit, value] of run.extra) {
    if (unit === 'ns/op' || unit === 'MB/s') continue
    metrics[unit] = value
  }
  return metrics
}
