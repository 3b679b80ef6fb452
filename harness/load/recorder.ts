// Recording what the executors observe: counters and HDR histograms only, so memory stays
// fixed however long the run (a 60-minute endurance run holds the same few histograms as a
// 6-second one).
import { ERROR_KINDS, type ErrorKind, type Outcome } from './http-target.ts'
import { newLatencyHistogram, type LatencyHistogram } from './histogram.ts'

/** LATE_START_MS: an open-model request sent this much after its due time counts as a late start (the generator fell behind). */
export const LATE_START_MS = 10
/** MAX_ERROR_MESSAGES bounds the distinct `other` error messages kept for the summary. */
const MAX_ERROR_MESSAGES = 5

/** LoadCounts are the counters of a run. */
export interface LoadCounts {
  /** Requests that ended (ok or failed); interrupted ones are not counted. */
  requests: number
  ok: number
  failed: number
  /** Open model: arrivals that found every slot busy and were not sent (k6's dropped_iterations). */
  dropped: number
  /** Requests cut off by the end of the run or Ctrl-C (not errors, as k6's interrupted iterations). */
  interrupted: number
  bodyBytes: number
  /** Open model: requests sent more than LATE_START_MS after their due time. */
  lateStarts: number
  errors: Record<ErrorKind, number>
}

/** StageCounts are one stage's counters; its latency histogram sits beside them. */
export interface StageCounts {
  requests: number
  failed: number
  dropped: number
}

/** newCounts returns zeroed counters. */
export function newCounts(): LoadCounts {
  const errors = {} as Record<ErrorKind, number>
  for (const kind of ERROR_KINDS) errors[kind] = 0
  return { requests: 0, ok: 0, failed: 0, dropped: 0, interrupted: 0, bodyBytes: 0, lateStarts: 0, errors }
}

/** LoadRecorder accumulates the outcomes of a run. */
export class LoadRecorder {
  readonly counts = newCounts()
  /** Response time from the due (intended) send time: http_req_duration, corrected for coordinated omission. */
  readonly latency: LatencyHistogram = newLatencyHistogram()
  /** Service time from the actual send: what an uncorrected tool reports. */
  readonly service: LatencyHistogram = newLatencyHistogram()
  readonly stageLatency: LatencyHistogram[]
  readonly stageCounts: StageCounts[]
  /** Latencies since the last live-status tick (reset by takeInterval). */
  readonly #interval: LatencyHistogram = newLatencyHistogram()
  #intervalRequests = 0
  #intervalFailed = 0
  readonly errorMessages: string[] = []
  vus = 0
  vusMax = 0

  constructor(stageCount: number) {
    this.stageLatency = Array.from({ length: stageCount }, () => newLatencyHistogram())
    this.stageCounts = Array.from({ length: stageCount }, () => ({ requests: 0, failed: 0, dropped: 0 }))
  }

  /**
   * record notes one ended request. `intendedMs` is when it was due (open model) or when its VU
   * started it (closed model), `sentMs` when it was handed to the client, `doneMs` when it ended.
   */
  record(outcome: Outcome, stage: number, intendedMs: number, sentMs: number, doneMs: number, bodyBytes: number, message: string | undefined): void {
    const counts = this.counts
    if (outcome === 'interrupted') {
      counts.interrupted++
      return
    }
    const latencyUs = Math.max(0, Math.round((doneMs - intendedMs) * 1e3))
    this.latency.recordValue(latencyUs)
    this.service.recordValue(Math.max(0, Math.round((doneMs - sentMs) * 1e3)))
    this.#interval.recordValue(latencyUs)
    ;(this.stageLatency[stage] as LatencyHistogram).recordValue(latencyUs)
    const stageCounts = this.stageCounts[stage] as StageCounts
    counts.requests++
    stageCounts.requests++
    this.#intervalRequests++
    counts.bodyBytes += bodyBytes
    if (sentMs - intendedMs > LATE_START_MS) counts.lateStarts++
    if (outcome === 'ok') {
      counts.ok++
      return
    }
    counts.failed++
    stageCounts.failed++
    this.#intervalFailed++
    counts.errors[outcome]++
    if (outcome === 'other' && message !== undefined && this.errorMessages.length < MAX_ERROR_MESSAGES && !this.errorMessages.includes(message)) {
      this.errorMessages.push(message)
    }
  }

  /** recordDropped notes an arrival that found no free slot. */
  recordDropped(stage: number): void {
    this.counts.dropped++
    ;(this.stageCounts[stage] as StageCounts).dropped++
  }

  /** setVUs notes the number of active VUs (or busy slots in the open model). */
  setVUs(vus: number): void {
    this.vus = vus
    if (vus > this.vusMax) this.vusMax = vus
  }

  /** takeInterval returns the requests, failures and p95 (ms) since the last call, and starts a new interval. */
  takeInterval(): { requests: number; failed: number; p95Ms: number } {
    const result = {
      requests: this.#intervalRequests,
      failed: this.#intervalFailed,
      p95Ms: this.#interval.totalCount === 0 ? Number.NaN : this.#interval.getValueAtPercentile(95) / 1e3,
    }
    this.#interval.reset()
    this.#intervalRequests = 0
    this.#intervalFailed = 0
    return result
  }
}
