// Golden files for every user-facing output of compare, baseline and doctor that benchstat's own
// goldens (benchstat.test.ts) do not cover: benchstat Markdown and CSV, verdict text, Markdown
// and CSV, and the doctor report. Inputs are fixed fixtures; UPDATE_GOLDEN=1 rewrites testdata/.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'vitest'
import { mulberry32 } from '../../../common/prng.ts'
import { analyseDoctorRun, type DoctorRun } from '../../../harness/ab/doctor-analysis.ts'
import { buildTables } from '../../../harness/compare/benchstat-table.ts'
import { builtinPolicy, parsePolicy } from '../../../harness/compare/policy.ts'
import type { MetricSeries, SampleSet } from '../../../harness/compare/sample-set.ts'
import { judge, type VerdictReport } from '../../../harness/compare/verdict.ts'
import { renderBenchstatCsv } from '../../../harness/report/benchstat-csv.ts'
import { renderBenchstatMarkdown } from '../../../harness/report/benchstat-markdown.ts'
import { renderDoctorText } from '../../../harness/report/doctor-report.ts'
import { renderVerdictCsv } from '../../../harness/report/verdict-csv.ts'
import { renderVerdictMarkdown } from '../../../harness/report/verdict-markdown.ts'
import { renderVerdictText } from '../../../harness/report/verdict-text.ts'
import { sampleSetFromText } from '../../../harness/cli/compare-inputs.ts'
import type { ResultsDocument } from '../../../harness/results/schema.ts'
import { resultsDoc } from '../../support/results.ts'
import { expectGolden } from './golden.ts'

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'compare')
const fixture = (name: string): SampleSet => sampleSetFromText(readFileSync(join(FIXTURES, name), 'utf8'), name, name)
const tableOptions = (col: string) => ({ confidence: 0.95, alpha: 0.05, col, ignore: [] })

// The benchstat fixtures: old.txt against new.txt by file, the single-file ones by their note.
const TABLES: ReadonlyArray<{ name: string; sets: () => SampleSet[]; col: string }> = [
  { name: 'oldnew', sets: () => [fixture('old.txt'), fixture('new.txt')], col: '.file' },
  ...['smallSample', 'issue19565', 'units', 'zero'].map((name) => ({ name, sets: () => [fixture(`${name}.txt`)], col: 'note' })),
]

describe('benchstat Markdown and CSV goldens', () => {
  it.each(TABLES)('$name as Markdown', ({ name, sets, col }) => {
    expectGolden(renderBenchstatMarkdown(buildTables(sets(), tableOptions(col))), `benchstat/${name}.md`)
  })

  it.each(TABLES)('$name as CSV (with its warnings, stderr in the CLI)', ({ name, sets, col }) => {
    const out = renderBenchstatCsv(buildTables(sets(), tableOptions(col)))
    expectGolden(out.csv, `benchstat/${name}.csv`)
    expectGolden(out.warnings.map((w) => `${w}\n`).join(''), `benchstat/${name}.csv.stderr`)
  })
})

function series(name: string, values: readonly number[], over: Partial<MetricSeries> = {}): MetricSeries {
  return { name, unit: 'sec/op', rawUnit: 'ns/op', values, better: 'lower', assume: 'nothing', config: { pkg: 'slurmbench/benchmarks/cpu' }, ...over }
}

// Ten samples ±1% around a centre, deterministic.
const around = (center: number, n = 10): number[] => Array.from({ length: n }, (_, i) => center * (1 + ((i * 7) % 10) * 0.002 - 0.009))

