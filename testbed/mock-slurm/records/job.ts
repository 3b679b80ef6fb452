// Builds one slurmctld job (`job_info`) from the model, with the keys of every served version:
// the per-version serializer keeps only the keys that version's spec lists, in its order.
import { hostlistRange, nodeName } from '../cluster/hostlist.ts'
import { type Cluster, type NodeClass, JOB_NAMES, JOB_REASONS, JOB_STATES, JobFlag, JobState } from '../cluster/model.ts'
import type { DataParserVersion } from '../versions.ts'
import { INFINITE, memoryTres, num, type NumberObject, stateArray, UNSET, ZERO } from './values.ts'

const ALLOCATED = ['ALLOCATED']
const UNALLOCATED = ['UNALLOCATED']
const SELECT_CORE = ['CORE']
const ONE_ROW = ['ONE_ROW']
// Values shared by many jobs are frozen: the record template keeps the text of frozen values.
const EMPTY: readonly never[] = Object.freeze([])
const SUCCESS = Object.freeze(['SUCCESS'])
const FAILED = ['ERROR']
const SIGNALED = ['SIGNALED']
const NO_SIGNAL = Object.freeze({ id: UNSET, name: '' })
const PENDING_EXIT = Object.freeze({ status: Object.freeze(['PENDING']), return_code: UNSET, signal: NO_SIGNAL })
const OK_EXIT = Object.freeze({ status: SUCCESS, return_code: ZERO, signal: NO_SIGNAL })
const BASE_FLAGS = Object.freeze(['USING_DEFAULT_QOS', 'USING_DEFAULT_WCKEY'])
const RAN_FLAGS = Object.freeze(['JOB_WAS_RUNNING', 'USING_DEFAULT_QOS', 'USING_DEFAULT_WCKEY'])
const NOT_SET = ['NOT_SET']
const POWER = { flags: EMPTY }
// job_state arrays by state and JobFlag bits, built once and frozen (record templates cache them).
const stateArrays = new Map<number, readonly string[]>()
// Slurm's order of the job flags after the state.
const JOB_FLAG_ORDER = ['CONFIGURING', 'POWER_UP_NODE', 'REQUEUED'] as const

/** jobStateArray returns job `slot`'s `job_state`: its state, then its flags in Slurm's order. */
export function jobStateArray(c: Cluster, slot: number): readonly string[] {
  const state = c.jobs.state[slot]!
  const flags = c.jobs.flags[slot]!
  return stateArray(stateArrays, (state << 3) | flags, JOB_STATES[state]!, flags, JobFlag, JOB_FLAG_ORDER)
}

function exitCode(state: number, code: number): object {
  if (state === JobState.PENDING || state === JobState.RUNNING) return state === JobState.PENDING ? PENDING_EXIT : OK_EXIT
  if (code === 0) return OK_EXIT
  if (code > 128) return { status: SIGNALED, return_code: UNSET, signal: { id: num(code - 128), name: code - 128 === 9 ? 'KILL' : 'TERM' } }
  return { status: FAILED, return_code: num(code), signal: NO_SIGNAL }
}

/** jobNodeList returns the hostlist of job `slot`'s allocation ('' when it has none). */
export function jobNodeList(c: Cluster, slot: number): string {
  const first = c.jobs.allocNode[slot]!
  if (first < 0) return ''
  const cls = c.classes[c.nodes.classOf[first]!] as NodeClass
  const last = first + c.jobs.nodeCount[slot]! - 1
  return hostlistRange(cls.prefix, c.nodes.number[first]!, c.nodes.number[last]!, cls.digits)
}

// Where job `slot` runs: its first node, node count and the nodes' class; the cores of one node,
// the CPUs the job holds on each, and the core a single-node job's allocation starts at.
interface CoreLayout {
  readonly first: number
  readonly nodeCount: number
  readonly cls: NodeClass
  readonly coresPerNode: number
  readonly cpusOnNode: number
  readonly offset: number
}

