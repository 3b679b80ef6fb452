// 90 days of synthetic exporter history with known linear trends, for the forecast tests: as
// OpenMetrics text (promtool tsdb create-blocks-from openmetrics) and as the CSV the forecast reads.
import { mulberry32 } from '../../../common/prng.ts'

/** TRENDS are the true lines: value(day) = start + slopePerDay · day. */
export const TRENDS = {
  // CPU in cores: the counter process_cpu_seconds_total grows at this rate.
  cpu: { start: 0.02, slopePerDay: 0.0004 },
  memory: { start: 200 * 2 ** 20, slopePerDay: 2 ** 20 },
  series: { start: 10_000, slopePerDay: 100 },
  requests: { start: 1 / 30, slopePerDay: 0 },
  nodes: { start: 1_000, slopePerDay: 5 },
  jobs: { start: 10_000, slopePerDay: 50 },
} as const

/** trueValue is a trend's value `day` days after the history starts. */
export function trueValue(kind: keyof typeof TRENDS, day: number): number {
  return TRENDS[kind].start + TRENDS[kind].slopePerDay * day
}

const DAY_S = 86_400

/** syntheticOpenMetrics renders `days` of samples every `stepS` seconds ending at endS, with ±2% noise on gauges. */
export function syntheticOpenMetrics(endS: number, days = 90, stepS = 300, seed = 1): string {
  const rand = mulberry32(seed)
  const startS = endS - days * DAY_S
  const labels = '{job="slurm-exporter",instance="exporter-0"}'
  const count = Math.floor((days * DAY_S) / stepS)
  const noisy = (v: number): number => v * (1 + 0.04 * (rand() - 0.5))
  const out: string[] = []
  const gauge = (name: string, extra: string, kind: keyof typeof TRENDS, scale = 1): void => {
    out.push(`# TYPE ${name} gauge`)
    for (let i = 0; i <= count; i++) {
      const tS = startS + i * stepS
      const value = Math.round(noisy(trueValue(kind, (tS - startS) / DAY_S)) * scale)
      out.push(`${name}${extra === '' ? labels : labels.replace('}', `,${extra}}`)} ${value} ${tS}`)
    }
  }
  // `sample` is the series name; a counter family drops its _total in the TYPE line, the
  // histogram's _count is written as a family of unknown type.
  const counter = (name: string, kind: 'cpu' | 'requests', sample: string): void => {
    out.push(sample.endsWith('_total') ? `# TYPE ${name} counter` : `# TYPE ${sample} unknown`)
    let total = 0
    for (let i = 0; i <= count; i++) {
      const tS = startS + i * stepS
      if (i > 0) total += trueValue(kind, (tS - stepS / 2 - startS) / DAY_S) * stepS
      out.push(`${sample}${labels} ${total.toFixed(3)} ${tS}`)
    }
  }
  counter('process_cpu_seconds', 'cpu', 'process_cpu_seconds_total')
  gauge('process_resident_memory_bytes', '', 'memory')
  gauge('slurm_exporter_cardinality_current', 'family="slurm_node_state_info"', 'series')
  counter('slurm_exporter_scrape_duration_seconds', 'requests', 'slurm_exporter_scrape_duration_seconds_count')
  gauge('slurm_cluster_nodes', '', 'nodes')
  gauge('slurm_jobs', 'state="running"', 'jobs')
  out.push('# EOF')
  return `${out.join('\n')}\n`
}
