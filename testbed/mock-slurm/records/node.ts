// Builds one slurmctld node (`node`) from the model, superset of the served versions' keys.
import { nodeName } from '../cluster/hostlist.ts'
import { type Cluster, type NodeClass, NODE_REASONS, NodeFlag } from '../cluster/model.ts'
import { memoryTres, num, stateArray, ZERO } from './values.ts'

const EMPTY: never[] = []
const INVALID = ['INVALID']
const OS = 'Linux 6.12.43+deb13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.12.43-1 (2025-08-27)'
const ENERGY = { average_watts: 0, base_consumed_energy: 0, consumed_energy: 0, current_watts: ZERO, previous_consumed_energy: 0, last_collected: 0 }
const EMPTY_OBJECT = {}

// The state and partition lists of nodes are few distinct values; each is built once and frozen,
// so a record template serializes it once (record-template.ts).
const BASE_STATES = ['DOWN', 'IDLE', 'ALLOCATED', 'MIXED'] as const
const STATE_FLAG_BITS = 9
const stateArrays = new Map<number, readonly string[]>()
// Slurm's order of the node flags after the base state (24.11: ["IDLE","CLOUD","DRAIN","POWERED_DOWN"],
// ["MIXED","CLOUD","NOT_RESPONDING","POWERING_UP"]).
const NODE_FLAG_ORDER = ['RESERVED', 'CLOUD', 'DRAIN', 'COMPLETING', 'NOT_RESPONDING', 'POWERED_DOWN', 'POWERING_UP', 'PLANNED'] as const
// Partition lists by the bit set of partition indices, per cluster (partitions never change).
const partitionLists = new WeakMap<Cluster, Map<number, readonly string[]>>()
const MAX_INTERNED_PARTITIONS = 30

// The strings a node's class decides, built once per class instead of once per node.
interface ClassText {
  gres: string
  tres: string
  // gresUsed by allocated GPU count.
  gresUsed: string[]
}
const classTexts = new WeakMap<NodeClass, ClassText>()

function gresUsedText(cls: NodeClass, used: number): string {
  return cls.gpus > 0 ? `gpu:${cls.gpuType}:${used}(IDX:${used === 0 ? 'N/A' : `0-${used - 1}`})` : ''
}

function classText(cls: NodeClass): ClassText {
  let t = classTexts.get(cls)
  if (t === undefined) {
    const cpus = cls.sockets * cls.coresPerSocket * cls.threadsPerCore
    t = {
      gres: cls.gpus > 0 ? `gpu:${cls.gpuType}:${cls.gpus}` : '',
      tres: `cpu=${cpus},mem=${memoryTres(cls.realMemoryMb)},billing=${cpus}${cls.gpus > 0 ? `,gres/gpu=${cls.gpus}` : ''}`,
      gresUsed: Array.from({ length: cls.gpus + 1 }, (_, used) => gresUsedText(cls, used)),
    }
    classTexts.set(cls, t)
  }
  return t
}

/** nodeStateArray returns the node's `state` array: base state, then flags, in Slurm's order. */
export function nodeStateArray(c: Cluster, n: number, cpus: number): readonly string[] {
  const flags = c.nodes.flags[n]!
  const alloc = c.nodes.allocCpus[n]!
  const base = flags & NodeFlag.DOWN ? 0 : alloc === 0 ? 1 : alloc >= cpus ? 2 : 3
  const key = (base << STATE_FLAG_BITS) | (flags & ((1 << STATE_FLAG_BITS) - 1))
  return stateArray(stateArrays, key, BASE_STATES[base]!, flags, NodeFlag, NODE_FLAG_ORDER)
}

/** nodePartitions returns the names of the partitions containing node `n`. */
export function nodePartitions(c: Cluster, n: number): readonly string[] {
  const parts = c.partitions
  if (parts.length > MAX_INTERNED_PARTITIONS) return parts.filter((p) => n >= p.nodeStart && n < p.nodeEnd).map((p) => p.name)
  let mask = 0
  for (let i = 0; i < parts.length; i++) if (n >= parts[i]!.nodeStart && n < parts[i]!.nodeEnd) mask |= 1 << i
  let lists = partitionLists.get(c)
  if (lists === undefined) {
    lists = new Map()
    partitionLists.set(c, lists)
  }
  let list = lists.get(mask)
  if (list === undefined) {
    list = Object.freeze(parts.filter((_, i) => (mask & (1 << i)) !== 0).map((p) => p.name))
    lists.set(mask, list)
  }
  return list
}