function coreLayout(c: Cluster, slot: number): CoreLayout {
  const j = c.jobs
  const first = j.allocNode[slot]!
  const nodeCount = j.nodeCount[slot]!
  const cls = c.classes[c.nodes.classOf[first]!] as NodeClass
  const coresPerNode = cls.sockets * cls.coresPerSocket
  const cpusOnNode = nodeCount === 1 ? j.cpus[slot]! : coresPerNode * cls.threadsPerCore
  const offset = nodeCount === 1 ? j.coreOffset[slot]! % coresPerNode : 0
  return { first, nodeCount, cls, coresPerNode, cpusOnNode, offset }
}

function jobResources(c: Cluster, slot: number, nodeList: string): object {
  const j = c.jobs
  const { first, nodeCount, cls, coresPerNode, cpusOnNode, offset } = coreLayout(c, slot)
  const allocation = new Array(nodeCount)
  for (let k = 0; k < nodeCount; k++) {
    const node = first + k
    const sockets = new Array(cls.sockets)
    for (let s = 0; s < cls.sockets; s++) {
      const cores = new Array(cls.coresPerSocket)
      for (let core = 0; core < cls.coresPerSocket; core++) {
        const flat = s * cls.coresPerSocket + core
        const rel = (flat - offset + coresPerNode) % coresPerNode
        cores[core] = { index: core, status: rel < cpusOnNode ? ALLOCATED : UNALLOCATED }
      }
      sockets[s] = { index: s, cores }
    }
    allocation[k] = {
      index: k,
      name: nodeName(cls.prefix, c.nodes.number[node]!, cls.digits),
      cpus: { count: cpusOnNode, used: 0 },
      memory: { used: 0, allocated: cpusOnNode * j.memPerCpuMb[slot]! },
      sockets,
    }
  }
  return {
    select_type: SELECT_CORE,
    nodes: { count: nodeCount, select_type: ONE_ROW, list: nodeList, whole: nodeCount > 1, allocation },
    cpus: j.cpus[slot]!,
    threads_per_core: UNSET,
  }
}

// v0.0.40's job_res: a hostlist, counts, and per node a map socket → core → status (24.11 prints
// `{"nodes":"n1","allocated_cores":1,…,"allocated_nodes":[{"sockets":{"0":{"cores":{"0":"allocated"}}},…}]}`).
function jobResourcesV40(c: Cluster, slot: number, nodeList: string): object {
  const j = c.jobs
  const { first, nodeCount, cls, coresPerNode, cpusOnNode, offset } = coreLayout(c, slot)
  const allocated = new Array(nodeCount)
  for (let k = 0; k < nodeCount; k++) {
    const sockets: Record<string, { cores: Record<string, string> }> = {}
    for (let core = 0; core < cpusOnNode && core < coresPerNode; core++) {
      const flat = (core + offset) % coresPerNode
      const socket = String(Math.floor(flat / cls.coresPerSocket))
      sockets[socket] ??= { cores: {} }
      sockets[socket].cores[String(flat % cls.coresPerSocket)] = 'allocated'
    }
    allocated[k] = {
      sockets,
      nodename: nodeName(cls.prefix, c.nodes.number[first + k]!, cls.digits),
      cpus_used: 0,
      memory_used: 0,
      memory_allocated: cpusOnNode * j.memPerCpuMb[slot]!,
    }
  }
  return {
    nodes: nodeList,
    allocated_cores: Math.min(j.cpus[slot]!, coresPerNode * nodeCount),
    allocated_cpus: 0,
    allocated_hosts: nodeCount,
    allocated_nodes: allocated,
  }
}

function timeObject(sec: number): NumberObject {
  return sec === 0 ? ZERO : num(sec)
}

/**
 * JOB_CONSTANTS are the `job_info` properties every job prints the same (superset of the v0.0.40–
 * v0.0.44 keys); the streamed /jobs serializes them once per response (record-template.ts).
 */
