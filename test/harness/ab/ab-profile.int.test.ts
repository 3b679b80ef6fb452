// ab --profile end to end: a temporary repository whose second commit makes one function of a
// benchmark 60% slower (the benchmark 30% slower); the real `ab --profile` must judge the
// benchmark regressed and name that function, with its source file, first among the functions
// that grew, in the comparison JSON and in the PR comment rendered from it.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { readPprof } from '../../../harness/profile/profile-files.ts'
import { parseComparison } from '../../../harness/results/comparison-schema.ts'
import { createTempRepo, type TempRepo } from './temp-repo.ts'

const BENCH_FILE = 'benchmarks/hot.bench.ts'
// A benchmark made three times slower: regressed after the first six rounds, for the test of a
// failed profile, which needs a regression, not a subtle one.
const TRIPLED_FILE = 'benchmarks/tripled.bench.ts'

// hotA and hotB run the same loop, each its own copy so that each is charged its own ticks, and
// are declared above the benchmark (docs/profiling.md, Inlining). Base: equal work; head: hotB
// does 1.6× the rounds, so the benchmark takes 1.3× as long and hotB's share goes 50% → ~62%.
function hotBench(roundsB: number): string {
  const loop = (name: string, rounds: string) => `function ${name}(seed: number): number {
  let h = seed | 0
  for (let r = 0; r < ${rounds}; r++) {
    h ^= h << 13
    h ^= h >>> 17
    h = Math.imul(h ^ (h << 5), 0x9e3779b1)
  }
  return h
}
`
  return `import { type B, sink } from 'slurmbench'

const ROUNDS_A = 5000
const ROUNDS_B = ${roundsB}

${loop('hotA', 'ROUNDS_A')}
${loop('hotB', 'ROUNDS_B')}
export function BenchmarkHot(b: B) {
  for (let i = 0; i < b.N; i++) sink(hotA(i) + hotB(i))
}
`
}

function tripledBench(rounds: number): string {
  return `import { type B, sink } from 'slurmbench'

export function BenchmarkTripled(b: B) {
  for (let i = 0; i < b.N; i++) {
    let h = i
    for (let r = 0; r < ${rounds}; r++) h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d)
    sink(h)
  }
}
`
}

let repo: TempRepo

// ab's rounds at short settings; -max-count leaves room for a loaded machine to reach a verdict.
const AB_ARGS = ['ab', '--base', 'HEAD~1', '--profile', '-count', '6', '-max-count', '16', '-benchtime', '50ms']

beforeAll(() => {
  repo = createTempRepo('slurmbench-ab-profile-')
  repo.commit('base: hotA and hotB do the same work', { [BENCH_FILE]: hotBench(5000), [TRIPLED_FILE]: tripledBench(2000) })
  repo.commit('head: hotB does 60% more work, Tripled three times the work', { [BENCH_FILE]: hotBench(8000), [TRIPLED_FILE]: tripledBench(6000) })
})

afterAll(() => repo?.remove())

