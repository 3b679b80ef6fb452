// LoadResult: one load test's outcome as plain data — what a single run produced, or what
// merging shard files produced — from which the verdict, the summary and the results document
// are all made.
import { formatDurationNs } from '../results/duration.ts'
import type { LatencyHistogram } from './histogram.ts'
import { findKnee, type Knee, type StageLevel } from './knee.ts'
import type { Observations } from './metrics.ts'
import type { LoadPlan } from './plan.ts'
import { LATE_START_MS, type StageCounts } from './recorder.ts'
import type { GeneratorHealth, MemoryPoint } from './resource-sampler.ts'
import type { LoadRun } from './run.ts'
import type { Shard } from './shard.ts'
import type { StopReason } from './stop-signal.ts'
import { evaluateRules, thresholdsPassed, type ThresholdResult, type ThresholdRule } from './thresholds.ts'

/** GENERATOR_BUSY_RATIO: above this CPU share of one core the generator may be the bottleneck (Artillery warns at 80%). */
export const GENERATOR_BUSY_RATIO = 0.9
/** EVENT_LOOP_SLOW_MS: an event-loop p99 delay above this distorts latencies. */
export const EVENT_LOOP_SLOW_MS = 50
/** LATE_START_WARN_RATIO: warn when more than this share of open-model requests started late. */
export const LATE_START_WARN_RATIO = 0.01

/** StageResult is one stage's plan and measurements. */
export interface StageResult {
  readonly durationMs: number
  /** VUs or requests/s at the stage's start and end. */
  readonly fromTarget: number
  readonly toTarget: number
  readonly counts: StageCounts
  readonly latency: LatencyHistogram
}

/**
 * LoadVerdict is how a load test ended: every threshold held over the whole plan (passed), a
 * threshold failed or an abortOnFail threshold stopped it (failed), or Ctrl-C / SIGTERM cut it
 * short (interrupted: what ran is reported, but a part of a run is no pass).
 */
export type LoadVerdict = 'passed' | 'failed' | 'interrupted'

/** LoadResult is the outcome of a load test. */
export interface LoadResult {
  readonly scenario: string
  readonly executor: string
  readonly model: 'closed' | 'open'
  readonly target: string
  readonly profile: string
  /** The shard that ran (1/1 for an unsharded or merged result). */
  readonly shard: Shard
  /** How many shard results were merged into this one (1 for a single run). */
  readonly shardsMerged: number
  readonly startedAt: string
  readonly plannedMs: number
  readonly durationScale: number
  readonly observations: Observations
  readonly stages: readonly StageResult[]
  readonly rules: readonly ThresholdRule[]
  readonly thresholds: readonly ThresholdResult[]
  readonly verdict: LoadVerdict
  /** passed is verdict === 'passed'. */
  readonly passed: boolean
  readonly stop: { readonly reason: StopReason; readonly detail: string } | undefined
  readonly health: GeneratorHealth | undefined
  readonly memorySeries: readonly MemoryPoint[]
  readonly errorMessages: readonly string[]
  readonly warnings: readonly string[]
}

/** LoadIdentity is what a run was: scenario, target, profile, shard. */
export interface LoadIdentity {
  readonly scenario: string
  readonly target: string
  readonly profile: string
  readonly shard: Shard
  readonly durationScale: number
}

/** stageResults pairs the plan's stages with the recorder's per-stage measurements. */
export function stageResults(plan: LoadPlan, counts: readonly StageCounts[], latency: readonly LatencyHistogram[]): StageResult[] {
  let from = plan.model === 'closed' ? plan.startVUs : plan.startRate
  return plan.stages.map((stage, i) => {
    const result = {
      durationMs: stage.durationNs / 1e6,
      fromTarget: from,
      toTarget: stage.target,
      counts: counts[i] as StageCounts,
      latency: latency[i] as LatencyHistogram,
    }
    from = stage.target
    return result
  })
}

