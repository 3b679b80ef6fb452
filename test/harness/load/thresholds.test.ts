// Threshold expressions, SLA profiles and their evaluation.
import { describe, expect, it } from 'vitest'
import { newLatencyHistogram } from '../../../harness/load/histogram.ts'
import type { Observations } from '../../../harness/load/metrics.ts'
import { newCounts } from '../../../harness/load/recorder.ts'
import { parseSla, profileForNodes, profileRules, readSla } from '../../../harness/load/sla.ts'
import { parseThresholdExpression } from '../../../harness/load/threshold-expression.ts'
import { abortingFailure, checkThresholdMap, evaluateRules, layerRules, thresholdsPassed, withAbortOnFail } from '../../../harness/load/thresholds.ts'
import { InputError } from '../../../common/input-error.ts'
import { slaRules } from './plans.ts'

function observations(latenciesMs: number[], extra: Partial<Observations> = {}, counts: Partial<ReturnType<typeof newCounts>> = {}): Observations {
  const latency = newLatencyHistogram()
  for (const ms of latenciesMs) latency.recordValue(Math.round(ms * 1e3))
  return {
    elapsedMs: 10_000,
    counts: { ...newCounts(), requests: latenciesMs.length, ok: latenciesMs.length, ...counts },
    latency,
    service: latency,
    vusMax: 10,
    targetMemoryBytes: undefined,
    generatorMemoryBytes: 100e6,
    ...extra,
  }
}

describe('parseThresholdExpression (k6 grammar)', () => {
  it.each([
    ['p(95)<5000', { aggregation: { kind: 'p', percentile: 95 }, operator: '<', value: 5000, unit: 'none' }],
    ['p(99.9) <= 250', { aggregation: { kind: 'p', percentile: 99.9 }, operator: '<=', value: 250, unit: 'none' }],
    ['rate<0.01', { aggregation: { kind: 'rate' }, operator: '<', value: 0.01, unit: 'none' }],
    ['count===0', { aggregation: { kind: 'count' }, operator: '===', value: 0, unit: 'none' }],
    ['avg != 1e3', { aggregation: { kind: 'avg' }, operator: '!=', value: 1000, unit: 'none' }],
    ['med>=-1.5', { aggregation: { kind: 'med' }, operator: '>=', value: -1.5, unit: 'none' }],
    ['p(95)<5s', { aggregation: { kind: 'p', percentile: 95 }, operator: '<', value: 5000, unit: 'ms' }],
    ['value<512MiB', { aggregation: { kind: 'value' }, operator: '<', value: 512 * 1024 ** 2, unit: 'bytes' }],
  ])('%s', (text, expected) => {
    expect(parseThresholdExpression(text)).toEqual(expected)
  })
  it.each(['p95<5000', 'p(95)=5000', 'rate <', 'p(101)<1', 'avg<5 parsecs', 'max<<3', ''])('rejects %j with a message', (text) => {
    expect(typeof parseThresholdExpression(text)).toBe('string')
  })
})

describe('checkThresholdMap', () => {
  it('names the file and JSON path of a bad expression, metric or aggregation', () => {
    expect(() => checkThresholdMap({ http_req_duration: ['p(95)<5000', 'p95<1'] }, 'f.json', '/thresholds', 's')).toThrow(
      'f.json: at /thresholds/http_req_duration/1: "p95<1" is not a threshold expression',
    )
    expect(() => checkThresholdMap({ http_req_durations: ['avg<1'] }, 'f.json', '/thresholds', 's')).toThrow(
      /at \/thresholds\/http_req_durations: unknown metric/,
    )
    expect(() => checkThresholdMap({ http_req_failed: ['p(95)<1'] }, 'f.json', '/t', 's')).toThrow(
      /p\(95\) does not apply to http_req_failed \(a rate\); use rate/,
    )
    expect(() => checkThresholdMap({ http_req_failed: ['rate<1s'] }, 'f.json', '/t', 's')).toThrow(/time unit does not apply/)
    expect(() => checkThresholdMap({ http_reqs: [{ threshold: 'rate>1', delayAbortEval: 'soon' }] }, 'f.json', '/t', 's')).toThrow(
      /at \/t\/http_reqs\/0\/delayAbortEval/,
    )
    expect(() => checkThresholdMap({ 'http_req_duration{scenario:a}': ['avg<1'] }, 'f', '/t', 's')).toThrow(/sub-metrics are not supported/)
  })
})

