// The end-of-test summary (harness/report/load-summary.ts) of fixed results, held against
// reviewed golden files: a closed-model ramp that finds its knee and fails, an open-model run
// that passes, and a run interrupted by Ctrl-C. UPDATE_GOLDEN=1 rewrites them after an intended
// change; review the diff like code.
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../common/prng.ts'
import { newLatencyHistogram, type LatencyHistogram } from '../../../harness/load/histogram.ts'
import { judge, type LoadResult } from '../../../harness/load/load-result.ts'
import { newCounts } from '../../../harness/load/recorder.ts'
import { checkThresholdMap } from '../../../harness/load/thresholds.ts'
import { FAILED_LINE, INTERRUPTED_LINE, PASSED_LINE, renderSummary } from '../../../harness/report/load-summary.ts'

/** latencies records `count` latencies, log-uniform between `minUs` and `maxUs`, from a fixed seed. */
function latencies(seed: number, count: number, minUs: number, maxUs: number): LatencyHistogram {
  const random = mulberry32(seed)
  const histogram = newLatencyHistogram()
  const span = Math.log(maxUs / minUs)
  for (let i = 0; i < count; i++) histogram.recordValue(Math.round(minUs * Math.exp(span * random())))
  return histogram
}

function merged(histograms: readonly LatencyHistogram[]): LatencyHistogram {
  const all = newLatencyHistogram()
  for (const h of histograms) all.add(h)
  return all
}

const RULES = checkThresholdMap(
  { http_req_duration: ['p(95)<500', 'p(99)<1000'], http_req_failed: ['rate<0.01'], http_reqs: ['rate>45'], target_memory_bytes: ['value<536870912'] },
  'test',
  '',
  'profile default',
)

/** rampResult is a four-stage ramp of 10 → 100 VUs whose last stage saturates the target. */
function rampResult(): LoadResult {
  const stageSpecs = [
    { durationMs: 60_000, from: 0, to: 50, requests: 3_000, failed: 0, maxUs: 200_000 },
    { durationMs: 60_000, from: 50, to: 50, requests: 6_000, failed: 3, maxUs: 250_000 },
    { durationMs: 60_000, from: 50, to: 100, requests: 7_500, failed: 40, maxUs: 600_000 },
    { durationMs: 60_000, from: 100, to: 100, requests: 7_600, failed: 900, maxUs: 3_000_000 },
  ]
  const stages = stageSpecs.map((s, i) => ({
    durationMs: s.durationMs,
    fromTarget: s.from,
    toTarget: s.to,
    counts: { requests: s.requests, failed: s.failed, dropped: 0 },
    latency: latencies(10 + i, s.requests, 800, s.maxUs),
  }))
  const counts = newCounts()
  for (const s of stageSpecs) {
    counts.requests += s.requests
    counts.failed += s.failed
  }
  counts.ok = counts.requests - counts.failed
  counts.errors['http-5xx'] = 700
  counts.errors.timeout = counts.failed - 700
  counts.interrupted = 12
  counts.bodyBytes = counts.ok * 18_432
  const latency = merged(stages.map((s) => s.latency))
  return judge({
    scenario: 'stress',
    executor: 'ramping-vus',
    model: 'closed',
    target: 'http://127.0.0.1:9341/metrics',
    profile: 'default',
    shard: { index: 1, count: 1 },
    shardsMerged: 1,
    durationScale: 1,
    startedAt: '2026-12-07T04:00:00.000Z',
    plannedMs: 240_000,
    observations: {
      elapsedMs: 240_412,
      counts,
      latency,
      service: latency,
      vusMax: 100,
      targetMemoryBytes: 201_326_592,
      generatorMemoryBytes: 94_371_840,
    },
    stages,
    rules: RULES,
    stop: undefined,
    health: { cpuRatio: 0.42, eventLoopDelayP99Ms: 12.5, eventLoopDelayMaxMs: 40 },
    memorySeries: [
      { tMs: 0, generatorRssBytes: 80_000_000, targetRssBytes: 120_000_000 },
      { tMs: 120_000, generatorRssBytes: 92_000_000, targetRssBytes: 180_000_000 },
      { tMs: 240_000, generatorRssBytes: 94_000_000, targetRssBytes: 201_000_000 },
    ],
    errorMessages: [],
  })
}

/** openResult is 50 requests/s for a minute against a fast target, one late start in a hundred. */
function openResult(stop?: LoadResult['stop'], elapsedMs = 60_020): LoadResult {
  const requests = Math.round((3_000 * elapsedMs) / 60_020)
  const counts = newCounts()
  counts.requests = requests
  counts.ok = requests
  counts.lateStarts = Math.floor(requests / 100)
  counts.dropped = 0
  counts.bodyBytes = requests * 236
  const latency = latencies(3, requests, 300, 40_000)
  return judge({
    scenario: 'open-constant',
    executor: 'constant-arrival-rate',
    model: 'open',
    target: 'http://127.0.0.1:6820/slurm/v0.0.44/ping',
    profile: 'default',
    shard: { index: 1, count: 1 },
    shardsMerged: 1,
    durationScale: 0.1,
    startedAt: '2026-12-07T04:10:00.000Z',
    plannedMs: 60_000,
    observations: {
      elapsedMs,
      counts,
      latency,
      service: latencies(4, requests, 250, 20_000),
      vusMax: 4,
      targetMemoryBytes: undefined,
      generatorMemoryBytes: 70_254_592,
    },
    stages: [{ durationMs: 60_000, fromTarget: 50, toTarget: 50, counts: { requests, failed: 0, dropped: 0 }, latency }],
    rules: RULES,
    stop,
    health: { cpuRatio: 0.08, eventLoopDelayP99Ms: 3.1, eventLoopDelayMaxMs: 9 },
    memorySeries: [],
    errorMessages: [],
  })
}

function golden(name: string, text: string): void {
  const file = new URL(`./testdata/${name}`, import.meta.url)
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text)
  expect(text).toBe(readFileSync(file, 'utf8'))
}

describe('renderSummary', () => {
  it('a closed-model ramp: stages, the knee, failed thresholds, errors and memory', () => {
    const text = renderSummary(rampResult())
    golden('load-summary-ramp.golden.txt', text)
    expect(text.trimEnd().split('\n').at(-1)).toBe(FAILED_LINE)
  })

  it('an open-model run: latency from the due time beside service time', () => {
    const text = renderSummary(openResult())
    golden('load-summary-open.golden.txt', text)
    expect(text.trimEnd().split('\n').at(-1)).toBe(PASSED_LINE)
  })

  it('an interrupted run is no pass, whatever its thresholds read', () => {
    const result = openResult({ reason: 'interrupted', detail: 'interrupted by SIGINT' }, 5_012)
    // Over its first five seconds this run met every threshold it could.
    expect(result.thresholds.every((t) => t.passed !== false)).toBe(true)
    expect(result.verdict).toBe('interrupted')
    const text = renderSummary(result)
    golden('load-summary-interrupted.golden.txt', text)
    expect(text).toContain('interrupted by SIGINT after 5.012s of 1m0s: no verdict')
    expect(text.trimEnd().split('\n').at(-1)).toBe(INTERRUPTED_LINE)
  })
})
