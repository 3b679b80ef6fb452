// The Bencher (BMF) and github-action-benchmark exports, checked against each tool's documented
// schema (copied into testdata/) and for the figures they carry.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { BMF_SLUG_MAX_CHARS, bmfMeasure, renderBmf } from '../../../harness/report/bmf.ts'
import { githubActionBenchmarkTool, renderGithubActionBenchmark } from '../../../harness/report/github-action-benchmark.ts'
import { metric, report, roundTrip } from './comparison-fixtures.ts'

const TESTDATA = join(import.meta.dirname, 'testdata')
const ajv = new Ajv({ strict: false })
const bmfSchema = ajv.compile(JSON.parse(readFileSync(join(TESTDATA, 'bmf.schema.json'), 'utf8')))
const gabSchema = ajv.compile(JSON.parse(readFileSync(join(TESTDATA, 'github-action-benchmark.schema.json'), 'utf8')))

const { reports } = roundTrip([
  report([
    metric('BenchmarkScrape/jobs=1000', 'sec/op', 'regressed', 2e-3, 0.3),
    metric('BenchmarkScrape/jobs=1000', 'B/op', 'unchanged', 524288, 0),
    metric('BenchmarkEncode', 'MB/s', 'improved', 100, 0.2),
    metric('BenchmarkGone', 'sec/op', 'missing', 1e-3, 0),
    // An unbounded interval (values ≤ 0) must not become a made-up bound.
    metric('BenchmarkOdd', 'allocs/op', 'unchanged', 10, 0, 0.01, { head: { n: 6, center: 10, lo: -Infinity, hi: Infinity } }),
  ]),
])

describe('BMF', () => {
  const doc = JSON.parse(renderBmf(reports))
  it("matches Bencher's schema", () => {
    expect(bmfSchema(doc), JSON.stringify(bmfSchema.errors)).toBe(true)
  })
  it('puts time per op in the latency measure in nanoseconds, with the interval', () => {
    const m = doc['BenchmarkScrape/jobs=1000'].latency
    expect(m.value).toBeCloseTo(2.6e6, 3)
    expect(m.lower_value).toBeCloseTo(2.6e6 * 0.97, 3)
    expect(m.upper_value).toBeCloseTo(2.6e6 * 1.03, 3)
    expect(doc['BenchmarkScrape/jobs=1000']['b-op'].value).toBe(524288)
    expect(doc.BenchmarkEncode['mb-s'].value).toBeCloseTo(120, 9)
  })
  it('leaves out metrics without a head side and unbounded interval ends', () => {
    expect(doc.BenchmarkGone).toBeUndefined()
    expect(doc.BenchmarkOdd['allocs-op']).toEqual({ value: 10 })
  })
  it("keeps measure slugs within Bencher's 64 characters", () => {
    expect(bmfMeasure('x'.repeat(200)).slug.length).toBe(BMF_SLUG_MAX_CHARS)
    expect(bmfMeasure('µs/op')).toEqual({ slug: 'us-op', factor: 1 })
  })
  it('the schema would catch a wrong shape', () => {
    expect(bmfSchema({ a: { latency: { lower_value: 1 } } })).toBe(false)
  })
})

describe('github-action-benchmark', () => {
  it('exports lower-is-better metrics for customSmallerIsBetter, matching its format', () => {
    const out = renderGithubActionBenchmark(reports, 'lower')
    const doc = JSON.parse(out.json)
    expect(gabSchema(doc), JSON.stringify(gabSchema.errors)).toBe(true)
    expect(doc.map((e: { name: string }) => e.name)).toEqual([
      'BenchmarkScrape/jobs=1000 - sec/op',
      'BenchmarkScrape/jobs=1000 - B/op',
      'BenchmarkOdd - allocs/op',
    ])
    expect(doc[0].value).toBeCloseTo(2.6e-3, 12)
    expect(doc[0].range).toBe('-3.0% … +3.0%')
    expect(doc[0].extra).toBe('n=6, verdict regressed, +30.0% vs base')
    expect(out.skipped).toBe(1)
    expect(githubActionBenchmarkTool('lower')).toBe('customSmallerIsBetter')
  })
  it('exports higher-is-better metrics for customBiggerIsBetter', () => {
    const out = renderGithubActionBenchmark(reports, 'higher')
    const doc = JSON.parse(out.json)
    expect(gabSchema(doc)).toBe(true)
    expect(doc).toHaveLength(1)
    expect(doc[0]).toMatchObject({ name: 'BenchmarkEncode - MB/s', unit: 'MB/s' })
    expect(githubActionBenchmarkTool('higher')).toBe('customBiggerIsBetter')
  })
})
