// Pair mode end to end: `bench -pair DIR` measures each benchmark of this checkout and of the
// checkout at DIR in the same worker processes. The base checkout is a temporary folder holding
// a version of the fixture that does twice the work; ratios are compared within one run.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readResults } from '../../../harness/results/json.ts'
import type { ResultsDocument } from '../../../harness/results/schema.ts'

const REPO = join(import.meta.dirname, '..', '..', '..')
const FIXTURE = 'test/fixtures/pair/work.bench.ts'

function bench(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/slurmbench.js', 'bench', ...args], { cwd: REPO, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr })
    })
  })
}

function nsPerOp(doc: ResultsDocument, name: string): number[] {
  const result = doc.benchmarks.find((b) => b.name === name)
  return (result?.samples ?? []).map((s) => s.metrics['ns/op'] as number)
}

// ratios returns base/head per sample, ascending: both came from the same worker.
function ratios(base: ResultsDocument, head: ResultsDocument, name: string): number[] {
  const h = nsPerOp(head, name)
  return nsPerOp(base, name)
    .map((b, k) => b / (h[k] as number))
    .sort((x, y) => x - y)
}

// The tests run beside other test files (vitest uses every core), so a worker can lose the CPU in
// the middle of one side's 20 ms run: the checks take the median of three samples.
const median3 = (rs: readonly number[]): number => {
  expect(rs).toHaveLength(3)
  return rs[1] as number
}

// pairWithItself runs `bench -pair .` (this checkout against itself, an A/A pair) and reads both sides.
async function pairWithItself(tag: string, args: readonly string[]): Promise<{ base: ResultsDocument; head: ResultsDocument; stderr: string }> {
  const headJson = join(dir, `${tag}-head.json`)
  const baseJson = join(dir, `${tag}-base.json`)
  const r = await bench(['-pair', '.', '-pair-json', baseJson, '-json', headJson, ...args])
  expect(r.code, r.stderr).toBe(0)
  return { base: await readResults(baseJson), head: await readResults(headJson), stderr: r.stderr }
}

// firstMetric returns one metric of every sample of the document's first benchmark.
const firstMetric = (doc: ResultsDocument, unit: string): number[] => (doc.benchmarks[0]?.samples ?? []).map((s) => s.metrics[unit] as number)

