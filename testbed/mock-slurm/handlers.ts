// One handler per endpoint: read the model, build the payload, reply.
import fastJson from 'fast-json-stringify'
import { type Cluster, type NodeClass, JOB_STATES } from './cluster/model.ts'
import { JobStateEntry } from './job-state-schema.ts'
import {
  buildAccounts,
  buildAssociations,
  buildClusters,
  buildDbDiag,
  buildDbJob,
  buildDbPings,
  buildQos,
  buildTres,
  buildUsers,
} from './records/accounting.ts'
import { buildDiag, buildLicenses, buildPings, buildReservations, buildShares } from './records/controller.ts'
import { buildJobState, JOB_CONSTANTS, jobVariables } from './records/job.ts'
import { AUTH_FAILURE, type FailureCause, failureErrors, failureShape } from './failures.ts'
import type { SlurmError } from './records/meta.ts'
import { buildNode, NODE_CONSTANTS, nodeVariables } from './records/node.ts'
import { buildPartition } from './records/partition.ts'
import { num, ZERO } from './records/values.ts'
import { type Reply, sendErrorsOnly, sendNotModified, sendPayload, streamList } from './reply.ts'
import type { Endpoint } from './routes.ts'
import type { Serialize } from './serialize.ts'
import { type ResponseKind, versionNumber } from './versions.ts'

/** HandlerContext is the request-independent state a handler reads. */
export interface HandlerContext {
  cluster: Cluster
  release: string
  /** accounting is false when no slurmdbd is configured (/shares is then empty, with a warning). */
  accounting: boolean
  /** unallocatedV41 is a pending job's job_resources at v0.0.41: {} in 24.05, null from 24.11 on. */
  unallocatedV41: null | object
  /** pingLatencyUs is reported as the controller's ping latency. */
  pingLatencyUs: number
}

/** QueryError is a query parameter slurmrestd would reject; the server answers 400. */
export class QueryError extends Error {}

/** ENDPOINT_INFO gives each endpoint's response kind, its list key, and the Slurm call it stands for. */
export const ENDPOINT_INFO: Record<Endpoint['name'], { kind: ResponseKind; listKey: string; what: string; source: string }> = {
  ping: { kind: 'ping', listKey: 'pings', what: 'ping', source: 'slurm_ping()' },
  diag: { kind: 'diag', listKey: '', what: 'diag', source: 'slurm_get_statistics()' },
  jobs: { kind: 'jobs', listKey: 'jobs', what: 'jobs', source: 'slurm_load_jobs()' },
  job: { kind: 'jobs', listKey: 'jobs', what: 'jobs', source: 'slurm_load_job()' },
  jobsState: { kind: 'jobs', listKey: 'jobs', what: 'jobs', source: 'slurm_load_job_state()' },
  nodes: { kind: 'nodes', listKey: 'nodes', what: 'nodes', source: 'slurm_load_node()' },
  node: { kind: 'nodes', listKey: 'nodes', what: 'nodes', source: 'slurm_load_node_single()' },
  partitions: { kind: 'partitions', listKey: 'partitions', what: 'partitions', source: 'slurm_load_partitions()' },
  partition: { kind: 'partitions', listKey: 'partitions', what: 'partitions', source: 'slurm_load_partitions()' },
  reservations: { kind: 'reservations', listKey: 'reservations', what: 'reservations', source: 'slurm_load_reservations()' },
  reservation: { kind: 'reservations', listKey: 'reservations', what: 'reservations', source: 'slurm_load_reservations()' },
  licenses: { kind: 'licenses', listKey: 'licenses', what: 'licenses', source: 'slurm_load_licenses()' },
  shares: { kind: 'shares', listKey: '', what: 'shares', source: 'slurm_associations_get_shares()' },
  dbPing: { kind: 'dbPing', listKey: 'pings', what: 'ping', source: 'slurmdb_ping()' },
  dbDiag: { kind: 'dbDiag', listKey: '', what: 'diag', source: 'slurmdb_get_stats()' },
  dbJobs: { kind: 'dbJobs', listKey: 'jobs', what: 'jobs', source: 'slurmdb_jobs_get()' },
  dbJob: { kind: 'dbJobs', listKey: 'jobs', what: 'jobs', source: 'slurmdb_jobs_get()' },
  qos: { kind: 'qos', listKey: 'qos', what: 'QOS', source: 'slurmdb_qos_get()' },
  accounts: { kind: 'accounts', listKey: 'accounts', what: 'accounts', source: 'slurmdb_accounts_get()' },
  users: { kind: 'users', listKey: 'users', what: 'users', source: 'slurmdb_users_get()' },
  associations: { kind: 'associations', listKey: 'associations', what: 'associations', source: 'slurmdb_associations_get()' },
  tres: { kind: 'tres', listKey: 'TRES', what: 'TRES', source: 'slurmdb_tres_get()' },
  clusters: { kind: 'clusters', listKey: 'clusters', what: 'clusters', source: 'slurmdb_clusters_get()' },
}

