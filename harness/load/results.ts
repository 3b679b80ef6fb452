// A load test in the shared results document (config.producer 'load'): one BenchmarkResult with
// one sample of headline metrics, so compare, baselines and reports read it like any benchmark,
// and in `extra.load` everything needed to merge shards exactly — counters and the HDR
// histograms in their compressed base64 encoding.
import { Type, type Static } from '@sinclair/typebox'
import { InputError } from '../../common/input-error.ts'
import { RESULTS_SCHEMA_VERSION, type BenchmarkResult, type Environment, type ResultsDocument, type UnitInfo } from '../results/schema.ts'
import { ERROR_KINDS, type ErrorKind } from './http-target.ts'
import { decodeHistogram, encodeHistogram, trendStats } from './histogram.ts'
import { interruptedText, judge, type LoadResult } from './load-result.ts'
import type { ThresholdMap } from './scenario-schema.ts'
import { checkThresholdMap, type ThresholdRule } from './thresholds.ts'
import { checkValue } from './validate.ts'

/** LOAD_EXTRA_VERSION is bumped when `extra.load` changes incompatibly. */
export const LOAD_EXTRA_VERSION = 1
/** LOAD_PKG is the `pkg` of load-test results. */
export const LOAD_PKG = 'load'

const Counts = Type.Object({
  requests: Type.Integer({ minimum: 0 }),
  ok: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  dropped: Type.Integer({ minimum: 0 }),
  interrupted: Type.Integer({ minimum: 0 }),
  bodyBytes: Type.Number({ minimum: 0 }),
  lateStarts: Type.Integer({ minimum: 0 }),
  errors: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
})

const StoredRule = Type.Object({
  metric: Type.String(),
  threshold: Type.String(),
  abortOnFail: Type.Boolean(),
  delayAbortEvalMs: Type.Number({ minimum: 0 }),
  origin: Type.String(),
})

/** LoadExtra is the `extra.load` object of a load-test BenchmarkResult. */
export const LoadExtra = Type.Object({
  version: Type.Literal(LOAD_EXTRA_VERSION),
  scenario: Type.String(),
  executor: Type.String(),
  model: Type.Union([Type.Literal('closed'), Type.Literal('open')]),
  target: Type.String(),
  profile: Type.String(),
  shard: Type.Object({ index: Type.Integer({ minimum: 1 }), count: Type.Integer({ minimum: 1 }) }),
  shardsMerged: Type.Integer({ minimum: 1 }),
  durationScale: Type.Number({ exclusiveMinimum: 0 }),
  plannedMs: Type.Number({ minimum: 0 }),
  elapsedMs: Type.Number({ minimum: 0 }),
  counts: Counts,
  vusMax: Type.Number({ minimum: 0 }),
  targetMemoryBytes: Type.Optional(Type.Number({ minimum: 0 })),
  generatorMemoryBytes: Type.Optional(Type.Number({ minimum: 0 })),
  targetCpuSeconds: Type.Optional(Type.Number({ minimum: 0 })),
  targetGcSeconds: Type.Optional(Type.Number({ minimum: 0 })),
  histograms: Type.Object({ latencyUs: Type.String(), serviceUs: Type.String() }),
  stages: Type.Array(
    Type.Object({
      durationMs: Type.Number({ minimum: 0 }),
      fromTarget: Type.Number({ minimum: 0 }),
      toTarget: Type.Number({ minimum: 0 }),
      requests: Type.Integer({ minimum: 0 }),
      failed: Type.Integer({ minimum: 0 }),
      dropped: Type.Integer({ minimum: 0 }),
      latencyUs: Type.String(),
    }),
  ),
  rules: Type.Array(StoredRule),
  passed: Type.Boolean(),
  stop: Type.Optional(Type.Object({ reason: Type.Union([Type.Literal('interrupted'), Type.Literal('threshold-abort')]), detail: Type.String() })),
  health: Type.Optional(Type.Object({ cpuRatio: Type.Number(), eventLoopDelayP99Ms: Type.Number(), eventLoopDelayMaxMs: Type.Number() })),
  memorySeries: Type.Array(Type.Object({ tMs: Type.Number(), generatorRssBytes: Type.Number(), targetRssBytes: Type.Optional(Type.Number()) })),
  errorMessages: Type.Array(Type.String()),
})
export type LoadExtra = Static<typeof LoadExtra>

/** LOAD_UNITS are the directions of the headline metrics that are not lower-is-better. */
const LOAD_UNITS: Readonly<Record<string, UnitInfo>> = {
  'req/s': { better: 'higher', assume: 'nothing' },
  'availability-ratio': { better: 'higher', assume: 'nothing' },
}

