// ab's worktree handling and doctor's analysis, without running benchmarks: the worktree is a
// real git worktree of this repository; the doctor analyses rounds built from known numbers.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, lstatSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyseDoctorRun, type DoctorArm, type DoctorRun, judgeAsAb } from '../../../harness/ab/doctor-analysis.ts'
import { builtinPolicy } from '../../../harness/compare/policy.ts'
import { sideOrder, mergeRounds } from '../../../harness/ab/rounds.ts'
import { createWorktree, resolveCommit } from '../../../harness/ab/worktree.ts'
import { InputError } from '../../../common/input-error.ts'
import { mulberry32 } from '../../../common/prng.ts'
import { ROOT, runCli } from '../../support/cli.ts'
import { resultsDoc } from '../../support/results.ts'

describe('ab', () => {
  it('checks the base out into a temporary worktree with our node_modules, and removes it', async () => {
    const commit = await resolveCommit(ROOT, 'HEAD')
    const wt = await createWorktree(ROOT, commit, () => undefined)
    try {
      expect(wt.path.startsWith(tmpdir())).toBe(true)
      expect(existsSync(join(wt.path, 'bin', 'slurmbench.js'))).toBe(true)
      expect(lstatSync(join(wt.path, 'node_modules')).isSymbolicLink()).toBe(true)
      expect(wt.install).toContain('package-lock.json is identical')
    } finally {
      await wt.remove()
    }
    expect(existsSync(wt.path)).toBe(false)
  })

  it('rejects a ref that is not a commit, and a missing --base, with exit 2', async () => {
    await expect(resolveCommit(ROOT, 'no-such-branch-xyz')).rejects.toThrow(InputError)
    const r = runCli(['ab', '-count', '2'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--base <ref> is required')
  })

  it('Ctrl-C during the rounds removes the worktree and exits 130', async () => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin', 'slurmbench.js'),
        'ab',
        '--base',
        'HEAD',
        '-count',
        '1',
        '-max-count',
        '1',
        '-benchtime',
        '1x',
        '-bench',
        'Slowdown/work=mix',
        'benchmarks/experiment',
      ],
      { cwd: ROOT, stdio: 'ignore' },
    )
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const ours = (): string | undefined =>
      execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: ROOT, encoding: 'utf8' })
        .split('\n')
        .find((line) => line.startsWith('worktree ') && line.includes('slurmbench-ab-'))
        ?.slice('worktree '.length)
    let path: string | undefined
    for (let i = 0; i < 600 && path === undefined && child.exitCode === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      path = ours()
    }
    expect(path).toBeDefined()
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(ours()).toBeUndefined()
    expect(existsSync(path as string)).toBe(false)
  })

  it('runs paired by default: one worker per round measures base and head, and the verdicts compare the pairs', () => {
    const r = runCli(['ab', '--base', 'HEAD', '-count', '6', '-max-count', '6', '-benchtime', '5x', '-bench', 'Slowdown/work=mix', 'benchmarks/experiment'])
    expect(r.stderr).toContain('ab: 6 rounds per side, paired (both sides in each worker)')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('two-sided Wilcoxon signed-rank')
    expect(r.stdout).toMatch(/Slowdown\/work=mix\s+sec\/op .* n=6 .* n=6/)
  }, 120_000)

  it('interleaves arms in a Williams design: each arm in each position and after each other arm equally often', () => {
    expect([0, 1, 2, 3].map((r) => sideOrder(2, r))).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
      [1, 0],
    ])
    for (const n of [3, 4, 5]) {
      const rows = Array.from({ length: n % 2 === 0 ? n : 2 * n }, (_, r) => sideOrder(n, r))
      const follows = new Map<string, number>()
      const positions = new Map<string, number>()
      for (const row of rows) {
        for (const [i, arm] of row.entries()) positions.set(`${arm}@${i}`, (positions.get(`${arm}@${i}`) ?? 0) + 1)
        for (let i = 1; i < row.length; i++) follows.set(`${row[i - 1]}>${row[i]}`, (follows.get(`${row[i - 1]}>${row[i]}`) ?? 0) + 1)
      }
      expect(follows.size).toBe(n * (n - 1))
      expect(new Set(follows.values()).size).toBe(1)
      expect(new Set(positions.values()).size).toBe(1)
    }
  })
})

