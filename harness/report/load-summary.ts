// The end-of-test summary, k6's compact mode in spirit: what ran, the latency distribution,
// every threshold with ✓/✗ and its observed value, and the final verdict line.
import { ERROR_KINDS } from '../load/http-target.ts'
import { trendStats, type LatencyHistogram } from '../load/histogram.ts'
import { kneeOf, type LoadResult, type LoadVerdict, stageLevels } from '../load/load-result.ts'
import { METRICS } from '../load/metrics.ts'
import { formatDurationNs } from '../results/duration.ts'
import { formatAggregation } from '../load/threshold-expression.ts'
import type { ThresholdResult } from '../load/thresholds.ts'

/** PASSED_LINE, FAILED_LINE and INTERRUPTED_LINE are the exact last lines of every load test's output. */
export const PASSED_LINE = '✅ LOAD TEST PASSED'
export const FAILED_LINE = '❌ LOAD TEST FAILED'
export const INTERRUPTED_LINE = '⛔ LOAD TEST INTERRUPTED'

const VERDICT_LINES: Readonly<Record<LoadVerdict, string>> = { passed: PASSED_LINE, failed: FAILED_LINE, interrupted: INTERRUPTED_LINE }

/** formatMs prints milliseconds with a unit that fits (`850µs`, `12.3ms`, `4.21s`); `-` for no data. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-'
  if (ms < 1) return `${Math.round(ms * 1e3)}µs`
  if (ms < 1e3) return `${Number(ms.toPrecision(3))}ms`
  return `${Number((ms / 1e3).toPrecision(3))}s`
}

/** formatBytes prints a size in binary units. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${Number(value.toPrecision(3))} ${units[unit]}`
}

function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '-'
  const percent = ratio * 100
  return `${percent === 0 || percent >= 10 ? percent.toFixed(1) : percent.toPrecision(2)}%`
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

/** formatObserved prints a threshold's observed value the way k6 does: `p(95)=148.21ms`, `rate=0.12%`. */
export function formatObserved(result: ThresholdResult): string {
  const agg = formatAggregation(result.rule.expression.aggregation)
  const info = METRICS[result.rule.metric]
  const value = result.observed
  if (value === undefined) return 'not measured'
  if (!Number.isFinite(value)) return `${agg}=no data`
  if (info?.type === 'trend') return `${agg}=${formatMs(value)}`
  if (info?.type === 'rate') return `${agg}=${formatPercent(value)}`
  if (info?.unit === 'bytes') return `${agg}=${formatBytes(value)}${agg === 'rate' ? '/s' : ''}`
  if (agg === 'rate') return `rate=${value.toFixed(1)}/s`
  return `${agg}=${formatCount(value)}`
}

function table(rows: readonly (readonly string[])[], indent: string): string[] {
  const widths: number[] = []
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, [...cell].length)
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)))
        .join('  ')
        .trimEnd(),
  )
}

function latencyLine(label: string, histogram: LatencyHistogram): string {
  const s = trendStats(histogram)
  return `${label} min ${formatMs(s.minMs)}  avg ${formatMs(s.meanMs)}  med ${formatMs(s.p50Ms)}  p(90) ${formatMs(s.p90Ms)}  p(95) ${formatMs(s.p95Ms)}  p(99) ${formatMs(s.p99Ms)}  max ${formatMs(s.maxMs)}`
}

function loadUnit(result: LoadResult): string {
  return result.model === 'closed' ? 'VUs' : 'req/s'
}

function formatLoad(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1)
}