export const JOB_CONSTANTS: Readonly<Record<string, unknown>> = Object.freeze({
  admin_comment: '',
  allocating_node: 'login1',
  array_max_tasks: ZERO,
  array_task_string: '',
  batch_features: '',
  batch_flag: true,
  burst_buffer: '',
  burst_buffer_state: '',
  cluster_features: '',
  comment: '',
  container: '',
  container_id: '',
  contiguous: false,
  core_spec: 0,
  thread_spec: 32_766,
  cores_per_socket: UNSET,
  cpus_per_task: num(1),
  cpu_frequency_minimum: UNSET,
  cpu_frequency_maximum: UNSET,
  cpu_frequency_governor: UNSET,
  cpus_per_tres: '',
  cron: '',
  deadline: ZERO,
  delay_boot: ZERO,
  dependency: '',
  excluded_nodes: '',
  extra: '',
  failed_node: '',
  features: '',
  federation_origin: '',
  federation_siblings_active: '',
  federation_siblings_viable: '',
  group_id: 10_000,
  group_name: 'users',
  het_job_id: ZERO,
  het_job_id_set: '',
  het_job_offset: ZERO,
  job_size_str: EMPTY,
  licenses: '',
  licenses_allocated: '',
  mail_type: EMPTY,
  max_cpus: ZERO,
  max_nodes: ZERO,
  mcs_label: '',
  memory_per_tres: '',
  network: '',
  nice: 0,
  tasks_per_core: INFINITE,
  tasks_per_tres: ZERO,
  tasks_per_node: ZERO,
  tasks_per_socket: INFINITE,
  tasks_per_board: ZERO,
  prefer: '',
  memory_per_node: UNSET,
  minimum_tmp_disk_per_node: ZERO,
  power: POWER,
  preempt_time: ZERO,
  preemptable_time: ZERO,
  pre_sus_time: ZERO,
  hold: false,
  priority_by_partition: EMPTY,
  profile: NOT_SET,
  reboot: false,
  required_nodes: '',
  required_switches: 0,
  minimum_switches: 0,
  exclusive: EMPTY,
  oversubscribe: true,
  show_flags: ['DETAIL', 'LOCAL'],
  requeue: true,
  resize_time: ZERO,
  restart_cnt: 0,
  resv_name: '',
  scheduled_nodes: '',
  segment_size: 0,
  selinux_context: '',
  shared: EMPTY,
  sockets_per_board: 0,
  sockets_per_node: UNSET,
  state_description: '',
  standard_input: '/dev/null',
  standard_output: 'slurm-%j.out',
  standard_error: '',
  stdin_expanded: '/dev/null',
  stderr_expanded: '',
  suspend_time: ZERO,
  system_comment: '',
  time_minimum: ZERO,
  threads_per_core: UNSET,
  tres_bind: '',
  tres_freq: '',
  tres_per_job: '',
  tres_per_socket: '',
  tres_per_task: '',
  maximum_switch_wait_time: 0,
  wckey: '',
})

/**
 * jobVariables returns the `job_info` properties of job `slot` that are not in JOB_CONSTANTS, for
 * data parser `version` (job_resources changed shape after v0.0.40).
 */
