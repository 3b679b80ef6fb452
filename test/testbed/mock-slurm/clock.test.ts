// The model clock turns wall time into state-change events at the configured rate.
import { describe, expect, it } from 'vitest'
import { ModelClock } from '../../../testbed/mock-slurm/clock.ts'
import type { Evolver } from '../../../testbed/mock-slurm/cluster/evolve.ts'

function recorder(): { evolver: Evolver; calls: Array<[number, number]> } {
  const calls: Array<[number, number]> = []
  return { calls, evolver: { advance: (nowSec: number, events: number) => calls.push([nowSec, events]) } as unknown as Evolver }
}

describe('ModelClock', () => {
  it('applies rate × elapsed events, counting those already applied', () => {
    const { evolver, calls } = recorder()
    let nowMs = 10_000
    const clock = new ModelClock(evolver, { startMs: 10_000, epochSec: 1_000, changeRatePerSec: 2, frozen: false, nowMs: () => nowMs })
    nowMs = 12_500
    clock.catchUp()
    nowMs = 13_000
    clock.catchUp()
    clock.catchUp()
    expect(calls).toEqual([
      [1_002.5, 5],
      [1_003, 1],
      [1_003, 0],
    ])
  })

  it('does nothing when frozen', () => {
    const { evolver, calls } = recorder()
    const clock = new ModelClock(evolver, { startMs: 0, epochSec: 0, changeRatePerSec: 2, frozen: true, nowMs: () => 60_000 })
    clock.catchUp()
    expect(calls).toEqual([])
  })

  it('applies at most 10,000 events per catch-up and keeps no more than 10,000 behind after a long idle time', () => {
    const { evolver, calls } = recorder()
    let nowMs = 0
    const clock = new ModelClock(evolver, { startMs: 0, epochSec: 0, changeRatePerSec: 2, frozen: false, nowMs: () => nowMs })
    nowMs = 86_400_000
    clock.catchUp()
    nowMs += 1_000
    clock.catchUp()
    nowMs += 1_000
    clock.catchUp()
    // 172,800 were due after a day; 152,800 of them are dropped, the last 10,000 replayed next.
    expect(calls.map(([, events]) => events)).toEqual([10_000, 10_000, 4])
  })
})
