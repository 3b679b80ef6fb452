// The deterministic cluster generator: the same seed and size give the same cluster, byte for
// byte, on any machine. Each concern draws from its own PRNG stream so that, say, adding users
// does not reshuffle node states.
import { allocateJob, allocateOn } from './allocate.ts'
import {
  type Account,
  type Cluster,
  type JobTable,
  type License,
  type NodeClass,
  type NodeTable,
  type Partition,
  type Qos,
  type Reservation,
  type User,
  JOB_NAMES,
  JobFlag,
  JobReason,
  JobState,
  NodeFlag,
} from './model.ts'
import { deriveSeed, Prng } from '../../../common/prng.ts'
import { type ClusterSize, MAX_USERS } from './presets.ts'

/** GenerateOptions are the generator's inputs. */
export interface GenerateOptions extends ClusterSize {
  seed: number
  /** clusterName is `meta.slurm.cluster` and `cluster` in records. */
  clusterName: string
  /** epochSec is the generation time; every timestamp is relative to it. */
  epochSec: number
}

// Shares of the hardware classes; every class gets at least one node so every partition is real.
const GPU_NODE_SHARE = 0.15
const BIGMEM_NODE_SHARE = 0.05
// Slurm's default MinJobAge: finished jobs stay visible this long.
const MIN_JOB_AGE_SEC = 300
const JOB_ID_BASE = 1_000_001
const ARRAY_JOB_SHARE = 0.08
const DEBUG_PARTITION_NODES = 32
const TARGET_UTILIZATION = 0.8

const SURNAMES = [
  'smith',
  'jones',
  'beck',
  'hartman',
  'wilson',
  'garcia',
  'muller',
  'rossi',
  'tanaka',
  'kim',
  'nguyen',
  'silva',
  'novak',
  'dubois',
  'larsen',
  'kowalski',
  'ivanov',
  'chen',
  'patel',
  'singh',
  'okafor',
  'mensah',
  'haddad',
  'cohen',
  'fischer',
  'weber',
  'moreau',
  'bianchi',
  'santos',
  'olsen',
  'berg',
  'lind',
  'sato',
  'suzuki',
  'park',
  'lee',
  'wang',
  'zhang',
  'liu',
  'yang',
  'huang',
  'zhao',
  'ali',
  'khan',
  'ahmed',
  'hassan',
  'lopez',
  'martin',
  'bernard',
  'petit',
]
const FIELDS = ['physics', 'chemistry', 'biology', 'climate', 'astro', 'materials', 'genomics', 'ml', 'cfd', 'economics']

function nodeClasses(total: number): NodeClass[] {
  const gpu = Math.max(1, Math.round(total * GPU_NODE_SHARE))
  const mem = Math.max(1, Math.round(total * BIGMEM_NODE_SHARE))
  const cpu = Math.max(1, total - gpu - mem)
  const digits = (n: number) => Math.max(3, String(n).length)
  return [
    {
      prefix: 'cn',
      digits: digits(cpu),
      first: 1,
      count: cpu,
      sockets: 2,
      coresPerSocket: 32,
      threadsPerCore: 1,
      realMemoryMb: 262_144,
      gpus: 0,
      gpuType: '',
      features: Object.freeze(['cpu', 'icelake', 'avx512']),
      tmpDiskMb: 409_600,
    },
    {
      prefix: 'gpu',
      digits: digits(gpu),
      first: 1,
      count: gpu,
      sockets: 2,
      coresPerSocket: 24,
      threadsPerCore: 1,
      realMemoryMb: 524_288,
      gpus: 4,
      gpuType: 'h100',
      features: Object.freeze(['gpu', 'h100', 'nvlink']),
      tmpDiskMb: 1_638_400,
    },
    {
      prefix: 'mem',
      digits: digits(mem),
      first: 1,
      count: mem,
      sockets: 2,
      coresPerSocket: 32,
      threadsPerCore: 1,
      realMemoryMb: 2_097_152,
      gpus: 0,
      gpuType: '',
      features: Object.freeze(['bigmem', 'icelake']),
      tmpDiskMb: 819_200,
    },
  ]
}

