// The contract between the collection loop and the collectors, and the streamed collection the
// list collectors share.

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

/** ListAggregator folds a list's items, one at a time, into families it writes on finish. */
export interface ListAggregator<T> {
  add(item: T): void
  finish(): void
}

/**
 * collectStreamed reads the list `listKey` of `endpoint` as a stream into the aggregator
 * `newAggregator` makes (with `fields`, items hold only those members). A retried attempt starts
 * over with a fresh sink state and aggregator; only the last attempt's families count.
 */
export async function collectStreamed<T>(
  { client, signal, sink, settings }: CollectContext,
  endpoint: string,
  listKey: string,
  newAggregator: (sink: SeriesSink, settings: CollectorSettings) => ListAggregator<T>,
  fields?: readonly string[],
): Promise<void> {
  let aggregator: ListAggregator<T> | undefined
  let attemptSink: SeriesSink = sink
  await client.streamList(
    client.slurmPath(endpoint),
    listKey,
    signal,
    () => {
      attemptSink = sink.fresh()
      aggregator = newAggregator(attemptSink, settings)
    },
    (item) => aggregator?.add(item as T),
    fields,
  )
  aggregator?.finish()
  sink.adopt(attemptSink)
}
