// Nodes: per-node CPUs, memory, GPUs (from gres) and state; counts by state; totals per
// partition and for the cluster. The /nodes answer is streamed (50,000 nodes ≈ 125 MB).

import { type Collector, type CollectorSettings, collectStreamed } from '../collector.ts'
import type { FamilyWriter, SeriesSink } from '../series-policy.ts'
import { MIB_BYTES, noVal, parseGpus, stateLabel } from '../slurm-values.ts'

/** SlurmNode is the part of slurmrestd's `node` object the exporter reads. */
export interface SlurmNode {
  readonly name?: string
  readonly state?: readonly string[]
  readonly cpus?: number
  readonly alloc_cpus?: number
  readonly alloc_idle_cpus?: number
  readonly cpu_load?: number
  readonly real_memory?: number
  readonly alloc_memory?: number
  readonly free_mem?: unknown
  readonly gres?: string
  readonly gres_used?: string
  readonly partitions?: readonly string[]
}

interface Totals {
  nodes: number
  cpus: number
  cpusAlloc: number
  cpusIdle: number
  memoryBytes: number
  memoryAllocBytes: number
  gpus: number
  gpusAlloc: number
}

function emptyTotals(): Totals {
  return { nodes: 0, cpus: 0, cpusAlloc: 0, cpusIdle: 0, memoryBytes: 0, memoryAllocBytes: 0, gpus: 0, gpusAlloc: 0 }
}

/** NodeAggregator consumes nodes one at a time and writes the nodes families on finish. */
export class NodeAggregator {
  private readonly cluster = emptyTotals()
  private readonly byPartition = new Map<string, Totals>()
  private readonly byState = new Map<string, number>()
  private readonly byPartitionState = new Map<string, Map<string, number>>()
  private readonly perNode: {
    cpus: FamilyWriter | null
    cpusAlloc: FamilyWriter | null
    cpusIdle: FamilyWriter | null
    load: FamilyWriter | null
    memory: FamilyWriter | null
    memoryAlloc: FamilyWriter | null
    memoryFree: FamilyWriter | null
    gpus: FamilyWriter | null
    gpusAlloc: FamilyWriter | null
    state: FamilyWriter | null
  } | null

  constructor(
    private readonly sink: SeriesSink,
    settings: Pick<CollectorSettings, 'perNodeSeries'>,
  ) {
    const node = ['node']
    this.perNode = settings.perNodeSeries
      ? {
          cpus: sink.family('slurm_node_cpus', 'CPUs configured on the node.', 'gauge', node),
          cpusAlloc: sink.family('slurm_node_cpus_alloc', 'CPUs allocated to jobs on the node.', 'gauge', node),
          cpusIdle: sink.family('slurm_node_cpus_idle', 'CPUs idle on the node.', 'gauge', node),
          load: sink.family('slurm_node_cpu_load', 'CPU load average of the node.', 'gauge', node),
          memory: sink.family('slurm_node_memory_bytes', 'Real memory of the node.', 'gauge', node),
          memoryAlloc: sink.family('slurm_node_memory_alloc_bytes', 'Memory allocated to jobs on the node.', 'gauge', node),
          memoryFree: sink.family('slurm_node_memory_free_bytes', 'Free memory reported by the node.', 'gauge', node),
          gpus: sink.family('slurm_node_gpus', 'GPUs configured on the node, by GPU type.', 'gauge', ['node', 'type']),
          gpusAlloc: sink.family('slurm_node_gpus_alloc', 'GPUs in use on the node, by GPU type.', 'gauge', ['node', 'type']),
          state: sink.family('slurm_node_state_info', 'State of the node, flags joined by "+" (value is always 1).', 'gauge', ['node', 'state']),
        }
      : null
  }