function makeNodes(classes: NodeClass[], epochSec: number, rng: Prng): NodeTable {
  const count = classes.reduce((s, c) => s + c.count, 0)
  const t: NodeTable = {
    count,
    classOf: new Uint8Array(count),
    number: new Uint32Array(count),
    flags: new Uint16Array(count),
    allocCpus: new Uint16Array(count),
    allocMemMb: new Uint32Array(count),
    allocGpus: new Uint8Array(count),
    reason: new Uint8Array(count),
    reasonTimeSec: new Uint32Array(count),
    bootTimeSec: new Uint32Array(count),
    lastBusySec: new Uint32Array(count),
  }
  let i = 0
  classes.forEach((c, ci) => {
    for (let k = 0; k < c.count; k++, i++) {
      t.classOf[i] = ci
      t.number[i] = c.first + k
      t.bootTimeSec[i] = epochSec - rng.int(3_600, 60 * 86_400)
      t.lastBusySec[i] = epochSec - rng.int(0, 3_600)
      // Real mixes (Slurm-web captures): mostly up; a few percent down, drained or planned.
      const r = rng.next()
      if (r < 0.01) {
        t.flags[i] = NodeFlag.DOWN | NodeFlag.NOT_RESPONDING
        t.reason[i] = 1
      } else if (r < 0.02) {
        t.flags[i] = NodeFlag.DOWN
        t.reason[i] = rng.pick([3, 6])
      } else if (r < 0.05) {
        t.flags[i] = NodeFlag.DRAIN
        t.reason[i] = rng.pick([2, 3, 4, 5, 7])
      } else if (r < 0.06) {
        t.flags[i] = NodeFlag.PLANNED
      }
      if (t.reason[i] !== 0) t.reasonTimeSec[i] = epochSec - rng.int(60, 7 * 86_400)
    }
  })
  return t
}

function makePartitions(classes: NodeClass[]): Partition[] {
  const cpu = classes[0] as NodeClass
  const gpuStart = cpu.count
  const memStart = gpuStart + (classes[1] as NodeClass).count
  const end = memStart + (classes[2] as NodeClass).count
  const p = (
    name: string,
    classIndex: number,
    nodeStart: number,
    nodeEnd: number,
    maxTimeMin: number,
    defaultTimeMin: number,
    defMemPerCpuMb: number,
    priorityTier: number,
    isDefault: boolean,
    qosAllowed: string,
  ): Partition => ({ name, classIndex, nodeStart, nodeEnd, maxTimeMin, defaultTimeMin, defMemPerCpuMb, priorityTier, isDefault, qosAllowed, cursor: nodeStart })
  return [
    p('cpu', 0, 0, gpuStart, 2_880, 60, 4_096, 1, true, 'normal,high,low'),
    p('long', 0, 0, gpuStart, 10_080, 1_440, 4_096, 1, false, 'long,low'),
    // DefMemPerCPU=512 on debug, as on the 25.11 capture's partitions: it prints -9223372036854775296.
    p('debug', 0, 0, Math.min(gpuStart, DEBUG_PARTITION_NODES), 60, 30, 512, 2, false, 'debug'),
    p('gpu', 1, gpuStart, memStart, 2_880, 120, 10_240, 1, false, 'gpu,high'),
    p('bigmem', 2, memStart, end, 4_320, 240, 32_768, 1, false, 'normal'),
  ]
}

// Job mix by partition (weights follow the partition list above).
const PARTITION_WEIGHTS = [55, 10, 8, 20, 7]
// Initial job states: mostly pending, as on a busy cluster (research note §4), then running, then
// finished jobs still inside MinJobAge.
const STATE_WEIGHTS: Array<[number, number]> = [
  [JobState.PENDING, 62],
  [JobState.RUNNING, 22],
  [JobState.COMPLETED, 11],
  [JobState.FAILED, 2],
  [JobState.CANCELLED, 1.5],
  [JobState.TIMEOUT, 1],
  [JobState.OUT_OF_MEMORY, 0.5],
]
const PENDING_REASONS = [
  JobReason.Priority,
  JobReason.Resources,
  JobReason.Dependency,
  JobReason.BeginTime,
  JobReason.QOSMaxCpuPerUserLimit,
  JobReason.AssocGrpCpuLimit,
  JobReason.JobHeldUser,
  JobReason.JobHeldAdmin,
]
const PENDING_REASON_WEIGHTS = [58, 25, 6, 3, 3, 3, 1.5, 0.5]
// A pending job was requeued this often (after a node failure or scontrol requeue): it shows
// ["PENDING","REQUEUED"] and waits out its begin time.
const REQUEUED_SHARE = 0.01
// Cloud nodes (State=CLOUD with power saving): this share of the CPU class, at least two (one
// powering up for a job, one powered down).
const CLOUD_NODE_SHARE = 0.02
const TIME_LIMITS_MIN = [10, 30, 60, 120, 240, 480, 720, 1_440, 2_880, 4_320, 10_080]
const SINGLE_NODE_CPUS = [1, 1, 2, 4, 4, 8, 16, 32, 64]

