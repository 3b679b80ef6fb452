// Jobs: counts and CPUs by state, partition, user and account; pending reasons; optionally one
// set of series per job (the high-cardinality case). The /jobs answer is streamed: 100,000 jobs
// are ~0.5–1.3 GB of JSON, more than one JavaScript string can hold.

import { type Collector, type CollectorSettings, collectStreamed } from '../collector.ts'
import type { FamilyWriter, SeriesSink } from '../series-policy.ts'
import { MIB_BYTES, noVal, primaryState } from '../slurm-values.ts'

/** SlurmJob is the part of slurmrestd's `job_info` object the exporter reads. */
export interface SlurmJob {
  readonly job_id?: number
  readonly name?: string
  readonly user_name?: string
  readonly account?: string
  readonly partition?: string
  readonly qos?: string
  readonly job_state?: readonly string[]
  readonly state_reason?: string
  readonly cpus?: unknown
  readonly node_count?: unknown
  readonly memory_per_node?: unknown
  readonly memory_per_cpu?: unknown
  readonly priority?: unknown
  readonly submit_time?: unknown
  readonly start_time?: unknown
}

// Every member SlurmJob declares, once: the compiler rejects a member missing here, so a field
// the aggregator starts reading cannot be left out of what the stream reader keeps.
const JOB_MEMBERS: Record<keyof SlurmJob, true> = {
  job_id: true,
  name: true,
  user_name: true,
  account: true,
  partition: true,
  qos: true,
  job_state: true,
  state_reason: true,
  cpus: true,
  node_count: true,
  memory_per_node: true,
  memory_per_cpu: true,
  priority: true,
  submit_time: true,
  start_time: true,
}

/** JOB_FIELDS are the members of a job the aggregator reads (SlurmJob's); the stream reader keeps only these. */
export const JOB_FIELDS: readonly (keyof SlurmJob)[] = Object.keys(JOB_MEMBERS) as (keyof SlurmJob)[]

interface Tally {
  jobs: number
  cpus: number
}

/** JobAggregator consumes jobs one at a time and writes the jobs families on finish. */
export class JobAggregator {
  private readonly byState = new Map<string, Tally>()
  // Two-level maps (label value → state → tally): no key string is built per job.
  private readonly byPartition = new Map<string, Map<string, Tally>>()
  private readonly byUser = new Map<string, Map<string, Tally>>()
  private readonly byAccount = new Map<string, Map<string, Tally>>()
  private readonly pendingReasons = new Map<string, number>()
  // The label values of one slurm_job_info series, refilled per job: the writer copies them.
  private readonly infoRow: string[] = ['', '', '', '', '', '', '']
  private readonly perJob: {
    info: FamilyWriter | null
    cpus: FamilyWriter | null
    nodes: FamilyWriter | null
    memory: FamilyWriter | null
    priority: FamilyWriter | null
    submit: FamilyWriter | null
    start: FamilyWriter | null
  } | null

  constructor(
    private readonly sink: SeriesSink,
    settings: Pick<CollectorSettings, 'perJobSeries'>,
  ) {
    const job = ['job_id']
    this.perJob = settings.perJobSeries
      ? {
          info: sink.family('slurm_job_info', 'One series per job with its descriptive labels (value is always 1).', 'gauge', [
            'job_id',
            'name',
            'user',
            'account',
            'partition',
            'qos',
            'state',
          ]),
          cpus: sink.family('slurm_job_cpus', 'CPUs requested or allocated by the job.', 'gauge', job),
          nodes: sink.family('slurm_job_nodes', 'Nodes requested or allocated by the job.', 'gauge', job),
          memory: sink.family('slurm_job_memory_bytes', 'Memory requested by the job.', 'gauge', job),
          priority: sink.family('slurm_job_priority', 'Scheduling priority of the job.', 'gauge', job),
          submit: sink.family('slurm_job_submit_time_seconds', 'Submission time of the job, seconds since the epoch.', 'gauge', job),
          start: sink.family('slurm_job_start_time_seconds', 'Start time (or expected start) of the job, seconds since the epoch.', 'gauge', job),
        }
      : null
  }

