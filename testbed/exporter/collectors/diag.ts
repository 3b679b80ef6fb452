// Scheduler diagnostics (sdiag): main and backfill scheduler cycles, job counters, agent queues,
// and RPC statistics by message type and by user. Slurm reports times in microseconds.

import type { CollectContext, Collector } from '../collector.ts'
import type { SeriesSink } from '../series-policy.ts'
import { microsecondsToSeconds, noVal } from '../slurm-values.ts'

/** SlurmRpcByType is one entry of `rpcs_by_message_type`. */
export interface SlurmRpcByType {
  readonly message_type?: string
  readonly count?: number
  readonly total_time?: number
  readonly queued?: number
  readonly dropped?: number
}

/** SlurmRpcByUser is one entry of `rpcs_by_user`. */
export interface SlurmRpcByUser {
  readonly user?: string
  readonly count?: number
  readonly total_time?: number
}

/** SlurmStatistics is the part of slurmrestd's `stats_msg` the exporter reads (plain numbers or number objects). */
export type SlurmStatistics = Record<string, unknown> & {
  readonly rpcs_by_message_type?: readonly SlurmRpcByType[]
  readonly rpcs_by_user?: readonly SlurmRpcByUser[]
}

// [metric, help, field, unit, type]: one row per scalar statistic; `us` values become seconds.
const SCALARS: readonly [string, string, string, '1' | 'us', 'gauge' | 'counter'][] = [
  ['slurm_scheduler_threads', 'Active slurmctld server threads.', 'server_thread_count', '1', 'gauge'],
  ['slurm_scheduler_agent_queue_size', 'Outgoing RPCs queued in the agent.', 'agent_queue_size', '1', 'gauge'],
  ['slurm_scheduler_agent_threads', 'Agent threads.', 'agent_thread_count', '1', 'gauge'],
  ['slurm_scheduler_dbd_queue_size', 'Messages queued for slurmdbd.', 'dbd_agent_queue_size', '1', 'gauge'],
  ['slurm_scheduler_cycle_last_seconds', 'Duration of the last main scheduling cycle.', 'schedule_cycle_last', 'us', 'gauge'],
  ['slurm_scheduler_cycle_max_seconds', 'Longest main scheduling cycle.', 'schedule_cycle_max', 'us', 'gauge'],
  ['slurm_scheduler_cycle_mean_seconds', 'Mean main scheduling cycle.', 'schedule_cycle_mean', 'us', 'gauge'],
  ['slurm_scheduler_cycle_mean_depth', 'Mean jobs examined per main scheduling cycle.', 'schedule_cycle_mean_depth', '1', 'gauge'],
  ['slurm_scheduler_cycles_per_minute', 'Main scheduling cycles per minute.', 'schedule_cycle_per_minute', '1', 'gauge'],
  ['slurm_scheduler_cycles_total', 'Main scheduling cycles since the statistics were reset.', 'schedule_cycle_total', '1', 'counter'],
  ['slurm_scheduler_queue_length', 'Jobs in the main scheduler queue.', 'schedule_queue_length', '1', 'gauge'],
  ['slurm_scheduler_jobs_submitted_total', 'Jobs submitted since the statistics were reset.', 'jobs_submitted', '1', 'counter'],
  ['slurm_scheduler_jobs_started_total', 'Jobs started since the statistics were reset.', 'jobs_started', '1', 'counter'],
  ['slurm_scheduler_jobs_completed_total', 'Jobs completed since the statistics were reset.', 'jobs_completed', '1', 'counter'],
  ['slurm_scheduler_jobs_canceled_total', 'Jobs canceled since the statistics were reset.', 'jobs_canceled', '1', 'counter'],
  ['slurm_scheduler_jobs_failed_total', 'Jobs failed since the statistics were reset.', 'jobs_failed', '1', 'counter'],
  ['slurm_scheduler_jobs_pending', 'Pending jobs at the last statistics snapshot.', 'jobs_pending', '1', 'gauge'],
  ['slurm_scheduler_jobs_running', 'Running jobs at the last statistics snapshot.', 'jobs_running', '1', 'gauge'],
  ['slurm_backfill_active', 'Whether a backfill cycle is running (1) or not (0).', 'bf_active', '1', 'gauge'],
  ['slurm_backfill_jobs_total', 'Jobs started by backfill since the statistics were reset.', 'bf_backfilled_jobs', '1', 'counter'],
  ['slurm_backfill_cycles_total', 'Backfill cycles since the statistics were reset.', 'bf_cycle_counter', '1', 'counter'],
  ['slurm_backfill_cycle_last_seconds', 'Duration of the last backfill cycle.', 'bf_cycle_last', 'us', 'gauge'],
  ['slurm_backfill_cycle_max_seconds', 'Longest backfill cycle.', 'bf_cycle_max', 'us', 'gauge'],
  ['slurm_backfill_cycle_mean_seconds', 'Mean backfill cycle.', 'bf_cycle_mean', 'us', 'gauge'],
  ['slurm_backfill_last_depth', 'Jobs examined by the last backfill cycle.', 'bf_last_depth', '1', 'gauge'],
  ['slurm_backfill_last_depth_try', 'Jobs the last backfill cycle tried to start.', 'bf_last_depth_try', '1', 'gauge'],
  ['slurm_backfill_depth_mean', 'Mean jobs examined per backfill cycle.', 'bf_depth_mean', '1', 'gauge'],
  ['slurm_backfill_queue_length', 'Jobs in the backfill queue.', 'bf_queue_len', '1', 'gauge'],
  ['slurm_backfill_table_size', 'Time slots in the last backfill table.', 'bf_table_size', '1', 'gauge'],
]

