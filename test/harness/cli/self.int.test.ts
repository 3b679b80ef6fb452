// `slurmbench self` end to end: the real CLI starts real processes of all three tools, with
// settings small enough for CI (two invocations of two workloads, a 10 ms budget).
import { execFile, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SelfReport } from '../../../harness/self/types.ts'

const CLI = fileURLToPath(new URL('../../../bin/slurmbench.js', import.meta.url))

interface CliOutcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

// Go's toolchain (Debian's golang-go; .ci/run installs it) for the -tools=go reference; without it
// the test skips, unless SLURMBENCH_STRICT=1 (CI) makes the missing toolchain a failure.
const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0

function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliOutcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1
      resolve({ code, stdout, stderr })
    })
  })
}

function section(stdout: string, title: string): string[] {
  return (
    stdout
      .split('\n\n')
      .find((s) => s.startsWith(title))
      ?.split('\n') ?? []
  )
}

describe('slurmbench self', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slurmbench-self-test-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('measures slurmbench, tinybench and mitata side by side', async () => {
    const jsonPath = join(dir, 'self.json')
    const { code, stdout, stderr } = await runCli(['self', '-invocations=2', '-benchtime=10ms', '-workloads=empty,json', '-json', jsonPath])
    expect(stderr).toBe('') // not a TTY: no progress
    expect(code).toBe(0)
    for (const title of ['Overhead', 'Stability', 'Reported centre', 'Time to result', 'Machine contention']) {
      const rows = section(stdout, title)
      for (const tool of ['slurmbench', 'tinybench', 'mitata'])
        expect(
          rows.some((r) => r.startsWith(`${tool} `)),
          `${title}: ${tool} row`,
        ).toBe(true)
    }
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as SelfReport
    expect(report.failures).toEqual([])
    expect(report.measurements).toHaveLength(3 * 2 * 2)
    for (const m of report.measurements) {
      expect(m.centreNs, `${m.tool} ${m.workload}`).toBeGreaterThan(0)
      expect(m.wallMs).toBeGreaterThan(0)
      expect(m.probeNs).toBeGreaterThan(0)
    }
    expect(report.contention?.probes).toBe(12)
    // Every measured figure is real: parsing 10 KB of JSON costs more than an empty loop in every tool.
    for (const tool of ['slurmbench', 'tinybench', 'mitata'] as const) {
      const cell = (w: string) => report.cells.find((c) => c.tool === tool && c.workload === w)?.centreNs ?? 0
      expect(cell('json')).toBeGreaterThan(100 * cell('empty'))
    }
  })

  it.skipIf(!hasGo && process.env.SLURMBENCH_STRICT !== '1')("runs the same workloads through Go's testing package on request", async () => {
    const jsonPath = join(dir, 'self-go.json')
    const { code, stdout, stderr } = await runCli([
      'self',
      '-tools=slurmbench,go',
      '-invocations=2',
      '-benchtime=10ms',
      '-count=2',
      '-workloads=empty,json',
      '-json',
      jsonPath,
    ])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(section(stdout, 'Overhead').some((r) => r.startsWith('go '))).toBe(true)
    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as SelfReport
    expect(report.failures).toEqual([])
    const go = report.measurements.filter((m) => m.tool === 'go')
    expect(go).toHaveLength(4)
    for (const m of go) expect(m.samples, `${m.workload}: one ns/op per -count round`).toBe(2)
    // Go parsed the same 10 KB of JSON: far more work than its empty loop.
    const cell = (w: string) => report.cells.find((c) => c.tool === 'go' && c.workload === w)?.centreNs ?? 0
    expect(cell('json')).toBeGreaterThan(1000 * cell('empty'))
  })

  it('says how to get Go when -tools names it and there is none', async () => {
    const { code, stdout, stderr } = await runCli(['self', '-tools=go', '-invocations=1', '-benchtime=10ms'], { ...process.env, PATH: '/nonexistent' })
    expect(code).toBe(1)
    expect(stderr).toContain('no go command on PATH')
    expect(stdout).toBe('')
  })

  it('rejects a bad flag value with a usage error', async () => {
    const { code, stderr, stdout } = await runCli(['self', '-invocations=0'])
    expect(code).toBe(2)
    expect(stderr).toContain('-invocations: expected at least 1, found 0')
    expect(stdout).toBe('')
  })

  it('documents its flags', async () => {
    const { code, stdout } = await runCli(['self', '--help'])
    expect(code).toBe(0)
    for (const flag of ['-invocations', '-benchtime', '-json']) expect(stdout).toContain(flag)
  })
})