  /** add accounts for one node. */
  add(node: SlurmNode): void {
    const name = node.name ?? ''
    const state = stateLabel(node.state)
    const cpus = node.cpus ?? 0
    const cpusAlloc = node.alloc_cpus ?? 0
    const cpusIdle = node.alloc_idle_cpus ?? Math.max(cpus - cpusAlloc, 0)
    const memoryBytes = (node.real_memory ?? 0) * MIB_BYTES
    const memoryAllocBytes = (node.alloc_memory ?? 0) * MIB_BYTES
    const gpus = parseGpus(node.gres)
    const gpusUsed = parseGpus(node.gres_used)
    let gpuCount = 0
    for (const g of gpus) gpuCount += g.count
    let gpuAlloc = 0
    for (const g of gpusUsed) gpuAlloc += g.count

    const p = this.perNode
    if (p !== null) {
      p.cpus?.add1(name, cpus)
      p.cpusAlloc?.add1(name, cpusAlloc)
      p.cpusIdle?.add1(name, cpusIdle)
      if (node.cpu_load !== undefined) p.load?.add1(name, node.cpu_load / 100)
      p.memory?.add1(name, memoryBytes)
      p.memoryAlloc?.add1(name, memoryAllocBytes)
      const free = noVal(node.free_mem)
      if (free !== undefined) p.memoryFree?.add1(name, free * MIB_BYTES)
      for (const g of gpus) {
        p.gpus?.add([name, g.type], g.count)
        p.gpusAlloc?.add([name, g.type], gpusUsed.find((u) => u.type === g.type)?.count ?? 0)
      }
      p.state?.add([name, state], 1)
    }

    this.byState.set(state, (this.byState.get(state) ?? 0) + 1)
    accumulate(this.cluster, cpus, cpusAlloc, cpusIdle, memoryBytes, memoryAllocBytes, gpuCount, gpuAlloc)
    for (const partition of node.partitions ?? []) {
      let totals = this.byPartition.get(partition)
      if (totals === undefined) {
        totals = emptyTotals()
        this.byPartition.set(partition, totals)
      }
      accumulate(totals, cpus, cpusAlloc, cpusIdle, memoryBytes, memoryAllocBytes, gpuCount, gpuAlloc)
      let states = this.byPartitionState.get(partition)
      if (states === undefined) {
        states = new Map()
        this.byPartitionState.set(partition, states)
      }
      states.set(state, (states.get(state) ?? 0) + 1)
    }
  }

  /** finish writes the aggregate families. */
  finish(): void {
    const { sink, cluster } = this
    const nodes = sink.family('slurm_nodes', 'Nodes by state, flags joined by "+".', 'gauge', ['state'])
    for (const [state, count] of this.byState) nodes?.add([state], count)
    const clusterFamilies: [string, string, number][] = [
      ['slurm_cluster_nodes', 'Nodes in the cluster.', cluster.nodes],
      ['slurm_cluster_cpus', 'CPUs configured in the cluster.', cluster.cpus],
      ['slurm_cluster_cpus_alloc', 'CPUs allocated to jobs in the cluster.', cluster.cpusAlloc],
      ['slurm_cluster_cpus_idle', 'CPUs idle in the cluster.', cluster.cpusIdle],
      ['slurm_cluster_memory_bytes', 'Real memory of all nodes.', cluster.memoryBytes],
      ['slurm_cluster_memory_alloc_bytes', 'Memory allocated to jobs in the cluster.', cluster.memoryAllocBytes],
      ['slurm_cluster_gpus', 'GPUs configured in the cluster.', cluster.gpus],
      ['slurm_cluster_gpus_alloc', 'GPUs in use in the cluster.', cluster.gpusAlloc],
    ]
    for (const [name, help, value] of clusterFamilies) sink.family(name, help, 'gauge', [])?.add([], value)

    const partitionFamilies: [string, string, (t: Totals) => number][] = [
      ['slurm_partition_cpus', 'CPUs of the nodes in the partition.', (t) => t.cpus],
      ['slurm_partition_cpus_alloc', 'CPUs allocated on the nodes of the partition.', (t) => t.cpusAlloc],
      ['slurm_partition_cpus_idle', 'CPUs idle on the nodes of the partition.', (t) => t.cpusIdle],
      ['slurm_partition_memory_bytes', 'Real memory of the nodes in the partition.', (t) => t.memoryBytes],
      ['slurm_partition_memory_alloc_bytes', 'Memory allocated on the nodes of the partition.', (t) => t.memoryAllocBytes],
      ['slurm_partition_gpus', 'GPUs of the nodes in the partition.', (t) => t.gpus],
      ['slurm_partition_gpus_alloc', 'GPUs in use on the nodes of the partition.', (t) => t.gpusAlloc],
    ]
    for (const [name, help, pick] of partitionFamilies) {
      const writer = sink.family(name, help, 'gauge', ['partition'])
      for (const [partition, totals] of this.byPartition) writer?.add([partition], pick(totals))
    }
    const partitionNodes = sink.family('slurm_partition_nodes', 'Nodes of the partition by state.', 'gauge', ['partition', 'state'])
    for (const [partition, states] of this.byPartitionState) {
      for (const [state, count] of states) partitionNodes?.add([partition, state], count)
    }
  }
}

function accumulate(
  t: Totals,
  cpus: number,
  cpusAlloc: number,
  cpusIdle: number,
  memoryBytes: number,
  memoryAllocBytes: number,
  gpus: number,
  gpusAlloc: number,
): void {
  t.nodes++
  t.cpus += cpus
  t.cpusAlloc += cpusAlloc
  t.cpusIdle += cpusIdle
  t.memoryBytes += memoryBytes
  t.memoryAllocBytes += memoryAllocBytes
  t.gpus += gpus
  t.gpusAlloc += gpusAlloc
}

/** nodesCollector reads GET /slurm/<version>/nodes as a stream. */
export const nodesCollector: Collector = {
  name: 'nodes',
  collect: (context) => collectStreamed<SlurmNode>(context, 'nodes', 'nodes', (sink, settings) => new NodeAggregator(sink, settings)),
}