export function jobVariables(c: Cluster, slot: number, version: DataParserVersion = 'v0.0.44', unallocated: null | object = null): Record<string, unknown> {
  const j = c.jobs
  const state = j.state[slot]!
  const user = c.users[j.user[slot]!]!
  const account = c.accounts[j.account[slot]!]!.name
  const part = c.partitions[j.partition[slot]!]!
  const cls = c.classes[part.classIndex] as NodeClass
  const id = j.id[slot]!
  const name = JOB_NAMES[j.name[slot]!]!
  const cpus = j.cpus[slot]!
  const nodeCount = j.nodeCount[slot]!
  const memPerCpu = j.memPerCpuMb[slot]!
  const gpus = j.gpusPerNode[slot]!
  const started = state !== JobState.PENDING
  const nodes = jobNodeList(c, slot)
  const isArray = j.arrayTaskId[slot]! >= 0
  const tresReq = `cpu=${cpus},mem=${memoryTres(cpus * memPerCpu)},node=${nodeCount},billing=${cpus}${gpus > 0 ? `,gres/gpu=${gpus * nodeCount}` : ''}`
  const exit = exitCode(state, j.exitCode[slot]!)
  const home = `/home/${user.name}`
  return {
    account,
    accrue_time: started ? num(j.submitSec[slot]!) : num(j.submitSec[slot]! + 1),
    array_job_id: isArray ? num(j.arrayJobId[slot]!) : ZERO,
    array_task_id: isArray ? num(j.arrayTaskId[slot]!) : UNSET,
    association_id: 100 + j.user[slot]! * 4 + (j.account[slot]! % 4),
    batch_host: nodes === '' ? '' : nodes.replace(/\[(\d+)-\d+\]$/, '$1'),
    flags: started ? RAN_FLAGS : BASE_FLAGS,
    cluster: c.name,
    command: `${home}/jobs/${name}`,
    billable_tres: num(cpus),
    derived_exit_code: exit,
    eligible_time: num(j.submitSec[slot]!),
    end_time: timeObject(j.endSec[slot]!),
    exit_code: exit,
    gres_detail: gpus > 0 && j.allocNode[slot]! >= 0 ? [`gpu:${cls.gpuType}:${gpus}(IDX:0-${gpus - 1})`] : EMPTY,
    job_id: id,
    // A job without an allocation prints null (v0.0.41 from 24.11 on, v0.0.42+) or {} (v0.0.40,
    // and v0.0.41 in 24.05): the caller says which; openapi/extract.ts applyRuntimeQuirks.
    job_resources: j.allocNode[slot]! < 0 ? unallocated : version === 'v0.0.40' ? jobResourcesV40(c, slot, nodes) : jobResources(c, slot, nodes),
    job_state: jobStateArray(c, slot),
    last_sched_evaluation: num(started ? j.startSec[slot]! : c.lastBackfillSec),
    mail_user: user.name,
    name,
    nodes,
    cpus: num(cpus),
    node_count: num(nodeCount),
    tasks: num(cpus),
    partition: part.name,
    memory_per_cpu: num(memPerCpu),
    minimum_cpus_per_node: num(nodeCount > 1 ? cpus / nodeCount : cpus),
    priority: num(state === JobState.PENDING ? j.priority[slot]! : 0),
    qos: c.qos[j.qos[slot]!]!.name,
    step_id: { sluid: '', job_id: num(id), step_het_component: UNSET, step_id: 'entire' },
    start_time: timeObject(j.startSec[slot]!),
    state_reason: JOB_REASONS[j.reason[slot]!]!,
    stdout_expanded: `${home}/slurm-${id}.out`,
    submit_time: num(j.submitSec[slot]!),
    submit_line: `sbatch --partition ${part.name} --ntasks ${cpus} --time ${j.timeLimitMin[slot]!} ${home}/jobs/${name}`,
    time_limit: num(j.timeLimitMin[slot]!),
    tres_per_node: gpus > 0 ? `gres/gpu:${gpus}` : '',
    tres_req_str: tresReq,
    tres_alloc_str: started ? tresReq : '',
    user_id: user.uid,
    user_name: user.name,
    current_working_directory: home,
  }
}

/** buildJob returns job `slot` as a `job_info` object (superset of the keys of `version` and later ones). */
export function buildJob(c: Cluster, slot: number, version: DataParserVersion = 'v0.0.44'): Record<string, unknown> {
  return { ...JOB_CONSTANTS, ...jobVariables(c, slot, version) }
}

/** buildJobState returns job `slot` in the `jobs/state` shape: `{job_id: "123" | "123_4", state}`. */
export function buildJobState(c: Cluster, slot: number): { job_id: string; state: string[] } {
  const j = c.jobs
  const task = j.arrayTaskId[slot]!
  return {
    job_id: task >= 0 ? `${j.arrayJobId[slot]!}_${task}` : String(j.id[slot]!),
    state: [...jobStateArray(c, slot)],
  }
}
