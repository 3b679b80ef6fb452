// The metrics a threshold can name, with k6's names where k6 has the metric, and how each
// one's aggregations are computed from a run's observations.
import type { ErrorKind } from './http-target.ts'
import { percentileMs, type LatencyHistogram } from './histogram.ts'
import type { LoadCounts } from './recorder.ts'
import type { Aggregation, ValueUnit } from './threshold-expression.ts'

/** MetricType is k6's metric type: it fixes which aggregations make sense. */
export type MetricType = 'trend' | 'counter' | 'rate' | 'gauge'

/** MetricInfo describes one metric. */
export interface MetricInfo {
  readonly type: MetricType
  /** Unit of the aggregated value: ms (trends), bytes, or a plain number. */
  readonly unit: ValueUnit
  readonly help: string
  /** True when k6 has a metric of this name and meaning (exported by --export-k6). */
  readonly k6: boolean
}

/** METRICS lists every metric thresholds may use. */
export const METRICS: Readonly<Record<string, MetricInfo>> = {
  http_req_duration: {
    type: 'trend',
    unit: 'ms',
    help: 'response time, from when the request was due (open model: corrected for coordinated omission)',
    k6: true,
  },
  http_req_service_time: { type: 'trend', unit: 'ms', help: 'response time from the actual send (uncorrected)', k6: false },
  http_req_failed: { type: 'rate', unit: 'none', help: 'share of requests that failed (status outside 200–399, connection error, timeout)', k6: true },
  checks: {
    type: 'rate',
    unit: 'none',
    help: 'availability: share of scheduled iterations that got a good response (dropped ones count as unavailable)',
    k6: true,
  },
  http_reqs: { type: 'counter', unit: 'none', help: 'requests that ended; rate = per second of the whole run', k6: true },
  iterations: { type: 'counter', unit: 'none', help: 'iterations that ended (one request each)', k6: true },
  dropped_iterations: { type: 'counter', unit: 'none', help: 'open model: arrivals not sent because every slot was busy', k6: true },
  data_received: { type: 'counter', unit: 'bytes', help: 'response body bytes received', k6: true },
  vus_max: { type: 'gauge', unit: 'none', help: 'most VUs (closed) or requests in flight (open) at once', k6: true },
  target_memory_bytes: { type: 'gauge', unit: 'bytes', help: 'peak resident memory of the target process (local targets only)', k6: false },
  generator_memory_bytes: { type: 'gauge', unit: 'bytes', help: 'peak resident memory of this load generator', k6: false },
}

/** AGGREGATIONS_BY_TYPE lists the aggregations each metric type supports, as k6. */
export const AGGREGATIONS_BY_TYPE: Readonly<Record<MetricType, readonly string[]>> = {
  trend: ['avg', 'min', 'max', 'med', 'p(N)'],
  counter: ['count', 'rate'],
  rate: ['rate'],
  gauge: ['value'],
}

/** aggregationAllowed says whether `aggregation` applies to a metric of `type`. */
export function aggregationAllowed(type: MetricType, aggregation: Aggregation): boolean {
  const kind = aggregation.kind === 'p' ? 'p(N)' : aggregation.kind
  return AGGREGATIONS_BY_TYPE[type].includes(kind)
}

/** Observations are everything thresholds and summaries are computed from. */
export interface Observations {
  /** Wall time from the start to the end of the run, graceful stop included. */
  readonly elapsedMs: number
  readonly counts: LoadCounts
  readonly latency: LatencyHistogram
  readonly service: LatencyHistogram
  readonly vusMax: number
  /** Peak RSS of the target process; undefined when it was not local or not found. */
  readonly targetMemoryBytes: number | undefined
  readonly generatorMemoryBytes: number | undefined
  /** CPU seconds the target process used during the run; undefined when it was not local or not found. */
  readonly targetCpuSeconds?: number | undefined
  /** Seconds the target spent in garbage collection during the run, from its own GC metric; undefined when it has none. */
  readonly targetGcSeconds?: number | undefined
}

function trend(histogram: LatencyHistogram, aggregation: Aggregation): number {
  if (histogram.totalCount === 0) return Number.NaN
  switch (aggregation.kind) {
    case 'avg':
      return histogram.mean / 1e3
    case 'min':
      return percentileMs(histogram, 0)
    case 'max':
      return histogram.maxValue / 1e3
    case 'med':
      return percentileMs(histogram, 50)
    case 'p':
      return percentileMs(histogram, aggregation.percentile)
    default:
      return Number.NaN
  }
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : part / whole
}

/** failedErrors sums the error counters (the same as counts.failed; kept for merged documents). */
export function failedErrors(errors: Readonly<Record<ErrorKind, number>>): number {
  let total = 0
  for (const n of Object.values(errors)) total += n
  return total
}

/**
 * aggregate computes `aggregation` of `metric` from the observations: NaN when there is no data
 * (an empty trend, a rate of nothing), undefined when the metric was not measured at all.
 */
export function aggregate(metric: string, aggregation: Aggregation, obs: Observations): number | undefined {
  const seconds = obs.elapsedMs / 1e3
  const counter = (count: number): number => (aggregation.kind === 'rate' ? ratio(count, seconds) : count)
  switch (metric) {
    case 'http_req_duration':
      return trend(obs.latency, aggregation)
    case 'http_req_service_time':
      return trend(obs.service, aggregation)
    case 'http_req_failed':
      return ratio(obs.counts.failed, obs.counts.requests)
    case 'checks':
      return ratio(obs.counts.ok, obs.counts.requests + obs.counts.dropped)
    case 'http_reqs':
    case 'iterations':
      return counter(obs.counts.requests)
    case 'dropped_iterations':
      return counter(obs.counts.dropped)
    case 'data_received':
      return counter(obs.counts.bodyBytes)
    case 'vus_max':
      return obs.vusMax
    case 'target_memory_bytes':
      return obs.targetMemoryBytes
    case 'generator_memory_bytes':
      return obs.generatorMemoryBytes
    default:
      return undefined
  }
}
