// Progress while a load test runs, on stderr: on a terminal one status line rewritten every
// second; in a CI log (CI=true) or any other non-terminal, a plain line now and then with the
// time elapsed and left, so that a long run is never silent and a log is not flooded.
import { formatMs } from './load-summary.ts'
import { formatDurationNs } from '../results/duration.ts'
import type { LiveStatus } from '../load/run.ts'

/** PROGRESS_MIN_INTERVAL_MS and PROGRESS_MAX_INTERVAL_MS bound the plain progress lines: about 20 a run, 1 s to 30 s apart. */
export const PROGRESS_MIN_INTERVAL_MS = 1_000
export const PROGRESS_MAX_INTERVAL_MS = 30_000
const PROGRESS_LINES_PER_RUN = 20

function clock(ms: number): string {
  return formatDurationNs(Math.round(ms / 1e3) * 1e9)
}

function loadText(model: 'closed' | 'open', status: LiveStatus): string {
  return model === 'closed' ? `VUs ${status.vus}/${Math.round(status.target)}` : `in flight ${status.vus}, target ${status.target.toFixed(1)}/s`
}

function errorsText(status: LiveStatus): string {
  return status.totalFailed === 0 ? '0' : `${status.totalFailed} (${(status.errorRatio * 100).toFixed(2)}%)`
}

/** formatStatusLine renders one status line: progress, VUs, throughput, p95 and errors. */
export function formatStatusLine(scenario: string, model: 'closed' | 'open', status: LiveStatus): string {
  return `${scenario} ${clock(status.elapsedMs)}/${clock(status.plannedMs)}  ${loadText(model, status)}  ${status.requestsPerSecond.toFixed(0)} req/s  p95 ${formatMs(status.p95Ms)}  errors ${errorsText(status)}`
}

/** progressIntervalMs is how often a plain progress line is printed for a run of `plannedMs`. */
export function progressIntervalMs(plannedMs: number): number {
  return Math.min(PROGRESS_MAX_INTERVAL_MS, Math.max(PROGRESS_MIN_INTERVAL_MS, plannedMs / PROGRESS_LINES_PER_RUN))
}

/** wantsPlainProgress says whether progress should be plain lines: in CI, or when stderr is not a terminal. */
export function wantsPlainProgress(env: NodeJS.ProcessEnv, stderrIsTTY: boolean): boolean {
  return !stderrIsTTY || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0')
}

/**
 * ProgressLog turns the once-a-second statuses into plain progress lines, one per interval:
 * `load baseline: 1m30s of 10m0s, ~8m30s left  VUs 10/10  214 req/s  p95 42ms  errors 0`.
 * Its throughput is over the interval since the previous line, not the last second.
 */
export class ProgressLog {
  readonly #intervalMs: number
  #nextMs: number
  #lastElapsedMs = 0
  #lastRequests = 0

  constructor(
    readonly scenario: string,
    readonly model: 'closed' | 'open',
    plannedMs: number,
  ) {
    this.#intervalMs = progressIntervalMs(plannedMs)
    this.#nextMs = this.#intervalMs
  }

  /** next returns the line to print for `status`, or undefined when the next line is not due yet. */
  next(status: LiveStatus): string | undefined {
    // Allow for the status tick landing a little before its second.
    if (status.elapsedMs + 50 < this.#nextMs) return undefined
    while (this.#nextMs <= status.elapsedMs + 50) this.#nextMs += this.#intervalMs
    const spanS = (status.elapsedMs - this.#lastElapsedMs) / 1e3
    const rate = spanS > 0 ? (status.totalRequests - this.#lastRequests) / spanS : 0
    this.#lastElapsedMs = status.elapsedMs
    this.#lastRequests = status.totalRequests
    const leftMs = status.plannedMs - status.elapsedMs
    // Under half a second left reads as 0s: the plan is over.
    const left = leftMs >= 500 ? `~${clock(leftMs)} left` : 'stopping (in-flight requests get their graceful stop)'
    return `load ${this.scenario}: ${clock(status.elapsedMs)} of ${clock(status.plannedMs)}, ${left}  ${loadText(this.model, status)}  ${rate.toFixed(0)} req/s  p95 ${formatMs(status.p95Ms)}  errors ${errorsText(status)}`
  }
}