/** emptyPayload returns the payload of `name` with nothing in it, for error answers. */
export function emptyPayload(name: Endpoint['name']): Record<string, unknown> {
  const info = ENDPOINT_INFO[name]
  if (info.kind === 'diag' || info.kind === 'dbDiag') return {}
  if (info.kind === 'shares') return { shares: { shares: [], total_shares: 0 } }
  const payload: Record<string, unknown> = { [info.listKey]: [] }
  if (info.kind === 'jobs') {
    payload.last_backfill = ZERO
    payload.last_update = ZERO
  } else if (['nodes', 'partitions', 'reservations', 'licenses'].includes(info.kind)) {
    payload.last_update = ZERO
  }
  return payload
}

/**
 * sendFailure answers a request to `name` that slurmctld refused or never saw (`cause`), in the
 * endpoint's own failing shape (failures.ts). /ping still answers 200, the controller DOWN.
 */
export function sendFailure(reply: Reply, name: Endpoint['name'], cause: FailureCause): void {
  const info = ENDPOINT_INFO[name]
  const shape = failureShape(name, info.what, info.source)
  if (shape.body === 'pings-down') {
    // The ping's latency is the time the failed attempt took (15 ms for a refused token in 24.11).
    sendPayload(reply, 200, 'ping', { pings: buildPings(cause === AUTH_FAILURE ? 15_000 : 9_000_000, false) })
    return
  }
  const status = shape.status ?? cause.status
  const errors = failureErrors(shape, cause)
  if (shape.body === 'errors-only') sendErrorsOnly(reply, status, errors)
  else sendPayload(reply, status, info.kind, emptyPayload(name), errors)
}

const EMPTY_JOB_RESOURCES = Object.freeze({})

// unallocated is what a job without an allocation prints as job_resources in this answer.
function unallocated(ctx: HandlerContext, reply: Reply): null | object {
  const v = versionNumber(reply.serializers.version)
  return v <= 40 ? EMPTY_JOB_RESOURCES : v === 41 ? ctx.unallocatedV41 : null
}

const QUERY_FLAGS = new Set(['ALL', 'DETAIL', 'MIXED', 'LOCAL', 'SIBLING', 'FEDERATION', 'FUTURE'])
const MAX_JOB_ID = 0xffff_fff0

function checkFlags(query: URLSearchParams): void {
  const flags = query.get('flags')
  if (flags === null) return
  for (const f of flags.split(',')) {
    if (!QUERY_FLAGS.has(f.trim().toUpperCase())) throw new QueryError(`Unknown flag "${f}" in query parameter flags`)
  }
}

function updateTime(query: URLSearchParams): number | undefined {
  const v = query.get('update_time')
  if (v === null) return undefined
  if (!/^\d{1,12}$/.test(v)) throw new QueryError(`Unable to parse update_time="${v}" as a UNIX timestamp`)
  return Number(v)
}

// slurmctld answers SLURM_NO_CHANGE_IN_DATA when nothing changed since update_time
// (last_update - 1 >= data's last change), which slurmrestd turns into 304.
function unchangedSince(query: URLSearchParams, lastChangeSec: number): boolean {
  const since = updateTime(query)
  return since !== undefined && since > lastChangeSec
}

