// Builds one partition (`partition_info`) from the model.
import { hostlistRange } from '../cluster/hostlist.ts'
import { type Cluster, type NodeClass, type Partition, nodeCpus } from '../cluster/model.ts'
import { INFINITE, memoryTres, memPerCpuRaw, num, UNSET } from './values.ts'

const UP = ['UP']
const EMPTY: never[] = []

/** partitionNodeList returns the hostlist of a partition's nodes. */
export function partitionNodeList(c: Cluster, p: Partition): string {
  if (p.nodeEnd <= p.nodeStart) return ''
  const cls = c.classes[p.classIndex] as NodeClass
  return hostlistRange(cls.prefix, c.nodes.number[p.nodeStart]!, c.nodes.number[p.nodeEnd - 1]!, cls.digits)
}

/** buildPartition returns partition `p` as a `partition_info` object. */
export function buildPartition(c: Cluster, p: Partition): Record<string, unknown> {
  const cls = c.classes[p.classIndex] as NodeClass
  const total = p.nodeEnd - p.nodeStart
  const cpus = total === 0 ? 0 : total * nodeCpus(c, p.nodeStart)
  return {
    nodes: { allowed_allocation: '', configured: partitionNodeList(c, p), total },
    accounts: { allowed: '', deny: '' },
    groups: { allowed: '' },
    qos: { allowed: p.qosAllowed, deny: '', assigned: '' },
    alternate: '',
    tres: {
      billing_weights: '',
      configured: `cpu=${cpus},mem=${memoryTres(total * cls.realMemoryMb)},node=${total},billing=${cpus}${cls.gpus > 0 ? `,gres/gpu=${total * cls.gpus}` : ''}`,
    },
    cluster: '',
    select_type: EMPTY,
    cpus: { task_binding: 0, total: cpus },
    defaults: {
      memory_per_cpu: memPerCpuRaw(p.defMemPerCpuMb),
      partition_memory_per_cpu: num(p.defMemPerCpuMb),
      partition_memory_per_node: UNSET,
      time: num(p.defaultTimeMin),
      job: '',
    },
    grace_time: 0,
    maximums: {
      cpus_per_node: INFINITE,
      cpus_per_socket: INFINITE,
      memory_per_cpu: 0,
      partition_memory_per_cpu: UNSET,
      partition_memory_per_node: num(0),
      nodes: INFINITE,
      shares: 1,
      oversubscribe: { jobs: 1, flags: EMPTY },
      time: num(p.maxTimeMin),
      over_time_limit: UNSET,
    },
    minimums: { nodes: 0 },
    name: p.name,
    node_sets: '',
    priority: { job_factor: 1, tier: p.priorityTier },
    timeouts: { resume: UNSET, suspend: UNSET },
    topology: '',
    partition: { state: UP },
    suspend_time: UNSET,
  }
}
