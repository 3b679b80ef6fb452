// compare's inputs read as streams: a million samples of one benchmark in the Go format, a results
// document streamed token by token (same sample set as parsing it whole, same errors with JSON
// paths), and the CLI's cheap checks (labels, missing files) before any input is parsed.
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../common/input-error.ts'
import { loadSampleSet } from '../../../harness/cli/compare-inputs.ts'
import type { ResultsDocument } from '../../../harness/results/schema.ts'
import { runCli } from '../../support/cli.ts'
import { resultsDoc } from '../../support/results.ts'

const tmp = mkdtempSync(join(tmpdir(), 'slurmbench-load-'))
const write = (name: string, text: string): string => {
  const path = join(tmp, name)
  writeFileSync(path, text)
  return path
}

async function writeGoBench(name: string, n: number, centerNs: number): Promise<string> {
  const path = join(tmp, name)
  const out = createWriteStream(path)
  out.write('goos: linux\ngoarch: amd64\npkg: big\n')
  let chunk = ''
  for (let i = 0; i < n; i++) {
    chunk += `BenchmarkBig-2 \t 1000\t ${(centerNs * (1 + ((i % 101) - 50) * 1e-4)).toFixed(3)} ns/op\n`
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
      chunk = ''
    }
  }
  out.write(chunk)
  await new Promise<void>((resolve) => out.end(() => resolve()))
  return path
}

describe('loadSampleSet streams its input', () => {
  it('reads a million samples of one benchmark in the Go format, and compare tables them', async () => {
    const old = await writeGoBench('old.txt', 1_000_000, 100)
    const neu = await writeGoBench('new.txt', 1_000_000, 101)
    const set = await loadSampleSet({ label: 'old', path: old })
    expect(set.series).toHaveLength(1)
    expect(set.series[0]?.values.length).toBe(1_000_000)
    const r = runCli(['compare', old, neu])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Big-2\s+100\.0n ± 0%\s+101\.0n ± 0%\s+\+1\.00% \(n=1000000\)/)
  })

  it('streams a results document into the same sample set as parsing it whole', async () => {
    const values = Array.from({ length: 20_000 }, (_, i) => 100 + (i % 97) * 0.01)
    const doc = resultsDoc({ BenchmarkA: values, BenchmarkB: [1, 2, 3] })
    const path = write('doc.json', JSON.stringify({ ...doc, warnings: ['w'] }))
    const whole = await loadSampleSet({ label: 'x', path })
    const streamed = await loadSampleSet({ label: 'x', path }, { streamJsonAboveBytes: 0 })
    expect(streamed).toEqual(whole)
    expect(streamed.series[0]?.values.length).toBe(20_000)
  })

  const base = resultsDoc({ BenchmarkA: [1, 2] })
  const bench0 = base.benchmarks[0] as ResultsDocument['benchmarks'][number]
  const badDocs: Array<[string, unknown, RegExp]> = [
    ['truncated', '{"schemaVersion":1,"kind":"slurmbench.results","benchmarks":[{"name":', /not valid JSON/],
    ['duplicate', { ...base, benchmarks: [bench0, bench0] }, /at \/benchmarks\/1\/name: duplicate benchmark BenchmarkA/],
    [
      'mismatched units',
      { ...base, benchmarks: [{ ...bench0, samples: [bench0.samples[0], { round: 1, iterations: 1, metrics: { 'B/op': 1 } }] }] },
      /at \/benchmarks\/0\/samples\/1\/metrics: mismatched units for BenchmarkA/,
    ],
    [
      'a sample without iterations',
      { ...base, benchmarks: [{ ...bench0, samples: [{ round: 0, metrics: { 'ns/op': 1 } }] }] },
      /at \/benchmarks\/0\/samples\/0\/iterations: Expected required property/,
    ],
    [
      'a negative duration',
      { ...base, benchmarks: [{ ...bench0, samples: [{ round: 0, iterations: 1, metrics: { 'ns/op': -1 } }] }] },
      /at \/benchmarks\/0\/samples\/0\/metrics\/ns~1op: negative duration -1/,
    ],
    ['no environment', { ...base, environment: undefined }, /at \/environment: Expected required property/],
    ['a newer schema', { ...base, schemaVersion: 9 }, /schemaVersion 9 is newer than this slurmbench reads/],
  ]
  it.each(badDocs)('a streamed document with %s is an InputError naming the place', async (name, doc, message) => {
    const path = write(`${name.replaceAll(' ', '-')}.json`, typeof doc === 'string' ? doc : JSON.stringify(doc))
    const load = loadSampleSet({ label: name, path }, { streamJsonAboveBytes: 0 })
    await expect(load).rejects.toThrow(InputError)
    await expect(loadSampleSet({ label: name, path }, { streamJsonAboveBytes: 0 })).rejects.toThrow(message)
  })

  it('reads ext-B/op, printed only when measured, as 0 in the samples without it: text, JSON and streamed JSON alike', async () => {
    const extAt = [2]
    const doc = resultsDoc({ BenchmarkA: [10, 11, 12, 13] })
    const bench = doc.benchmarks[0] as ResultsDocument['benchmarks'][number]
    const samples = bench.samples.map((sample, i) => ({
      ...sample,
      metrics: { ...sample.metrics, 'B/op': 64, ...(extAt.includes(i) ? { 'ext-B/op': 96 } : {}) },
    }))
    const json = write('ext.json', JSON.stringify({ ...doc, benchmarks: [{ ...bench, samples }] }))
    const lines = samples.map(
      (s) => `BenchmarkA \t 1\t ${(s.metrics as Record<string, number>)['ns/op']} ns/op\t 64 B/op${'ext-B/op' in s.metrics ? '\t 96 ext-B/op' : ''}`,
    )
    const text = write('ext.txt', `goos: linux\ngoarch: amd64\npkg: p\n${lines.join('\n')}\n`)
    for (const set of [
      await loadSampleSet({ label: 'x', path: json }),
      await loadSampleSet({ label: 'x', path: json }, { streamJsonAboveBytes: 0 }),
      await loadSampleSet({ label: 'x', path: text }),
    ]) {
      const byUnit = Object.fromEntries(set.series.map((s) => [s.unit, s.values]))
      expect(byUnit['sec/op']).toHaveLength(4)
      expect(byUnit['B/op']).toEqual([64, 64, 64, 64])
      expect(byUnit['ext-B/op']).toEqual([0, 0, 96, 0])
    }
    // Any other unit must still be in every sample.
    const other = write('other.txt', 'pkg: p\nBenchmarkA 1 10 ns/op 64 B/op\nBenchmarkA 1 10 ns/op\n')
    await expect(loadSampleSet({ label: 'x', path: other })).rejects.toThrow(
      /other\.txt:3: mismatched units for BenchmarkA: found "ns\/op", expected "ns\/op B\/op"/,
    )
  })
})

describe('compare checks the cheap things first', () => {
  const broken = write('broken.txt', 'BenchmarkA 100 12\n')
  const good = write('good.txt', 'BenchmarkA 100 12 ns/op\n')

  it('two inputs with one label: exit 2 naming the label, before reading either', () => {
    const r = runCli(['compare', `x=${broken}`, `x=${good}`])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('two inputs are labelled "x"')
    expect(r.stderr).not.toContain('broken.txt:1')
  })

  it('a missing file: exit 2 naming it, before parsing the others', () => {
    const r = runCli(['compare', broken, join(tmp, 'absent.txt')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('absent.txt: cannot read (ENOENT)')
  })
})