/** writeDiag writes the scheduler families for one statistics object. */
export function writeDiag(stats: SlurmStatistics, sink: SeriesSink): void {
  for (const [name, help, field, unit, type] of SCALARS) {
    const raw = stats[field]
    const value = typeof raw === 'boolean' ? (raw ? 1 : 0) : noVal(raw)
    if (value !== undefined) sink.family(name, help, type, [])?.add([], unit === 'us' ? microsecondsToSeconds(value) : value)
  }
  const byType = stats.rpcs_by_message_type ?? []
  const typeCount = sink.family('slurm_rpc_messages_total', 'RPCs received by message type.', 'counter', ['message_type'])
  const typeTime = sink.family('slurm_rpc_messages_time_seconds_total', 'Time spent on RPCs by message type.', 'counter', ['message_type'])
  const typeQueued = sink.family('slurm_rpc_messages_queued', 'RPCs of the type queued now.', 'gauge', ['message_type'])
  for (const rpc of byType) {
    const type = rpc.message_type ?? ''
    typeCount?.add([type], rpc.count ?? 0)
    typeTime?.add([type], microsecondsToSeconds(noVal(rpc.total_time) ?? 0))
    if (rpc.queued !== undefined) typeQueued?.add([type], rpc.queued)
  }
  const userCount = sink.family('slurm_rpc_user_messages_total', 'RPCs received by user.', 'counter', ['user'])
  const userTime = sink.family('slurm_rpc_user_messages_time_seconds_total', 'Time spent on RPCs by user.', 'counter', ['user'])
  for (const rpc of stats.rpcs_by_user ?? []) {
    const user = rpc.user ?? ''
    userCount?.add([user], rpc.count ?? 0)
    userTime?.add([user], microsecondsToSeconds(noVal(rpc.total_time) ?? 0))
  }
}

/** diagCollector reads GET /slurm/<version>/diag. */
export const diagCollector: Collector = {
  name: 'diag',
  async collect({ client, signal, sink }: CollectContext): Promise<void> {
    const path = client.slurmPath('diag')
    const answer = await client.getJson(path, signal)
    const stats = answer['statistics']
    if (stats === null || typeof stats !== 'object') throw new Error(`GET ${path}: the answer has no "statistics" object`)
    writeDiag(stats as SlurmStatistics, sink)
  },
}
