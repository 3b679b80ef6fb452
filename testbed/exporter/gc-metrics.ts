// The process's garbage collections as prom-client's default metrics expose them:
// `nodejs_gc_duration_seconds` by kind, a histogram fed by a PerformanceObserver of `gc` entries.
// Load tests read its `_sum` before and after a run for the exporter's GC time under load.
import { constants, PerformanceObserver } from 'node:perf_hooks'
import { emptyCounts, type HistogramCounts, histogramFamily, observe } from './histogram-counts.ts'
import type { HistogramFamily } from './metric-family.ts'

/** GC_DURATION_BUCKETS_S are prom-client's buckets for GC durations. */
export const GC_DURATION_BUCKETS_S: readonly number[] = [0.001, 0.01, 0.1, 1, 2, 5]

const KINDS: ReadonlyArray<readonly [number, string]> = [
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]

/** GcMetrics observes this process's collections while started. */
export class GcMetrics {
  private readonly stats = new Map<string, HistogramCounts>()

  constructor() {
    // minor and major are there from the start, at zero, so a reader can take a difference from the first scrape on.
    this.touch('minor')
    this.touch('major')
  }

  private touch(name: string): HistogramCounts {
    let s = this.stats.get(name)
    if (s === undefined) {
      s = emptyCounts(GC_DURATION_BUCKETS_S)
      this.stats.set(name, s)
    }
    return s
  }
  private observer: PerformanceObserver | undefined

  /** start begins observing (idempotent). */
  start(): void {
    if (this.observer !== undefined) return
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.record((entry as { detail?: { kind?: number } }).detail?.kind, entry.duration / 1e3)
    })
    this.observer.observe({ entryTypes: ['gc'] })
  }

  /** stop ends observing. */
  stop(): void {
    this.observer?.disconnect()
    this.observer = undefined
  }

  /** record adds one collection of `kind` (a NODE_PERFORMANCE_GC_* constant) that took `seconds`. */
  record(kind: number | undefined, seconds: number): void {
    observe(this.touch(KINDS.find(([k]) => k === kind)?.[1] ?? 'other'), GC_DURATION_BUCKETS_S, seconds)
  }

  /** family returns the histogram as of now. */
  family(): HistogramFamily {
    return histogramFamily(
      'nodejs_gc_duration_seconds',
      'Garbage collection duration by kind, one of minor, major, incremental or weakcb.',
      'kind',
      GC_DURATION_BUCKETS_S,
      [...this.stats.keys()].sort(),
      (kind) => this.stats.get(kind) as HistogramCounts,
    )
  }
}

// One observer per process, shared by every exporter in it (tests start several).
const shared = new GcMetrics()
let users = 0

/** observeGc starts the process's GC observer for one exporter; the returned function stops it when the last exporter closes. */
export function observeGc(): () => void {
  if (users++ === 0) shared.start()
  let stopped = false
  return () => {
    if (stopped) return
    stopped = true
    if (--users === 0) shared.stop()
  }
}

/** gcFamily is the process's GC histogram as of now. */
export function gcFamily(): HistogramFamily {
  return shared.family()
}
