// Builds the slurmdbd payloads: accounting jobs, QOS, accounts, users, associations, TRES,
// clusters, and slurmdbd's ping and diag.
import { type Cluster, type NodeClass, JOB_NAMES, JOB_REASONS, JOB_STATES, JobState } from '../cluster/model.ts'
import { jobNodeList } from './job.ts'
import { INFINITE, num, UNSET, ZERO } from './values.ts'

const EMPTY: never[] = []
const SECONDS_ZERO = { seconds: 0, microseconds: 0 }
const OK_EXIT = { status: ['SUCCESS'], return_code: ZERO, signal: { id: UNSET, name: '' } }
const PENDING_EXIT = { status: ['PENDING'], return_code: UNSET, signal: { id: UNSET, name: '' } }
const EMPTY_TRES_STATS = { max: EMPTY, min: EMPTY, average: EMPTY, total: EMPTY }

/** TRES_LIST is the cluster's TRES table (ids as a default slurmdbd assigns them). */
export const TRES_LIST = [
  { type: 'cpu', name: '', id: 1 },
  { type: 'mem', name: '', id: 2 },
  { type: 'energy', name: '', id: 3 },
  { type: 'node', name: '', id: 4 },
  { type: 'billing', name: '', id: 5 },
  { type: 'fs', name: 'disk', id: 6 },
  { type: 'vmem', name: '', id: 7 },
  { type: 'pages', name: '', id: 8 },
  { type: 'gres', name: 'gpu', id: 1001 },
  { type: 'gres', name: 'gpu:h100', id: 1002 },
  { type: 'license', name: 'matlab', id: 1003 },
]

function tresAlloc(cpus: number, memMb: number, nodes: number, gpus: number): object[] {
  const out = [
    { type: 'cpu', name: '', id: 1, count: cpus },
    { type: 'mem', name: '', id: 2, count: memMb },
    { type: 'node', name: '', id: 4, count: nodes },
    { type: 'billing', name: '', id: 5, count: cpus },
  ]
  if (gpus > 0) out.push({ type: 'gres', name: 'gpu', id: 1001, count: gpus })
  return out
}

