// Stock benchstat (golang.org/x/perf/cmd/benchstat) against real `slurmbench bench` output: it
// must read every line without a syntax error, and `slurmbench compare` must print the same
// table. Runs only where a benchstat binary exists: on PATH, or named by SLURMBENCH_BENCHSTAT
// (the Go module proxy is not reachable here, so CI has none and these tests skip).
import { execFile } from 'node:child_process'
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../support/cli.ts'

const run = promisify(execFile)

/** BENCH_ARGS keep the run short: sub-benchmarks named `with_space#01` and `#00`, MB/s,
 * a `Unit … better=higher` line, custom units, and -benchmem's B/op, allocs/op and gc units. */
const BENCH_ARGS = ['-bench=Subs|Metric', '-benchtime=3x', '-count=2', '-benchmem', 'test/fixtures/bench/basic.bench.ts']
/** BENCH_TIMEOUT_MS allows for a loaded machine: each sample starts a fresh Node worker. */
const BENCH_TIMEOUT_MS = 180_000
/** CLI_TIMEOUT_MS bounds one compare or benchstat invocation. */
const CLI_TIMEOUT_MS = 60_000
/** GEOMEAN_ULPS is how far a CSV geomean may drift: Go's math.Exp (assembly on amd64) and
 * V8's Math.exp can differ in the last bit, so benchstat's own CSV varies by platform there. */
const GEOMEAN_ULPS = 4

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** findBenchstat returns SLURMBENCH_BENCHSTAT if set, else the first `benchstat` on PATH. */
function findBenchstat(): string | undefined {
  const fromEnv = process.env.SLURMBENCH_BENCHSTAT
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, 'benchstat')
    if (isExecutable(candidate)) return candidate
  }
  return undefined
}

interface Output {
  readonly stdout: string
  readonly stderr: string
}

/** tool runs a command in `cwd` and returns what it printed; a non-zero exit fails the test. */
async function tool(file: string, args: readonly string[], cwd: string, timeout = CLI_TIMEOUT_MS): Promise<Output> {
  const { stdout, stderr } = await run(file, [...args], { cwd, encoding: 'utf8', timeout, maxBuffer: 16 << 20 })
  return { stdout, stderr }
}

const slurmbench = (args: readonly string[], cwd: string, timeout?: number): Promise<Output> =>
  tool(process.execPath, [join(ROOT, 'bin', 'slurmbench.js'), ...args], cwd, timeout)

/** resultNames lists the distinct benchmark names of the result lines in Go benchmark format. */
function resultNames(text: string): string[] {
  const names = text
    .split('\n')
    .filter((line) => /^Benchmark\S*\s+\d+\s/.test(line))
    .map((line) => line.split(/\s+/)[0] as string)
  return [...new Set(names)]
}

/** ulpsApart is how many doubles of |a|'s magnitude separate a and b (Infinity if either is not a number). */
function ulpsApart(a: string, b: string): number {
  const x = Number(a)
  const y = Number(b)
  if (a === '' || b === '' || !Number.isFinite(x) || !Number.isFinite(y)) return Infinity
  const ulp = Number.EPSILON * Math.max(Math.abs(x), Math.abs(y))
  return ulp === 0 ? (x === y ? 0 : Infinity) : Math.abs(x - y) / ulp
}

/** csvMismatches lists the CSV cells that differ, letting geomean figures drift by GEOMEAN_ULPS. */
function csvMismatches(stock: string, ours: string): string[] {
  const stockRows = stock.split('\n')
  const ourRows = ours.split('\n')
  const out: string[] = []
  if (stockRows.length !== ourRows.length) out.push(`${stockRows.length} lines from benchstat, ${ourRows.length} from compare`)
  for (let r = 0; r < Math.min(stockRows.length, ourRows.length); r++) {
    const s = (stockRows[r] as string).split(',')
    const o = (ourRows[r] as string).split(',')
    const geomeanRow = s[0] === 'geomean'
    for (let c = 0; c < Math.max(s.length, o.length); c++) {
      const sc = s[c] ?? '<none>'
      const oc = o[c] ?? '<none>'
      if (sc === oc) continue
      // Same notation, last bits only: fixed vs exponent form is still a formatting mismatch.
      const sameNotation = sc.includes('e') === oc.includes('e')
      if (geomeanRow && sameNotation && ulpsApart(sc, oc) <= GEOMEAN_ULPS) continue
      out.push(`line ${r + 1} cell ${c + 1}: benchstat "${sc}", compare "${oc}"`)
    }
  }
  return out
}

const benchstat = findBenchstat()

describe.skipIf(benchstat === undefined)('stock benchstat reads slurmbench output and agrees with compare', () => {
  const stockBin = benchstat as string
  let dir = ''
  let runA = ''

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slurmbench-stock-benchstat-'))
    // Two separate runs, as a user compares before and after; concurrent, to halve the wait.
    await Promise.all(
      ['a.txt', 'b.txt'].map(async (name) => {
        const { stdout } = await slurmbench(['bench', ...BENCH_ARGS], ROOT, BENCH_TIMEOUT_MS)
        writeFileSync(join(dir, name), stdout)
      }),
    )
    runA = readFileSync(join(dir, 'a.txt'), 'utf8')
  }, BENCH_TIMEOUT_MS)

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true })
  })

  it('parses every line of a run: no syntax error, a row for every benchmark', async () => {
    const names = resultNames(runA)
    expect(names).toEqual(expect.arrayContaining(['BenchmarkSubs/with_space#01', 'BenchmarkSubs/#00', 'BenchmarkMetric']))
    const { stdout, stderr } = await tool(stockBin, ['a.txt'], dir)
    expect(stderr).toBe('')
    const rows = new Set(stdout.split('\n').map((line) => line.split(/\s+/)[0]))
    for (const name of names) expect(rows, `benchstat has no row for ${name}`).toContain(name.slice('Benchmark'.length))
    // The custom units reach benchstat as their own tables, tidied as it tidies them.
    for (const unit of ['sec/op', 'B/s', 'items/s', 'widgets/op', 'B/op', 'allocs/op']) expect(stdout).toContain(` ${unit} `)
  })

  it("one run: compare -ignore= (benchstat's defaults) prints benchstat's table", async () => {
    const stock = await tool(stockBin, ['a.txt'], dir)
    const ours = await slurmbench(['compare', '-ignore=', 'a.txt'], dir)
    expect(ours.stdout).toBe(stock.stdout)
  })

  it('two runs: compare prints what benchstat -ignore commit,dirty prints', async () => {
    // compare ignores commit and dirty by default so base and head share a table; stock
    // benchstat needs the flag, or every commit gets a table of its own and nothing is compared.
    const stock = await tool(stockBin, ['-ignore', 'commit,dirty', 'a.txt', 'b.txt'], dir)
    const ours = await slurmbench(['compare', 'a.txt', 'b.txt'], dir)
    expect(stock.stderr).toBe('')
    expect(ours.stdout).toBe(stock.stdout)
  })

  it('two runs, -format csv: the same cells and the same warnings', async () => {
    const stock = await tool(stockBin, ['-format', 'csv', '-ignore', 'commit,dirty', 'a.txt', 'b.txt'], dir)
    const ours = await slurmbench(['compare', '-format', 'csv', 'a.txt', 'b.txt'], dir)
    expect(csvMismatches(stock.stdout, ours.stdout)).toEqual([])
    expect(ours.stderr).toBe(stock.stderr)
  })
})
