// The PR gate end to end: a temporary git repository (this checkout's tracked files with a toy
// benchmarks/ folder) gets two commits, the second making one benchmark 30% slower; the real
// `ab` compares them as the workflow does, then `comment` renders its JSON and "posts" it to a
// nock'd GitHub API. The posted body must call that benchmark regressed and no other.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nock from 'nock'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { createCommentCommand } from '../../harness/cli/comment.ts'
import type { FetchLike } from '../../harness/publish/github-client.ts'
import { parseComparison } from '../../harness/results/comparison-schema.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const API = 'https://api.github.test'

// Three benchmarks of the same kind of work; WORK[name] is its amount. Commit 2 raises Slowed's by 30%.
function toyBench(slowedRounds: number): string {
  return `import { type B, sink } from 'slurmbench'

function mix(rounds: number, seed: number): number {
  let h = seed | 0
  for (let r = 0; r < rounds; r++) {
    h ^= h << 13
    h ^= h >>> 17
    h = Math.imul(h ^ (h << 5), 0x9e3779b1)
  }
  return h
}

export function BenchmarkSteady(b: B) {
  for (let i = 0; i < b.N; i++) sink(mix(20000, i))
}

export function BenchmarkOther(b: B) {
  for (let i = 0; i < b.N; i++) sink(mix(30000, i))
}

export function BenchmarkSlowed(b: B) {
  for (let i = 0; i < b.N; i++) sink(mix(${slowedRounds}, i))
}
`
}

let repo: string
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }).toString()

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'slurmbench-e2e-'))
  // This checkout's tracked files as they are in the work tree (uncommitted edits included).
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter((f) => f !== '' && !f.startsWith('benchmarks/'))
  execFileSync('tar', ['--null', '-T', '-', '-cf', join(repo, '.files.tar')], { cwd: ROOT, input: files.join('\0') })
  execFileSync('tar', ['-xf', '.files.tar'], { cwd: repo })
  rmSync(join(repo, '.files.tar'))
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(repo, 'node_modules'), 'dir')
  mkdirSync(join(repo, 'benchmarks'))
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'e2e@example.test')
  git('config', 'user.name', 'e2e')
  // .gitignore's `node_modules/` matches a directory, not this symlink.
  writeFileSync(join(repo, '.git', 'info', 'exclude'), 'node_modules\n')
  writeFileSync(join(repo, 'benchmarks', 'toy.bench.ts'), toyBench(20000))
  git('add', '.')
  git('commit', '-q', '-m', 'base')
  writeFileSync(join(repo, 'benchmarks', 'toy.bench.ts'), toyBench(26000))
  git('commit', '-q', '-am', 'head: Slowed does 30% more work')
  nock.disableNetConnect()
})

afterAll(() => {
  nock.cleanAll()
  nock.enableNetConnect()
  if (repo !== undefined) rmSync(repo, { recursive: true, force: true })
})

it('ab finds the 30% slowdown and the sticky comment says so, and only so', { timeout: 1_800_000 }, async () => {
  const out = join(repo, 'comparison.json')
  // ab's defaults (6 rounds a side, up to 20 while inconclusive) as the workflow runs it: on a
  // heavily shared machine 12 rounds were not always enough to call a 30% change significant.
  const ab = spawnSync(process.execPath, ['bin/slurmbench.js', 'ab', '--base', 'HEAD~1', '-benchtime', '200ms', '--profile', '-json', out], {
    cwd: repo,
    env: { ...process.env, CI: 'true' },
    encoding: 'utf8',
  })
  // Exit 1: the gate fails on the regression.
  expect(ab.status, `${ab.stdout}\n${ab.stderr}`).toBe(1)
  expect(ab.stderr).toMatch(/^ab: round 1\/\d+ done, \d+ s elapsed, about \d+ (s|min \d+ s) left$/m)

  const doc = parseComparison(readFileSync(out, 'utf8'), out)
  expect(doc.method).toMatchObject({
    command: 'ab',
    paired: true,
    base: { ref: 'HEAD~1', commit: git('rev-parse', 'HEAD~1').trim() },
    head: { commit: git('rev-parse', 'HEAD').trim() },
    failOn: 'regressed',
  })
  expect(doc.method?.roundsPerSide).toBeGreaterThanOrEqual(6)

  let posted = ''
  nock(API)
    .get('/repos/acme/toy/issues/1/comments')
    .query(true)
    .reply(200, [])
    .post('/repos/acme/toy/issues/1/comments', (body: { body: string }) => {
      posted = body.body
      return true
    })
    .reply(201, { id: 1 })
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  const code = await createCommentCommand({
    fetch: globalThis.fetch as unknown as FetchLike,
    env: { GITHUB_API_URL: API, GITHUB_REPOSITORY: 'acme/toy', GITHUB_TOKEN: 'ghs_e2e', GITHUB_ACTIONS: 'true' },
  })
    .run(['--pr', '1', out])
    .finally(() => stderr.mockRestore())
  expect(code).toBe(0)
  expect(nock.isDone()).toBe(true)

  const rows = posted.split('\n').filter((l) => l.startsWith('| ') && l.includes('<code>sec/op</code>'))
  const verdictOf = (name: string) => [...new Set(rows.filter((l) => l.includes(`<code>${name}</code>`)).map((l) => l.split('|').at(-2)?.trim()))]
  expect(posted).toContain('❌ **1** regressed')
  expect(verdictOf('Slowed')).toEqual(['regressed'])
  for (const other of ['Steady', 'Other']) expect(verdictOf(other)).not.toContain('regressed')
  // The Slowed row's change is near +30% (26,000 vs 20,000 rounds of the same loop).
  const change = /<code>Slowed<\/code>.*?\| ([+-][\d.]+)% \[/.exec(posted)?.[1]
  expect(Number(change)).toBeGreaterThan(15)
  expect(Number(change)).toBeLessThan(45)
  // ab --profile's findings reach the posted comment: the regressed benchmark, its flame graph.
  expect(posted).toContain('#### Where the time went')
  expect(posted).toMatch(/<code>Slowed<\/code> <code>sec\/op<\/code>, share of CPU time/)
  expect(posted).toContain('comparison.json.profiles/')
})
