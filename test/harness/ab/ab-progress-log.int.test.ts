// In a log (CI, stderr not a terminal), ab prints a line as each package of a round finishes, one
// after every round and one when it adds rounds for inconclusive verdicts, so the log does not go
// quiet for the minutes a round takes, nor after "round 4/4 done, about 0 s left".
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTempRepo, type TempRepo } from './temp-repo.ts'

const BENCH_FILE = 'benchmarks/wild.bench.ts'

// The reported metric is drawn from 1 to 100 on every run: the pairs' ratios spread over four
// orders of magnitude, so its verdict stays inconclusive (4 pairs cannot be significant).
const WILD_BENCH = `import { type B, sink } from 'slurmbench'

export function BenchmarkWild(b: B) {
  for (let i = 0; i < b.N; i++) sink(Math.imul(i, 0x2c1b3c6d))
  b.reportMetric(1 + 99 * Math.random(), 'wild/op')
}
`

let repo: TempRepo

beforeAll(() => {
  repo = createTempRepo('slurmbench-ab-log-')
  repo.commit('base', { [BENCH_FILE]: WILD_BENCH })
  repo.commit('head: the same benchmark', { [BENCH_FILE]: `${WILD_BENCH}\n` })
})

afterAll(() => repo?.remove())

it('logs each package, each round and the rounds it adds while verdicts are inconclusive', { timeout: 180_000 }, () => {
  const ab = spawnSync(
    process.execPath,
    [join(repo.path, 'bin', 'slurmbench.js'), 'ab', '--base', 'HEAD~1', '-count', '4', '-max-count', '6', '-benchtime', '10ms', BENCH_FILE],
    { cwd: repo.path, env: { ...process.env, CI: 'true' }, encoding: 'utf8' },
  )
  // 6 pairs can be significant: one time in 32 the wild metric comes out regressed (exit 1).
  expect([0, 1], ab.stderr).toContain(ab.status)
  const lines = ab.stderr.split('\n').filter((line) => /^ab: (round|\d+ inconclusive)/.test(line))
  const pkg = (round: number, of: number) => `ab: round ${round}/${of}: base and head, paired: ok slurmbench/benchmarks`
  expect(lines.map((line) => line.replace(/, \d.*$/, '').replace(/ \d+\.\d{3}s$/, ''))).toEqual([
    pkg(1, 4),
    'ab: round 1/4 done',
    pkg(2, 4),
    'ab: round 2/4 done',
    pkg(3, 4),
    'ab: round 3/4 done',
    pkg(4, 4),
    'ab: round 4/4 done',
    expect.stringMatching(/^ab: [12] inconclusive after 4 rounds; adding rounds up to 6$/),
    pkg(5, 6),
    'ab: round 5/6 done',
    pkg(6, 6),
    'ab: round 6/6 done',
  ])
})
