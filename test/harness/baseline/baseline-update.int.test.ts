// `baseline update` on a fresh run: it says how long the run will take and refuses one that cannot
// fit -timeout before running anything; it prints a plain line per round (stderr is not a
// terminal here, as in CI); a run that stops early (its rounds would overrun -timeout, or Ctrl-C)
// keeps the completed rounds in a results file marked partial, and writes no baseline.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ResultsDocument } from '../../../harness/results/schema.ts'
import { ROOT, runCli } from '../../support/cli.ts'

// Each sample of this benchmark sleeps 8 s at -benchtime=1x.
const SLOW = join('test', 'fixtures', 'compare', 'slow-rounds')

describe('baseline update, fresh run', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'slurmbench-update-'))

  it('refuses a run estimated longer than -timeout before running anything, saying how to shorten it (exit 2)', () => {
    const partial = join(tmp, 'refused.partial.json')
    const r = runCli([
      'baseline',
      'update',
      '-dir',
      join(tmp, 'b1'),
      '-partial',
      partial,
      '-count',
      '50',
      '-benchtime',
      '10s',
      '-timeout',
      '1m',
      'benchmarks/experiment',
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('the run is estimated at ≥ 9m10s (1+ benchmarks × 50 samples × (10s + ~1s start-up)), more than -timeout 1m00s')
    expect(r.stderr).toContain('shorten it with a smaller -count (now 50), a shorter -benchtime (now 10s)')
    expect(r.stdout).toBe('')
    expect(existsSync(partial)).toBe(false)
    expect(existsSync(join(tmp, 'b1'))).toBe(false)
  })

  it('a completed run writes the baseline and no partial file', () => {
    const dir = join(tmp, 'b0')
    const partial = join(tmp, 'complete.partial.json')
    const r = runCli([
      'baseline',
      'update',
      '-dir',
      dir,
      '-partial',
      partial,
      '-count',
      '2',
      '-benchtime',
      '1x',
      '-bench',
      'Slowdown/work=mix',
      'benchmarks/experiment',
    ])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/baseline update: round 2\/2 done · \S+ elapsed · ~0s left\n/)
    expect(r.stderr).not.toContain('partial')
    expect(r.stdout).toMatch(/^wrote .*default\.json: 1 benchmarks, 2 samples/)
    expect(existsSync(partial)).toBe(false)
  })

  it('stops after the first round when the rounds would overrun -timeout, keeping it as a partial results file', () => {
    const dir = join(tmp, 'b2')
    const partial = join(tmp, 'stopped.partial.json')
    const r = runCli(['baseline', 'update', '-dir', dir, '-partial', partial, '-count', '5', '-benchtime', '1x', '-timeout', '40s', SLOW])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('baseline update: 5 rounds of test/fixtures/compare/slow-rounds at -benchtime=1x, estimated ≥ 5s')
    expect(r.stderr).toMatch(/baseline update: round 1\/5 done · \d+s elapsed · ~\d+s left\n/)
    expect(r.stderr).toMatch(/stopped after round 1: round 1 took \d+s, so 5 rounds need ~\d+s, more than -timeout 40s/)
    expect(r.stderr).toContain(`completed rounds kept in ${partial}, marked partial`)
    expect(existsSync(dir)).toBe(false)
    const doc = JSON.parse(readFileSync(partial, 'utf8')) as ResultsDocument
    expect(doc.config.settings?.partial).toMatchObject({ roundsDone: 1, roundsPlanned: 5 })
    expect(doc.warnings[0]).toMatch(/^partial run: 1 of 5 rounds/)
    expect(doc.benchmarks.map((b) => [b.name, b.samples.length])).toEqual([['BenchmarkSleep', 1]])
    // A partial run never becomes a baseline.
    const from = runCli(['baseline', 'update', '-dir', dir, '-from', partial])
    expect(from.code).toBe(2)
    expect(from.stderr).toContain('a partial run')
    expect(existsSync(dir)).toBe(false)
  })

  it('Ctrl-C keeps the completed rounds in a partial results file and exits 130', async () => {
    const dir = join(tmp, 'b3')
    const partial = join(tmp, 'interrupted.partial.json')
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'slurmbench.js'), 'baseline', 'update', '-dir', dir, '-partial', partial, '-count', '4', '-benchtime', '1x', '-timeout', '10m', SLOW],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stderr = ''
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8')
        if (stderr.includes('round 1/4 done')) resolve()
      })
    })
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    const doc = JSON.parse(readFileSync(partial, 'utf8')) as ResultsDocument
    expect(doc.config.settings?.partial).toMatchObject({ roundsDone: 1, roundsPlanned: 4, reason: 'interrupted' })
    expect(stderr).toContain(`kept 1 round(s) in ${partial}; no baseline written`)
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([])
  })
})