function makeJobTable(capacity: number): JobTable {
  return {
    count: 0,
    id: new Uint32Array(capacity),
    state: new Uint8Array(capacity),
    reason: new Uint8Array(capacity),
    user: new Uint16Array(capacity),
    account: new Uint16Array(capacity),
    partition: new Uint8Array(capacity),
    qos: new Uint8Array(capacity),
    name: new Uint8Array(capacity),
    submitSec: new Uint32Array(capacity),
    startSec: new Uint32Array(capacity),
    endSec: new Uint32Array(capacity),
    timeLimitMin: new Uint32Array(capacity),
    cpus: new Uint32Array(capacity),
    nodeCount: new Uint16Array(capacity),
    memPerCpuMb: new Uint32Array(capacity),
    gpusPerNode: new Uint8Array(capacity),
    allocNode: new Int32Array(capacity).fill(-1),
    coreOffset: new Uint16Array(capacity),
    arrayJobId: new Uint32Array(capacity),
    arrayTaskId: new Int32Array(capacity).fill(-1),
    priority: new Uint32Array(capacity),
    exitCode: new Uint8Array(capacity),
    flags: new Uint8Array(capacity),
  }
}

function makeAccountsAndUsers(userCount: number, rng: Prng): { accounts: Account[]; users: User[] } {
  const accounts: Account[] = [{ name: 'root', organization: 'root', parent: '' }]
  for (const f of FIELDS) accounts.push({ name: f, organization: f, parent: 'root' })
  const leafCount = Math.max(3, Math.ceil(userCount / 25))
  const leaves: number[] = []
  for (let i = 0; i < leafCount; i++) {
    const field = FIELDS[i % FIELDS.length] as string
    leaves.push(accounts.length)
    accounts.push({ name: `${field}${String(Math.floor(i / FIELDS.length) + 1).padStart(2, '0')}`, organization: field, parent: field })
  }
  const users: User[] = []
  const taken = new Set<string>()
  for (let i = 0; i < userCount; i++) {
    const base = String.fromCharCode(97 + rng.int(0, 25)) + rng.pick(SURNAMES)
    let name = base
    for (let k = 2; taken.has(name); k++) name = `${base}${k}`
    taken.add(name)
    const own = [leaves[i % leaves.length] as number]
    if (rng.chance(0.2)) {
      const extra = rng.pick(leaves)
      if (!own.includes(extra)) own.push(extra)
    }
    users.push({ name, uid: 10_000 + i, accounts: own })
  }
  return { accounts, users }
}

const QOS_LIST: Qos[] = [
  { name: 'normal', priority: 0, maxWallMin: 0, usageFactor: 1 },
  { name: 'high', priority: 100, maxWallMin: 2_880, usageFactor: 2 },
  { name: 'low', priority: 0, maxWallMin: 0, usageFactor: 0.5 },
  { name: 'debug', priority: 50, maxWallMin: 60, usageFactor: 1 },
  { name: 'long', priority: 0, maxWallMin: 10_080, usageFactor: 1 },
  { name: 'gpu', priority: 10, maxWallMin: 2_880, usageFactor: 1 },
]
const PARTITION_QOS = [0, 4, 3, 5, 0]

