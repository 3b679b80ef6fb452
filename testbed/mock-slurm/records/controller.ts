// Builds the small slurmctld payloads: ping, diag statistics, licenses, reservations, shares.
import { type Cluster, JobState } from '../cluster/model.ts'
import { hostlistRange } from '../cluster/hostlist.ts'
import { num, UNSET, ZERO } from './values.ts'

const NO_WATTS = Object.freeze({})

/** buildPings returns `pings` for the primary controller; `latencyUs` is the measured ping, `responding` false lists it DOWN. */
export function buildPings(latencyUs: number, responding = true): object[] {
  return [{ hostname: 'slurmctld', pinged: responding ? 'UP' : 'DOWN', responding, latency: latencyUs, mode: 'primary', primary: true }]
}

// RPC types a busy slurmctld reports in sdiag, with a typical share of the traffic.
const RPC_TYPES: Array<[number, string, number]> = [
  [1002, 'MESSAGE_NODE_REGISTRATION_STATUS', 8],
  [1008, 'REQUEST_PARTITION_INFO', 6],
  [2003, 'REQUEST_JOB_INFO', 20],
  [2007, 'REQUEST_NODE_INFO', 10],
  [2035, 'REQUEST_STATS_INFO', 2],
  [4001, 'REQUEST_RESOURCE_ALLOCATION', 3],
  [4003, 'REQUEST_SUBMIT_BATCH_JOB', 12],
  [5001, 'REQUEST_JOB_STEP_CREATE', 5],
  [5016, 'REQUEST_STEP_COMPLETE', 5],
  [5017, 'REQUEST_COMPLETE_JOB_ALLOCATION', 4],
  [5018, 'REQUEST_COMPLETE_BATCH_SCRIPT', 8],
  [6011, 'MESSAGE_EPILOG_COMPLETE', 8],
  [2021, 'REQUEST_JOB_READY', 1],
  [2048, 'REQUEST_JOB_INFO_SINGLE', 3],
  [2049, 'REQUEST_SHARE_INFO', 1],
  [1017, 'REQUEST_RECONFIGURE', 0.01],
  [2009, 'REQUEST_CANCEL_JOB_STEP', 2],
  [6012, 'REQUEST_KILL_JOB', 1],
]

/**
 * buildDiag returns the `statistics` object of /diag, with counters derived from the model.
 * `averageAsNumberObject` is false for v0.0.40, whose RPC average_time is a plain integer.
 */
export function buildDiag(c: Cluster, averageAsNumberObject = true): object {
  const average = (us: number) => (averageAsNumberObject ? num(us) : us)
  const j = c.jobs
  let pending = 0,
    running = 0,
    completed = 0,
    canceled = 0,
    failed = 0
  for (let s = 0; s < j.count; s++) {
    const st = j.state[s]!
    if (st === JobState.PENDING) pending++
    else if (st === JobState.RUNNING) running++
    else if (st === JobState.COMPLETED) completed++
    else if (st === JobState.CANCELLED) canceled++
    else failed++
  }
  const uptimeSec = c.nowSec - (c.epochSec - 86_400)
  const totalRpcs = Math.max(1, Math.round(uptimeSec * 30 + c.events * 5))
  const weightSum = RPC_TYPES.reduce((s, [, , w]) => s + w, 0)
  const rpcsByType = RPC_TYPES.map(([type_id, message_type, w], i) => {
    const count = Math.round((totalRpcs * w) / weightSum)
    const avg = 50 + i * 97
    return { type_id, message_type, count, queued: 0, dropped: 0, cycle_last: 0, cycle_max: 0, total_time: count * avg, average_time: average(avg) }
  })
  // rpcs_by_user holds every user who talked to slurmctld: the per-user cardinality driver.
  const rpcsByUser = [
    { user_id: 0, user: 'root', count: Math.round(totalRpcs * 0.4), total_time: Math.round(totalRpcs * 0.4) * 120, average_time: average(120) },
  ]
  c.users.forEach((u, i) => {
    const count = 1 + Math.round((totalRpcs * 0.6) / c.users.length / (1 + (i % 17)))
    rpcsByUser.push({ user_id: u.uid, user: u.name, count, total_time: count * 300, average_time: average(300) })
  })
  const cycles = Math.max(1, Math.floor(uptimeSec / 60))
  return {
    parts_packed: 1,
    req_time: num(c.nowSec),
    req_time_start: num(c.epochSec - 86_400),
    server_thread_count: 3,
    agent_queue_size: 0,
    agent_count: 0,
    agent_thread_count: 0,
    dbd_agent_queue_size: 0,
    gettimeofday_latency: 21,
    schedule_cycle_max: 250_000,
    schedule_cycle_last: 12_000 + (c.events % 5_000),
    schedule_cycle_sum: cycles * 15_000,
    schedule_cycle_total: cycles,
    schedule_cycle_mean: 15_000,
    schedule_cycle_mean_depth: 100,
    schedule_cycle_per_minute: 1,
    schedule_cycle_depth: cycles * 100,
    schedule_exit: { end_job_queue: cycles, default_queue_depth: 0, max_job_start: 0, max_rpc_cnt: 0, max_sched_time: 0, licenses: 0 },
    schedule_queue_length: pending,
    jobs_submitted: j.count + c.events,
    jobs_started: running + completed + failed + canceled,
    jobs_completed: completed,
    jobs_canceled: canceled,
    jobs_failed: failed,
    jobs_pending: pending,
    jobs_running: running,
    job_states_ts: num(c.jobsLastUpdateSec),
    bf_backfilled_jobs: Math.floor(running / 3),
    bf_last_backfilled_jobs: 7,
    bf_backfilled_het_jobs: 0,
    bf_cycle_counter: cycles * 2,
    bf_cycle_mean: 900_000,
    bf_depth_mean: Math.min(pending, 500),
    bf_depth_mean_try: Math.min(pending, 300),
    bf_cycle_sum: cycles * 2 * 900_000,
    bf_cycle_last: 850_000,
    bf_cycle_max: 4_500_000,
    bf_exit: { end_job_queue: cycles, bf_max_job_start: 0, bf_max_job_test: cycles, bf_max_time: 0, bf_node_space_size: 0, state_changed: 0 },
    bf_last_depth: Math.min(pending, 500),
    bf_last_depth_try: Math.min(pending, 300),
    bf_depth_sum: cycles * Math.min(pending, 500),
    bf_depth_try_sum: cycles * Math.min(pending, 300),
    bf_queue_len: pending,
    bf_queue_len_mean: pending,
    bf_queue_len_sum: cycles * pending,
    bf_table_size: 1_440,
    bf_table_size_sum: cycles * 1_440,
    bf_table_size_mean: 1_440,
    bf_when_last_cycle: num(c.lastBackfillSec),
    bf_active: false,
    rpcs_by_message_type: rpcsByType,
    rpcs_by_user: rpcsByUser,
    pending_rpcs: [],
    pending_rpcs_by_hostlist: [],
  }
}

