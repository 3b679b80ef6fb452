// The .txt and the .json of one run carry the same figures (gofmt-write.ts printedValue), so
// compare reads the same table from either: real workers, -benchmem, fractional raw figures.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildTables } from '../../../harness/compare/benchstat-table.ts'
import { type SampleSet, sampleSetFromGoBench, sampleSetFromResults } from '../../../harness/compare/sample-set.ts'
import { renderBenchstatText } from '../../../harness/report/benchstat-text.ts'
import { parseGoBench } from '../../../harness/results/gofmt-read.ts'
import { runBenchmarks } from '../../../harness/run/index.ts'

const REPO = join(import.meta.dirname, '..', '..', '..')
const OPTIONS = { alpha: 0.05, confidence: 0.95, col: '.file', ignore: ['commit', 'dirty'] }

describe('one precision for the Go format and the JSON', () => {
  it('compare of the .txt and of the .json of the same run gives the same table', async () => {
    let text = ''
    const doc = await runBenchmarks({
      paths: ['test/fixtures/bench/memory.bench.ts'],
      bench: 'EmptyBody|Object4',
      count: 3,
      benchTime: '20ms',
      benchmem: true,
      cwd: REPO,
      output: (chunk) => {
        text += chunk
      },
    })
    expect(doc.benchmarks.map((b) => b.status)).toEqual(['ok', 'ok'])
    for (const bench of doc.benchmarks)
      for (const sample of bench.samples) {
        // Whole numbers, as the text prints them (the raw allocs/op of an empty body is ~0.004).
        expect(Number.isInteger(sample.metrics['allocs/op']), bench.name).toBe(true)
        expect(Number.isInteger(sample.metrics['B/op']), bench.name).toBe(true)
      }
    // Zero gc-pause-ns/op samples are the one difference left, and compare's own: its text reader
    // follows stock benchstat, which keeps a zero ns figure apart from the sec/op ones (sample-set.ts).
    const withoutGcPause = (set: SampleSet): SampleSet => ({ ...set, series: set.series.filter((s) => s.rawUnit !== 'gc-pause-ns/op') })
    const fromText = renderBenchstatText(buildTables([withoutGcPause(sampleSetFromGoBench(parseGoBench(text, 'run'), 'run'))], OPTIONS))
    const fromJson = renderBenchstatText(buildTables([withoutGcPause(sampleSetFromResults(doc, 'run', 'run'))], OPTIONS))
    expect(fromText).toContain('allocs/op')
    expect(fromJson).toBe(fromText)
  })
})