let dir: string
let baseRoot: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slurmbench-pair-'))
  baseRoot = join(dir, 'base')
  await mkdir(join(baseRoot, 'test', 'fixtures', 'pair'), { recursive: true })
  await symlink(join(REPO, 'node_modules'), join(baseRoot, 'node_modules'))
  const head = await readFile(join(REPO, FIXTURE), 'utf8')
  const base = head.replaceAll('rounds(500)', 'rounds(1000)').replace(/export function BenchmarkHeadOnly[\s\S]*$/, '')
  expect(base).not.toContain('HeadOnly(b')
  await writeFile(join(baseRoot, FIXTURE), base)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('bench -pair', () => {
  it('measures both checkouts in the same workers: the base does twice the work, a head-only benchmark has no base side', async () => {
    const headJson = join(dir, 'head.json')
    const baseJson = join(dir, 'base.json')
    const r = await bench(['-pair', baseRoot, '-pair-json', baseJson, '-json', headJson, '-benchtime', '20ms', '-count', '3', FIXTURE])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const head = await readResults(headJson)
    const base = await readResults(baseJson)
    expect(head.benchmarks.map((b) => b.name)).toEqual(['BenchmarkWork', 'BenchmarkNested/size=1', 'BenchmarkHeadOnly'])
    expect(base.benchmarks.map((b) => b.name)).toEqual(['BenchmarkWork', 'BenchmarkNested/size=1'])
    for (const name of ['BenchmarkWork', 'BenchmarkNested/size=1']) {
      const ratio = median3(ratios(base, head, name))
      expect(ratio).toBeGreaterThan(1.5)
      expect(ratio).toBeLessThan(2.7)
      // Sample k of both sides ran at the same N (the base's calibration).
      const hs = head.benchmarks.find((b) => b.name === name)?.samples ?? []
      const bs = base.benchmarks.find((b) => b.name === name)?.samples ?? []
      expect(bs.map((s) => s.iterations)).toEqual(hs.map((s) => s.iterations))
    }
    // The printed lines are the head's.
    expect(r.stdout.match(/^BenchmarkWork\s/gm)).toHaveLength(3)
  }, 60_000)

  it('sets -pair-env only while the base side runs, and pairs a checkout with itself (A/A)', async () => {
    const headJson = join(dir, 'env-head.json')
    const baseJson = join(dir, 'env-base.json')
    const r = await bench([
      '-pair',
      baseRoot,
      '-pair-env',
      'PAIR_FIXTURE_ROUNDS=2000',
      '-pair-json',
      baseJson,
      '-json',
      headJson,
      '-benchtime',
      '20ms',
      '-count',
      '3',
      '-bench',
      '^BenchmarkWork$',
      FIXTURE,
    ])
    expect(r.code).toBe(0)
    const withEnv = median3(ratios(await readResults(baseJson), await readResults(headJson), 'BenchmarkWork'))
    // base 2000 rounds against head 500: four times the work.
    expect(withEnv).toBeGreaterThan(3)
    expect(withEnv).toBeLessThan(5.5)

    const aa = await bench(['-pair', '.', '-pair-json', baseJson, '-json', headJson, '-benchtime', '20ms', '-count', '3', '-bench', '^BenchmarkWork$', FIXTURE])
    expect(aa.code).toBe(0)
    const same = median3(ratios(await readResults(baseJson), await readResults(headJson), 'BenchmarkWork'))
    expect(same).toBeGreaterThan(0.7)
    expect(same).toBeLessThan(1.4)
  }, 60_000)

  it('empties the sink before every run of either side, so the base does not run with its last result alive', async () => {
    // Each side's bundle has its own copy of the API module, and the harness empties the sink
    // through the head's. With a slot per copy the base's last 64 MB result outlived every pre-run
    // GC, so both sides started their runs with 68 MiB live instead of 4.
    const run = await pairWithItself('sink', ['-benchtime', '1x', '-count', '2', 'test/fixtures/pair/sink.bench.ts'])
    expect(run.stderr).toBe('')
    const base = firstMetric(run.base, 'live-MiB')
    const head = firstMetric(run.head, 'live-MiB')
    expect(base).toHaveLength(2)
    expect(head).toHaveLength(2)
    for (const liveMiB of [...base, ...head]) expect(liveMiB).toBeLessThan(32)
  }, 60_000)

  it("measures memory figures in a worker of each side's own, the timed runs in the pair worker", async () => {
    // The fixture allocates 8,000 off-heap bytes per op for each copy of itself in the process:
    // the pair worker holds two copies, a worker of one side's own one. Memory passes in the pair
    // worker saw what the other side left behind: BenchmarkBacktracking/engine=RegExp/n=20 read
    // 3 B/op on the side whose passes went first and ~1,200 on the other.
    const run = await pairWithItself('copies', ['-benchtime', '20ms', '-count', '2', 'test/fixtures/pair/copies.bench.ts'])
    expect(run.stderr).toBe('')
    for (const side of [run.base, run.head]) {
      expect(firstMetric(side, 'copies')).toEqual([2, 2])
      expect(firstMetric(side, 'ext-B/op')).toEqual([8000, 8000])
    }
  }, 60_000)

  it("makes a memory job's failure the side's outcome", async () => {
    const headJson = join(dir, 'alone-head.json')
    const baseJson = join(dir, 'alone-base.json')
    const r = await bench(['-pair', '.', '-pair-json', baseJson, '-json', headJson, '-benchtime', '5ms', '-count', '2', 'test/fixtures/pair/alone.bench.ts'])
    expect(r.code, r.stderr).toBe(1)
    expect(r.stdout).toContain('--- FAIL: BenchmarkFailsAlone')
    expect(r.stdout).toContain('alone in this process')
    for (const doc of [await readResults(baseJson), await readResults(headJson)]) {
      expect(doc.benchmarks[0]).toMatchObject({ name: 'BenchmarkFailsAlone', status: 'failed', failure: { message: 'alone in this process' } })
    }
  }, 60_000)

  it('records only turns as pairs, never the two probes, when one op outlasts -benchtime', async () => {
    // The base's probe is the first run in the process; with -pair-runs 1 the pair recorded was
    // the probes, base 45 ms against head 15 ms (ratio 3) on identical code.
    const run = await pairWithItself('cold', ['-pair-runs', '1', '-benchtime', '5ms', '-count', '3', 'test/fixtures/pair/cold.bench.ts'])
    const ratio = median3(ratios(run.base, run.head, 'BenchmarkColdFirst'))
    expect(ratio).toBeGreaterThan(0.7)
    expect(ratio).toBeLessThan(1.4)
  }, 60_000)

  it('rejects pair flags without -pair, and a base folder that is not installed, with exit 2', async () => {
    const orphan = await bench(['-pair-runs', '2', FIXTURE])
    expect(orphan.code).toBe(2)
    expect(orphan.stderr).toContain('flag -pair-runs: needs -pair dir')
    const missing = await bench(['-pair', join(dir, 'nowhere'), FIXTURE])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('no node_modules there')
    expect(missing.stderr).not.toMatch(/\n\s+at /)
    const badEnv = await bench(['-pair', baseRoot, '-pair-env', 'NOEQUALS', FIXTURE])
    expect(badEnv.code).toBe(2)
    expect(badEnv.stderr).toContain('flag -pair-env: expected NAME=value, found "NOEQUALS"')
  }, 60_000)
})