function fillJob(c: Cluster, slot: number, rng: Prng, template: number): void {
  const j = c.jobs
  const id = c.nextJobId++
  j.id[slot] = id
  c.jobSlot.set(id, slot)
  if (template >= 0) {
    // An array task: same owner and shape as its first task.
    j.user[slot] = j.user[template]!
    j.account[slot] = j.account[template]!
    j.partition[slot] = j.partition[template]!
    j.qos[slot] = j.qos[template]!
    j.name[slot] = j.name[template]!
    j.timeLimitMin[slot] = j.timeLimitMin[template]!
    j.cpus[slot] = j.cpus[template]!
    j.nodeCount[slot] = j.nodeCount[template]!
    j.memPerCpuMb[slot] = j.memPerCpuMb[template]!
    j.gpusPerNode[slot] = j.gpusPerNode[template]!
    j.arrayJobId[slot] = j.arrayJobId[template]!
    j.arrayTaskId[slot] = j.arrayTaskId[slot - 1]! + 1
    j.submitSec[slot] = j.submitSec[template]!
    j.priority[slot] = j.priority[template]!
    return
  }
  const user = rng.skewed(c.users.length)
  const u = c.users[user] as User
  j.user[slot] = user
  j.account[slot] = rng.chance(0.85) ? (u.accounts[0] as number) : rng.pick(u.accounts)
  const pi = rng.weighted(PARTITION_WEIGHTS)
  const part = c.partitions[pi] as Partition
  const cls = c.classes[part.classIndex] as NodeClass
  j.partition[slot] = pi
  j.qos[slot] = rng.chance(0.8) ? (PARTITION_QOS[pi] as number) : rng.pick([0, 1, 2])
  j.name[slot] = rng.int(0, JOB_NAMES.length - 2)
  const limits = TIME_LIMITS_MIN.filter((m) => m <= part.maxTimeMin)
  j.timeLimitMin[slot] = rng.chance(0.3) ? part.defaultTimeMin : rng.pick(limits)
  const cpusPerNode = cls.sockets * cls.coresPerSocket * cls.threadsPerCore
  const r = rng.next()
  const maxNodes = Math.max(1, part.nodeEnd - part.nodeStart)
  const nodeCount = r < 0.82 ? 1 : r < 0.94 ? rng.int(2, 4) : r < 0.99 ? rng.int(8, 16) : rng.int(32, 64)
  j.nodeCount[slot] = Math.min(nodeCount, maxNodes)
  if (cls.gpus > 0) {
    const gpus = rng.pick([1, 1, 2, 4])
    j.gpusPerNode[slot] = j.nodeCount[slot]! > 1 ? cls.gpus : gpus
    j.cpus[slot] = j.nodeCount[slot]! > 1 ? j.nodeCount[slot]! * cpusPerNode : gpus * (cpusPerNode / cls.gpus)
  } else {
    j.cpus[slot] = j.nodeCount[slot]! > 1 ? j.nodeCount[slot]! * cpusPerNode : rng.pick(SINGLE_NODE_CPUS)
  }
  j.memPerCpuMb[slot] = part.defMemPerCpuMb
  j.submitSec[slot] = c.epochSec - rng.int(30, 3 * 86_400)
  j.priority[slot] = 1_000 + rng.skewed(50_000, 1.5)
}

// setInitialState gives job `slot` the timestamps and reason of `state` at generation time.
function setInitialState(c: Cluster, slot: number, state: number, rng: Prng): void {
  const j = c.jobs
  const limitSec = j.timeLimitMin[slot]! * 60
  j.state[slot] = state
  j.flags[slot] = 0
  if (state === JobState.PENDING) {
    j.reason[slot] = j.arrayTaskId[slot]! > 0 && rng.chance(0.5) ? JobReason.JobArrayTaskLimit : PENDING_REASONS[rng.weighted(PENDING_REASON_WEIGHTS)]!
    // A held job has priority 0 until it is released.
    if (j.reason[slot] === JobReason.JobHeldUser || j.reason[slot] === JobReason.JobHeldAdmin) j.priority[slot] = 0
    else if (rng.chance(REQUEUED_SHARE)) {
      j.flags[slot] = JobFlag.REQUEUED
      j.reason[slot] = JobReason.BeginTime
    }
    j.startSec[slot] = 0
    j.endSec[slot] = 0
    return
  }
  if (state === JobState.RUNNING) {
    const ranSec = rng.int(1, Math.max(1, Math.floor(limitSec * 0.95)))
    j.startSec[slot] = Math.max(j.submitSec[slot]!, c.epochSec - ranSec)
    j.endSec[slot] = j.startSec[slot]! + limitSec
    j.reason[slot] = JobReason.None
    return
  }
  // Finished inside MinJobAge.
  j.endSec[slot] = c.epochSec - rng.int(0, MIN_JOB_AGE_SEC)
  const ranSec = state === JobState.TIMEOUT ? limitSec : rng.int(1, Math.max(1, limitSec))
  j.startSec[slot] = Math.max(j.submitSec[slot]!, j.endSec[slot]! - ranSec)
  j.reason[slot] =
    state === JobState.TIMEOUT ? JobReason.TimeLimit : state === JobState.COMPLETED || state === JobState.CANCELLED ? JobReason.None : JobReason.NonZeroExitCode
  j.exitCode[slot] = state === JobState.COMPLETED ? 0 : state === JobState.FAILED ? rng.pick([1, 2, 127, 137]) : state === JobState.OUT_OF_MEMORY ? 137 : 0
}

