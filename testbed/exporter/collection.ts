// One collection: every enabled collector concurrently, under one deadline. Concurrent scrapes
// share the collection in flight, and an optional TTL serves a recent one again.

import type { CollectContext, Collector, CollectorName, CollectorSettings } from './collector.ts'
import { serializeFamilies, type ExpositionFormat } from './exposition.ts'
import type { MetricFamily } from './metric-family.ts'
import { SelfMetrics } from './self-metrics.ts'
import { SeriesSink, type SeriesPolicy } from './series-policy.ts'
import type { SlurmClient } from './slurm-client.ts'

/** CollectionOptions configures the collection loop. */
export interface CollectionOptions {
  readonly client: SlurmClient
  readonly collectors: readonly Collector[]
  readonly policy: SeriesPolicy
  readonly settings: CollectorSettings
  /** Time after which unfinished collectors are abandoned and counted as failed. */
  readonly deadlineMs: number
  /** Serve a collection again for this long; 0 collects on every scrape that finds none in flight. */
  readonly cacheTtlMs: number
  /**
   * Collect in the background every this many milliseconds (after the previous collection ends)
   * and answer every scrape from the latest one; 0 collects on demand. On large clusters, where
   * slurmrestd needs longer than a scrape timeout to produce /jobs, this is the mode that keeps
   * scrapes fast (SchedMD's slurm-exporter does the same with its CacheSyncPeriod).
   */
  readonly refreshIntervalMs?: number
  /** Called once per failed collector run (the CLI logs it). */
  readonly onCollectorError?: (collector: CollectorName, error: Error) => void
}

/** Snapshot is the outcome of one collection, serialized lazily once per format. */
export class Snapshot {
  private readonly serialized = new Map<ExpositionFormat, Buffer[]>()

  constructor(
    /** Families is every family in exposition order, self-metrics last. */
    readonly families: readonly MetricFamily[],
    /** TakenAtMs is when the collection finished (performance.now() clock). */
    readonly takenAtMs: number,
  ) {}

  /** chunks returns the exposition in `format` as UTF-8 chunks, serialized on first use. */
  chunks(format: ExpositionFormat): Buffer[] {
    let chunks = this.serialized.get(format)
    if (chunks === undefined) {
      chunks = serializeFamilies(this.families, format)
      this.serialized.set(format, chunks)
    }
    return chunks
  }
}

class DeadlineError extends Error {
  override name = 'DeadlineError'
}

/** CollectionLoop hands out snapshots: the cached one, the one in flight, or a new one. */
export class CollectionLoop {
  private readonly selfMetrics: SelfMetrics
  private inFlight: Promise<Snapshot> | undefined
  private last: Snapshot | undefined
  /** Collections counts collections actually started (scrapes that shared one do not count). */
  collections = 0

  constructor(private readonly options: CollectionOptions) {
    this.selfMetrics = new SelfMetrics(options.collectors.map((c) => c.name))
  }

  private refreshTimer: NodeJS.Timeout | undefined
  private stopped = false

  /** start begins background collection when refreshIntervalMs is set (the first one starts now). */
  start(): void {
    if ((this.options.refreshIntervalMs ?? 0) > 0) void this.refresh()
  }

  /** stop ends background collection. */
  stop(): void {
    this.stopped = true
    clearTimeout(this.refreshTimer)
  }

  private async refresh(): Promise<void> {
    await this.snapshotNow().catch(() => {})
    if (this.stopped) return
    this.refreshTimer = setTimeout(() => void this.refresh(), this.options.refreshIntervalMs)
    this.refreshTimer.unref()
  }

  /** snapshot returns the latest background collection, or one no older than the TTL, starting one only when none is in flight. */
  snapshot(): Promise<Snapshot> {
    if ((this.options.refreshIntervalMs ?? 0) > 0 && this.last !== undefined) return Promise.resolve(this.last)
    return this.snapshotNow()
  }

  private snapshotNow(): Promise<Snapshot> {
    const { last } = this
    if (last !== undefined && this.options.cacheTtlMs > 0 && performance.now() - last.takenAtMs < this.options.cacheTtlMs) {
      return Promise.resolve(last)
    }
    if (this.inFlight === undefined) {
      this.inFlight = this.collect().finally(() => {
        this.inFlight = undefined
      })
    }
    return this.inFlight
  }

  private async collect(): Promise<Snapshot> {
    this.collections++
    const { collectors, deadlineMs } = this.options
    const controller = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new DeadlineError(`scrape deadline of ${deadlineMs} ms passed`)
        controller.abort(error)
        reject(error)
      }, deadlineMs)
    })
    // A rejection nobody awaits (when every collector finishes first) must not crash the process.
    deadline.catch(() => {})
    const nowS = Date.now() / 1000
    try {
      const sinks = await Promise.all(collectors.map((collector) => this.runCollector(collector, controller.signal, deadline, nowS)))
      const families: MetricFamily[] = []
      const seriesByFamily = new Map<string, number>()
      const droppedByFamily = new Map<string, number>()
      for (const sink of sinks) {
        if (sink === undefined) continue
        for (const writer of sink.familyWriters) {
          families.push(writer.family)
          seriesByFamily.set(writer.family.name, writer.family.values.length)
          if (writer.dropped > 0) droppedByFamily.set(writer.family.name, writer.dropped)
        }
      }
      this.selfMetrics.recordSeries(seriesByFamily, droppedByFamily)
      const snapshot = new Snapshot([...families, ...this.selfMetrics.families()], performance.now())
      this.last = snapshot
      return snapshot
    } finally {
      clearTimeout(timer)
    }
  }

  private async runCollector(collector: Collector, signal: AbortSignal, deadline: Promise<never>, nowS: number): Promise<SeriesSink | undefined> {
    const sink = new SeriesSink(this.options.policy)
    const context: CollectContext = { client: this.options.client, signal, sink, settings: this.options.settings, nowS }
    const startMs = performance.now()
    try {
      await Promise.race([collector.collect(context), deadline])
      this.selfMetrics.record({ collector: collector.name, durationS: (performance.now() - startMs) / 1000, ok: true })
      return sink
    } catch (error) {
      this.selfMetrics.record({ collector: collector.name, durationS: (performance.now() - startMs) / 1000, ok: false })
      this.options.onCollectorError?.(collector.name, error instanceof Error ? error : new Error(String(error)))
      return undefined
    }
  }
}