// Every verdict kind once, with a policy rule that gives a reason: each benchmark's base and head
// samples (none: absent on that side), in the order both sides list them.
function everyKind(): VerdictReport {
  const exact = { unit: 'allocs/op', rawUnit: 'allocs/op', assume: 'exact' as const }
  const rows: ReadonlyArray<readonly [name: string, base: number[] | undefined, head: number[] | undefined, over?: Partial<MetricSeries>]> = [
    ['BenchmarkParse/nodes=1000', around(2e-3), around(2.4e-3)],
    ['BenchmarkRender', around(5e-4), around(4e-4)],
    ['BenchmarkSteady', around(1e-5), around(1e-5)],
    ['BenchmarkFew', [1e-3, 1.01e-3, 0.99e-3], [2e-3, 2.01e-3, 1.99e-3]],
    ['BenchmarkNoisy', [1, 1.3, 0.8, 1.1, 0.9, 1.25], [1.1, 1.4, 0.85, 1.2, 0.95, 1.3]],
    ['BenchmarkParse/nodes=1000', [12], [14], exact],
    ['BenchmarkGone', around(3e-3), undefined],
    ['BenchmarkNew', undefined, around(7e-4)],
    ['BenchmarkWarmup', around(1e-2), around(3e-2)],
  ]
  const side = (label: string, at: 1 | 2, warnings: string[]): SampleSet => ({
    label,
    source: `${label}.json`,
    warnings,
    series: rows.flatMap((row) => (row[at] === undefined ? [] : [series(row[0], row[at], row[3])])),
  })
  const base = side('base', 1, ['BenchmarkFlaky: failed (boom); not compared'])
  const head = side('head', 2, [])
  const policy = parsePolicy(
    JSON.stringify({
      schemaVersion: 1,
      kind: 'slurmbench.policy',
      defaults: { 'allocs/op': { tolerancePct: 0 } },
      rules: [{ name: 'BenchmarkWarmup', ignore: true, why: 'JIT warm-up dominates; shown, not gated' }],
    }),
    'policy.json',
  )
  return judge(base, head, policy, { warnings: ['DIFFERENT ENVIRONMENT: base was recorded on another machine'] })
}

const REPORTS: ReadonlyArray<{ name: string; report: () => VerdictReport }> = [
  { name: 'oldnew', report: () => judge(fixture('old.txt'), fixture('new.txt'), builtinPolicy()) },
  { name: 'every-kind', report: everyKind },
  { name: 'informational', report: () => judge(fixture('old.txt'), fixture('new.txt'), builtinPolicy(), { informational: true }) },
]

describe('verdict goldens', () => {
  it.each(REPORTS)('$name as text', ({ name, report }) => expectGolden(renderVerdictText(report()), `verdicts/${name}.txt`))
  it.each(REPORTS)('$name as Markdown', ({ name, report }) => expectGolden(renderVerdictMarkdown(report()), `verdicts/${name}.md`))
  it.each(REPORTS)('$name as CSV', ({ name, report }) => expectGolden(renderVerdictCsv(report()), `verdicts/${name}.csv`))
})

// A doctor run built from a seeded generator: two A arms and a ×1.10 arm, two benchmarks with
// 1% and 4% noise, and the contention probe's readings; no benchmark is run.
function doctorRun(paired: boolean): DoctorRun {
  const random = mulberry32(7)
  const rounds = 16
  const noisy = (center: number, sigma: number): number[] => Array.from({ length: rounds }, () => center * (1 + (random() - 0.5) * 2 * sigma))
  const arm = (factor: number): ResultsDocument => {
    const doc = resultsDoc({ BenchmarkQuiet: noisy(1000 * factor, 0.01), BenchmarkLoud: noisy(50_000 * factor, 0.04) })
    return { ...doc, config: { ...doc.config, count: rounds } }
  }
  const probes = (): number[] => Array.from({ length: rounds }, () => 2 + random())
  const a = arm(1)
  return {
    count: 4,
    maxCount: 8,
    step: 2,
    comparisons: 2,
    ...(paired ? { paired: true } : {}),
    arms: [
      { label: 'A', factor: 1, doc: a, probesNs: probes() },
      { label: 'A′', factor: 1, doc: arm(1), probesNs: probes() },
      { label: '×1.1', factor: 1.1, doc: arm(1.1), probesNs: probes(), ...(paired ? { base: arm(1) } : {}) },
    ],
  }
}

describe('doctor report goldens', () => {
  it.each([
    { name: 'unpaired', paired: false, tolerancePct: undefined },
    { name: 'paired-tolerance-2', paired: true, tolerancePct: 2 },
  ])('$name', ({ name, paired, tolerancePct }) => {
    const run = doctorRun(paired)
    const policy = builtinPolicy()
    const trials = 50
    const report = analyseDoctorRun(run, { policy, ...(tolerancePct !== undefined ? { tolerancePct } : {}), powerTrials: trials, random: mulberry32(1) })
    expectGolden(renderDoctorText(report, run, trials, 1, tolerancePct, policy.beyond), `doctor/${name}.txt`)
  })
})