/** headlineMetrics are the sample's metrics: latency percentiles in ns, throughput, error and availability ratios, memory. */
export function headlineMetrics(result: LoadResult): Record<string, number> {
  const obs = result.observations
  const s = trendStats(obs.latency)
  const seconds = obs.elapsedMs / 1e3
  const metrics: Record<string, number> = {
    'ns/op': s.meanMs * 1e6,
    'p50-ns': s.p50Ms * 1e6,
    'p95-ns': s.p95Ms * 1e6,
    'p99-ns': s.p99Ms * 1e6,
    'max-ns': s.maxMs * 1e6,
    'req/s': seconds > 0 ? obs.counts.requests / seconds : Number.NaN,
    'error-ratio': obs.counts.requests === 0 ? Number.NaN : obs.counts.failed / obs.counts.requests,
    'availability-ratio': obs.counts.requests + obs.counts.dropped === 0 ? Number.NaN : obs.counts.ok / (obs.counts.requests + obs.counts.dropped),
    dropped: obs.counts.dropped,
  }
  if (obs.targetMemoryBytes !== undefined) metrics['target-peak-B'] = obs.targetMemoryBytes
  if (obs.generatorMemoryBytes !== undefined) metrics['generator-peak-B'] = obs.generatorMemoryBytes
  if (obs.targetCpuSeconds !== undefined && seconds > 0) metrics['target-cpu-ratio'] = obs.targetCpuSeconds / seconds
  if (obs.targetGcSeconds !== undefined) metrics['target-gc-ns'] = obs.targetGcSeconds * 1e9
  // The document holds finite numbers only; a metric without data is left out.
  for (const [unit, value] of Object.entries(metrics)) if (!Number.isFinite(value)) delete metrics[unit]
  return metrics
}

/** benchmarkName is the Go-style name of a scenario's result. */
export function benchmarkName(scenario: string): string {
  return `BenchmarkLoad/scenario=${scenario.replace(/\s+/g, '_')}`
}

function toExtra(result: LoadResult): LoadExtra {
  const obs = result.observations
  return {
    version: LOAD_EXTRA_VERSION,
    scenario: result.scenario,
    executor: result.executor,
    model: result.model,
    target: result.target,
    profile: result.profile,
    shard: { index: result.shard.index, count: result.shard.count },
    shardsMerged: result.shardsMerged,
    durationScale: result.durationScale,
    plannedMs: result.plannedMs,
    elapsedMs: obs.elapsedMs,
    counts: { ...obs.counts, errors: { ...obs.counts.errors } },
    vusMax: obs.vusMax,
    ...(obs.targetMemoryBytes === undefined ? {} : { targetMemoryBytes: obs.targetMemoryBytes }),
    ...(obs.generatorMemoryBytes === undefined ? {} : { generatorMemoryBytes: obs.generatorMemoryBytes }),
    ...(obs.targetCpuSeconds === undefined ? {} : { targetCpuSeconds: obs.targetCpuSeconds }),
    ...(obs.targetGcSeconds === undefined ? {} : { targetGcSeconds: obs.targetGcSeconds }),
    histograms: { latencyUs: encodeHistogram(obs.latency), serviceUs: encodeHistogram(obs.service) },
    stages: result.stages.map((stage) => ({
      durationMs: stage.durationMs,
      fromTarget: stage.fromTarget,
      toTarget: stage.toTarget,
      ...stage.counts,
      latencyUs: encodeHistogram(stage.latency),
    })),
    rules: result.rules.map((rule) => ({
      metric: rule.metric,
      threshold: rule.text,
      abortOnFail: rule.abortOnFail,
      delayAbortEvalMs: rule.delayAbortEvalMs,
      origin: rule.origin,
    })),
    passed: result.passed,
    ...(result.stop === undefined ? {} : { stop: { ...result.stop } }),
    ...(result.health === undefined ? {} : { health: { ...result.health } }),
    memorySeries: result.memorySeries.map((p) => ({
      tMs: p.tMs,
      generatorRssBytes: p.generatorRssBytes,
      ...(p.targetRssBytes === undefined ? {} : { targetRssBytes: p.targetRssBytes }),
    })),
    errorMessages: [...result.errorMessages],
  }
}

/** verdictLine says how the thresholds came out, for the document's log and warnings. */
export function verdictLine(result: LoadResult): string {
  const failed = result.thresholds.filter((t) => t.passed === false)
  if (result.verdict === 'interrupted') return `load test INTERRUPTED (${interruptedText(result)}): partial results, no verdict`
  if (result.passed) return `load test passed its ${result.thresholds.length} thresholds`
  if (failed.length > 0) return `load test FAILED thresholds: ${failed.map((t) => `${t.rule.metric} ${t.rule.text}`).join('; ')}`
  return `load test FAILED: ${result.stop?.detail ?? 'stopped'}`
}