// Up to v0.0.41 slurmrestd's timestamp parser rejects an update_time in the future (24.11.5:
// /jobs 422, /nodes and /partitions 500, each with errors 9202 and 9000); v0.0.42 accepts it.
function futureUpdateTime(ctx: HandlerContext, query: URLSearchParams, reply: Reply, status: number, source: string, description: string): boolean {
  if (versionNumber(reply.serializers.version) >= 42) return false
  const since = updateTime(query)
  if (since === undefined || since <= ctx.cluster.nowSec) return false
  sendErrorsOnly(reply, status, [
    { description: `Parsing of ${since} for timestamp failed`, error_number: 9202, error: 'Unable to convert Data type', source: '#/update_time/' },
    { description, error_number: 9000, error: 'Query empty or not RFC7320 compliant', source },
  ])
  return true
}

// From v0.0.42 /jobs answers "no change" with 200, an empty list and a warning, not 304 (24.11.5).
function sendNoJobChanges(reply: Reply, since: number): void {
  const when = new Date(since * 1000).toISOString().slice(0, 19)
  sendPayload(reply, 200, 'jobs', emptyPayload('jobs'), [], [{ description: `No job changes since update_time[${since}]=${when}`, source: 'op_handler_jobs' }])
}

// notFound answers an unknown partition or reservation as 24.11.5 does: 422, error 9000.
function sendNotFound(reply: Reply, what: string, name: string): void {
  sendErrorsOnly(reply, 422, [
    { description: `Unable to find ${what} ${name}`, error_number: 9000, error: 'Query empty or not RFC7320 compliant', source: `op_handler_${what}` },
  ])
}

function csv(query: URLSearchParams, name: string): Set<string> | undefined {
  const v = query.get(name)
  if (v === null || v.trim() === '') return undefined
  return new Set(
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  )
}

let jobStateSerializer: Serialize | undefined

function findNode(c: Cluster, name: string): number {
  let start = 0
  for (const cls of c.classes as NodeClass[]) {
    if (name.startsWith(cls.prefix)) {
      const digits = name.slice(cls.prefix.length)
      if (digits.length === cls.digits && /^\d+$/.test(digits)) {
        const n = Number(digits) - cls.first
        if (n >= 0 && n < cls.count) return start + n
      }
    }
    start += cls.count
  }
  return -1
}

function parseJobId(text: string): number {
  // "123" or "123_4" (an array task); anything else is not a job id.
  const m = /^(\d{1,10})(?:_(\d{1,10}))?$/.exec(text)
  if (m === null) throw new QueryError(`Unable to parse job_id="${text}"`)
  return Number(m[1])
}

function jobSlots(c: Cluster, text: string): number[] {
  const id = parseJobId(text)
  const task = text.includes('_') ? Number(text.slice(text.indexOf('_') + 1)) : -1
  if (id === 0 || id > MAX_JOB_ID) return []
  const j = c.jobs
  const slot = c.jobSlot.get(id)
  if (task < 0 && slot !== undefined && j.arrayTaskId[slot]! < 0) return [slot]
  // An array job id returns its tasks; `id_task` one task.
  const out: number[] = []
  for (let s = 0; s < j.count; s++) {
    if (j.arrayJobId[s] === id && (task < 0 || j.arrayTaskId[s] === task)) out.push(s)
  }
  if (out.length === 0 && slot !== undefined && task < 0) out.push(slot)
  return out
}

// The job_info answer for `count` jobs, the i-th in slot `slotAt(i)` (GET jobs and GET job/{id}).
function streamJobs(ctx: HandlerContext, reply: Reply, count: number, slotAt: (i: number) => number): Promise<void> {
  const c = ctx.cluster
  return streamList(
    reply,
    200,
    'jobs',
    'jobs',
    { count, at: (i) => jobVariables(c, slotAt(i), reply.serializers.version, unallocated(ctx, reply)), constants: JOB_CONSTANTS },
    { last_backfill: num(c.lastBackfillSec), last_update: num(c.jobsLastUpdateSec) },
  )
}