/** buildDbJob returns job `slot` as slurmdbd's accounting `job` object. */
export function buildDbJob(c: Cluster, slot: number): Record<string, unknown> {
  const j = c.jobs
  const state = j.state[slot]!
  const user = c.users[j.user[slot]!]!
  const part = c.partitions[j.partition[slot]!]!
  const id = j.id[slot]!
  const cpus = j.cpus[slot]!
  const nodeCount = j.nodeCount[slot]!
  const memMb = cpus * j.memPerCpuMb[slot]!
  const gpus = j.gpusPerNode[slot]! * nodeCount
  const started = state !== JobState.PENDING
  const start = j.startSec[slot]!
  const end = state === JobState.RUNNING ? 0 : j.endSec[slot]!
  const elapsed = !started ? 0 : Math.max(0, (end === 0 ? c.nowSec : end) - start)
  const nodes = jobNodeList(c, slot)
  const isArray = j.arrayTaskId[slot]! >= 0
  const exit =
    state === JobState.PENDING
      ? PENDING_EXIT
      : j.exitCode[slot] === 0
        ? OK_EXIT
        : { status: ['ERROR'], return_code: num(j.exitCode[slot]!), signal: { id: UNSET, name: '' } }
  const alloc = started ? tresAlloc(cpus, memMb, nodeCount, gpus) : EMPTY
  const home = `/home/${user.name}`
  const stepState = state === JobState.RUNNING ? ['RUNNING'] : [JOB_STATES[state]!]
  const steps = !started
    ? EMPTY
    : [
        {
          time: { elapsed, end: num(end), start: num(start), suspended: 0, system: SECONDS_ZERO, limit: INFINITE, total: SECONDS_ZERO, user: SECONDS_ZERO },
          exit_code: exit,
          nodes: { count: nodeCount, range: nodes, list: nodes === '' ? EMPTY : [nodes] },
          tasks: { count: 1 },
          pid: '',
          CPU: { requested_frequency: { min: ZERO, max: ZERO }, governor: '0' },
          kill_request_user: '',
          state: stepState,
          statistics: { CPU: { actual_frequency: 0 }, energy: { consumed: ZERO } },
          step: { id: `${id}.batch`, name: 'batch', stderr: '', stdin: '', stdout: '', stderr_expanded: '', stdin_expanded: '', stdout_expanded: '' },
          task: { distribution: 'Unknown' },
          tres: { requested: EMPTY_TRES_STATS, consumed: EMPTY_TRES_STATS, allocated: alloc },
        },
      ]
  return {
    account: c.accounts[j.account[slot]!]!.name,
    comment: { administrator: '', job: '', system: '' },
    allocation_nodes: started ? nodeCount : 0,
    array: {
      job_id: isArray ? j.arrayJobId[slot]! : 0,
      limits: { max: { running: { tasks: 0 } } },
      task_id: isArray ? num(j.arrayTaskId[slot]!) : UNSET,
      task: '',
    },
    association: { account: '', cluster: c.name, partition: '', user: '', id: 100 + j.user[slot]! * 4 + (j.account[slot]! % 4) },
    block: '',
    cluster: c.name,
    constraints: '',
    container: '',
    derived_exit_code: exit,
    time: {
      elapsed,
      eligible: j.submitSec[slot]!,
      end,
      planned: num(started ? start - j.submitSec[slot]! : c.nowSec - j.submitSec[slot]!),
      start,
      submission: j.submitSec[slot]!,
      suspended: 0,
      system: SECONDS_ZERO,
      limit: num(j.timeLimitMin[slot]!),
      total: SECONDS_ZERO,
      user: SECONDS_ZERO,
    },
    exit_code: exit,
    extra: '',
    failed_node: '',
    flags: started ? ['STARTED_ON_SCHEDULE', 'START_RECEIVED'] : ['STARTED_ON_SCHEDULE'],
    group: 'users',
    het: { job_id: 0, job_offset: UNSET },
    job_id: id,
    name: JOB_NAMES[j.name[slot]!]!,
    licenses: '',
    mcs: { label: '' },
    nodes: nodes === '' ? 'None assigned' : nodes,
    partition: part.name,
    hold: false,
    priority: num(j.priority[slot]!),
    qos: c.qos[j.qos[slot]!]!.name,
    qosreq: '',
    required: { CPUs: cpus, memory_per_cpu: num(j.memPerCpuMb[slot]!), memory_per_node: UNSET },
    kill_request_user: '',
    restart_cnt: 0,
    reservation: { id: 0, name: '', requested: '' },
    script: '',
    segment_size: 0,
    stdin_expanded: '/dev/null',
    stdout_expanded: `${home}/slurm-${id}.out`,
    stderr_expanded: '',
    stdout: 'slurm-%j.out',
    stderr: '',
    stdin: '/dev/null',
    state: { current: [JOB_STATES[state]!], reason: JOB_REASONS[j.reason[slot]!]! },
    steps,
    submit_line: `sbatch --partition ${part.name} --ntasks ${cpus} ${home}/jobs/${JOB_NAMES[j.name[slot]!]!}`,
    tres: { allocated: alloc, requested: tresAlloc(cpus, memMb, nodeCount, gpus) },
    used_gres: '',
    user: user.name,
    wckey: { wckey: '', flags: EMPTY },
    working_directory: home,
  }
}

