// The profiles we write, read by the real `go tool pprof` (Debian's golang-go): a CPU and a heap
// profile of a fixture with one hot function must show that function first, at its .ts file and
// line, through the bundle's source map.
import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { cpuPprofBytes, heapPprofBytes } from '../../../harness/profile/profile-files.ts'
import { ROOT, runCli } from '../../support/cli.ts'
import { requireTools } from '../../support/tools.ts'

const TESTDATA = join(import.meta.dirname, 'testdata')
const SOURCE = join(TESTDATA, 'hot.ts')
const run = promisify(execFile)

const go = await requireTools(['go'], 'go tool pprof; Debian: apt-get install golang-go')
if (!go) console.warn('go-pprof.int.test.ts: skipped, go is missing (Debian: apt-get install golang-go)')

/** topRows returns `go tool pprof -top -lines`'s rows as [flat, function, location]. */
async function topRows(file: string, extra: readonly string[] = []): Promise<Array<[number, string, string]>> {
  const { stdout } = await run('go', ['tool', 'pprof', '-top', '-lines', ...extra, file], { env: { ...process.env, HOME: tmpdir() } })
  const rows: Array<[number, string, string]> = []
  for (const line of stdout.split('\n')) {
    const match = /^\s*([\d.]+)\S*\s+[\d.]+%\s+[\d.]+%\s+\S+\s+[\d.]+%\s+(\S+)\s+(\S+)$/.exec(line)
    if (match !== null) rows.push([Number(match[1]), match[2] as string, match[3] as string])
  }
  return rows
}

describe.skipIf(!go)('go tool pprof reads our profiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slurmbench-pprof-'))
  execFileSync(process.execPath, [join(TESTDATA, 'profile-driver.mjs'), dir], { timeout: 60_000 })

  it('tops the CPU profile with hotLoop at hot.ts:5', async () => {
    const file = join(dir, 'cpu.pb.gz')
    writeFileSync(file, cpuPprofBytes(JSON.parse(readFileSync(join(dir, 'cpu.json'), 'utf8'))))
    const [first] = await topRows(file)
    expect(first?.[1]).toBe('hotLoop')
    expect(first?.[2]).toBe(`${SOURCE}:5`)
  }, 60_000)

  it('tops the heap profile with allocating at hot.ts:10, by bytes and by objects', async () => {
    const file = join(dir, 'mem.pb.gz')
    writeFileSync(file, heapPprofBytes(JSON.parse(readFileSync(join(dir, 'heap.json'), 'utf8')), 4096))
    for (const index of ['alloc_space', 'alloc_objects']) {
      const [first] = await topRows(file, [`-sample_index=${index}`])
      expect(first?.[1]).toBe('allocating')
      expect(first?.[2]).toBe(`${SOURCE}:10`)
    }
  }, 60_000)
})

describe.skipIf(!go)('bench -cpuprofile -memprofile, read by go tool pprof', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slurmbench-bench-pprof-'))
  const bench = runCli(
    ['bench', '-benchtime', '200ms', '-cpuprofile', join(dir, 'cpu.pb.gz'), '-memprofile', join(dir, 'mem.pb.gz'), 'test/fixtures/profile/hot.bench.ts'],
    ROOT,
    120_000,
  )

  it('writes one CPU and one heap profile per benchmark and sample, named by the rule, and says the figures are unprofiled', () => {
    expect(bench.code).toBe(0)
    expect(bench.stderr).toContain('reported figures unprofiled')
    expect(readdirSync(dir).sort()).toEqual([
      'cpu.BenchmarkAlloc.0.pb.gz',
      'cpu.BenchmarkHot.0.pb.gz',
      'mem.BenchmarkAlloc.0.pb.gz',
      'mem.BenchmarkHot.0.pb.gz',
    ])
  })

  it('tops the CPU profile with hotSqrt at hot.bench.ts:8, without the setup before resetTimer', async () => {
    const rows = await topRows(join(dir, 'cpu.BenchmarkHot.0.pb.gz'))
    expect(rows[0]?.[1]).toBe('hotSqrt')
    // The worktree's node_modules may be a link into another checkout: the path's tail is what is ours.
    expect(rows[0]?.[2]).toMatch(/test\/fixtures\/profile\/hot\.bench\.ts:8$/)
    const setup = rows.filter((row) => row[1] === 'setupSpin').reduce((sum, row) => sum + row[0], 0)
    expect(setup).toBeLessThan((rows[0]?.[0] ?? 0) / 20)
  }, 60_000)

  it('tops the heap profile with the allocating function at its first line', async () => {
    const rows = await topRows(join(dir, 'mem.BenchmarkAlloc.0.pb.gz'), ['-sample_index=alloc_space'])
    expect(rows[0]?.[1]).toMatch(/^(BenchmarkAlloc|allocRows)$/)
    expect(rows[0]?.[2]).toMatch(rows[0]?.[1] === 'allocRows' ? /hot\.bench\.ts:12$/ : /hot\.bench\.ts:30$/)
  }, 60_000)

  it('with one sample writes the path as given', () => {
    const one = join(dir, 'one')
    mkdirSync(one)
    const r = runCli(
      [
        'bench',
        '-bench',
        'Hot',
        '-benchtime',
        '20x',
        '-cpuprofile',
        join(one, 'cpu.pb.gz'),
        '-cpuprofile-format',
        'devtools',
        'test/fixtures/profile/hot.bench.ts',
      ],
      ROOT,
      120_000,
    )
    expect(r.code).toBe(0)
    expect(readdirSync(one).sort()).toEqual(['cpu.cpuprofile', 'cpu.pb.gz'])
    const devtools = JSON.parse(readFileSync(join(one, 'cpu.cpuprofile'), 'utf8')) as { nodes: Array<{ callFrame: { url: string } }> }
    expect(devtools.nodes.some((n) => n.callFrame.url.endsWith('test/fixtures/profile/hot.bench.ts'))).toBe(true)
  }, 120_000)
})
