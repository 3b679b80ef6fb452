// Partitions: configuration and state of each partition (node and CPU totals come from the
// nodes collector, which sees what is allocated).

import type { CollectContext, Collector } from '../collector.ts'
import type { SeriesSink } from '../series-policy.ts'
import { listOf, noVal, stateLabel } from '../slurm-values.ts'

/** SlurmPartition is the part of slurmrestd's `partition_info` the exporter reads. */
export interface SlurmPartition {
  readonly name?: string
  readonly partition?: { readonly state?: readonly string[] }
  readonly nodes?: { readonly total?: number }
  readonly cpus?: { readonly total?: number }
  readonly maximums?: { readonly time?: unknown }
  readonly priority?: { readonly tier?: number; readonly job_factor?: number }
}

/** writePartitions writes the partition families for a list of partitions. */
export function writePartitions(partitions: readonly SlurmPartition[], sink: SeriesSink): void {
  const info = sink.family('slurm_partition_info', 'State of the partition (value is always 1).', 'gauge', ['partition', 'state'])
  const up = sink.family('slurm_partition_up', 'Whether the partition is UP (1) or not (0).', 'gauge', ['partition'])
  const nodes = sink.family('slurm_partition_configured_nodes', 'Nodes configured in the partition.', 'gauge', ['partition'])
  const cpus = sink.family('slurm_partition_configured_cpus', 'CPUs configured in the partition.', 'gauge', ['partition'])
  const maxTime = sink.family('slurm_partition_max_time_seconds', 'Time limit of jobs in the partition (+Inf when unlimited).', 'gauge', ['partition'])
  const tier = sink.family('slurm_partition_priority_tier', 'Priority tier of the partition.', 'gauge', ['partition'])
  for (const p of partitions) {
    const name = p.name ?? ''
    const states = p.partition?.state ?? []
    info?.add([name, stateLabel(states)], 1)
    up?.add([name], states.includes('UP') ? 1 : 0)
    if (p.nodes?.total !== undefined) nodes?.add([name], p.nodes.total)
    if (p.cpus?.total !== undefined) cpus?.add([name], p.cpus.total)
    const minutes = noVal(p.maximums?.time)
    if (minutes !== undefined) maxTime?.add([name], minutes * 60)
    if (p.priority?.tier !== undefined) tier?.add([name], p.priority.tier)
  }
}

/** partitionsCollector reads GET /slurm/<version>/partitions. */
export const partitionsCollector: Collector = {
  name: 'partitions',
  async collect({ client, signal, sink }: CollectContext): Promise<void> {
    const answer = await client.getJson(client.slurmPath('partitions'), signal)
    writePartitions(listOf<SlurmPartition>(answer, 'partitions', client.slurmPath('partitions')), sink)
  },
}
