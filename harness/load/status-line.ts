// The live one-line status shown on a terminal while a load test runs (stderr, TTY only).
import { formatDurationNs } from '../results/duration.ts'
import type { LiveStatus } from './run.ts'
import { formatMs } from '../report/load-summary.ts'

/** formatStatusLine renders one status line: progress, VUs, throughput, p95 and errors. */
export function formatStatusLine(scenario: string, model: 'closed' | 'open', status: LiveStatus): string {
  const clock = (ms: number): string => formatDurationNs(Math.round(ms / 1e3) * 1e9)
  const load = model === 'closed' ? `VUs ${status.vus}/${Math.round(status.target)}` : `in flight ${status.vus}, target ${status.target.toFixed(1)}/s`
  const errors = status.totalFailed === 0 ? '0' : `${status.totalFailed} (${(status.errorRatio * 100).toFixed(2)}%)`
  return `${scenario} ${clock(status.elapsedMs)}/${clock(status.plannedMs)}  ${load}  ${status.requestsPerSecond.toFixed(0)} req/s  p95 ${formatMs(status.p95Ms)}  errors ${errors}`
}
