// The statistics and scheduling of `slurmbench self`: what the CV is taken of, and in what order
// the processes run.
import { describe, expect, it } from 'vitest'
import { median, planJobs, summarise } from '../../../harness/self/statistics.ts'
import type { Measurement } from '../../../harness/self/types.ts'
import { coefficientOfVariation } from '../../../harness/stats/summary.ts'

describe('median', () => {
  it('takes the middle value, or the mean of the two middles', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([7])).toBe(7)
  })
  it('is undefined for no values', () => {
    expect(median([])).toBeUndefined()
  })
})

describe('coefficientOfVariation', () => {
  it('is the sample standard deviation over the mean', () => {
    // mean 10, deviations ±1 → sample variance (1+1)/(3−1) = 1 → sd 1 → CV 0.1
    expect(coefficientOfVariation([9, 10, 11])).toBeCloseTo(0.1, 12)
    // mean 5, sd = sqrt(((2−5)² + (8−5)²)/1) = 4.2426…
    expect(coefficientOfVariation([2, 8])).toBeCloseTo(Math.sqrt(18) / 5, 12)
  })
  it('is zero for identical values and independent of scale', () => {
    expect(coefficientOfVariation([3, 3, 3, 3])).toBe(0)
    expect(coefficientOfVariation([0.9, 1.0, 1.1])).toBeCloseTo(coefficientOfVariation([900, 1000, 1100]) as number, 12)
  })
  it('is undefined below two values or for a zero mean', () => {
    expect(coefficientOfVariation([42])).toBeUndefined()
    expect(coefficientOfVariation([])).toBeUndefined()
    expect(coefficientOfVariation([0, 0])).toBeUndefined()
  })
})

describe('summarise', () => {
  const m = (tool: Measurement['tool'], workload: Measurement['workload'], invocation: number, centreNs: number, wallMs: number): Measurement => ({
    tool,
    workload,
    invocation,
    centreNs,
    wallMs,
    samples: 1,
  })

  it('takes the median centre and wall time, and the CV of the centres, per tool and workload', () => {
    const cells = summarise(
      [
        m('slurmbench', 'empty', 0, 0.3, 1000),
        m('slurmbench', 'empty', 1, 0.33, 1200),
        m('slurmbench', 'empty', 2, 0.36, 1100),
        m('mitata', 'empty', 0, 0.7, 5000),
      ],
      ['slurmbench', 'mitata'],
      ['empty', 'json'],
    )
    expect(cells.map((c) => `${c.tool}/${c.workload}`)).toEqual(['slurmbench/empty', 'slurmbench/json', 'mitata/empty', 'mitata/json'])
    const ours = cells[0]
    expect(ours?.centreNs).toBeCloseTo(0.33, 12)
    expect(ours?.wallMs).toBe(1100)
    expect(ours?.cvRatio).toBeCloseTo(coefficientOfVariation([0.3, 0.33, 0.36]) as number, 12)
    expect(ours?.invocations).toBe(3)
    // One invocation gives a centre but no CV; none gives nothing.
    expect(cells[2]).toMatchObject({ centreNs: 0.7, cvRatio: undefined, invocations: 1 })
    expect(cells[1]).toMatchObject({ centreNs: undefined, cvRatio: undefined, wallMs: undefined, invocations: 0 })
    // No probes, no correlation.
    expect(ours?.probeRho).toBeUndefined()
  })

  it("ranks each cell's centres against the contention probe taken before them", () => {
    const probed = (invocation: number, centreNs: number, probeNs: number): Measurement => ({ ...m('slurmbench', 'json', invocation, centreNs, 2000), probeNs })
    const [cell] = summarise([probed(0, 90_000, 7), probed(1, 130_000, 20), probed(2, 95_000, 9), probed(3, 128_000, 16)], ['slurmbench'], ['json'])
    expect(cell?.probeRho).toBeCloseTo(1, 12)
  })
})

describe('planJobs', () => {
  it('runs every tool on every workload once per invocation', () => {
    const jobs = planJobs(['slurmbench', 'tinybench', 'mitata'], ['empty', 'json'], 3)
    expect(jobs).toHaveLength(18)
    for (let invocation = 0; invocation < 3; invocation++) {
      const these = jobs.filter((j) => j.invocation === invocation).map((j) => `${j.tool}/${j.workload}`)
      expect(new Set(these).size).toBe(6)
    }
  })
  it('rotates the order so that no job always runs first', () => {
    const jobs = planJobs(['slurmbench', 'mitata'], ['empty', 'json'], 4)
    const firsts = [0, 1, 2, 3].map((inv) => jobs.find((j) => j.invocation === inv)).map((j) => `${j?.tool}/${j?.workload}`)
    expect(new Set(firsts).size).toBe(4)
  })
})
