// Shards: each writes a results document with its histograms; merging them is exact. The shards
// run on a virtual clock against a simulated target, so the test needs no server and no real time.
import { beforeAll, describe, expect, it } from 'vitest'
import { expectedArrivals } from '../../../harness/load/arrivals.ts'
import { decodeHistogram, encodeHistogram, mergeHistograms, newLatencyHistogram } from '../../../harness/load/histogram.ts'
import { judge, resultOfRun, type LoadResult } from '../../../harness/load/load-result.ts'
import { mergeResults } from '../../../harness/load/merge.ts'
import { fromResultsDocument, toResultsDocument } from '../../../harness/load/results.ts'
import { runOpen } from '../../../harness/load/executor-open.ts'
import { LoadRecorder } from '../../../harness/load/recorder.ts'
import { shardPlan, type Shard } from '../../../harness/load/shard.ts'
import { StopSignal } from '../../../harness/load/stop-signal.ts'
import { checkThresholdMap } from '../../../harness/load/thresholds.ts'
import type { OpenPlan } from '../../../harness/load/plan.ts'
import { parseResults } from '../../../harness/results/json.ts'
import { TEST_ENVIRONMENT } from '../../support/results.ts'
import { openPlan } from './plans.ts'
import { drive, SimulatedTarget, VirtualClock } from './virtual-clock.ts'

const RULES = checkThresholdMap({ http_req_duration: ['p(95)<1000'], http_reqs: ['count>10'], http_req_failed: ['rate<0.01'] }, 'test', '', 'test')

describe('HDR histograms merge exactly', () => {
  it('decode(encode(a)) + decode(encode(b)) has the same percentiles as one histogram of all values', () => {
    const a = newLatencyHistogram()
    const b = newLatencyHistogram()
    const all = newLatencyHistogram()
    let seed = 7
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      const us = 100 + (seed % 2_000_000) * (i % 7 === 0 ? 3 : 1)
      ;(i % 3 === 0 ? a : b).recordValue(us)
      all.recordValue(us)
    }
    const merged = mergeHistograms([decodeHistogram(encodeHistogram(a)), decodeHistogram(encodeHistogram(b))])
    expect(merged.totalCount).toBe(all.totalCount)
    for (const p of [0, 1, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100]) expect(merged.getValueAtPercentile(p)).toBe(all.getValueAtPercentile(p))
    // The encoding keeps bucket counts, so the exact max becomes its bucket's top: within 0.1%.
    expect(merged.maxValue).toBe(all.getValueAtPercentile(100))
    expect(Math.abs(merged.maxValue - all.maxValue) / all.maxValue).toBeLessThan(1e-3)
  })
})

