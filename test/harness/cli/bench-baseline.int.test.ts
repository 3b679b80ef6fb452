// `npm run bench -- -baseline`: the run is judged against the committed baseline of this machine class.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const REPO = fileURLToPath(new URL('../../../', import.meta.url))
const CLI = join(REPO, 'bin/slurmbench.js')
const FIXTURE = join(REPO, 'test/fixtures/bench/basic.bench.ts')

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

function slurmbench(cwd: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr })
    })
  })
}

describe('bench -baseline', () => {
  it('exits 1 with a regressed verdict when the run is far slower than the baseline, and keeps stdout Go format', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slurmbench-bench-baseline-'))
    const results = join(dir, 'run.json')
    const first = await slurmbench(dir, ['bench', '-bench=^BenchmarkPass$', '-count=4', '-benchtime=20ms', `-json=${results}`, FIXTURE])
    expect(first.code).toBe(0)
    // A baseline ten times faster than this machine: any honest run of the same code is a regression.
    const doc = JSON.parse(await readFile(results, 'utf8')) as { benchmarks: Array<{ samples: Array<{ metrics: Record<string, number> }> }> }
    for (const sample of doc.benchmarks[0]!.samples) sample.metrics['ns/op'] = sample.metrics['ns/op']! / 10
    await writeFile(results, JSON.stringify(doc))
    const recorded = await slurmbench(dir, ['baseline', 'update', `-from=${results}`])
    expect(recorded.code).toBe(0)

    const judged = await slurmbench(dir, ['bench', '-bench=^BenchmarkPass$', '-count=4', '-benchtime=20ms', '-baseline', FIXTURE])
    expect(judged.code).toBe(1)
    expect(judged.stderr).toMatch(/Pass\s+sec\/op .*regressed/)
    expect(judged.stdout).toMatch(/^BenchmarkPass\s+\d+\s+[\d.]+ ns\/op$/m)
    expect(judged.stdout).not.toMatch(/regressed/)
  })

  it('names the missing baseline and exits 2 before running anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slurmbench-bench-baseline-'))
    const run = await slurmbench(dir, ['bench', '-bench=^BenchmarkPass$', '-benchtime=10ms', '-baseline', FIXTURE])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/baselines\/[^:]+\/default\.json: no baseline "default" for machine class \S+, so -baseline has nothing to judge against; nothing was run/)
    expect(run.stdout).toBe('') // no benchmark ran first
  })
})
