// Progress of long commands: a plain line per completed round with elapsed and estimated time
// left (CI logs), the choice of plain lines, and the a-priori estimate of a run.
import { describe, expect, it } from 'vitest'
import { estimateRunMs, formatEstimate, formatMinutes, RoundProgress, runRounds, wantsPlainProgress } from '../../../harness/ab/rounds.ts'
import { resultsDoc } from '../../support/results.ts'

describe('RoundProgress', () => {
  it('prints one line per round with elapsed time and the time left at the average round', () => {
    let nowMs = 1000
    const lines: string[] = []
    const p = new RoundProgress({ prefix: 'baseline update', totalRounds: 4, write: (l) => lines.push(l), now: () => nowMs })
    nowMs += 30_000
    p.roundDone(1)
    nowMs += 50_000
    p.roundDone(2)
    p.setTotal(6)
    nowMs += 40_000
    p.roundDone(3)
    expect(lines).toEqual([
      'baseline update: round 1/4 done · 30s elapsed · ~1m30s left\n',
      'baseline update: round 2/4 done · 1m20s elapsed · ~1m20s left\n',
      'baseline update: round 3/6 done · 2m00s elapsed · ~2m00s left\n',
    ])
  })

  it('is called by runRounds after every round, not every arm', async () => {
    const done: number[] = []
    const arm = (label: string) => ({ label, runOnce: async () => resultsDoc({ BenchmarkA: [1] }) })
    await runRounds([arm('base'), arm('head')], 0, 3, [], undefined, (n) => done.push(n))
    expect(done).toEqual([1, 2, 3])
  })
})

describe('wantsPlainProgress', () => {
  it.each([
    { env: { CI: 'true' }, tty: true, plain: true },
    { env: { CI: '1' }, tty: true, plain: true },
    { env: { CI: 'false' }, tty: true, plain: false },
    { env: {}, tty: true, plain: false },
    { env: {}, tty: false, plain: true },
  ])('CI=$env.CI, stderr a terminal: $tty → plain $plain', ({ env, tty, plain }) => {
    expect(wantsPlainProgress(env, tty)).toBe(plain)
  })
})

describe('estimates', () => {
  it.each([
    [0, '0s'],
    [100, '100ms'],
    [44_600, '45s'],
    [200_000, '3m20s'],
    [3_900_000, '1h05m'],
    [Infinity, '∞'],
  ])('formatMinutes(%s) = %s', (ms, text) => expect(formatMinutes(ms)).toBe(text))

  it('counts benchmarks × samples × sides at benchtime plus a start-up each, as a lower bound', () => {
    const e = estimateRunMs({ benchmarks: 7, samplesEach: 10, benchTimeMs: 1000, sides: 2, lowerBound: true })
    expect(e.ms).toBe(7 * 10 * 2 * 2000)
    expect(formatEstimate(e)).toBe('≥ 4m40s (7+ benchmarks × 10 samples × 2 sides × (1s + ~1s start-up))')
  })
})