/** generateCluster builds the whole model for `options`; the result is deterministic. */
export function generateCluster(options: GenerateOptions): Cluster {
  if (!Number.isInteger(options.nodes) || options.nodes < 3) throw new RangeError(`nodes must be an integer ≥ 3, got ${options.nodes}`)
  if (!Number.isInteger(options.jobs) || options.jobs < 0) throw new RangeError(`jobs must be an integer ≥ 0, got ${options.jobs}`)
  if (!Number.isInteger(options.users) || options.users < 1 || options.users > MAX_USERS)
    throw new RangeError(`users must be an integer in [1, ${MAX_USERS}], got ${options.users}`)
  const epochSec = Math.floor(options.epochSec)
  const classes = nodeClasses(options.nodes)
  const { accounts, users } = makeAccountsAndUsers(options.users, new Prng(deriveSeed(options.seed, 1)))
  const cluster: Cluster = {
    seed: options.seed,
    name: options.clusterName,
    epochSec,
    nowSec: epochSec,
    classes,
    nodes: makeNodes(classes, epochSec, new Prng(deriveSeed(options.seed, 2))),
    partitions: makePartitions(classes),
    users,
    accounts,
    qos: QOS_LIST.map((q) => ({ ...q })),
    licenses: [],
    reservations: [],
    jobs: makeJobTable(options.jobs),
    jobSlot: new Map(),
    nextJobId: JOB_ID_BASE,
    jobsLastUpdateSec: epochSec,
    nodesLastUpdateSec: epochSec,
    partitionsLastUpdateSec: epochSec - 86_400,
    lastBackfillSec: epochSec - 17,
    events: 0,
  }
  const cloud = makeCloudNodes(cluster, new Prng(deriveSeed(options.seed, 5)))
  const rng = new Prng(deriveSeed(options.seed, 3))
  const j = cluster.jobs
  let slot = 0
  while (slot < options.jobs) {
    const arraySize = rng.chance(ARRAY_JOB_SHARE) ? Math.min(rng.int(5, 200), options.jobs - slot) : 1
    fillJob(cluster, slot, rng, -1)
    if (arraySize > 1) {
      j.arrayJobId[slot] = j.id[slot]!
      j.arrayTaskId[slot] = 0
    }
    const first = slot
    slot++
    for (let k = 1; k < arraySize; k++, slot++) fillJob(cluster, slot, rng, first)
  }
  j.count = options.jobs
  const weights = STATE_WEIGHTS.map(([, w]) => w)
  // Busy clusters still show idle nodes (151 of 300 node states in the captures): each hardware
  // class is filled only up to TARGET_UTILIZATION of its CPUs at generation.
  const capacity = classes.map((cls) => cls.count * cls.sockets * cls.coresPerSocket * cls.threadsPerCore * TARGET_UTILIZATION)
  const used = classes.map(() => 0)
  for (let s = 0; s < j.count; s++) {
    const state = STATE_WEIGHTS[rng.weighted(weights)]![0]
    setInitialState(cluster, s, state, rng)
    if (state !== JobState.RUNNING) continue
    const ci = cluster.partitions[j.partition[s]!]!.classIndex
    if (used[ci]! + j.cpus[s]! <= capacity[ci]! && allocateJob(cluster, s)) used[ci] = used[ci]! + j.cpus[s]!
    else setInitialState(cluster, s, JobState.PENDING, rng)
  }
  if (cloud >= 0) powerUpForJob(cluster, cloud)
  // A few nodes start draining while still busy (MIXED+DRAIN, as in the captures).
  const nrng = new Prng(deriveSeed(options.seed, 4))
  for (let n = 0; n < cluster.nodes.count; n++) {
    if (cluster.nodes.allocCpus[n]! > 0 && cluster.nodes.flags[n] === 0 && nrng.chance(0.005)) {
      cluster.nodes.flags[n] = NodeFlag.DRAIN
      cluster.nodes.reason[n] = 4
      cluster.nodes.reasonTimeSec[n] = epochSec - nrng.int(60, 3_600)
    }
  }
  cluster.licenses = makeLicenses(options.nodes, nrng)
  cluster.reservations = makeReservations(cluster)
  return cluster
}