  /** add accounts for one job. */
  add(job: SlurmJob): void {
    const state = primaryState(job.job_state)
    const cpus = noVal(job.cpus) ?? 0
    const user = job.user_name ?? ''
    const account = job.account ?? ''
    const partition = job.partition ?? ''
    tally(this.byState, state, cpus)
    tally(inner(this.byPartition, partition), state, cpus)
    tally(inner(this.byUser, user), state, cpus)
    tally(inner(this.byAccount, account), state, cpus)
    if (state === 'pending') {
      const reason = job.state_reason ?? 'None'
      this.pendingReasons.set(reason, (this.pendingReasons.get(reason) ?? 0) + 1)
    }

    const p = this.perJob
    if (p === null) return
    const id = String(job.job_id ?? '')
    if (p.info !== null) {
      const row = this.infoRow
      row[0] = id
      row[1] = job.name ?? ''
      row[2] = user
      row[3] = account
      row[4] = partition
      row[5] = job.qos ?? ''
      row[6] = state
      p.info.add(row, 1)
    }
    p.cpus?.add1(id, cpus)
    const nodes = noVal(job.node_count)
    if (nodes !== undefined) p.nodes?.add1(id, nodes)
    const memoryBytes = jobMemoryBytes(job, cpus, nodes)
    if (memoryBytes !== undefined) p.memory?.add1(id, memoryBytes)
    const priority = noVal(job.priority)
    if (priority !== undefined) p.priority?.add1(id, priority)
    const submit = noVal(job.submit_time)
    if (submit !== undefined && submit > 0) p.submit?.add1(id, submit)
    const start = noVal(job.start_time)
    if (start !== undefined && start > 0 && Number.isFinite(start)) p.start?.add1(id, start)
  }

  /** finish writes the aggregate families. */
  finish(): void {
    const { sink } = this
    const jobs = sink.family('slurm_jobs', 'Jobs by state.', 'gauge', ['state'])
    const jobsCpus = sink.family('slurm_jobs_cpus', 'CPUs of jobs by state.', 'gauge', ['state'])
    for (const [state, t] of this.byState) {
      jobs?.add([state], t.jobs)
      jobsCpus?.add([state], t.cpus)
    }
    writePairs(this.byPartition, sink, 'slurm_partition_jobs', 'Jobs by partition and state.', 'partition')
    writePairs(this.byUser, sink, 'slurm_user_jobs', 'Jobs by user and state.', 'user')
    writePairs(this.byAccount, sink, 'slurm_account_jobs', 'Jobs by account and state.', 'account')
    const reasons = sink.family('slurm_jobs_pending_reason', 'Pending jobs by the reason they wait.', 'gauge', ['reason'])
    for (const [reason, count] of this.pendingReasons) reasons?.add([reason], count)
  }
}

function tally(map: Map<string, Tally>, key: string, cpus: number): void {
  const t = map.get(key)
  if (t === undefined) map.set(key, { jobs: 1, cpus })
  else {
    t.jobs++
    t.cpus += cpus
  }
}

function inner(map: Map<string, Map<string, Tally>>, key: string): Map<string, Tally> {
  let byState = map.get(key)
  if (byState === undefined) {
    byState = new Map()
    map.set(key, byState)
  }
  return byState
}

function writePairs(map: Map<string, Map<string, Tally>>, sink: SeriesSink, name: string, help: string, label: string): void {
  const jobs = sink.family(name, help, 'gauge', [label, 'state'])
  const cpus = sink.family(`${name}_cpus`, `CPUs of ${help.charAt(0).toLowerCase()}${help.slice(1)}`, 'gauge', [label, 'state'])
  for (const [value, byState] of map) {
    for (const [state, t] of byState) {
      jobs?.add([value, state], t.jobs)
      cpus?.add([value, state], t.cpus)
    }
  }
}

// Slurm gives memory per node or per CPU (megabytes), whichever the job asked for.
function jobMemoryBytes(job: SlurmJob, cpus: number, nodes: number | undefined): number | undefined {
  const perNode = noVal(job.memory_per_node)
  if (perNode !== undefined && Number.isFinite(perNode)) return perNode * (nodes ?? 1) * MIB_BYTES
  const perCpu = noVal(job.memory_per_cpu)
  if (perCpu !== undefined && Number.isFinite(perCpu)) return perCpu * cpus * MIB_BYTES
  return undefined
}

/** jobsCollector reads GET /slurm/<version>/jobs as a stream. */
export const jobsCollector: Collector = {
  name: 'jobs',
  collect: (context) => collectStreamed<SlurmJob>(context, 'jobs', 'jobs', (sink, settings) => new JobAggregator(sink, settings), JOB_FIELDS),
}