/** buildLicenses returns `licenses` (capitalised keys, as slurmrestd prints them). */
export function buildLicenses(c: Cluster): object[] {
  return c.licenses.map((l) => ({
    LicenseName: l.name,
    Total: l.total,
    Used: l.used,
    Free: l.total - l.used,
    Remote: false,
    Reserved: 0,
    LastConsumed: l.used,
    LastDeficit: 0,
    LastUpdate: c.epochSec,
    Nodes: '',
  }))
}

/** buildReservations returns `reservations`. */
export function buildReservations(c: Cluster): object[] {
  return c.reservations.map((r) => {
    const cls = c.classes[c.nodes.classOf[r.nodeStart]!]!
    const nodeCount = r.nodeEnd - r.nodeStart
    return {
      accounts: '',
      burst_buffer: '',
      core_count: nodeCount * cls.sockets * cls.coresPerSocket,
      core_specializations: [],
      end_time: num(r.endSec),
      features: '',
      flags: r.flags,
      groups: '',
      licenses: '',
      max_start_delay: 0,
      name: r.name,
      node_count: nodeCount,
      node_list: hostlistRange(cls.prefix, c.nodes.number[r.nodeStart]!, c.nodes.number[r.nodeEnd - 1]!, cls.digits),
      partition: '',
      purge_completed: { time: UNSET },
      start_time: num(r.startSec),
      // 24.11 prints an unset power limit as {}, not as an unset number object.
      watts: NO_WATTS,
      tres: `cpu=${nodeCount * cls.sockets * cls.coresPerSocket}`,
      users: r.users,
    }
  })
}

/**
 * buildShares returns the `shares` payload: the association tree root → accounts → users.
 * `numberObjects` is false for v0.0.40 and v0.0.41, whose specs has plain doubles for the float fields.
 */
export function buildShares(c: Cluster, numberObjects: boolean): object {
  const f = (x: number) => (numberObjects ? { set: true, infinite: false, number: x } : x)
  const tres = { run_seconds: [{ name: 'cpu', value: ZERO }], group_minutes: [{ name: 'cpu', value: UNSET }], usage: [{ name: 'cpu', value: 0 }] }
  const shares: object[] = [
    {
      id: 1,
      cluster: c.name,
      name: 'root',
      parent: '',
      partition: '',
      shares_normalized: f(1),
      shares: num(1),
      tres,
      effective_usage: f(0),
      usage_normalized: f(0),
      usage: 0,
      fairshare: { factor: f(1), level: f(1) },
      type: ['ASSOCIATION'],
    },
  ]
  const accountCount = c.accounts.length
  c.accounts.forEach((a, i) => {
    if (a.parent === '') return
    shares.push({
      id: 2 + i,
      cluster: c.name,
      name: a.name,
      parent: a.parent,
      partition: '',
      shares_normalized: f(1 / accountCount),
      shares: num(1),
      tres,
      effective_usage: f(0.01 * (i % 7)),
      usage_normalized: f(0.01 * (i % 7)),
      usage: 1_000 * i,
      fairshare: { factor: f(1 - 0.01 * (i % 7)), level: f(1) },
      type: ['ASSOCIATION'],
    })
  })
  c.users.forEach((u, i) => {
    for (const a of u.accounts) {
      const usage = ((i * 7919) % 1_000) / 1_000
      shares.push({
        id: 1_000 + i * 4 + (a % 4),
        cluster: c.name,
        name: u.name,
        parent: c.accounts[a]!.name,
        partition: '',
        shares_normalized: f(1 / c.users.length),
        shares: num(1),
        tres,
        effective_usage: f(usage / 10),
        usage_normalized: f(usage / 10),
        usage: Math.round(usage * 1e6),
        fairshare: { factor: f(1 - usage), level: f(usage === 0 ? 1 : 1 / usage) },
        type: ['USER'],
      })
    }
  })
  return { shares, total_shares: shares.length }
}
