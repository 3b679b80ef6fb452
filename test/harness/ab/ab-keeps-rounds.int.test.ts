// ab keeps its rounds when they cannot be judged: a benchmark whose samples disagree on their
// units (here: a custom metric reported by every other process) makes the judgement fail
// after every round has run; the rounds must be on disk, named in the error, exit 2.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { parseResults } from '../../../harness/results/json.ts'
import { createTempRepo, type TempRepo } from './temp-repo.ts'

const BENCH_FILE = 'benchmarks/fickle.bench.ts'

function fickleBench(counter: string): string {
  return `import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { type B, sink } from 'slurmbench'

// Every other load of this file (either side's) reports a custom metric; ab alternates which
// side a paired worker loads first, so each side gets samples with it and without it.
const loads = (existsSync(${JSON.stringify(counter)}) ? Number(readFileSync(${JSON.stringify(counter)}, 'utf8')) : 0) + 1
writeFileSync(${JSON.stringify(counter)}, String(loads))

export function BenchmarkFickle(b: B) {
  for (let i = 0; i < b.N; i++) sink(Math.imul(i, 0x2c1b3c6d))
  if (loads % 2 === 0) b.reportMetric(1, 'fickle/op')
}
`
}

let repo: TempRepo

beforeAll(() => {
  repo = createTempRepo('slurmbench-ab-keep-')
  const marker = join(repo.path, '.fickle-loads')
  repo.commit('base', { [BENCH_FILE]: fickleBench(marker) })
  repo.commit('head: the same benchmark', { [BENCH_FILE]: `${fickleBench(marker)}\n` })
})

afterAll(() => repo?.remove())

it('keeps both sides’ rounds when judging them fails, and names the files', { timeout: 180_000 }, () => {
  const json = join(repo.path, 'comparison.json')
  const ab = spawnSync(
    process.execPath,
    [join(repo.path, 'bin', 'slurmbench.js'), 'ab', '--base', 'HEAD~1', '-count', '2', '-benchtime', '10ms', '-json', json, BENCH_FILE],
    {
      cwd: repo.path,
      env: { ...process.env, CI: 'true' },
      encoding: 'utf8',
    },
  )
  expect(ab.status, ab.stderr).toBe(2)
  expect(ab.stderr).toContain('mismatched units for BenchmarkFickle')
  expect(ab.stderr).toContain(`(the 2 rounds a side are kept in ${json}.base.partial.json and ${json}.head.partial.json)`)
  expect(existsSync(json)).toBe(false)
  for (const side of ['base', 'head']) {
    const doc = parseResults(readFileSync(`${json}.${side}.partial.json`, 'utf8'), side)
    expect(doc.benchmarks.find((b) => b.name === 'BenchmarkFickle')?.samples).toHaveLength(2)
    expect(doc.config.settings?.partial).toEqual({ roundsDone: 2, reason: 'ab could not judge the rounds' })
  }
  // Marked partial: the commands that record results for later refuse the kept rounds by name.
  const kept = `${json}.head.partial.json`
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(repo.path, 'bin', 'slurmbench.js'), ...args], { cwd: repo.path, encoding: 'utf8' })
  const history = cli('history', 'add', '-dir', join(repo.path, 'history'), kept)
  expect(history.status).toBe(2)
  expect(history.stderr).toContain(`${kept}: a partial run (partial run: 2 rounds kept because ab could not judge them;`)
  expect(existsSync(join(repo.path, 'history'))).toBe(false)
  const push = cli('push', '--dry-run', kept)
  expect(push.status).toBe(2)
  expect(push.stderr).toContain(`${kept}: a partial run (`)
})
