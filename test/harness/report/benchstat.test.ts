// benchstat's own golden files: our tables must be byte-identical (test/fixtures/compare/SOURCE.md).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildTables } from '../../../harness/compare/benchstat-table.ts'
import { sampleSetFromText } from '../../../harness/cli/compare-inputs.ts'
import { renderBenchstatCsv } from '../../../harness/report/benchstat-csv.ts'
import { renderBenchstatText } from '../../../harness/report/benchstat-text.ts'

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'compare')
const read = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8')
const options = (col: string) => ({ confidence: 0.95, alpha: 0.05, col, ignore: [] })

describe('benchstat goldens', () => {
  it("old.txt vs new.txt prints benchstat's published table (json -17.20% p=0.000, gob ~ p=0.446, geomean -8.94%)", () => {
    const sets = ['old.txt', 'new.txt'].map((f) => sampleSetFromText(read(f), f, f))
    const out = renderBenchstatText(buildTables(sets, options('.file')))
    expect(out).toBe(read('oldnew.stdout'))
    expect(out).toContain('-17.20% (p=0.000 n=10)')
    expect(out).toContain('~ (p=0.446 n=10)')
    expect(out).toContain('-8.94%')
  })

  it('CSV has full-precision centres in base units, like csvOldNew.stdout', () => {
    const sets = ['old.txt', 'new.txt'].map((f) => sampleSetFromText(read(f), f, f))
    const out = renderBenchstatCsv(buildTables(sets, options('.file')))
    expect(out.csv).toBe(read('csvOldNew.stdout'))
    expect(out.warnings).toEqual([])
  })

  it.each([
    ['smallSample', 'too few samples: ± ∞ and the need >= 4 footnote'],
    ['issue19565', 'all samples equal, benchmark sets differ'],
    ['units', 'assume=exact unit metadata'],
    ['zero', 'zero and near-zero deltas, IEC prefixes, uncomputable geomeans'],
  ])('%s (-col note): %s', (name) => {
    const set = sampleSetFromText(read(`${name}.txt`), `${name}.txt`, `${name}.txt`)
    expect(renderBenchstatText(buildTables([set], options('note')))).toBe(read(`${name}.stdout`))
  })

  it('a results JSON document compares like its Go-format twin', () => {
    const doc = {
      schemaVersion: 1,
      kind: 'slurmbench.results',
      startedAt: '2026-01-01T00:00:00Z',
      durationMs: 1,
      environment: {
        goos: 'linux',
        goarch: 'amd64',
        cpuModel: 'X',
        cores: 2,
        totalMemoryBytes: 1,
        osRelease: '6',
        node: 'v20.20.2',
        v8: '11',
        execArgv: [],
        loadAverage: [0, 0, 0],
        hostname: 'h',
      },
      config: { producer: 'bench' },
      benchmarks: [
        {
          name: 'BenchmarkA',
          pkg: 'p',
          file: 'a.bench.ts',
          procs: 1,
          status: 'ok',
          samples: [100, 101, 102, 103, 104, 105].map((v, round) => ({ round, iterations: 10, metrics: { 'ns/op': v } })),
        },
      ],
      warnings: [],
    }
    const fromJson = sampleSetFromText(JSON.stringify(doc), 'a.json', 'x')
    const fromText = sampleSetFromText(
      'goos: linux\ngoarch: amd64\npkg: p\ncpu: X\nnode: v20.20.2\nv8: 11\ncommit: abc\n' +
        [100, 101, 102, 103, 104, 105].map((v) => `BenchmarkA 10 ${v} ns/op`).join('\n'),
      'a.txt',
      'x',
    )
    const ignoreCommit = { ...options('.file'), ignore: ['commit'] }
    expect(renderBenchstatText(buildTables([fromJson], ignoreCommit))).toBe(renderBenchstatText(buildTables([fromText], ignoreCommit)))
  })
})

describe('where stock benchstat differs from first-seen order', () => {
  // Checked against stock benchstat (golang.org/x/perf 02c5517) on the same input.
  it('orders tables split by a configuration value alphabetically, as benchproc does', () => {
    const text = 'note: z\nBenchmarkA 1 100 ns/op\nnote: a\nBenchmarkA 1 200 ns/op\n'
    const tables = buildTables([sampleSetFromText(text, 'm.txt', 'm.txt')], options('.file'))
    expect(tables.map((t) => t.config)).toEqual([[['note', 'a']], [['note', 'z']]])
  })

  it('keeps a zero ns value under its unit as written, apart from the tidied sec/op samples', () => {
    const text = 'BenchmarkA 1 100 ns/op 5 gc-pause-ns/op\nBenchmarkA 1 100 ns/op 0 gc-pause-ns/op\n'
    const tables = buildTables([sampleSetFromText(text, 'm.txt', 'm.txt')], options('.file'))
    expect(tables.map((t) => t.unit)).toEqual(['sec/op', 'gc-pause-sec/op', 'gc-pause-ns/op'])
  })
})

describe('-col /key: a column per value of a name part', () => {
  // Same table as stock benchstat -col /gomaxprocs on the same input.
  it('/gomaxprocs compares the -P variants of one benchmark', () => {
    const text = 'BenchmarkPass 100 1000 ns/op\nBenchmarkPass 100 1010 ns/op\nBenchmarkPass-2 100 600 ns/op\nBenchmarkPass-2 100 610 ns/op\n'
    const [table] = buildTables([sampleSetFromText(text, 'p.txt', 'p.txt')], options('/gomaxprocs'))
    expect(table?.cols).toEqual(['', '2'])
    expect(table?.rows).toEqual(['Pass'])
  })

  it('/mode moves mode=… out of the row name into the columns', () => {
    const text = 'BenchmarkScrape/nodes=10/mode=a-2 100 50 ns/op\nBenchmarkScrape/nodes=10/mode=b-2 100 70 ns/op\n'
    const [table] = buildTables([sampleSetFromText(text, 'm.txt', 'm.txt')], options('/mode'))
    expect(table?.cols).toEqual(['a', 'b'])
    expect(table?.rows).toEqual(['Scrape/nodes=10-2'])
  })
})
