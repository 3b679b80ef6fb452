// The pure scheduling math: ramps, arrival times, shard splits.
import { describe, expect, it } from 'vitest'
import { ArrivalSchedule, expectedArrivals } from '../../../harness/load/arrivals.ts'
import { peakTarget, scalePlan, stageIndexAt, targetAt } from '../../../harness/load/plan.ts'
import { parseShard, shardFromEnv, shardPlan, shareOf } from '../../../harness/load/shard.ts'
import { InputError } from '../../../common/input-error.ts'
import { closedPlan, openPlan } from './plans.ts'

function allArrivals(schedule: ArrivalSchedule): number[] {
  const times: number[] = []
  for (let t = schedule.next(); t !== undefined; t = schedule.next()) times.push(t)
  return times
}

describe('targetAt (k6 ramping stages)', () => {
  const plan = closedPlan(0, [
    [1000, 10],
    [2000, 10],
    [1000, 0],
  ])
  it('interpolates linearly within a stage and holds after the end', () => {
    expect(targetAt(plan, 0)).toBe(0)
    expect(targetAt(plan, 0.5e9)).toBe(5)
    expect(targetAt(plan, 2e9)).toBe(10)
    expect(targetAt(plan, 3.5e9)).toBe(5)
    expect(targetAt(plan, 9e9)).toBe(0)
    expect(stageIndexAt(plan, 1.5e9)).toBe(1)
    expect(stageIndexAt(plan, 99e9)).toBe(2)
    expect(peakTarget(plan)).toBe(10)
  })
  it('--duration-scale shrinks stage durations but keeps targets', () => {
    const scaled = scalePlan(plan, 0.01)
    expect(scaled.stages.map((s) => s.durationNs)).toEqual([10e6, 20e6, 10e6])
    expect(scaled.stages.map((s) => s.target)).toEqual([10, 10, 0])
  })
})

describe('ArrivalSchedule (open model)', () => {
  it('spaces a constant rate evenly, starting at 0', () => {
    const times = allArrivals(new ArrivalSchedule(openPlan(10, [[1000, 10]])))
    expect(times).toHaveLength(10)
    for (const [i, t] of times.entries()) expect(t).toBeCloseTo(i * 100e6, 0)
  })
  it('follows the integral of a linear ramp', () => {
    // 0 → 100/s over 2 s: N(t) = 25 t², so 100 arrivals, the k-th at sqrt(k/25) s.
    const plan = openPlan(0, [[2000, 100]])
    const times = allArrivals(new ArrivalSchedule(plan))
    expect(times).toHaveLength(100)
    expect(expectedArrivals(plan)).toBe(100)
    expect(times[25]).toBeCloseTo(1e9, -1)
    expect(times[99]).toBeCloseTo(Math.sqrt(99 / 25) * 1e9, -1)
    // Spacing shrinks as the rate rises.
    expect((times[2] as number) - (times[1] as number)).toBeGreaterThan((times[99] as number) - (times[98] as number))
  })
  it('crosses stages, skipping zero-rate ones', () => {
    const plan = openPlan(5, [
      [1000, 5],
      [1000, 0],
      [500, 0],
      [1000, 20],
    ])
    const times = allArrivals(new ArrivalSchedule(plan))
    expect(times).toHaveLength(expectedArrivals(plan))
    expect(times.every((t, i) => i === 0 || t > (times[i - 1] as number))).toBe(true)
    // 5 → 0 over the second stage still yields 2.5 arrivals; the third stage is silent.
    expect(times.filter((t) => t >= 2e9 && t < 2.5e9)).toHaveLength(0)
  })
  it('n shards together send exactly the unsharded schedule', () => {
    const plan = openPlan(3, [
      [1500, 40],
      [700, 40],
      [900, 7],
    ])
    const whole = allArrivals(new ArrivalSchedule(plan))
    const parts = [1, 2, 3].map((index) => allArrivals(new ArrivalSchedule(plan, { index, count: 3 })))
    expect(parts.flat().sort((a, b) => a - b)).toEqual(whole)
    expect(parts.map((p) => p.length).reduce((a, b) => a + b)).toBe(whole.length)
  })
})

describe('shards', () => {
  it('shares of any whole number sum back to it', () => {
    for (const total of [0, 1, 7, 10, 199, 500]) {
      for (const count of [1, 2, 3, 4, 7]) {
        const shares = Array.from({ length: count }, (_, i) => shareOf(total, { index: i + 1, count }))
        expect(shares.reduce((a, b) => a + b)).toBe(total)
        const most = shares.reduce((a, b) => Math.max(a, b))
        const least = shares.reduce((a, b) => Math.min(a, b))
        expect(most - least).toBeLessThanOrEqual(1)
      }
    }
  })
  it('splits VU stages by share and open-model slots by count', () => {
    const closed = shardPlan(
      closedPlan(10, [
        [1000, 200],
        [1000, 7],
      ]),
      { index: 2, count: 4 },
    )
    expect(closed.model === 'closed' && closed.startVUs).toBe(3)
    expect(closed.stages.map((s) => s.target)).toEqual([50, 2])
    const open = shardPlan(openPlan(50, [[1000, 50]], { preAllocatedVUs: 10, maxVUs: 100 }), { index: 1, count: 3 })
    expect(open.model === 'open' && [open.preAllocatedVUs, open.maxVUs, open.startRate]).toEqual([4, 34, 50])
  })
  it('parses i/n and a Kubernetes Indexed Job environment', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 })
    expect(() => parseShard('0/4')).toThrow(InputError)
    expect(() => parseShard('5/4')).toThrow(/1 ≤ i ≤ n/)
    expect(() => parseShard('two')).toThrow(/expected i\/n/)
    expect(shardFromEnv({})).toBeUndefined()
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '4' })).toEqual({ index: 1, count: 4 })
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '3', JOB_COMPLETIONS: '4' })).toEqual({ index: 4, count: 4 })
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '1' })).toThrow(/JOB_COMPLETIONS/)
  })
})
