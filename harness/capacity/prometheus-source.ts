// A history from Prometheus's HTTP API (GET /api/v1/query_range): the exporter's own process_*
// and slurm_exporter_* series and the cluster's node and job counts, one query per kind.
import { request } from 'undici'
import { InputError } from '../../common/input-error.ts'
import type { TimePoint } from '../stats/holt.ts'
import type { History, SeriesKind } from './forecast.ts'

/** DEFAULT_SELECTOR picks the exporter's series; `--selector` changes it. */
export const DEFAULT_SELECTOR = '{job="slurm-exporter"}'

/** historyQueries are the PromQL queries per kind; `window` is the rate window (twice the step). */
export function historyQueries(selector: string, window: string): Record<SeriesKind, string> {
  return {
    cpu: `max(rate(process_cpu_seconds_total${selector}[${window}]))`,
    memory: `max(process_resident_memory_bytes${selector})`,
    series: `max(sum by (instance) (slurm_exporter_cardinality_current${selector}))`,
    requests: `sum(rate(slurm_exporter_scrape_duration_seconds_count${selector}[${window}]))`,
    nodes: `max(slurm_cluster_nodes${selector})`,
    jobs: `max(sum by (instance) (slurm_jobs${selector}))`,
  }
}

/** QUERY_TIMEOUT_MS bounds one range query. */
const QUERY_TIMEOUT_MS = 30_000

interface RangeAnswer {
  status: string
  error?: string
  data?: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] }
}

/** queryRange runs one range query and returns its single series (empty when there is none). */
export async function queryRange(baseUrl: string, query: string, startS: number, endS: number, stepS: number): Promise<TimePoint[]> {
  const url = new URL('api/v1/query_range', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`)
  url.searchParams.set('query', query)
  url.searchParams.set('start', String(startS))
  url.searchParams.set('end', String(endS))
  url.searchParams.set('step', String(stepS))
  let answer: RangeAnswer
  try {
    const response = await request(url, { method: 'GET', headersTimeout: QUERY_TIMEOUT_MS, bodyTimeout: QUERY_TIMEOUT_MS })
    const text = await response.body.text()
    try {
      answer = JSON.parse(text) as RangeAnswer
    } catch {
      throw new InputError(
        `--prometheus ${baseUrl}: HTTP ${response.statusCode} with a body that is not Prometheus JSON (${JSON.stringify(text.slice(0, 80))}); is this a Prometheus server?`,
      )
    }
  } catch (err) {
    if (err instanceof InputError) throw err
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    throw new InputError(`--prometheus ${baseUrl}: cannot reach Prometheus (${code}); is it running at that address?`)
  }
  if (answer.status !== 'success') throw new InputError(`--prometheus ${baseUrl}: query ${query} failed: ${answer.error ?? answer.status}`)
  const series = answer.data?.result ?? []
  if (series.length > 1) throw new InputError(`--prometheus ${baseUrl}: query ${query} returned ${series.length} series, expected one`)
  return (series[0]?.values ?? []).map(([tS, value]) => ({ tS, value: Number(value) })).filter((p) => Number.isFinite(p.value))
}

/** readPrometheusHistory queries every kind over [endS − days, endS] at `stepS`. */
export async function readPrometheusHistory(
  baseUrl: string,
  selector: string,
  days: number,
  stepS: number,
  endS: number,
  kinds: readonly SeriesKind[],
): Promise<History> {
  const queries = historyQueries(selector, `${Math.max(2 * stepS, 60)}s`)
  const series: Partial<Record<SeriesKind, readonly TimePoint[]>> = {}
  const origin: Partial<Record<SeriesKind, string>> = {}
  for (const kind of kinds) {
    series[kind] = await queryRange(baseUrl, queries[kind], endS - days * 86_400, endS, stepS)
    origin[kind] = `Prometheus ${baseUrl} query ${queries[kind]}`
  }
  return { series, origin }
}
