// Running one load test: the executor, the resource sampler, the once-a-second status and the
// abortOnFail checks, tied to one StopSignal. The result is plain data for the verdict, the
// summary and the results document.
import { REAL_CLOCK } from './clock.ts'
import { runClosed } from './executor-closed.ts'
import { runOpen } from './executor-open.ts'
import { HttpTarget } from './http-target.ts'
import type { Observations } from './metrics.ts'
import { peakTarget, planDurationNs, targetAt, type LoadPlan } from './plan.ts'
import { LoadRecorder } from './recorder.ts'
import { ResourceSampler, type GeneratorHealth, type MemoryPoint } from './resource-sampler.ts'
import type { Shard } from './shard.ts'
import type { StopSignal } from './stop-signal.ts'
import { abortingFailure, type ThresholdRule } from './thresholds.ts'
import { readGcSeconds } from './target-gc.ts'

/** STATUS_INTERVAL_MS is how often the live status and abortOnFail thresholds are updated. */
export const STATUS_INTERVAL_MS = 1_000

/** LiveStatus is what the one-line TTY status shows. */
export interface LiveStatus {
  readonly elapsedMs: number
  readonly plannedMs: number
  readonly vus: number
  readonly target: number
  readonly requestsPerSecond: number
  readonly p95Ms: number
  readonly errorRatio: number
  readonly totalRequests: number
  readonly totalFailed: number
}

/** LoadRunOptions says what to run and against what. */
export interface LoadRunOptions {
  readonly plan: LoadPlan
  readonly shard: Shard
  readonly url: URL
  readonly rules: readonly ThresholdRule[]
  readonly targetPid: number | undefined
  readonly stop: StopSignal
  readonly onStatus?: (status: LiveStatus) => void
}

/** LoadRun is everything a run measured. */
export interface LoadRun {
  readonly startedAt: Date
  readonly recorder: LoadRecorder
  readonly observations: Observations
  readonly health: GeneratorHealth
  readonly memorySeries: readonly MemoryPoint[]
}

/** runLoad runs the plan; target failures are counted, and Ctrl-C or an abort ends it early with what ran. */
export async function runLoad(options: LoadRunOptions): Promise<LoadRun> {
  const { plan, stop } = options
  const recorder = new LoadRecorder(plan.stages.length)
  const connections = Math.max(1, plan.model === 'closed' ? peakTarget(plan) : plan.maxVUs)
  const target = new HttpTarget(options.url, {
    connections,
    timeoutMs: plan.request.timeoutNs / 1e6,
    method: plan.request.method,
    headers: plan.request.headers,
  })
  // One scrape before the clock starts (its GC sum), one after it stops: neither counts or overlaps the load.
  const gcStart = await readGcSeconds(options.url, plan.request.headers)
  const startedAt = new Date()
  const startMs = performance.now()
  const plannedMs = planDurationNs(plan) / 1e6
  const sampler = new ResourceSampler(options.targetPid, startMs)
  sampler.start()

  const observe = (): Observations => ({
    elapsedMs: performance.now() - startMs,
    counts: recorder.counts,
    latency: recorder.latency,
    service: recorder.service,
    vusMax: recorder.vusMax,
    targetMemoryBytes: sampler.targetPeakBytes,
    generatorMemoryBytes: sampler.generatorPeakBytes,
  })

  const tick = setInterval(() => {
    const interval = recorder.takeInterval()
    const elapsedMs = performance.now() - startMs
    options.onStatus?.({
      elapsedMs,
      plannedMs,
      vus: recorder.vus,
      target: targetAt(plan, elapsedMs * 1e6),
      requestsPerSecond: (interval.requests * 1e3) / STATUS_INTERVAL_MS,
      p95Ms: interval.p95Ms,
      errorRatio: recorder.counts.requests === 0 ? 0 : recorder.counts.failed / recorder.counts.requests,
      totalRequests: recorder.counts.requests,
      totalFailed: recorder.counts.failed,
    })
    const failing = abortingFailure(options.rules, observe())
    if (failing !== undefined) {
      stop.stop('threshold-abort', `${failing.rule.metric} ${failing.rule.text} failed (abortOnFail) at ${(elapsedMs / 1e3).toFixed(1)}s`)
    }
  }, STATUS_INTERVAL_MS)

  try {
    if (plan.model === 'closed') await runClosed(plan, target, recorder, stop, startMs, REAL_CLOCK)
    else await runOpen(plan, options.shard, target, recorder, stop, startMs, REAL_CLOCK)
  } finally {
    clearInterval(tick)
    await target.close()
  }
  const elapsedMs = performance.now() - startMs
  const health = await sampler.stop()
  const gcEnd = gcStart === undefined ? undefined : await readGcSeconds(options.url, plan.request.headers)
  const targetGcSeconds = gcStart !== undefined && gcEnd !== undefined ? Math.max(0, gcEnd - gcStart) : undefined
  return {
    startedAt,
    recorder,
    observations: { ...observe(), elapsedMs, targetCpuSeconds: sampler.targetCpuSeconds, targetGcSeconds },
    health,
    memorySeries: sampler.series.points,
  }
}
