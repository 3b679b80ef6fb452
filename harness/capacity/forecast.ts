// `capacity forecast`: each resource's history projected over its horizon with an interval, and
// flagged when the projected growth passes its threshold. Pure: the histories come from
// prometheus-source.ts or history-csv.ts.
import { InputError } from '../../common/input-error.ts'
import { holtForecast, linearTrendForecast, type Projection, type TimePoint } from '../stats/holt.ts'
import { type CapacityConfig, RESOURCES, type Resource } from './config.ts'

/** SERIES_KINDS are what a history holds: the resources plus the cluster's size. */
export const SERIES_KINDS = ['cpu', 'memory', 'series', 'requests', 'nodes', 'jobs'] as const
/** SeriesKind is one history series. */
export type SeriesKind = (typeof SERIES_KINDS)[number]

/** UNITS says what each series and resource is measured in. */
export const UNITS: Readonly<Record<SeriesKind | Resource, string>> = {
  cpu: 'cores',
  memory: 'bytes',
  series: 'series',
  requests: 'scrapes/s',
  storage: 'bytes',
  nodes: 'nodes',
  jobs: 'jobs',
}

/** History is the time series of each kind, with where each came from (a PromQL query, a CSV column). */
export interface History {
  readonly series: Partial<Record<SeriesKind, readonly TimePoint[]>>
  readonly origin: Partial<Record<SeriesKind, string>>
}

/** ForecastMethod chooses the projection. */
export type ForecastMethod = 'linear' | 'holt'

/** MIN_HISTORY_POINTS and MIN_HISTORY_DAYS: below these a trend is noise. */
export const MIN_HISTORY_POINTS = 10
export const MIN_HISTORY_DAYS = 1

const DAY_S = 86_400

/** ResourceForecast is one resource (or cluster size) projected to one horizon. */
export interface ResourceForecast {
  readonly resource: Resource | 'nodes' | 'jobs'
  readonly unit: string
  readonly origin: string
  readonly points: number
  readonly historyDays: number
  readonly horizonDays: number
  readonly method: ForecastMethod
  readonly current: number
  readonly projected: { readonly value: number; readonly lower: number; readonly upper: number }
  readonly slopePerDay: number
  /** growth is projected / current − 1. */
  readonly growth: number
  readonly threshold: number | undefined
  /** flagged: the projected growth passes the threshold. */
  readonly flagged: boolean
  /** certain: the interval's lower end passes it too. */
  readonly certain: boolean
  readonly warnings: readonly string[]
}

/** ForecastReport is every resource's forecast and the cluster's projected size per horizon. */
export interface ForecastReport {
  readonly kind: 'slurmbench.capacity-forecast'
  readonly method: ForecastMethod
  readonly resources: readonly ResourceForecast[]
  /** cluster holds nodes and jobs projected to each distinct horizon. */
  readonly cluster: readonly ResourceForecast[]
}

function checkHistory(kind: string, origin: string, points: readonly TimePoint[] | undefined): readonly TimePoint[] {
  if (points === undefined || points.length === 0)
    throw new InputError(`${origin}: no data for ${kind}; check the series exists for the selector and time range`)
  const spanDays = ((points[points.length - 1] as TimePoint).tS - (points[0] as TimePoint).tS) / DAY_S
  if (points.length < MIN_HISTORY_POINTS || spanDays < MIN_HISTORY_DAYS)
    throw new InputError(
      `${origin}: ${kind} history too short (${points.length} points over ${spanDays.toFixed(2)} days); expected at least ${MIN_HISTORY_POINTS} points over ${MIN_HISTORY_DAYS} day`,
    )
  return points
}

/** storageHistory turns the series count into the TSDB bytes it needs over the retention. */
export function storageBytesFor(series: number, config: CapacityConfig): number {
  const { retentionDays, scrapeIntervalS, bytesPerSample } = config.prometheus
  return series * ((retentionDays * DAY_S) / scrapeIntervalS) * bytesPerSample
}

function project(
  resource: ResourceForecast['resource'],
  points: readonly TimePoint[],
  origin: string,
  horizonDays: number,
  threshold: number | undefined,
  method: ForecastMethod,
): ResourceForecast {
  const p: Projection = method === 'holt' ? holtForecast(points, horizonDays * DAY_S) : linearTrendForecast(points, horizonDays * DAY_S)
  const historyDays = ((points[points.length - 1] as TimePoint).tS - (points[0] as TimePoint).tS) / DAY_S
  const growth = p.nowValue === 0 ? (p.value > 0 ? Number.POSITIVE_INFINITY : 0) : p.value / p.nowValue - 1
  const lowerGrowth = p.nowValue === 0 ? 0 : p.lower / p.nowValue - 1
  const warnings: string[] = []
  if (horizonDays > historyDays + 1) warnings.push(`the horizon (${horizonDays} d) is longer than the history (${historyDays.toFixed(1)} d)`)
  if (p.lower < 0 && p.value > 0) warnings.push('the interval reaches below zero: the history is noisy for its length')
  return {
    resource,
    unit: UNITS[resource],
    origin,
    points: points.length,
    historyDays,
    horizonDays,
    method,
    current: p.nowValue,
    projected: { value: p.value, lower: p.lower, upper: p.upper },
    slopePerDay: p.slopePerDay,
    growth,
    threshold,
    flagged: threshold !== undefined && growth > threshold,
    certain: threshold !== undefined && lowerGrowth > threshold,
    warnings,
  }
}

/**
 * forecastHistory projects each resource present in `resources` over its configured horizon,
 * and nodes and jobs over every distinct horizon. Storage is derived from the series count.
 */
export function forecastHistory(history: History, config: CapacityConfig, method: ForecastMethod, resources: readonly Resource[] = RESOURCES): ForecastReport {
  const out: ResourceForecast[] = []
  for (const resource of resources) {
    const policy = config.resources[resource]
    const kind: SeriesKind = resource === 'storage' ? 'series' : resource
    const origin = history.origin[kind] ?? kind
    const points = checkHistory(kind, origin, history.series[kind])
    if (resource === 'storage') {
      const bytes = points.map((p) => ({ tS: p.tS, value: storageBytesFor(p.value, config) }))
      out.push(
        project(
          'storage',
          bytes,
          `${origin} × retention ${config.prometheus.retentionDays} d / interval ${config.prometheus.scrapeIntervalS} s × ${config.prometheus.bytesPerSample} B/sample`,
          policy.horizonDays,
          policy.growthThreshold,
          method,
        ),
      )
    } else {
      out.push(project(resource, points, origin, policy.horizonDays, policy.growthThreshold, method))
    }
  }
  const cluster: ResourceForecast[] = []
  const horizons = [...new Set(resources.map((r) => config.resources[r].horizonDays))].sort((a, b) => a - b)
  for (const kind of ['nodes', 'jobs'] as const) {
    const points = history.series[kind]
    if (points === undefined) continue
    const origin = history.origin[kind] ?? kind
    checkHistory(kind, origin, points)
    for (const horizon of horizons) cluster.push(project(kind, points, origin, horizon, undefined, method))
  }
  return { kind: 'slurmbench.capacity-forecast', method, resources: out, cluster }
}