// makeCloudNodes turns the CPU nodes just below the maintenance reservation into power-saving
// cloud nodes: powered down and idle, one of them also drained; it returns the one that will be
// powered up for a job (-1 when the class is too small to spare one).
function makeCloudNodes(c: Cluster, rng: Prng): number {
  const cpu = c.classes[0] as NodeClass
  const count = Math.max(2, Math.round(cpu.count * CLOUD_NODE_SHARE))
  const end = cpu.count - maintenanceNodes(cpu)
  const start = end - count
  if (start < 2) return -1
  const t = c.nodes
  // Every cluster has an unreachable node (1% of nodes draw one; a small cluster may draw none).
  if (!t.flags.some((f) => (f & NodeFlag.NOT_RESPONDING) !== 0)) {
    t.flags[start - 1] = NodeFlag.DOWN | NodeFlag.NOT_RESPONDING
    t.reason[start - 1] = 1
    t.reasonTimeSec[start - 1] = c.epochSec - rng.int(60, 86_400)
  }
  for (let n = start; n < end; n++) {
    t.flags[n] = NodeFlag.CLOUD | NodeFlag.POWERED_DOWN
    t.reason[n] = 0
    t.reasonTimeSec[n] = 0
    t.bootTimeSec[n] = c.epochSec - rng.int(3_600, 7 * 86_400)
  }
  if (count >= 3) {
    t.flags[start + 1] = t.flags[start + 1]! | NodeFlag.DRAIN
    t.reason[start + 1] = 4
    t.reasonTimeSec[start + 1] = c.epochSec - rng.int(60, 86_400)
  }
  return start
}

// powerUpForJob starts the first pending single-node job of the CPU partition that fits on cloud
// node `n`: the node is POWERING_UP (and NOT_RESPONDING while it boots), the job RUNNING with
// CONFIGURING and POWER_UP_NODE, as slurmctld shows a job waiting for its node to boot.
function powerUpForJob(c: Cluster, n: number): void {
  const j = c.jobs
  for (let s = 0; s < j.count; s++) {
    if (j.state[s] !== JobState.PENDING || j.partition[s] !== 0 || j.nodeCount[s] !== 1 || j.flags[s] !== 0) continue
    if (j.reason[s] === JobReason.JobHeldUser || j.reason[s] === JobReason.JobHeldAdmin || j.reason[s] === JobReason.Dependency) continue
    c.nodes.flags[n] = NodeFlag.CLOUD | NodeFlag.NOT_RESPONDING | NodeFlag.POWERING_UP
    if (!allocateOn(c, s, n)) continue
    j.state[s] = JobState.RUNNING
    j.flags[s] = JobFlag.CONFIGURING | JobFlag.POWER_UP_NODE
    j.reason[s] = JobReason.None
    j.startSec[s] = c.epochSec - 30
    j.endSec[s] = j.startSec[s]! + j.timeLimitMin[s]! * 60
    return
  }
  c.nodes.flags[n] = NodeFlag.CLOUD | NodeFlag.POWERED_DOWN
}

function maintenanceNodes(cpu: NodeClass): number {
  return Math.max(1, Math.floor(cpu.count * 0.02))
}

function makeLicenses(nodes: number, rng: Prng): License[] {
  const scale = Math.max(1, Math.round(nodes / 500))
  return [
    { name: 'matlab', total: 200 * scale, used: 0 },
    { name: 'ansys', total: 64 * scale, used: 0 },
    { name: 'abaqus', total: 32 * scale, used: 0 },
    { name: 'comsol', total: 16 * scale, used: 0 },
  ].map((l) => ({ ...l, used: rng.int(0, l.total) }))
}

function makeReservations(c: Cluster): Reservation[] {
  const cpu = c.classes[0] as NodeClass
  const maintCount = maintenanceNodes(cpu)
  const gpuStart = cpu.count
  return [
    {
      name: 'maint',
      nodeStart: cpu.count - maintCount,
      nodeEnd: cpu.count,
      startSec: c.epochSec + 3 * 86_400,
      endSec: c.epochSec + 3 * 86_400 + 8 * 3_600,
      users: 'root',
      flags: ['MAINT', 'IGNORE_JOBS', 'SPEC_NODES'],
    },
    {
      name: 'training',
      nodeStart: gpuStart,
      nodeEnd: gpuStart + Math.min(2, (c.classes[1] as NodeClass).count),
      startSec: c.epochSec - 3_600,
      endSec: c.epochSec + 5 * 3_600,
      users: c.users
        .slice(0, 3)
        .map((u) => u.name)
        .join(','),
      flags: ['SPEC_NODES'],
    },
  ]
}