it('ab --profile names the function made slower first, with its file, in the JSON and the comment', { timeout: 300_000 }, () => {
  const json = join(repo.path, 'out', 'comparison.json')
  const cli = join(repo.path, 'bin', 'slurmbench.js')
  const ab = spawnSync(process.execPath, [cli, ...AB_ARGS, '-json', json, BENCH_FILE], {
    cwd: repo.path,
    env: { ...process.env, CI: 'true' },
    encoding: 'utf8',
  })
  // Exit 1: the gate fails on the regression; profiling does not change that.
  expect(ab.status, `${ab.stdout}\n${ab.stderr}`).toBe(1)
  expect(ab.stderr).toContain('ab: profiling 1/1: BenchmarkHot (sec/op regressed), one run per side\n')
  expect(ab.stderr).not.toContain('ab: warning:')

  const doc = parseComparison(readFileSync(json, 'utf8'), json)
  const verdict = doc.verdicts?.[0]?.verdicts.find((v) => v.name === 'BenchmarkHot' && v.unit === 'sec/op')
  expect(verdict?.verdict).toBe('regressed')
  expect(doc.profiles?.dir).toBe('comparison.json.profiles')
  expect(doc.profiles?.warnings).toEqual([])
  const finding = doc.profiles?.findings[0]
  expect(finding).toMatchObject({
    name: 'BenchmarkHot',
    units: ['sec/op'],
    profile: 'cpu',
    sampleType: 'cpu',
    files: { base: 'BenchmarkHot.base.pb.gz', head: 'BenchmarkHot.head.pb.gz', diff: 'BenchmarkHot.diff.html' },
  })
  const hotBLine =
    hotBench(8000)
      .split('\n')
      .findIndex((l) => l.startsWith('function hotB(')) + 1
  const first = finding?.grown[0]
  expect(first).toMatchObject({ name: 'hotB', file: BENCH_FILE, line: hotBLine })
  expect((first?.headFlat ?? 0) - (first?.baseFlat ?? 0)).toBeGreaterThan(0.03)
  expect(finding?.grown.length).toBeLessThanOrEqual(3)

  // The files: both sides' profiles (sources named relative to the repository) and the flame graph.
  const dir = join(repo.path, 'out', 'comparison.json.profiles')
  for (const side of ['base', 'head']) {
    const profile = readPprof(readFileSync(join(dir, `BenchmarkHot.${side}.pb.gz`)), side)
    expect(profile.stringTable.strings).toContain(BENCH_FILE)
  }
  const html = readFileSync(join(dir, 'BenchmarkHot.diff.html'), 'utf8')
  expect(html).toContain('<svg')
  expect(html).toMatch(/hotB benchmarks\/hot\.bench\.ts:\d+/)
  expect(html).not.toContain('<script')

  // The PR comment rendered from the JSON (as the workflow's report and comment steps do).
  const md = spawnSync(process.execPath, [cli, 'report', '--format', 'markdown', '--artifacts-url', 'https://github.test/run/1#artifacts', json], {
    cwd: repo.path,
    encoding: 'utf8',
  })
  expect(md.status, md.stderr).toBe(0)
  const section = md.stdout.slice(md.stdout.indexOf('#### Where the time went'))
  expect(section).toContain('[differential flame graph](https://github.test/run/1#artifacts) <code>comparison.json.profiles/BenchmarkHot.diff.html</code>')
  const items = section.split('\n').filter((l) => /^ {2}\d\. /.test(l))
  expect(items[0]).toMatch(new RegExp(`^ {2}1\\. <code>hotB</code> <code>benchmarks/hot\\.bench\\.ts&#58;${hotBLine}</code>: `))
  expect(existsSync(join(repo.path, 'ab-profiles'))).toBe(false)
})

it('a profile that cannot be written is a warning: the verdict and the exit code stay', { timeout: 300_000 }, () => {
  const json = join(repo.path, 'out2', 'comparison.json')
  const blocked = join(repo.path, 'not-a-folder')
  writeFileSync(blocked, 'a file where the profile folder should go\n')
  const args = [
    'ab',
    '--base',
    'HEAD~1',
    '--profile',
    '-count',
    '6',
    '-max-count',
    '6',
    '-benchtime',
    '20ms',
    '-profile-dir',
    blocked,
    '-json',
    json,
    TRIPLED_FILE,
  ]
  const ab = spawnSync(process.execPath, [join(repo.path, 'bin', 'slurmbench.js'), ...args], {
    cwd: repo.path,
    env: { ...process.env, CI: 'true' },
    encoding: 'utf8',
  })
  expect(ab.status, `${ab.stdout}\n${ab.stderr}`).toBe(1)
  expect(ab.stderr).toMatch(/^ab: warning: no profiles taken: EEXIST/m)
  const doc = parseComparison(readFileSync(json, 'utf8'), json)
  expect(doc.verdicts?.[0]?.verdicts.find((v) => v.unit === 'sec/op')?.verdict).toBe('regressed')
  expect(doc.profiles?.findings).toEqual([])
  expect(doc.profiles?.warnings).toEqual([expect.stringMatching(/^no profiles taken: EEXIST/)])
  expect(doc.profiles?.dir).toBe('../not-a-folder')
})