/**
 * NODE_CONSTANTS are the `node` properties every node prints the same (superset of the served
 * versions' keys); the streamed /nodes serializes them once per response (record-template.ts).
 */
export const NODE_CONSTANTS: Readonly<Record<string, unknown>> = Object.freeze({
  architecture: 'x86_64',
  burstbuffer_network_address: '',
  boards: 1,
  tls_cert_last_renewal: ZERO,
  cert_flags: EMPTY,
  cluster_name: '',
  specialized_cores: 0,
  cpu_binding: 0,
  specialized_cpus: '',
  energy: ENERGY,
  external_sensors: EMPTY_OBJECT,
  extra: '',
  power: EMPTY_OBJECT,
  gpu_spec: '',
  instance_id: '',
  instance_type: '',
  mcs_label: '',
  specialized_memory: 0,
  next_state_after_reboot: INVALID,
  operating_system: OS,
  owner: '',
  port: 6818,
  res_cores_per_gpu: 0,
  comment: '',
  resume_after: ZERO,
  reservation: '',
  weight: 1,
  topology: '',
})

/** nodeVariables returns the `node` properties of node `n` that are not in NODE_CONSTANTS. */
export function nodeVariables(c: Cluster, n: number, release: string): Record<string, unknown> {
  const nodes = c.nodes
  const cls = c.classes[nodes.classOf[n]!] as NodeClass
  const name = nodeName(cls.prefix, nodes.number[n]!, cls.digits)
  const cpus = cls.sockets * cls.coresPerSocket * cls.threadsPerCore
  const alloc = nodes.allocCpus[n]!
  const allocMem = nodes.allocMemMb[n]!
  const allocGpus = nodes.allocGpus[n]!
  const down = (nodes.flags[n]! & NodeFlag.DOWN) !== 0
  const text = classText(cls)
  const tresUsed = alloc === 0 ? '' : `cpu=${alloc},mem=${memoryTres(allocMem)}${allocGpus > 0 ? `,gres/gpu=${allocGpus}` : ''}`
  // cpu_load is the 1-minute load ×100; a busy core contributes about one.
  const cpuLoad = down ? 0 : alloc * 100 + ((n * 37) % 50)
  const reason = NODE_REASONS[nodes.reason[n]!]!
  return {
    boot_time: down ? ZERO : num(nodes.bootTimeSec[n]!),
    cores: cls.coresPerSocket,
    cpu_load: cpuLoad,
    free_mem: down ? ZERO : num(Math.max(0, cls.realMemoryMb - allocMem - 4_096)),
    cpus,
    effective_cpus: cpus,
    features: cls.features,
    active_features: cls.features,
    gres: text.gres,
    gres_drained: cls.gpus > 0 ? 'N/A' : '',
    gres_used: text.gresUsed[allocGpus] ?? gresUsedText(cls, allocGpus),
    last_busy: num(alloc > 0 ? c.nowSec : nodes.lastBusySec[n]!),
    name,
    address: name,
    hostname: name,
    state: nodeStateArray(c, n, cpus),
    partitions: nodePartitions(c, n),
    real_memory: cls.realMemoryMb,
    reason,
    reason_changed_at: num(nodes.reasonTimeSec[n]!),
    reason_set_by_user: reason === '' ? '' : 'root',
    alloc_memory: allocMem,
    alloc_cpus: alloc,
    alloc_idle_cpus: cpus - alloc,
    tres_used: tresUsed,
    tres_weighted: alloc,
    slurmd_start_time: down ? ZERO : num(nodes.bootTimeSec[n]! + 60),
    sockets: cls.sockets,
    threads: cls.threadsPerCore,
    temporary_disk: cls.tmpDiskMb,
    tres: text.tres,
    version: release,
  }
}

/** buildNode returns node `n` as a `node` object. */
export function buildNode(c: Cluster, n: number, release: string): Record<string, unknown> {
  return { ...NODE_CONSTANTS, ...nodeVariables(c, n, release) }
}