/** buildQos returns `qos`. */
export function buildQos(c: Cluster): object[] {
  const per = { account: INFINITE, user: INFINITE }
  // The "high" QOS carries TRES limits and a flag, as the 25.11 capture's second QOS does.
  const tres = (type: string, id: number, count: number) => ({ type, name: '', id, count })
  const limited = {
    total: [tres('node', 4, 50)],
    minutes: { total: EMPTY, per: { qos: EMPTY, job: EMPTY, account: EMPTY, user: EMPTY } },
    per: {
      account: [tres('cpu', 1, 2_048), tres('mem', 2, 8_388_608)],
      job: [tres('cpu', 1, 1_024)],
      node: EMPTY,
      user: [tres('cpu', 1, 512), tres('mem', 2, 2_097_152)],
    },
  }
  const unlimited = {
    total: EMPTY,
    minutes: { total: EMPTY, per: { qos: EMPTY, job: EMPTY, account: EMPTY, user: EMPTY } },
    per: { account: EMPTY, job: EMPTY, node: EMPTY, user: EMPTY },
  }
  return c.qos.map((q, i) => ({
    description: `${q.name} QOS`,
    flags: q.name === 'high' ? ['OVERRIDE_PARTITION_QOS'] : EMPTY,
    id: i + 1,
    limits: {
      grace_time: 0,
      max: {
        active_jobs: { accruing: INFINITE, count: INFINITE },
        jobs: { count: INFINITE, active_jobs: { per }, per },
        tres: q.name === 'high' ? limited : unlimited,
        wall_clock: { per: { qos: INFINITE, job: q.maxWallMin > 0 ? num(q.maxWallMin) : INFINITE } },
        accruing: { per },
      },
      factor: INFINITE,
      min: { priority_threshold: INFINITE, tres: { per: { job: EMPTY } } },
    },
    name: q.name,
    preempt: { list: q.name === 'high' ? ['low'] : EMPTY, mode: ['DISABLED'], exempt_time: INFINITE },
    priority: num(q.priority),
    usage_factor: num(q.usageFactor),
    usage_threshold: INFINITE,
  }))
}

/** buildAccounts returns `accounts`. */
export function buildAccounts(c: Cluster): object[] {
  return c.accounts.map((a) => ({
    associations: EMPTY,
    coordinators: EMPTY,
    description: a.parent === '' ? 'default root account' : a.name,
    name: a.name,
    organization: a.organization,
    flags: EMPTY,
  }))
}

/** buildUsers returns `users`. */
export function buildUsers(c: Cluster): object[] {
  const users: object[] = [
    {
      administrator_level: ['Administrator'],
      associations: [{ account: 'root', cluster: c.name, partition: '', user: 'root', id: 2 }],
      coordinators: EMPTY,
      default: { qos: 0, account: 'root', wckey: '' },
      flags: EMPTY,
      name: 'root',
      old_name: '',
      wckeys: EMPTY,
    },
  ]
  c.users.forEach((u, i) => {
    users.push({
      administrator_level: ['None'],
      associations: u.accounts.map((a) => ({ account: c.accounts[a]!.name, cluster: c.name, partition: '', user: u.name, id: 100 + i * 4 + (a % 4) })),
      coordinators: EMPTY,
      default: { qos: 0, account: c.accounts[u.accounts[0]!]!.name, wckey: '' },
      flags: EMPTY,
      name: u.name,
      old_name: '',
      wckeys: EMPTY,
    })
  })
  return users
}

function association(c: Cluster, id: number, account: string, parent: string, user: string, isDefault: boolean, lineage: string): Record<string, unknown> {
  return {
    accounting: EMPTY,
    account,
    cluster: c.name,
    comment: '',
    default: { qos: '' },
    flags: EMPTY,
    max: {
      jobs: { per: { count: INFINITE, accruing: INFINITE, submitted: INFINITE, wall_clock: INFINITE }, active: INFINITE, accruing: INFINITE, total: INFINITE },
      tres: { total: EMPTY, group: { minutes: EMPTY, active: EMPTY }, minutes: { total: EMPTY, per: { job: EMPTY } }, per: { job: EMPTY, node: EMPTY } },
      per: { account: { wall_clock: INFINITE } },
    },
    id,
    is_default: isDefault,
    lineage,
    min: { priority_threshold: INFINITE },
    parent_account: parent,
    partition: '',
    priority: INFINITE,
    qos: ['normal', 'high', 'low'],
    shares_raw: 1,
    user,
  }
}

/**
 * buildAssociations returns `associations`: one per account, one per (user, account). With
 * `idAsShort` (v0.0.40) an association's `id` is an assoc_short object, not an integer.
 */
