// benchstat's table on large inputs: a million samples of one benchmark (a RangeError from
// spreading them into push() before) make one cell of n=1000000.
import { describe, expect, it } from 'vitest'
import { buildTables } from '../../../harness/compare/benchstat-table.ts'
import type { SampleSet } from '../../../harness/compare/sample-set.ts'
import { renderBenchstatText } from '../../../harness/report/benchstat-text.ts'

function bigSet(label: string, center: number, n: number): SampleSet {
  const values = new Array<number>(n)
  for (let i = 0; i < n; i++) values[i] = center * (1 + ((i % 101) - 50) * 1e-4)
  return {
    label,
    source: label,
    warnings: [],
    series: [{ name: 'BenchmarkBig', unit: 'sec/op', rawUnit: 'ns/op', values, better: 'lower', assume: 'nothing', config: { pkg: 'p' } }],
  }
}

describe('buildTables on a million samples a side', () => {
  it('builds and renders the table without overflowing the stack', () => {
    const tables = buildTables([bigSet('old', 1e-7, 1_000_000), bigSet('new', 1.01e-7, 1_000_000)], {
      alpha: 0.05,
      confidence: 0.95,
      col: '.file',
      ignore: [],
    })
    const text = renderBenchstatText(tables)
    expect(text).toMatch(/Big\s+100\.0n ± 0%\s+101\.0n ± 0%\s+\+1\.00% \(n=1000000\)/)
  })
})