/** warningsFor lists what makes a result less trustworthy; they travel as data beside it. */
export function warningsFor(result: Omit<LoadResult, 'warnings'>): string[] {
  const warnings: string[] = []
  const health = result.health
  if (health !== undefined && health.cpuRatio > GENERATOR_BUSY_RATIO) {
    warnings.push(
      `the load generator used ${(health.cpuRatio * 100).toFixed(0)}% of a core: it may have been the bottleneck; shard the run (--shard) or lower the load`,
    )
  }
  if (health !== undefined && health.eventLoopDelayP99Ms > EVENT_LOOP_SLOW_MS) {
    warnings.push(`the generator's event loop lagged (p99 ${health.eventLoopDelayP99Ms.toFixed(0)} ms): latencies include that delay`)
  }
  const counts = result.observations.counts
  if (result.model === 'open' && counts.requests > 0 && counts.lateStarts / counts.requests > LATE_START_WARN_RATIO) {
    warnings.push(
      `${counts.lateStarts} requests (${((counts.lateStarts / counts.requests) * 100).toFixed(1)}%) went out more than ${LATE_START_MS} ms after they were due; their latency counts from the due time`,
    )
  }
  if (counts.dropped > 0) {
    warnings.push(
      `${counts.dropped} arrivals were dropped because all ${result.observations.vusMax} slots were busy (raise maxVUs, or the target is saturated)`,
    )
  }
  for (const t of result.thresholds) {
    if (t.passed === undefined)
      warnings.push(
        `threshold ${t.rule.metric} ${t.rule.text} was not evaluated: ${t.rule.metric === 'target_memory_bytes' ? 'the target is not a local process (give --target-pid)' : 'no measurement'}`,
      )
  }
  if (result.stop?.reason === 'interrupted') warnings.push(`${interruptedText(result)}: no verdict; the figures above cover what ran`)
  else if (result.stop !== undefined) warnings.push(`the run stopped early (${result.stop.detail}); the verdict covers what ran`)
  return warnings
}

/** interruptedText says when an interrupted run stopped: `interrupted by SIGINT after 5.2s of 30s`. */
export function interruptedText(result: Pick<LoadResult, 'stop' | 'observations' | 'plannedMs'>): string {
  const elapsed = formatDurationNs(Math.round(result.observations.elapsedMs) * 1e6)
  return `${result.stop?.detail ?? 'interrupted'} after ${elapsed} of ${formatDurationNs(Math.round(result.plannedMs) * 1e6)}`
}

/** judge evaluates the rules and fills in the verdict and the warnings. */
export function judge(base: Omit<LoadResult, 'thresholds' | 'verdict' | 'passed' | 'warnings'>): LoadResult {
  const thresholds = evaluateRules(base.rules, base.observations)
  // A run stopped by a failing abortOnFail threshold has failed, even if the final values
  // recovered; an interrupted one is judged on nothing: its first seconds are not the plan.
  const verdict: LoadVerdict =
    base.stop?.reason === 'interrupted' ? 'interrupted' : thresholdsPassed(thresholds) && base.stop === undefined ? 'passed' : 'failed'
  const partial = { ...base, thresholds, verdict, passed: verdict === 'passed' }
  return { ...partial, warnings: warningsFor(partial) }
}

/** resultOfRun builds the result of a single run. */
export function resultOfRun(run: LoadRun, plan: LoadPlan, rules: readonly ThresholdRule[], identity: LoadIdentity, stop: LoadResult['stop']): LoadResult {
  return judge({
    ...identity,
    executor: plan.executor,
    model: plan.model,
    shardsMerged: 1,
    startedAt: run.startedAt.toISOString(),
    plannedMs: plan.stages.reduce((sum, stage) => sum + stage.durationNs, 0) / 1e6,
    observations: run.observations,
    stages: stageResults(plan, run.recorder.stageCounts, run.recorder.stageLatency),
    rules,
    stop,
    health: run.health,
    memorySeries: run.memorySeries,
    errorMessages: run.recorder.errorMessages,
  })
}

/** stageLevels turns stages into knee-finder levels. */
export function stageLevels(stages: readonly StageResult[]): StageLevel[] {
  return stages.map((stage, index) => {
    const seconds = stage.durationMs / 1e3
    return {
      index,
      load: (stage.fromTarget + stage.toTarget) / 2,
      steady: stage.fromTarget === stage.toTarget,
      throughputPerSecond: seconds > 0 ? stage.counts.requests / seconds : 0,
      p95Ms: stage.latency.totalCount === 0 ? Number.NaN : stage.latency.getValueAtPercentile(95) / 1e3,
      errorRatio: stage.counts.requests === 0 ? 0 : stage.counts.failed / stage.counts.requests,
    }
  })
}

/** kneeOf finds the knee of a multi-stage result, using its p95 and error-rate thresholds as limits. */
export function kneeOf(result: LoadResult): Knee | undefined {
  if (result.stages.length < 3) return undefined
  const limit = (metric: string, kind: string): number | undefined => {
    const rule = result.rules.find(
      (r) =>
        r.metric === metric &&
        (r.expression.aggregation.kind === kind || (kind === 'p95' && r.expression.aggregation.kind === 'p' && r.expression.aggregation.percentile === 95)) &&
        r.expression.operator.startsWith('<'),
    )
    return rule?.expression.value
  }
  return findKnee(stageLevels(result.stages), { p95Ms: limit('http_req_duration', 'p95'), errorRatio: limit('http_req_failed', 'rate') })
}
