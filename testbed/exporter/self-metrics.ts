// The exporter's metrics about itself, named as the validation framework's dashboards and alerts
// expect (research note §2: slurm_exporter_scrape_duration_seconds, _collections_total,
// _collection_errors_total, _cardinality_current).

import type { CollectorName } from './collector.ts'
import { emptyCounts, type HistogramCounts, histogramFamily, observe } from './histogram-counts.ts'
import type { MetricFamily, SampleFamily } from './metric-family.ts'
import { gcFamily } from './gc-metrics.ts'

/** SCRAPE_DURATION_BUCKETS_S spans a 10 ms answer from a small cluster to a minute-long timeout. */
export const SCRAPE_DURATION_BUCKETS_S: readonly number[] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

interface CollectorStats extends HistogramCounts {
  collections: number
  errors: number
  up: number
}

/** CollectorOutcome is the result of one collector run, as the self-metrics record it. */
export interface CollectorOutcome {
  readonly collector: CollectorName
  readonly durationS: number
  readonly ok: boolean
}

/** SelfMetrics accumulates the exporter's own counters and histograms across collections. */
export class SelfMetrics {
  private readonly stats = new Map<CollectorName, CollectorStats>()
  private readonly droppedByFamily = new Map<string, number>()
  private cardinality = new Map<string, number>()

  constructor(
    collectors: readonly CollectorName[],
    /** Entries of slurmrestd's warnings[] per endpoint, counted by the client. */
    private readonly warningsByEndpoint: ReadonlyMap<string, number> = new Map(),
  ) {
    for (const name of collectors) {
      this.stats.set(name, { ...emptyCounts(SCRAPE_DURATION_BUCKETS_S), collections: 0, errors: 0, up: 0 })
    }
  }

  /** record adds one collector run. */
  record(outcome: CollectorOutcome): void {
    const s = this.stats.get(outcome.collector)
    if (s === undefined) return
    observe(s, SCRAPE_DURATION_BUCKETS_S, outcome.durationS)
    s.collections++
    if (!outcome.ok) s.errors++
    s.up = outcome.ok ? 1 : 0
  }

  /** recordSeries sets the current series count per family and adds the series the limit dropped. */
  recordSeries(seriesByFamily: Map<string, number>, droppedByFamily: Map<string, number>): void {
    this.cardinality = seriesByFamily
    for (const [family, dropped] of droppedByFamily) {
      this.droppedByFamily.set(family, (this.droppedByFamily.get(family) ?? 0) + dropped)
    }
  }

  /** families returns the self-metric families as of now. */
  families(): MetricFamily[] {
    const names = [...this.stats.keys()]
    const histogram = histogramFamily(
      'slurm_exporter_scrape_duration_seconds',
      'Time each collector took to read slurmrestd and build its metrics.',
      'collector',
      SCRAPE_DURATION_BUCKETS_S,
      names,
      (name) => this.stats.get(name as CollectorName) as CollectorStats,
    )
    const perCollector = (name: string, help: string, type: 'gauge' | 'counter', read: (s: CollectorStats) => number): SampleFamily => ({
      kind: 'samples',
      name,
      help,
      type,
      labelNames: ['collector'],
      labelValues: names,
      values: names.map((n) => read(this.stats.get(n) as CollectorStats)),
    })
    const perFamily = (name: string, help: string, type: 'gauge' | 'counter', map: Map<string, number>): SampleFamily => ({
      kind: 'samples',
      name,
      help,
      type,
      labelNames: ['family'],
      labelValues: [...map.keys()],
      values: [...map.values()],
    })
    return [
      histogram,
      perCollector('slurm_exporter_collections_total', 'Collector runs, successful or not.', 'counter', (s) => s.collections),
      perCollector(
        'slurm_exporter_collection_errors_total',
        'Collector runs that failed (slurmrestd error, timeout, invalid answer).',
        'counter',
        (s) => s.errors,
      ),
      perCollector('slurm_exporter_collector_up', 'Whether the last run of the collector succeeded (1) or not (0).', 'gauge', (s) => s.up),
      perFamily(
        'slurm_exporter_cardinality_current',
        'Series in the family after filtering and the cardinality limit, at the last collection.',
        'gauge',
        this.cardinality,
      ),
      perFamily('slurm_exporter_dropped_series_total', 'Series dropped because the family reached its cardinality limit.', 'counter', this.droppedByFamily),
      {
        kind: 'samples',
        name: 'slurm_exporter_slurmrestd_warnings_total',
        help: "Entries of slurmrestd's warnings[] in its answers, by endpoint (each distinct text is logged once).",
        type: 'counter',
        labelNames: ['endpoint'],
        labelValues: [...this.warningsByEndpoint.keys()],
        values: [...this.warningsByEndpoint.values()],
      },
    ]
  }
}

/** ServedCollection describes, at answer time, the collection whose data a scrape is served. */
export interface ServedCollection {
  /** AgeS is the time since that collection began reading slurmrestd: the oldest its data can be. */
  readonly ageS: number
  /** DurationS is how long that collection took. */
  readonly durationS: number
  /** Mode is how collections run now (auto mode reports the one it is in). */
  readonly mode: EffectiveMode
}

/** EffectiveMode is how collections run at a given moment: per scrape, or on their own clock. */
export type EffectiveMode = 'on-demand' | 'background'

const EFFECTIVE_MODES: readonly EffectiveMode[] = ['on-demand', 'background']

/**
 * answerFamilies returns the families computed per answer rather than per collection: the served
 * data's age and collection time, the collection mode, and the process metrics. In background
 * mode one collection serves many scrapes, so these must be fresh at each one.
 */
export function answerFamilies(served: ServedCollection): MetricFamily[] {
  return [
    scalar(
      'slurm_exporter_collection_age_seconds',
      'Seconds since the collection whose data this answer holds began reading slurmrestd.',
      'gauge',
      served.ageS,
    ),
    scalar('slurm_exporter_collection_duration_seconds', 'Wall time of the collection whose data this answer holds.', 'gauge', served.durationS),
    {
      kind: 'samples',
      name: 'slurm_exporter_collection_mode',
      help: 'How collections run now: 1 for the current mode (on-demand: each scrape collects; background: scrapes get the latest collection).',
      type: 'gauge',
      labelNames: ['mode'],
      labelValues: [...EFFECTIVE_MODES],
      values: EFFECTIVE_MODES.map((mode) => (mode === served.mode ? 1 : 0)),
    },
    ...processFamilies(),
  ]
}

function scalar(name: string, help: string, type: 'gauge' | 'counter', value: number): SampleFamily {
  return { kind: 'samples', name, help, type, labelNames: [], labelValues: [], values: [value] }
}

const PROCESS_START_TIME_S = Math.round((Date.now() - performance.now()) / 1000)

// The standard process_* metrics of Prometheus client libraries, which load-test dashboards
// watch (research note §2: process_resident_memory_bytes).
function processFamilies(): MetricFamily[] {
  const usage = process.cpuUsage()
  return [
    scalar('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', 'counter', (usage.user + usage.system) / 1e6),
    scalar('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', process.memoryUsage.rss()),
    scalar('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', 'gauge', PROCESS_START_TIME_S),
    scalar('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', 'gauge', process.memoryUsage().heapUsed),
    gcFamily(),
  ]
}