/**
 * toBenchmarkResult turns a load result into the shared BenchmarkResult shape. Its status is
 * `ok` whatever the SLA verdict: the measurements are sound either way, and compare and
 * baselines skip benchmarks whose status is not ok. The verdict travels in `extra.load.passed`,
 * the log and the document's warnings.
 */
export function toBenchmarkResult(result: LoadResult, file: string): BenchmarkResult {
  return {
    name: benchmarkName(result.scenario),
    pkg: LOAD_PKG,
    file,
    procs: 1,
    status: 'ok',
    samples: [{ round: 0, iterations: result.observations.counts.requests, metrics: headlineMetrics(result) }],
    units: { ...LOAD_UNITS },
    log: [verdictLine(result), ...result.warnings],
    extra: { load: toExtra(result) },
  }
}

/** toResultsDocument wraps a load result in a results document. */
export function toResultsDocument(result: LoadResult, environment: Environment, file: string, settings: Record<string, unknown>): ResultsDocument {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    kind: 'slurmbench.results',
    startedAt: result.startedAt,
    durationMs: result.observations.elapsedMs,
    environment,
    config: {
      producer: 'load',
      settings: {
        scenario: result.scenario,
        target: result.target,
        profile: result.profile,
        shard: `${result.shard.index}/${result.shard.count}`,
        ...settings,
      },
    },
    benchmarks: [toBenchmarkResult(result, file)],
    warnings: result.passed ? [...result.warnings] : [verdictLine(result), ...result.warnings],
  }
}

function storedRules(extra: LoadExtra, source: string): ThresholdRule[] {
  const rules: ThresholdRule[] = []
  for (const [i, stored] of extra.rules.entries()) {
    const map: ThresholdMap = { [stored.metric]: [stored.threshold] }
    const [rule] = checkThresholdMap(map, source, `/benchmarks/0/extra/load/rules/${i}`, stored.origin)
    if (rule !== undefined) rules.push({ ...rule, abortOnFail: stored.abortOnFail, delayAbortEvalMs: stored.delayAbortEvalMs })
  }
  return rules
}

function decodeAt(encoded: string, source: string, path: string) {
  try {
    return decodeHistogram(encoded)
  } catch (err) {
    throw new InputError(`${source}: at ${path}: not an HdrHistogram encoding (${(err as Error).message})`)
  }
}

/** fromResultsDocument reads the load result back out of a document (for merge); `source` names the file in errors. */
export function fromResultsDocument(doc: ResultsDocument, source: string): LoadResult {
  if (doc.config.producer !== 'load')
    throw new InputError(`${source}: at /config/producer: expected "load" (a load-test result), found "${doc.config.producer}"`)
  const index = doc.benchmarks.findIndex((b) => b.extra?.load !== undefined)
  if (index === -1) throw new InputError(`${source}: no benchmark carries extra.load; expected a file written by 'slurmbench load --out'`)
  const raw = (doc.benchmarks[index] as BenchmarkResult).extra?.load
  checkValue(LoadExtra, raw, `${source} (at /benchmarks/${index}/extra/load)`)
  const extra = raw as LoadExtra
  const errors = {} as Record<ErrorKind, number>
  for (const kind of ERROR_KINDS) errors[kind] = extra.counts.errors[kind] ?? 0
  const base = `/benchmarks/${index}/extra/load`
  return judge({
    scenario: extra.scenario,
    executor: extra.executor,
    model: extra.model,
    target: extra.target,
    profile: extra.profile,
    shard: extra.shard,
    shardsMerged: extra.shardsMerged,
    durationScale: extra.durationScale,
    startedAt: doc.startedAt,
    plannedMs: extra.plannedMs,
    observations: {
      elapsedMs: extra.elapsedMs,
      counts: { ...extra.counts, errors },
      latency: decodeAt(extra.histograms.latencyUs, source, `${base}/histograms/latencyUs`),
      service: decodeAt(extra.histograms.serviceUs, source, `${base}/histograms/serviceUs`),
      vusMax: extra.vusMax,
      targetMemoryBytes: extra.targetMemoryBytes,
      generatorMemoryBytes: extra.generatorMemoryBytes,
      targetCpuSeconds: extra.targetCpuSeconds,
      targetGcSeconds: extra.targetGcSeconds,
    },
    stages: extra.stages.map((stage, i) => ({
      durationMs: stage.durationMs,
      fromTarget: stage.fromTarget,
      toTarget: stage.toTarget,
      counts: { requests: stage.requests, failed: stage.failed, dropped: stage.dropped },
      latency: decodeAt(stage.latencyUs, source, `${base}/stages/${i}/latencyUs`),
    })),
    rules: storedRules(extra, source),
    stop: extra.stop,
    health: extra.health,
    memorySeries: extra.memorySeries.map((p) => ({ tMs: p.tMs, generatorRssBytes: p.generatorRssBytes, targetRssBytes: p.targetRssBytes })),
    errorMessages: extra.errorMessages,
  })
}