describe('doctor analysis', () => {
  // Rounds of two identical arms and one 10% slower arm, with ±1% noise unless told.
  function run(comparisons: number, count: number, spread = 0.02): DoctorRun {
    const random = mulberry32(3)
    const noise = () => 1 + (random() - 0.5) * spread
    const arm = (label: string, factor: number) => ({
      label,
      factor,
      doc: mergeRounds(
        Array.from({ length: comparisons * count }, () => resultsDoc({ BenchmarkW: [100 * factor * noise()], BenchmarkV: [40 * factor * noise()] })),
      ),
    })
    return { count, comparisons, arms: [arm('A', 1), arm('A′', 1), arm('×1.1', 1.1)] }
  }

  it('finds no false alarms on A/A, flags a 10% slowdown, and sizes -count', () => {
    const report = analyseDoctorRun(run(3, 8), { policy: builtinPolicy(), tolerancePct: 2, powerTrials: 50, random: mulberry32(1) })
    const aa = report.outcomes.filter((o) => o.comparison === 'A/A')
    const slow = report.outcomes.filter((o) => o.comparison === '×1.1')
    expect(aa.map((o) => o.metricComparisons)).toEqual([6, 6])
    expect(aa.every((o) => o.counts.regressed === 0 && o.counts.improved === 0)).toBe(true)
    expect(slow.every((o) => o.counts.regressed === 6)).toBe(true)
    const w = report.noise.find((m) => m.name === 'BenchmarkW')
    expect(w?.cv).toBeGreaterThan(0.003)
    expect(w?.cv).toBeLessThan(0.01)
    expect(w?.countFor10).toBe(4)
  })

  it('judges each comparison as ab does: more rounds only while a verdict is inconclusive', () => {
    const base = run(2, 10, 0.05)
    const sequential: DoctorRun = { ...base, count: 4, maxCount: 10, step: 2 }
    const report = analyseDoctorRun(sequential, { policy: builtinPolicy(), tolerancePct: 2, powerTrials: 20, random: mulberry32(1) })
    const bound = (comparison: string) => report.outcomes.find((o) => o.beyond === 'bound' && o.comparison === comparison)
    // Every comparison stops at count + k·step, never beyond the window.
    for (const o of report.outcomes) {
      expect(o.meanRounds).toBeGreaterThanOrEqual(4)
      expect(o.meanRounds).toBeLessThanOrEqual(10)
      expect(o.metricComparisons).toBe(4)
    }
    // The 10% slowdown is decided at the first look; the A/A pairs need more rounds to show they
    // are unchanged (one of the four stays inconclusive at the window's end), and none is flagged.
    expect(bound('×1.1')?.counts.regressed).toBe(4)
    expect(bound('×1.1')?.meanRounds).toBe(4)
    expect(bound('A/A')?.counts).toMatchObject({ regressed: 0, improved: 0, unchanged: 3, inconclusive: 1 })
    expect(bound('×1.1')?.meanRounds).toBeLessThan(bound('A/A')?.meanRounds as number)
    const judged = judgeAsAb(sequential.arms[0] as DoctorArm, sequential.arms[1] as DoctorArm, 1, sequential, builtinPolicy(), { tolerancePct: 2 })
    expect([4, 6, 8, 10]).toContain(judged.rounds)
    expect(judged.report.verdicts.every((v) => v.base?.n === judged.rounds && v.head?.n === judged.rounds)).toBe(true)
    // Per-metric counts add up to the totals.
    for (const o of report.outcomes) expect(o.byMetric.reduce((sum, m) => sum + m.counts.regressed, 0)).toBe(o.counts.regressed)
  })

  it('judges a paired run pair by pair: each injected arm against the A side of its own workers', () => {
    // Every round's workers run at their own speed (×1 to ×1.5); both sides of a pair share it.
    const random = mulberry32(5)
    const rounds = 2 * 10
    const pairOf = (factor: number) => {
      const speeds = Array.from({ length: rounds }, () => 1 + 0.5 * random())
      const jitter = () => 1 + (random() - 0.5) * 0.01
      return {
        base: mergeRounds(speeds.map((s) => resultsDoc({ BenchmarkW: [100 * s * jitter()] }))),
        head: mergeRounds(speeds.map((s) => resultsDoc({ BenchmarkW: [100 * s * factor * jitter()] }))),
      }
    }
    const aa = pairOf(1)
    const slow = pairOf(1.05)
    const paired: DoctorRun = {
      count: 6,
      maxCount: 10,
      step: 2,
      comparisons: 2,
      paired: true,
      arms: [
        { label: 'A', factor: 1, doc: aa.base },
        { label: 'A′', factor: 1, doc: aa.head },
        { label: '×1.05', factor: 1.05, doc: slow.head, base: slow.base },
      ],
    }
    const options = { policy: builtinPolicy(), tolerancePct: 2, powerTrials: 40, random: mulberry32(1) }
    const report = analyseDoctorRun(paired, options)
    const bound = (comparison: string) => report.outcomes.find((o) => o.beyond === 'bound' && o.comparison === comparison)
    expect(bound('×1.05')?.counts.regressed).toBe(2)
    expect(bound('A/A')?.counts).toMatchObject({ regressed: 0, improved: 0 })
    const w = report.noise[0]
    expect(w?.cv).toBeGreaterThan(0.1) // each side alone is as noisy as the speeds
    expect(w?.pairCv).toBeLessThan(0.01) // the ratios are not
    expect(w?.countFor5).toBe(6)
    // Unpaired, the same samples show nothing.
    const unpaired = analyseDoctorRun({ ...paired, paired: false, arms: paired.arms.map(({ base: _base, ...arm }) => arm) }, options)
    expect(unpaired.outcomes.find((o) => o.beyond === 'bound' && o.comparison === '×1.05')?.counts.regressed).toBe(0)

    const dir = mkdtempSync(join(tmpdir(), 'slurmbench-doctor-'))
    const path = join(dir, 'doctor.json')
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, kind: 'slurmbench.doctor', run: paired }))
    const r = runCli(['doctor', '-from', path, '-tolerance', '2', '-trials', '20'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('paired rounds (both sides in each worker)')
    expect(r.stdout).toMatch(/W\s+sec\/op 36\s+\S+\s+\S+%\s+0\.\d%/)
    const noBase = join(dir, 'no-base.json')
    writeFileSync(
      noBase,
      JSON.stringify({ schemaVersion: 1, kind: 'slurmbench.doctor', run: { ...paired, arms: paired.arms.map(({ base: _base, ...arm }) => arm) } }),
    )
    const b = runCli(['doctor', '-from', noBase])
    expect(b.code).toBe(2)
    expect(b.stderr.trim()).toBe(`slurmbench doctor: ${noBase}: at /run/arms/2/base: a paired run's injected arm needs the A side it was measured with`)
  })

  it('doctor -from re-cuts a saved run under other judging flags, and rejects a window larger than the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slurmbench-doctor-'))
    const path = join(dir, 'doctor.json')
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, kind: 'slurmbench.doctor', run: run(2, 10) }))
    const r = runCli(['doctor', '-from', path, '-tolerance', '2', '-trials', '20', '-count', '4', '-max-count', '10', '-step', '2'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('doctor: 2 A/A comparisons, judged as ab: 4 rounds a side, +2 while inconclusive, up to 10')
    expect(r.stdout).toMatch(/bound \(policy\) W\s+sec\/op 0\/2 \(0\.0%\)\s+2\/2 \(100\.0%\)/)
    const tooBig = runCli(['doctor', '-from', path, '-max-count', '30'])
    expect(tooBig.code).toBe(2)
    expect(tooBig.stderr).toContain('holds 20 rounds, fewer than -max-count 30')
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ schemaVersion: 1, kind: 'slurmbench.doctor', run: { ...run(1, 6), maxCount: 3 } }))
    const b = runCli(['doctor', '-from', bad])
    expect(b.code).toBe(2)
    expect(b.stderr.trim()).toBe(`slurmbench doctor: ${bad}: at /run/maxCount: expected an integer ≥ count (6), found 3`)
  })

  it('doctor -from re-analyses a saved run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slurmbench-doctor-'))
    const path = join(dir, 'doctor.json')
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, kind: 'slurmbench.doctor', run: run(1, 6) }))
    const r = runCli(['doctor', '-from', path, '-tolerance', '2', '-trials', '20'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/estimate\s+A\/A\s+2\s+0 \(0\.0%\)/)
    expect(r.stdout).toMatch(/estimate\s+×1\.1\s+2\s+2 \(100\.0%\)/)
  })

  it("reports the machine contention probe and how each benchmark's time follows it", () => {
    // W's time follows the probe (contended runs are slow); V ignores it.
    const rounds = 12
    const probes = Array.from({ length: rounds }, (_, r) => (r % 3 === 0 ? 18 + r : 6 + r / 10))
    const arm = (label: string) => ({
      label,
      factor: 1,
      probesNs: probes,
      doc: mergeRounds(probes.map((p, r) => resultsDoc({ BenchmarkW: [100 * (1 + p / 100)], BenchmarkV: [40 + (r % 2)] }))),
    })
    const doctorRun: DoctorRun = { count: 6, comparisons: 2, arms: [arm('A'), arm('A′')] }
    const report = analyseDoctorRun(doctorRun, { policy: builtinPolicy(), powerTrials: 10, random: mulberry32(1) })
    expect(report.contention?.summary.quietNsPerLoad).toBe(6.1)
    expect(report.contention?.summary.contendedShare).toBeCloseTo(8 / 24, 10)
    expect(report.contention?.time.find((t) => t.name === 'BenchmarkW')?.rho).toBeCloseTo(1, 10)
    expect(Math.abs(report.contention?.time.find((t) => t.name === 'BenchmarkV')?.rho ?? 1)).toBeLessThan(0.3)

    const dir = mkdtempSync(join(tmpdir(), 'slurmbench-doctor-'))
    const path = join(dir, 'doctor.json')
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, kind: 'slurmbench.doctor', run: doctorRun }))
    const r = runCli(['doctor', '-from', path, '-trials', '10'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('machine contention: an L2-resident pointer chase before each run (24 probes) read 6.1 ns/load at its quietest')
    expect(r.stdout).toMatch(/Spearman ρ over the A samples\): W 1\.00, V -?0\.\d\d/)

    const bad = join(dir, 'bad.json')
    writeFileSync(
      bad,
      JSON.stringify({ schemaVersion: 1, kind: 'slurmbench.doctor', run: { ...doctorRun, arms: [arm('A'), { ...arm('A′'), probesNs: [1, 'x'] }] } }),
    )
    const b = runCli(['doctor', '-from', bad])
    expect(b.code).toBe(2)
    expect(b.stderr.trim()).toBe(`slurmbench doctor: ${bad}: at /run/arms/1/probesNs: expected an array of positive numbers (ns per load)`)
  })
})