describe('evaluation', () => {
  const rules = slaRules(['p(95)<100', 'max<=1000'])

  it('passes when every measured threshold holds; unmeasured ones are reported, not failed', () => {
    const obs = observations(Array.from({ length: 1000 }, (_, i) => 1 + (i % 50)))
    const results = evaluateRules(rules, obs)
    expect(results.map((r) => r.passed)).toEqual([true, true, true, true, true, undefined])
    expect(results[0]?.observed).toBeCloseTo(48, 0)
    expect(results[4]?.observed).toBeCloseTo(100, 5) // 1000 requests in 10 s
    expect(thresholdsPassed(results)).toBe(true)
  })
  it('fails on a slow tail, on errors, on dropped arrivals (availability) and on low throughput', () => {
    const slow = observations([...Array.from({ length: 90 }, () => 5), ...Array.from({ length: 10 }, () => 400)])
    expect(evaluateRules(rules, slow).map((r) => r.passed)).toEqual([false, true, true, true, false, undefined])
    const failing = observations(
      Array.from({ length: 1000 }, () => 5),
      { targetMemoryBytes: 600 * 1024 ** 2 },
      { ok: 980, failed: 20, dropped: 0 },
    )
    expect(evaluateRules(rules, failing).map((r) => r.passed)).toEqual([true, true, false, false, true, false])
    const dropped = observations(
      Array.from({ length: 1000 }, () => 5),
      {},
      { dropped: 5 },
    )
    expect(evaluateRules(rules, dropped).map((r) => r.passed)).toEqual([true, true, true, false, true, undefined])
  })
  it('fails a trend with no data rather than passing it', () => {
    const results = evaluateRules(rules, observations([]))
    expect(results[0]?.passed).toBe(false)
    expect(results[0]?.observed).toBeNaN()
  })
  it('abortOnFail waits for its delay', () => {
    const aborting = withAbortOnFail(rules.slice(0, 1), 5_000)
    const slow = observations(Array.from({ length: 10 }, () => 500))
    expect(abortingFailure(aborting, { ...slow, elapsedMs: 4_000 })).toBeUndefined()
    expect(abortingFailure(aborting, { ...slow, elapsedMs: 6_000 })?.rule.text).toBe('p(95)<100')
  })
})

describe('SLA profiles', () => {
  it('the shipped file resolves the framework defaults and the cluster-size profiles', async () => {
    const sla = await readSla()
    const texts = (name: string) => profileRules(sla, name, 'test').map((r) => `${r.metric} ${r.text}`)
    expect(texts('default')).toEqual([
      'http_req_duration p(95)<5000',
      'http_req_duration p(99)<10000',
      'http_req_failed rate<0.01',
      'checks rate>0.999',
      'http_reqs rate>45',
    ])
    expect(texts('small')).toEqual([
      'http_req_duration p(95)<2000',
      'http_req_duration p(99)<10000',
      'http_req_failed rate<0.005',
      'checks rate>0.999',
      'http_reqs rate>100',
      'target_memory_bytes value<536870912',
    ])
    expect(texts('large')).toContain('target_memory_bytes value<2147483648')
    expect(profileForNodes(sla, 999)).toBe('small')
    expect(profileForNodes(sla, 1000)).toBe('medium')
    expect(profileForNodes(sla, 5000)).toBe('medium')
    expect(profileForNodes(sla, 5001)).toBe('large')
  })
  it('layering replaces same metric and aggregation, adds the rest', () => {
    const base = checkThresholdMap({ http_req_duration: ['p(95)<5000', 'p(99)<10000'] }, 'a', '', 'a')
    const over = checkThresholdMap({ http_req_duration: ['p(95)<300'], http_reqs: ['count>10'] }, 'b', '', 'b')
    expect(layerRules(base, over).map((r) => `${r.text} ${r.origin}`)).toEqual(['p(95)<300 b', 'p(99)<10000 a', 'count>10 b'])
  })
  it('rejects bad files with the path of the problem', () => {
    expect(() => parseSla('{"profiles": {"a": {"thresholds": {}, "extends": "zz"}}}', 'sla.json')).toThrow(
      'sla.json: at /profiles/a/extends: no profile named "zz"',
    )
    expect(() => parseSla('{"profiles": {"a": {"thresholds": {}, "extends": "b"}, "b": {"thresholds": {}, "extends": "a"}}}', 'sla.json')).toThrow(/cycle/)
    expect(() => parseSla('{"profiles": {"a": {"thresholds": {"http_reqs": "rate>1"}}}}', 'sla.json')).toThrow(
      /sla.json: at \/profiles\/a\/thresholds\/http_reqs: expected an array of threshold expressions/,
    )
    expect(() => parseSla('{"profiles": {"a": {"threshold": {}}}}', 'sla.json')).toThrow(InputError)
    expect(() => parseSla('{"profiles": {"a": 1\n "b": 2}}', 'sla.json')).toThrow(/^sla.json:2:2: not valid JSON \(Expected ',' or '}' after property value\)/)
    expect(() => parseSla('{"profiles": {\n "a": }', 'sla.json')).toThrow(/^sla.json: not valid JSON \(Unexpected token '}'/)
  })
})