/** handle answers one routed request. */
export async function handle(ctx: HandlerContext, endpoint: Endpoint, query: URLSearchParams, reply: Reply): Promise<void> {
  const c = ctx.cluster
  switch (endpoint.name) {
    case 'ping':
      return sendPayload(reply, 200, 'ping', { pings: buildPings(ctx.pingLatencyUs) })
    case 'diag':
      return sendPayload(reply, 200, 'diag', { statistics: buildDiag(c, versionNumber(reply.serializers.version) >= 41) })
    case 'jobs': {
      checkFlags(query)
      if (futureUpdateTime(ctx, query, reply, 422, 'op_handler_jobs', 'Rejecting request. Failure parsing query.')) return
      if (unchangedSince(query, c.jobsLastUpdateSec)) {
        if (versionNumber(reply.serializers.version) >= 42) return sendNoJobChanges(reply, updateTime(query)!)
        return sendNotModified(reply.res)
      }
      return streamJobs(ctx, reply, c.jobs.count, (i) => i)
    }
    case 'job': {
      checkFlags(query)
      const slots = jobSlots(c, endpoint.jobId)
      if (slots.length === 0) {
        const error: SlurmError = {
          description: `Unable to query JobId=${endpoint.jobId}`,
          error_number: 2017,
          error: 'Invalid job id specified',
          source: '_handle_job_get',
        }
        return sendPayload(reply, 404, 'jobs', emptyPayload('job'), [error])
      }
      if (unchangedSince(query, c.jobsLastUpdateSec)) return sendNotModified(reply.res)
      return streamJobs(ctx, reply, slots.length, (i) => slots[i]!)
    }
    case 'jobsState': {
      const wanted = csv(query, 'job_id')
      let slots: number[] | undefined
      if (wanted !== undefined) slots = [...wanted].flatMap((id) => jobSlots(c, id))
      jobStateSerializer ??= fastJson(JobStateEntry) as Serialize
      const source =
        slots === undefined
          ? { count: c.jobs.count, at: (i: number) => buildJobState(c, i) }
          : { count: slots.length, at: (i: number) => buildJobState(c, slots[i]!) }
      // The envelope is job_info_resp's minus the two timestamps, which the state dump lacks.
      return streamList(reply, 200, 'plain', 'jobs', source, {}, jobStateSerializer)
    }
    case 'nodes': {
      checkFlags(query)
      if (futureUpdateTime(ctx, query, reply, 500, '_dump_nodes', 'Rejecting request. Failure parsing query.')) return
      if (unchangedSince(query, c.nodesLastUpdateSec)) return sendNotModified(reply.res)
      return streamList(
        reply,
        200,
        'nodes',
        'nodes',
        { count: c.nodes.count, at: (i) => nodeVariables(c, i, ctx.release), constants: NODE_CONSTANTS },
        { last_update: num(c.nodesLastUpdateSec) },
      )
    }
    case 'node': {
      checkFlags(query)
      const n = findNode(c, endpoint.nodeName)
      if (n < 0) {
        // slurmrestd (24.11, 25.11) answers 200 with only errors, warnings and meta.
        return sendErrorsOnly(reply, 200, [
          { description: `Failure to query node ${endpoint.nodeName}`, error_number: 0, error: 'No error', source: '_dump_nodes' },
        ])
      }
      if (unchangedSince(query, c.nodesLastUpdateSec)) return sendNotModified(reply.res)
      return sendPayload(reply, 200, 'nodes', { nodes: [buildNode(c, n, ctx.release)], last_update: num(c.nodesLastUpdateSec) })
    }
    case 'partitions':
    case 'partition': {
      checkFlags(query)
      if (futureUpdateTime(ctx, query, reply, 500, 'op_handler_partitions', 'Rejecting request. Failure parsing query')) return
      const parts = endpoint.name === 'partition' ? c.partitions.filter((p) => p.name === endpoint.partitionName) : c.partitions
      if (parts.length === 0 && endpoint.name === 'partition') return sendNotFound(reply, 'partition', endpoint.partitionName)
      if (unchangedSince(query, c.partitionsLastUpdateSec)) return sendNotModified(reply.res)
      return sendPayload(reply, 200, 'partitions', { partitions: parts.map((p) => buildPartition(c, p)), last_update: num(c.partitionsLastUpdateSec) })
    }
    case 'reservations':
    case 'reservation': {
      const all = buildReservations(c) as Array<{ name: string }>
      const reservations = endpoint.name === 'reservation' ? all.filter((r) => r.name === endpoint.reservationName) : all
      if (reservations.length === 0 && endpoint.name === 'reservation') return sendNotFound(reply, 'reservation', endpoint.reservationName)
      if (unchangedSince(query, c.epochSec - 86_400)) return sendNotModified(reply.res)
      return sendPayload(reply, 200, 'reservations', { reservations, last_update: num(c.epochSec - 86_400) })
    }
    case 'licenses': {
      const licenses = buildLicenses(c)
      const warnings = licenses.length === 0 ? [{ description: 'Zero licenses to dump', source: '' }] : []
      return sendPayload(reply, 200, 'licenses', { licenses, last_update: num(c.epochSec) }, [], warnings)
    }
    case 'shares': {
      if (!ctx.accounting) {
        return sendPayload(
          reply,
          200,
          'shares',
          emptyPayload('shares'),
          [],
          [{ description: 'Shares list is empty because slurm accounting storage is disabled.', source: '' }],
        )
      }
      const users = csv(query, 'users')
      const accounts = csv(query, 'accounts')
      const all = buildShares(c, versionNumber(reply.serializers.version) >= 42) as {
        shares: Array<{ name: string; parent: string; type: string[] }>
        total_shares: number
      }
      const shares =
        users === undefined && accounts === undefined
          ? all.shares
          : all.shares.filter((s) =>
              s.type[0] === 'USER'
                ? (users === undefined || users.has(s.name)) && (accounts === undefined || accounts.has(s.parent))
                : accounts === undefined || accounts.has(s.name),
            )
      return sendPayload(reply, 200, 'shares', { shares: { shares, total_shares: all.total_shares } })
    }
    case 'dbPing':
      return sendPayload(reply, 200, 'dbPing', { pings: buildDbPings(ctx.pingLatencyUs * 2) })
    case 'dbDiag':
      return sendPayload(reply, 200, 'dbDiag', { statistics: buildDbDiag(c, versionNumber(reply.serializers.version) < 41) })
    case 'dbJobs': {
      const users = csv(query, 'users')
      const accounts = csv(query, 'account')
      const partitions = csv(query, 'partition')
      const states = csv(query, 'state')
      const j = c.jobs
      const keep = (s: number) =>
        (users === undefined || users.has(c.users[j.user[s]!]!.name)) &&
        (accounts === undefined || accounts.has(c.accounts[j.account[s]!]!.name)) &&
        (partitions === undefined || partitions.has(c.partitions[j.partition[s]!]!.name)) &&
        (states === undefined || states.has(JOB_STATES[j.state[s]!]!))
      return streamList(reply, 200, 'dbJobs', 'jobs', { count: j.count, at: (i) => (keep(i) ? buildDbJob(c, i) : undefined) }, {})
    }
    case 'dbJob': {
      const slots = jobSlots(c, endpoint.jobId)
      if (slots.length === 0) {
        return sendPayload(reply, 200, 'dbJobs', { jobs: [] }, [], [{ description: 'slurmdb_jobs_get() found nothing', source: '_dump_jobs' }])
      }
      return sendPayload(reply, 200, 'dbJobs', { jobs: slots.map((s) => buildDbJob(c, s)) })
    }
    case 'qos':
      return sendPayload(reply, 200, 'qos', { qos: buildQos(c) })
    case 'accounts':
      return sendPayload(reply, 200, 'accounts', { accounts: buildAccounts(c) })
    case 'users':
      return sendPayload(reply, 200, 'users', { users: buildUsers(c) })
    case 'associations':
      return sendPayload(reply, 200, 'associations', { associations: buildAssociations(c, versionNumber(reply.serializers.version) < 41) })
    case 'tres':
      return sendPayload(reply, 200, 'tres', { TRES: buildTres(c) })
    case 'clusters':
      return sendPayload(reply, 200, 'clusters', { clusters: buildClusters(c) })
  }
}
