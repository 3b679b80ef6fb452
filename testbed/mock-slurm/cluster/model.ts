// The in-memory cluster: compact typed arrays for nodes and jobs, small object arrays for the
// rest. Records in Slurm's JSON shape are built from it one at a time while a response streams,
// so a 500,000-job cluster costs tens of megabytes, not gigabytes.

/** JOB_STATES are the job states the generator uses, indexed by JobTable.state. */
export const JOB_STATES = [
  'PENDING',
  'RUNNING',
  'SUSPENDED',
  'COMPLETED',
  'CANCELLED',
  'FAILED',
  'TIMEOUT',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'COMPLETING',
] as const
/** Job state indices into JOB_STATES. */
export const JobState = {
  PENDING: 0,
  RUNNING: 1,
  SUSPENDED: 2,
  COMPLETED: 3,
  CANCELLED: 4,
  FAILED: 5,
  TIMEOUT: 6,
  NODE_FAIL: 7,
  OUT_OF_MEMORY: 8,
  COMPLETING: 9,
} as const

/** JOB_REASONS are `state_reason` values, indexed by JobTable.reason. */
export const JOB_REASONS = [
  'None',
  'Priority',
  'Resources',
  'Dependency',
  'BeginTime',
  'QOSMaxCpuPerUserLimit',
  'AssocGrpCpuLimit',
  'JobArrayTaskLimit',
  'ReqNodeNotAvail',
  'TimeLimit',
  'NonZeroExitCode',
  'JobHeldUser',
  'JobHeldAdmin',
] as const
/** Reason indices into JOB_REASONS. */
export const JobReason = {
  None: 0,
  Priority: 1,
  Resources: 2,
  Dependency: 3,
  BeginTime: 4,
  QOSMaxCpuPerUserLimit: 5,
  AssocGrpCpuLimit: 6,
  JobArrayTaskLimit: 7,
  ReqNodeNotAvail: 8,
  TimeLimit: 9,
  NonZeroExitCode: 10,
  JobHeldUser: 11,
  JobHeldAdmin: 12,
} as const

/**
 * JobFlag bits in JobTable.flags: state flags printed after the base state, in Slurm's order
 * (24.11 prints a job starting on a powering-up cloud node as ["RUNNING","CONFIGURING","POWER_UP_NODE"]).
 */
export const JobFlag = { CONFIGURING: 1, POWER_UP_NODE: 2, REQUEUED: 4 } as const

/** JOB_NAMES are job names, indexed by JobTable.name. */
export const JOB_NAMES = [
  'wrap',
  'train.sh',
  'md_run',
  'vasp',
  'gromacs',
  'lammps',
  'cp2k',
  'preprocess',
  'postprocess',
  'jupyter',
  'bash',
  'analysis.py',
  'sim',
  'nextflow',
  'snakemake',
  'array_task',
] as const

/**
 * Node flag bits in NodeTable.flags; the base state (IDLE/MIXED/ALLOCATED) follows from
 * alloc_cpus. CLOUD nodes with power saving are POWERED_DOWN until a job needs them, then
 * POWERING_UP (and NOT_RESPONDING while they boot), as on a real 24.11 cluster.
 */
export const NodeFlag = {
  DOWN: 1,
  DRAIN: 2,
  COMPLETING: 4,
  PLANNED: 8,
  NOT_RESPONDING: 16,
  RESERVED: 32,
  CLOUD: 64,
  POWERED_DOWN: 128,
  POWERING_UP: 256,
} as const

/** NODE_REASONS are drain/down reasons, indexed by NodeTable.reason (0 = none). */
export const NODE_REASONS = [
  '',
  'Not responding',
  'Kill task failed',
  'hardware: DIMM errors',
  'maintenance',
  'GPU XID 79',
  'Node unexpectedly rebooted',
  'health check failed: /scratch',
] as const

/** NodeClass describes one hardware type; its nodes are numbered prefix0001…. */
export interface NodeClass {
  prefix: string
  digits: number
  first: number
  count: number
  sockets: number
  coresPerSocket: number
  threadsPerCore: number
  realMemoryMb: number
  gpus: number
  gpuType: string
  /** features is frozen: records share it (record-template.ts caches the text of frozen values). */
  features: readonly string[]
  /** tmpDiskMb is `temporary_disk`. */
  tmpDiskMb: number
}