/** renderSummary returns the whole summary; its last line is PASSED_LINE, FAILED_LINE or INTERRUPTED_LINE. */
export function renderSummary(result: LoadResult): string {
  const obs = result.observations
  const counts = obs.counts
  const lines: string[] = []
  const peak = result.stages.reduce((most, s) => Math.max(most, s.fromTarget, s.toTarget), Number.NEGATIVE_INFINITY)
  const shardText =
    result.shardsMerged > 1 ? ` (${result.shardsMerged} shards merged)` : result.shard.count > 1 ? ` (shard ${result.shard.index}/${result.shard.count})` : ''
  const scaleText = result.durationScale === 1 ? '' : `, duration scale ${result.durationScale}`
  lines.push(
    `load ${result.scenario}: ${result.executor}, peak ${formatLoad(peak)} ${loadUnit(result)}, ${formatDurationNs(result.plannedMs * 1e6)}${scaleText} → ${result.target}${shardText}`,
  )
  const seconds = obs.elapsedMs / 1e3
  const errors = ERROR_KINDS.filter((kind) => counts.errors[kind] > 0)
    .map((kind) => `${kind} ${formatCount(counts.errors[kind])}`)
    .join(', ')
  lines.push(
    `  ran ${formatDurationNs(Math.round(obs.elapsedMs) * 1e6)}: ${formatCount(counts.requests)} requests (${(counts.requests / Math.max(seconds, 1e-9)).toFixed(1)}/s), ${formatCount(counts.failed)} failed (${formatPercent(counts.requests === 0 ? 0 : counts.failed / counts.requests)})${errors === '' ? '' : `: ${errors}`}`,
  )
  const extras = [`${formatCount(counts.dropped)} dropped`, `${formatCount(counts.interrupted)} interrupted`, `${formatBytes(counts.bodyBytes)} received`]
  if (result.model === 'open') extras.push(`${formatCount(counts.lateStarts)} late starts`)
  lines.push(`  ${extras.join(', ')}; peak ${formatLoad(obs.vusMax)} ${result.model === 'closed' ? 'VUs' : 'in flight'}`)
  for (const message of result.errorMessages) lines.push(`  error: ${message}`)
  lines.push(latencyLine(result.model === 'open' ? '  latency (from due time):' : '  latency:', obs.latency))
  if (result.model === 'open') lines.push(latencyLine('  service time (from send):', obs.service))
  const memory: string[] = []
  if (obs.targetMemoryBytes !== undefined) memory.push(`target peak RSS ${formatBytes(obs.targetMemoryBytes)}`)
  if (obs.generatorMemoryBytes !== undefined) memory.push(`generator peak RSS ${formatBytes(obs.generatorMemoryBytes)}`)
  if (obs.targetCpuSeconds !== undefined && obs.elapsedMs > 0) memory.push(`target CPU ${((obs.targetCpuSeconds * 1e5) / obs.elapsedMs).toFixed(0)}% of a core`)
  if (obs.targetGcSeconds !== undefined) memory.push(`target GC ${formatMs(obs.targetGcSeconds * 1e3)}`)
  if (result.health !== undefined)
    memory.push(`generator CPU ${(result.health.cpuRatio * 100).toFixed(0)}% of a core, event-loop p99 ${formatMs(result.health.eventLoopDelayP99Ms)}`)
  if (memory.length > 0) lines.push(`  ${memory.join('; ')}`)
  const series = result.memorySeries
  const firstPoint = series[0]
  const lastPoint = series[series.length - 1]
  if (firstPoint !== undefined && lastPoint !== undefined && series.length >= 3) {
    // Bounded memory, shown: RSS at the start, at the middle and at the end of the run.
    const middle = series[Math.floor(series.length / 2)] as (typeof series)[number]
    const at = (p: (typeof series)[number], pick: (p: (typeof series)[number]) => number | undefined) =>
      `${formatBytes(pick(p) ?? 0)} @${formatDurationNs(Math.round(p.tMs / 1e3) * 1e9)}`
    lines.push(`  generator RSS over the run: ${[firstPoint, middle, lastPoint].map((p) => at(p, (q) => q.generatorRssBytes)).join(' → ')}`)
    if (lastPoint.targetRssBytes !== undefined)
      lines.push(`  target RSS over the run: ${[firstPoint, middle, lastPoint].map((p) => at(p, (q) => q.targetRssBytes)).join(' → ')}`)
  }

  if (result.stages.length > 1) {
    lines.push('', 'STAGES')
    const levels = stageLevels(result.stages)
    const rows: string[][] = [['#', loadUnit(result), 'duration', 'requests', 'req/s', 'p(95)', 'errors', 'dropped']]
    for (const [i, stage] of result.stages.entries()) {
      const level = levels[i] as (typeof levels)[number]
      const load = stage.fromTarget === stage.toTarget ? formatLoad(stage.toTarget) : `${formatLoad(stage.fromTarget)}→${formatLoad(stage.toTarget)}`
      rows.push([
        String(i + 1),
        load,
        formatDurationNs(stage.durationMs * 1e6),
        formatCount(stage.counts.requests),
        level.throughputPerSecond.toFixed(1),
        formatMs(level.p95Ms),
        formatPercent(level.errorRatio),
        formatCount(stage.counts.dropped),
      ])
    }
    for (const line of table(rows, '  ')) lines.push(line)
    const knee = kneeOf(result)
    if (knee !== undefined) {
      const good =
        knee.lastGood === undefined
          ? 'no level met the limits'
          : `capacity ≈ ${formatLoad(knee.lastGood.load)} ${loadUnit(result)} (${knee.lastGood.throughputPerSecond.toFixed(1)} req/s, stage ${knee.lastGood.index + 1})`
      lines.push(`  knee: ${good}; at stage ${knee.firstBad.index + 1} (${formatLoad(knee.firstBad.load)} ${loadUnit(result)}) ${knee.reason}`)
    } else if (result.stages.length >= 3) {
      lines.push('  knee: not reached — throughput kept scaling and the limits held at every level')
    }
  }

  lines.push('', 'THRESHOLDS')
  if (result.thresholds.length === 0) lines.push('  (none)')
  const rows = result.thresholds.map((t) => [t.passed === undefined ? '–' : t.passed ? '✓' : '✗', t.rule.metric, t.rule.text, formatObserved(t), t.rule.origin])
  for (const line of table(rows, '  ')) lines.push(line)
  if (result.warnings.length > 0) {
    lines.push('', 'WARNINGS')
    for (const warning of result.warnings) lines.push(`  ! ${warning}`)
  }
  lines.push('', VERDICT_LINES[result.verdict])
  return `${lines.join('\n')}\n`
}