export function buildAssociations(c: Cluster, idAsShort = false): object[] {
  const out: Array<Record<string, unknown>> = []
  c.accounts.forEach((a, i) => {
    const lineage = a.parent === '' ? '/' : a.parent === 'root' ? `/${a.name}/` : `/${a.parent}/${a.name}/`
    out.push(association(c, 1 + i, a.name, a.parent, '', false, lineage))
  })
  c.users.forEach((u, i) => {
    u.accounts.forEach((a, k) => {
      const acct = c.accounts[a]!
      out.push(association(c, 100 + i * 4 + (a % 4), acct.name, '', u.name, k === 0, `/${acct.parent}/${acct.name}/0-${u.name}/`))
    })
  })
  if (idAsShort) for (const a of out) a.id = { account: a.account, cluster: c.name, partition: '', user: a.user, id: a.id }
  return out
}

/** buildTres returns `TRES` with cluster-wide counts. */
export function buildTres(c: Cluster): object[] {
  let cpus = 0,
    memMb = 0,
    gpus = 0
  for (const cls of c.classes as NodeClass[]) {
    cpus += cls.count * cls.sockets * cls.coresPerSocket * cls.threadsPerCore
    memMb += cls.count * cls.realMemoryMb
    gpus += cls.count * cls.gpus
  }
  const counts: Record<number, number> = { 1: cpus, 2: memMb, 4: c.nodes.count, 5: cpus, 1001: gpus, 1002: gpus, 1003: 200 }
  return TRES_LIST.map((t) => ({ ...t, count: counts[t.id] ?? 0 }))
}

/** buildClusters returns `clusters`. */
export function buildClusters(c: Cluster): object[] {
  const names = (c.classes as NodeClass[]).map(
    (cls) => `${cls.prefix}[${String(cls.first).padStart(cls.digits, '0')}-${String(cls.first + cls.count - 1).padStart(cls.digits, '0')}]`,
  )
  return [
    {
      controller: { host: 'slurmctld', port: 6817 },
      flags: EMPTY,
      name: c.name,
      nodes: names.join(','),
      select_plugin: '',
      associations: { root: { account: 'root', cluster: c.name, partition: '', user: '', id: 1 } },
      rpc_version: 11_008,
      tres: buildTres(c).map((t) => t),
    },
  ]
}

/** buildDbPings returns slurmdbd's `pings`. */
export function buildDbPings(latencyUs: number): object[] {
  return [{ hostname: 'slurmdbd', responding: true, latency: latencyUs, primary: true }]
}

/** buildDbDiag returns slurmdbd's `statistics`; v0.0.40 lists rollups as an array of its own shape. */
export function buildDbDiag(c: Cluster, rollupList = false): object {
  const rpc = (name: string, count: number) => ({ rpc: name, count, time: { average: 350, total: count * 350 } })
  const rollup = (type: string, lastRunSec: number, cycles: number, maxSec: number, totalSec: number) => ({
    type,
    'last run': lastRunSec,
    max_cycle: maxSec,
    total_time: totalSec,
    total_cycles: cycles,
    mean_cycles: cycles === 0 ? 0 : Math.round(totalSec / cycles),
  })
  return {
    time_start: c.epochSec - 86_400,
    rollups: rollupList
      ? [rollup('internal', c.epochSec - 600, 24, 1, 1), rollup('user', 0, 0, 0, 0)]
      : {
          hourly: { count: 24, last_run: c.epochSec - 600, duration: { last: 20_000, max: 90_000, time: 480_000 } },
          daily: { count: 1, last_run: c.epochSec - 3_600, duration: { last: 50_000, max: 50_000, time: 50_000 } },
          monthly: { count: 0, last_run: c.epochSec - 86_400 * 20, duration: { last: 0, max: 0, time: 0 } },
        },
    RPCs: [
      rpc('DBD_STEP_START', c.jobs.count),
      rpc('DBD_JOB_START', c.jobs.count),
      rpc('DBD_JOB_COMPLETE', c.jobs.count),
      rpc('DBD_GET_JOBS_COND', 500),
      rpc('DBD_GET_ASSOCS', 200),
    ],
    users: [
      { user: 'slurm', count: 3 * c.jobs.count, time: { average: 300, total: 900 * c.jobs.count } },
      { user: 'root', count: 700, time: { average: 500, total: 350_000 } },
    ],
  }
}
