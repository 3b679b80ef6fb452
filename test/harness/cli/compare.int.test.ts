// The real CLI: compare's output and exit codes, bad input as one line with exit 2, and the
// baseline check gate (exit 0/1/2, cross-environment warning).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadSampleSet } from '../../../harness/cli/compare-inputs.ts'
import { checkResults } from '../../../harness/cli/baseline.ts'
import { InputError } from '../../../common/input-error.ts'
import { ROOT, runCli } from '../../support/cli.ts'
import { resultsDoc } from '../../support/results.ts'

const FIXTURES = join(ROOT, 'test', 'fixtures', 'compare')
const tmp = mkdtempSync(join(tmpdir(), 'slurmbench-cli-'))
const write = (name: string, text: string): string => {
  const path = join(tmp, name)
  writeFileSync(path, text)
  return path
}

describe('slurmbench compare', () => {
  it("prints benchstat's table for old.txt new.txt (run from the fixture folder, as benchstat was)", () => {
    const r = runCli(['compare', 'old.txt', 'new.txt'], FIXTURES)
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${'goos: linux\ngoarch: amd64\npkg: golang.org/x/perf/cmd/benchstat/testdata\n'}${r.stdout.split('\n').slice(3).join('\n')}`)
    expect(r.stdout).toContain('Encode/format=json-48   1.718µ ± 1%   1.423µ ± 1%  -17.20% (p=0.000 n=10)')
  })

  it('judges with -verdicts and exits 1 on a regression (base first)', () => {
    const r = runCli(['compare', '-verdicts', '-format', 'json', 'new=new.txt', 'old=old.txt'], FIXTURES)
    expect(r.code).toBe(1)
    const doc = JSON.parse(r.stdout) as { verdicts: Array<{ counts: Record<string, number>; verdicts: Array<{ name: string; verdict: string }> }> }
    expect(doc.verdicts[0]?.counts.regressed).toBe(1)
    expect(doc.verdicts[0]?.verdicts.find((v) => v.name.includes('json'))?.verdict).toBe('regressed')
  })

  it('renders markdown and csv', () => {
    const md = runCli(['compare', '-format=markdown', 'old.txt', 'new.txt'], FIXTURES)
    expect(md.stdout).toContain('| `Encode/format=json-48` | 1.718µ ± 1% | 1.423µ ± 1% | -17.20% (p=0.000 n=10) |')
    const csv = runCli(['compare', '--format', 'csv', 'old.txt', 'new.txt'], FIXTURES)
    expect(csv.stdout).toContain(',old.txt,,new.txt\n')
  })

  const badInputs: Array<[string, string, RegExp]> = [
    ['empty.txt', '', /empty\.txt: empty file; expected Go benchmark output/],
    ['trunc.txt', 'goos: linux\nBenchmarkA 100 1234 ns/op\nBenchmarkA 100 12', /trunc\.txt:3: malformed result line for BenchmarkA/],
    ['nan.txt', 'BenchmarkA 100 NaN ns/op\n', /nan\.txt:1: value "NaN" for ns\/op is not a finite number/],
    ['neg.txt', 'BenchmarkA 100 -3 ns/op\n', /neg\.txt:1: negative duration -3 ns\/op/],
    ['units.txt', 'BenchmarkA 100 3 ns/op\nBenchmarkA 100 3 ns/op 5 B/op\n', /units\.txt:2: mismatched units for BenchmarkA/],
    ['garbled.json', '{"schemaVersion":1,"kind":"slurmbench.results"', /garbled\.json: not valid JSON/],
    [
      'dup.json',
      JSON.stringify({
        ...resultsDoc({ BenchmarkA: [1] }),
        benchmarks: [...resultsDoc({ BenchmarkA: [1] }).benchmarks, ...resultsDoc({ BenchmarkA: [2] }).benchmarks],
      }),
      /dup\.json: at \/benchmarks\/1\/name: duplicate benchmark BenchmarkA/,
    ],
    ['prose.txt', 'hello\nworld\n', /prose\.txt: no benchmark results found/],
  ]

  it.each(badInputs)('bad input %s: an InputError naming the place', async (name, text, message) => {
    const path = write(name, text)
    await expect(loadSampleSet({ label: name, path })).rejects.toThrow(InputError)
    await expect(loadSampleSet({ label: name, path })).rejects.toThrow(message)
  })

  it.each(badInputs.filter(([name]) => name === 'trunc.txt' || name === 'dup.json'))(
    'the CLI prints bad input %s as one line and exits 2, no stack',
    (name, text, message) => {
      const r = runCli(['compare', write(name, text), join(FIXTURES, 'new.txt')])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    },
  )

  it('bad flags and a bad policy exit 2', () => {
    expect(runCli(['compare', '-format', 'xml', 'a', 'b']).code).toBe(2)
    const policy = write('policy.json', '{"schemaVersion":1,"kind":"slurmbench.policy","defaults":{},"rules":[{"name":"/(/"}]}')
    const r = runCli(['compare', '-verdicts', '-policy', policy, join(FIXTURES, 'old.txt'), join(FIXTURES, 'new.txt')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('field rules[0].name: invalid pattern')
  })
})

describe('baseline check', () => {
  const base = resultsDoc({ BenchmarkA: [100, 101, 99, 100.5, 99.5, 100.2], BenchmarkB: [50, 50.5, 49.5, 50.2, 49.8, 50.1] })
  const dir = mkdtempSync(join(tmpdir(), 'slurmbench-check-'))
  const basePath = write('base.json', JSON.stringify(base))
  const update = runCli(['baseline', 'update', '-dir', dir, '-from', basePath])

  it('update writes under <dir>/<machine class>/default.json and show prints it', () => {
    expect(update.code).toBe(0)
    expect(update.stdout).toContain(join(dir, 'linux-amd64-test-9000-4c-node20', 'default.json'))
    const show = runCli(['baseline', 'show', join(dir, 'linux-amd64-test-9000-4c-node20', 'default.json')])
    expect(show.code).toBe(0)
    expect(show.stdout).toContain('machine class linux-amd64-test-9000-4c-node20: Test CPU 9000, 4 cores, Node 20, linux/amd64')
  })

  it('exits 0 when nothing regressed and 1 on a regression (checkResults, as bench -baseline uses it)', async () => {
    const out: string[] = []
    const quiet = { dir, write: (t: string) => void out.push(t), warn: () => undefined }
    const same = resultsDoc({ BenchmarkA: [100.1, 100.9, 99.2, 100.4, 99.7, 100.3], BenchmarkB: [50.1, 50.4, 49.6, 50.3, 49.9, 50] })
    expect(await checkResults(same, quiet)).toBe(0)
    const slower = resultsDoc({ BenchmarkA: [130, 131, 129, 130.5, 129.5, 130.2], BenchmarkB: [50.1, 50.4, 49.6, 50.3, 49.9, 50] })
    expect(await checkResults(slower, quiet)).toBe(1)
    expect(out.join('')).toContain('❌ 1 regressed')
  })

  it('warns loudly across environments and does not gate unless --allow-cross-env', async () => {
    const warnings: string[] = []
    const other = resultsDoc({ BenchmarkA: [130, 131, 129, 130.5, 129.5, 130.2], BenchmarkB: [50, 50, 50, 50, 50, 50] }, { cores: 8 })
    const opts = { dir, machineClass: 'linux-amd64-test-9000-4c-node20', write: () => undefined, warn: (t: string) => void warnings.push(t) }
    expect(await checkResults(other, opts)).toBe(0)
    expect(warnings.join('')).toContain('DIFFERENT ENVIRONMENT')
    expect(warnings.join('')).toContain('cores: 4 → 8')
    expect(await checkResults(other, { ...opts, allowCrossEnv: true })).toBe(1)
  })

  it('the CLI exits 2 when there is no baseline for the machine class, naming the ones that exist', () => {
    const otherMachine = write('other.json', JSON.stringify(resultsDoc({ BenchmarkA: [1, 2, 3, 4] }, { cpuModel: 'Other CPU' })))
    const r = runCli(['baseline', 'check', '-dir', dir, '-from', otherMachine])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('baselines exist for: linux-amd64-test-9000-4c-node20')
  })
})
