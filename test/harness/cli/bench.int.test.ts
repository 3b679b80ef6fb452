// Integration: the real CLI (`node bin/slurmbench.js bench`) on the fixture benchmarks.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readResults } from '../../../harness/results/json.ts'

const REPO = join(import.meta.dirname, '..', '..', '..')
const FIXTURES = 'test/fixtures/bench'

interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

function bench(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/slurmbench.js', 'bench', ...args], { cwd: REPO, env: { ...process.env, FORCE_COLOR: '0' } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr })
    })
  })
}

// resultNames lists the names of the result lines in printed order.
function resultNames(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => /^Benchmark\S*\s+\d+\t/.test(line))
    .map((line) => line.split(/\s/)[0] as string)
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slurmbench-cli-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

// Independent CLI runs go concurrently (each spawns its own workers); the -timeout test runs alone.
describe('slurmbench bench', () => {
  it.concurrent('runs benchmarks and sub-benchmarks in interleaved rounds, prints Go format, writes -o and -json', async () => {
    const json = join(dir, 'out.json')
    const text = join(dir, 'out.txt')
    const run = await bench('-bench=Pass|Subs|Skipped', '-benchtime=10ms', '-count=2', `-json=${json}`, '-o', text, `${FIXTURES}/basic.bench.ts`)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const round = ['BenchmarkPass', 'BenchmarkSubs/size=10', 'BenchmarkSubs/with_space', 'BenchmarkSubs/with_space#01', 'BenchmarkSubs/#00']
    expect(resultNames(run.stdout)).toEqual([...round, ...round])
    expect(run.stdout).toMatch(
      /^goos: linux\ngoarch: \w+\npkg: slurmbench\/test\/fixtures\/bench\ncpu: .+\nnode: \d+\.\d+\.\d+\nv8: .+\n(commit: [0-9a-f]{40}(-dirty)?\n)?Benchmark/,
    )
    expect(run.stdout.match(/--- SKIP: BenchmarkSkipped\n {4}needs a real cluster\n/g)).toHaveLength(1)
    expect(run.stdout).toMatch(/\nPASS\nok {2}\tslurmbench\/test\/fixtures\/bench\t\d+\.\d{3}s\n$/)
    expect(await readFile(text, 'utf8')).toBe(run.stdout)
    const doc = await readResults(json)
    const subs = doc.benchmarks.find((b) => b.name === 'BenchmarkSubs/with_space#01')
    expect(subs?.samples.map((s) => s.round)).toEqual([0, 1])
    expect(subs?.samples[0]?.iterations).toBeGreaterThan(0)
    expect(subs?.samples[0]?.metrics['ns/op']).toBeGreaterThan(0)
    expect(doc.benchmarks.find((b) => b.name === 'BenchmarkSkipped')).toMatchObject({ status: 'skipped', skipReason: 'needs a real cluster' })
    expect(doc.environment.execArgv).toContain('--no-allocation-site-pretenuring')
    expect(doc.config).toMatchObject({ producer: 'bench', count: 2, benchtime: '10ms' })
  })

  it.concurrent('reports metrics, MB/s, loop(), logs, async bodies and runParallel with -cpu=1,2', async () => {
    const run = await bench('-bench=Metric|Loop|Parallel|Logs|Async', '-benchtime=10ms', '-cpu=1,2', `${FIXTURES}/basic.bench.ts`)
    expect(run.code).toBe(0)
    expect(resultNames(run.stdout)).toEqual([
      'BenchmarkMetric',
      'BenchmarkMetric-2',
      'BenchmarkLoop',
      'BenchmarkLoop-2',
      'BenchmarkParallel',
      'BenchmarkParallel-2',
      'BenchmarkSyncParallel',
      'BenchmarkSyncParallel-2',
      'BenchmarkLogs',
      'BenchmarkLogs-2',
      'BenchmarkAsync',
      'BenchmarkAsync-2',
    ])
    expect(run.stdout).toContain('Unit items/s better=higher\n')
    // A column as wide as its value has no space after the tab (1,098,309,950 items/s on a fast run, as Go prints it).
    expect(run.stdout).toMatch(/BenchmarkMetric\s+\t\s*\d+\t\s+[\d.]+ ns\/op\t\s*[\d.]+ MB\/s\t\s*\d+ items\/s\t\s+7\.000 widgets\/op\n/)
    expect(run.stdout).toMatch(/BenchmarkLoop-2\s+\t\s*\d+\t\s+[\d.]+ ns\/op\t\s+1\.000 committed-n\n/)
    expect(run.stdout).toMatch(/--- BENCH: BenchmarkLogs\n {4}basic\.bench\.ts:\d+: N=1\n/)
  })

  it.concurrent('warns once that a synchronous runParallel body runs on one thread when -cpu is above 1', async () => {
    const run = await bench('-bench=SyncParallel', '-benchtime=100x', '-cpu=1,2,4', '-count=2', `${FIXTURES}/basic.bench.ts`)
    expect(run.code).toBe(0)
    const names = ['BenchmarkSyncParallel', 'BenchmarkSyncParallel-2', 'BenchmarkSyncParallel-4']
    expect(resultNames(run.stdout)).toEqual([...names, ...names]) // rounds interleave
    const warnings = run.stderr.split('\n').filter((line) => line.includes("runParallel's body is synchronous"))
    expect(warnings).toEqual([
      "slurmbench bench: warning: BenchmarkSyncParallel: runParallel's body is synchronous, so with -cpu above 1 its bodies ran one after another on one thread, not in parallel on CPUs; runParallel is concurrent on one thread (for I/O): make the body await its I/O, or drop -cpu",
    ])
  })

  it.concurrent('reports throws, fatal and API misuse as Go FAIL blocks, runs the rest and exits 1', async () => {
    const run = await bench('-benchtime=10ms', `${FIXTURES}/failing.bench.ts`)
    expect(run.code).toBe(1)
    expect(resultNames(run.stdout)).toEqual(['BenchmarkOK', 'BenchmarkAfterFailures'])
    expect(run.stdout).toMatch(/--- FAIL: BenchmarkThrows\n {4}Error: boom from the benchmark\n {8}at BenchmarkThrows \(.*failing\.bench\.ts:9:22\)/)
    expect(run.stdout).toContain('--- FAIL: BenchmarkFatal\n    the fixture is broken\n')
    expect(run.stdout).toContain('--- FAIL: BenchmarkLoopEarlyExit\n    benchmark function returned without B.loop() == false')
    expect(run.stdout).toContain('--- FAIL: BenchmarkBadUnit\n    reportMetric: metric unit "two words" must not contain whitespace')
    expect(run.stdout).toContain('--- FAIL: BenchmarkParallelNoDrain\n    runParallel: body exited without pb.next() == false')
    expect(run.stdout).toContain(
      "--- FAIL: BenchmarkSwallowedFatal\n    caught by its own try/catch\n    (the benchmark's own try/catch caught b.fatal's signal and carried on; it ends failed all the same",
    )
    expect(run.stdout).toContain('--- FAIL: BenchmarkCleanupThrows\n    cleanup: Error: the server would not stop\n')
    expect(run.stdout).toMatch(/\nFAIL\nFAIL\tslurmbench\/test\/fixtures\/bench\t[\d.]+s\n$/)
  })

  it.concurrent('reports a benchmark file that throws while loading, with frames at its .ts source lines', async () => {
    // Workers run without --enable-source-maps and map frames themselves, also before workerMain runs.
    const file = join(dir, 'load-throws.bench.ts')
    await writeFile(
      file,
      "import type { B } from 'slurmbench'\n\nfunction explode(): never {\n  throw new Error('broken at load')\n}\nexplode()\n\nexport function BenchmarkNever(b: B) {\n  for (let i = 0; i < b.N; i++) {}\n}\n",
    )
    const run = await bench('-benchtime=1x', file)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('--- FAIL: BenchmarkNever\n    worker ended without a result (exit status 1):\n    Error: broken at load\n')
    expect(run.stdout).toContain(`at explode (${file}:4:9)`)
  })

  it('kills a benchmark that hangs past -timeout with a clear message', async () => {
    const started = performance.now()
    const run = await bench('-benchtime=10ms', '-timeout=4s', `${FIXTURES}/hang.bench.ts`)
    expect(run.code).toBe(1)
    expect(resultNames(run.stdout)).toEqual(['BenchmarkAQuick'])
    expect(run.stdout).toMatch(/--- FAIL: BenchmarkHang\n {4}timed out after [\d.]+m?s \(-timeout=4s\); the worker was killed\n/)
    expect(performance.now() - started).toBeLessThan(15_000)
  })

  it.concurrent('reports a benchmark that exhausts its heap as out-of-memory and carries on', async () => {
    const json = join(dir, 'oom.json')
    const run = await bench('-benchtime=10ms', '-max-old-space=32', `-json=${json}`, `${FIXTURES}/oom.bench.ts`)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/--- FAIL: BenchmarkExhaustsHeap\n {4}out-of-memory: /)
    expect(resultNames(run.stdout)).toEqual(['BenchmarkStillRuns'])
    const doc = await readResults(json)
    expect(doc.benchmarks.find((b) => b.name === 'BenchmarkExhaustsHeap')?.failure?.kind).toBe('out-of-memory')
  })

  it.concurrent('-full reaches the benchmarks as full() === true', async () => {
    const run = await bench('-bench=Full', '-benchtime=1x', '-full', `${FIXTURES}/basic.bench.ts`)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/BenchmarkFull\s+\t\s+1\t.*\t\s+1\.000 full\n/)
  })

  it.concurrent('warns when -bench matches nothing and exits 0, as go test\'s "no tests to run"', async () => {
    const run = await bench('-bench=NoSuchBenchmark', `${FIXTURES}/basic.bench.ts`)
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/no benchmarks to run: -bench=NoSuchBenchmark matches none of the \d+ Benchmark functions in 1 file\(s\)/)
  })

  it.concurrent('names a file that exports no Benchmark functions; exits 2 when no file has any', async () => {
    const empty = join(dir, 'helpers.bench.ts')
    await writeFile(empty, 'export function helper() {\n  return 1\n}\n')
    const alone = await bench(empty)
    expect(alone.code).toBe(2)
    expect(alone.stdout).toBe('')
    expect(alone.stderr).toContain('helpers.bench.ts: exports no Benchmark functions; expected `export function BenchmarkName(b: B)`')
    const beside = await bench('-bench=^BenchmarkPass$', '-benchtime=1x', empty, `${FIXTURES}/basic.bench.ts`)
    expect(beside.code).toBe(0)
    expect(beside.stderr).toMatch(/warning: .*helpers\.bench\.ts: exports no Benchmark functions/)
    expect(resultNames(beside.stdout)).toEqual(['BenchmarkPass'])
  })

  it.concurrent('rejects a bad flag value with a usage error naming it, exit 2', async () => {
    const run = await bench('-count=0', `${FIXTURES}/basic.bench.ts`)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/flag -count: expected a whole number of at least 1, found 0/)
    expect(run.stdout).toBe('')
  })
})