describe('shard runs → documents → merge', () => {
  const plan = openPlan(
    120,
    [
      [500, 120],
      [500, 60],
    ],
    { maxVUs: 50 },
  )
  const target = 'http://127.0.0.1:9/x'
  const shards: Array<{ shard: Shard; result: LoadResult; text: string }> = []

  beforeAll(async () => {
    for (const index of [1, 2, 3]) {
      const shard = { index, count: 3 }
      const sharded = shardPlan(plan, shard) as OpenPlan
      const clock = new VirtualClock()
      // Latencies from 2 to 12 ms, different in each shard.
      const simulated = new SimulatedTarget(clock, (n) => ({ latencyMs: 2 + ((n * 7 + index) % 11) }))
      const recorder = new LoadRecorder(sharded.stages.length)
      await drive(clock, runOpen(sharded, shard, simulated, recorder, new StopSignal(), 0, clock))
      const observations = {
        elapsedMs: clock.nowMs(),
        counts: recorder.counts,
        latency: recorder.latency,
        service: recorder.service,
        vusMax: recorder.vusMax,
        targetMemoryBytes: undefined,
        generatorMemoryBytes: undefined,
      }
      const run = {
        startedAt: new Date(Date.UTC(2026, 11, 7)),
        recorder,
        observations,
        health: { cpuRatio: 0.1, eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 2 },
        memorySeries: [],
      }
      const result = resultOfRun(run, sharded, RULES, { scenario: 'merge-test', target, profile: 'test', shard, durationScale: 1 }, undefined)
      shards.push({ shard, result, text: JSON.stringify(toResultsDocument(result, TEST_ENVIRONMENT, 'benchmarks/load/x.json', {})) })
    }
  })

  it('each shard document validates as a shared results document', () => {
    for (const { text } of shards) {
      const doc = parseResults(text, 'shard.json')
      expect(doc.config.producer).toBe('load')
      expect(doc.benchmarks[0]?.name).toBe('BenchmarkLoad/scenario=merge-test')
      expect(doc.benchmarks[0]?.samples[0]?.metrics['req/s']).toBeGreaterThan(0)
      expect(doc.benchmarks[0]?.log?.[0]).toBe('load test passed its 3 thresholds')
    }
  })

  it('a failed SLA keeps status ok (so compare and baselines read it) and says so in the warnings', () => {
    const strict = checkThresholdMap({ http_req_duration: ['p(95)<1us'] }, 'test', '', 'test')
    const failed = judge({ ...(shards[0]?.result as LoadResult), rules: strict })
    const doc = toResultsDocument(failed, TEST_ENVIRONMENT, 'x.json', {})
    expect(doc.benchmarks[0]?.status).toBe('ok')
    expect(doc.warnings[0]).toBe('load test FAILED thresholds: http_req_duration p(95)<1us')
    expect((doc.benchmarks[0]?.extra?.load as { passed: boolean } | undefined)?.passed).toBe(false)
  })

  it('the merge adds counters and histograms exactly and judges once', () => {
    const read = shards.map(({ text }, i) => fromResultsDocument(parseResults(text, `shard-${i + 1}.json`), `shard-${i + 1}.json`))
    const merged = mergeResults(read, ['shard-1.json', 'shard-2.json', 'shard-3.json'])
    const sum = (pick: (r: LoadResult) => number) => shards.reduce((total, s) => total + pick(s.result), 0)
    expect(merged.shardsMerged).toBe(3)
    expect(merged.observations.counts.requests).toBe(sum((r) => r.observations.counts.requests))
    // Together the shards sent the whole schedule, each arrival once.
    expect(sum((r) => r.observations.counts.requests + r.observations.counts.dropped + r.observations.counts.interrupted)).toBe(expectedArrivals(plan))
    const direct = mergeHistograms(shards.map((s) => s.result.observations.latency))
    for (const p of [50, 90, 95, 99, 100]) expect(merged.observations.latency.getValueAtPercentile(p)).toBe(direct.getValueAtPercentile(p))
    expect(merged.stages.map((s) => s.counts.requests)).toEqual([0, 1].map((i) => sum((r) => r.stages[i]?.counts.requests ?? 0)))
    expect(merged.stages.map((s) => s.toTarget)).toEqual([120, 60])
    expect(merged.thresholds.map((t) => t.passed)).toEqual([true, true, true])
    expect(merged.passed).toBe(true)
  })

  it('refuses an incomplete, duplicated or foreign set of shards', () => {
    const read = shards.map(({ text }, i) => fromResultsDocument(parseResults(text, `s${i + 1}`), `s${i + 1}`))
    expect(() => mergeResults(read.slice(0, 2), ['s1', 's2'])).toThrow('merge: shards 3/3 are missing')
    expect(() => mergeResults([read[0], read[0], read[1], read[2]] as LoadResult[], ['s1', 'again', 's2', 's3'])).toThrow('again: shard 1/3 is also in s1')
    const foreign = { ...(read[2] as LoadResult), scenario: 'other' }
    expect(() => mergeResults([read[0], read[1], foreign] as LoadResult[], ['s1', 's2', 'x'])).toThrow('x: not a shard of the same run as s1')
  })

  it('rejects a document whose histogram is damaged, naming where', () => {
    const doc = JSON.parse(shards[0]?.text ?? '{}')
    doc.benchmarks[0].extra.load.histograms.latencyUs = 'not-base64!'
    expect(() => fromResultsDocument(parseResults(JSON.stringify(doc), 'bad.json'), 'bad.json')).toThrow(
      /bad.json: at \/benchmarks\/0\/extra\/load\/histograms\/latencyUs: not an HdrHistogram encoding/,
    )
  })
})