/** NodeTable holds per-node mutable state; node i belongs to classOf[i]. */
export interface NodeTable {
  count: number
  classOf: Uint8Array
  /** number is the node's suffix number within its class. */
  number: Uint32Array
  flags: Uint16Array
  allocCpus: Uint16Array
  allocMemMb: Uint32Array
  allocGpus: Uint8Array
  reason: Uint8Array
  reasonTimeSec: Uint32Array
  bootTimeSec: Uint32Array
  lastBusySec: Uint32Array
}

/** Partition is a contiguous range of node indices of one class, with its limits. */
export interface Partition {
  name: string
  classIndex: number
  nodeStart: number
  /** nodeEnd is exclusive. */
  nodeEnd: number
  maxTimeMin: number
  defaultTimeMin: number
  defMemPerCpuMb: number
  priorityTier: number
  isDefault: boolean
  qosAllowed: string
  /** cursor is where the first-fit allocator resumes its scan. */
  cursor: number
}

/** JobTable holds every job in parallel typed arrays; slot i is one job. */
export interface JobTable {
  count: number
  id: Uint32Array
  state: Uint8Array
  reason: Uint8Array
  user: Uint16Array
  account: Uint16Array
  partition: Uint8Array
  qos: Uint8Array
  name: Uint8Array
  submitSec: Uint32Array
  startSec: Uint32Array
  endSec: Uint32Array
  timeLimitMin: Uint32Array
  cpus: Uint32Array
  nodeCount: Uint16Array
  memPerCpuMb: Uint32Array
  gpusPerNode: Uint8Array
  /** allocNode is the first allocated node index, -1 when none. */
  allocNode: Int32Array
  /** coreOffset is the first core used on a shared node. */
  coreOffset: Uint16Array
  arrayJobId: Uint32Array
  /** arrayTaskId is -1 for a job that is not an array task. */
  arrayTaskId: Int32Array
  priority: Uint32Array
  exitCode: Uint8Array
  /** flags are JobFlag bits. */
  flags: Uint8Array
}

/** User is a cluster user with its accounts (the first is the default). */
export interface User {
  name: string
  uid: number
  accounts: number[]
}

/** Account is a Slurm bank account under an organisation. */
export interface Account {
  name: string
  organization: string
  parent: string
}

/** Qos is a quality of service. */
export interface Qos {
  name: string
  priority: number
  maxWallMin: number
  usageFactor: number
}

/** License is a cluster-wide licence pool. */
export interface License {
  name: string
  total: number
  used: number
}

/** Reservation is an advance reservation over a node range. */
export interface Reservation {
  name: string
  nodeStart: number
  nodeEnd: number
  startSec: number
  endSec: number
  users: string
  flags: string[]
}

/** Cluster is the whole generated model; mutable through cluster/evolve.ts only. */
export interface Cluster {
  seed: number
  name: string
  /** epochSec is the wall time the model calls "generation time". */
  epochSec: number
  /** nowSec is the model's current time, advanced by evolve. */
  nowSec: number
  classes: NodeClass[]
  nodes: NodeTable
  partitions: Partition[]
  users: User[]
  accounts: Account[]
  qos: Qos[]
  licenses: License[]
  reservations: Reservation[]
  jobs: JobTable
  /** jobSlot maps a job id to its slot in `jobs`. */
  jobSlot: Map<number, number>
  nextJobId: number
  jobsLastUpdateSec: number
  nodesLastUpdateSec: number
  partitionsLastUpdateSec: number
  lastBackfillSec: number
  /** events counts the state changes applied since generation. */
  events: number
}

/** nodeCpus returns the CPU count of node `node`. */
export function nodeCpus(cluster: Cluster, node: number): number {
  const c = cluster.classes[cluster.nodes.classOf[node] as number] as NodeClass
  return c.sockets * c.coresPerSocket * c.threadsPerCore
}

/** isNodeUsable reports whether new work may start on a node (not down, draining or powered down). */
export function isNodeUsable(cluster: Cluster, node: number): boolean {
  return (cluster.nodes.flags[node]! & (NodeFlag.DOWN | NodeFlag.DRAIN | NodeFlag.POWERED_DOWN)) === 0
}
