// The contract between the collection loop and the collectors.

import type { SeriesSink } from './series-policy.ts'
import type { SlurmClient } from './slurm-client.ts'

/** CollectorName names a collector; it is the `collector` label of the self-metrics. */
export type CollectorName = 'nodes' | 'jobs' | 'partitions' | 'diag' | 'shares' | 'licenses' | 'reservations'

/** COLLECTOR_NAMES lists every collector, in exposition order. */
export const COLLECTOR_NAMES: readonly CollectorName[] = ['nodes', 'jobs', 'partitions', 'diag', 'shares', 'licenses', 'reservations']

/** CollectorSettings are the options collectors read. */
export interface CollectorSettings {
  /** Per-node series (cpus, memory, GPUs, state of each node). */
  readonly perNodeSeries: boolean
  /** Per-job series (one set per job_id): the high-cardinality case, off by default. */
  readonly perJobSeries: boolean
}

/** CollectContext is what one collector run receives. */
export interface CollectContext {
  readonly client: SlurmClient
  /** Aborts at the scrape deadline. */
  readonly signal: AbortSignal
  readonly sink: SeriesSink
  readonly settings: CollectorSettings
  /** Wall-clock time of the scrape, in seconds since the epoch. */
  readonly nowS: number
}

/** Collector turns one slurmrestd endpoint into metric families. */
export interface Collector {
  readonly name: CollectorName
  collect(context: CollectContext): Promise<void>
}
