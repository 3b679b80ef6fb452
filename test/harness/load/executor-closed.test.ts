// The closed model (constant-vus, ramping-vus) on a virtual clock against a simulated target:
// VUs wait for their responses, follow the ramp, think, stop on Ctrl-C and get their graceful
// stop — every count exact, no real time spent.
import { describe, expect, it } from 'vitest'
import { runClosed } from '../../../harness/load/executor-closed.ts'
import type { ClosedPlan } from '../../../harness/load/plan.ts'
import { LoadRecorder } from '../../../harness/load/recorder.ts'
import { StopSignal } from '../../../harness/load/stop-signal.ts'
import { closedPlan } from './plans.ts'
import { type Answer, drive, SimulatedTarget, VirtualClock } from './virtual-clock.ts'

async function run(plan: ClosedPlan, answer: Answer, setup: (clock: VirtualClock, recorder: LoadRecorder, stop: StopSignal) => void = () => {}) {
  const clock = new VirtualClock()
  const target = new SimulatedTarget(clock, answer)
  const recorder = new LoadRecorder(plan.stages.length)
  const stop = new StopSignal()
  setup(clock, recorder, stop)
  await drive(clock, runClosed(plan, target, recorder, stop, clock.nowMs(), clock))
  return { clock, target, recorder, counts: recorder.counts }
}

const answerAfter =
  (latencyMs: number): Answer =>
  () => ({ latencyMs })

describe('closed model', () => {
  it('constant VUs each wait for their response', async () => {
    // 5 VUs, 30 ms per request, 1 s: each sends at 0, 30, …, 990 ms — 34 requests, the last one
    // answered in its graceful stop.
    const { counts, recorder, target, clock } = await run(closedPlan(5, [[1000, 5]]), answerAfter(30))
    expect(counts.requests).toBe(5 * 34)
    expect(counts.ok).toBe(5 * 34)
    expect(counts.interrupted).toBe(0)
    expect(recorder.vusMax).toBe(5)
    expect(target.peakConcurrency).toBe(5)
    // HDR buckets keep three significant digits.
    expect(Math.abs(recorder.latency.getValueAtPercentile(50) - 30_000)).toBeLessThanOrEqual(30)
    expect(clock.nowMs()).toBe(1020)
  })

  it('think time lowers the rate', async () => {
    const busy = await run(closedPlan(5, [[1000, 5]]), answerAfter(30))
    const thinking = await run(closedPlan(5, [[1000, 5]], { thinkTimeMinNs: 250e6, thinkTimeMaxNs: 350e6 }), answerAfter(30))
    // 30 ms per iteration against 30 + 250–350 ms: 34 requests per VU against 3 or 4.
    expect(busy.counts.requests).toBe(170)
    expect(thinking.counts.requests).toBeGreaterThanOrEqual(5 * 3)
    expect(thinking.counts.requests).toBeLessThanOrEqual(5 * 4)
  })

  it('ramping VUs follow the stages', async () => {
    const seen: Record<number, number> = {}
    const plan = closedPlan(0, [
      [400, 8],
      [400, 8],
      [200, 0],
    ])
    const { recorder, target } = await run(plan, answerAfter(15), (clock, rec) => {
      for (const ms of [105, 205, 405, 605, 905]) clock.at(ms, () => (seen[ms] = rec.vus))
    })
    // The controller matches the ramp every 10 ms: 0→8 over 400 ms, hold, 8→0 over 200 ms.
    expect(seen).toEqual({ 105: 2, 205: 4, 405: 8, 605: 8, 905: 4 })
    expect(recorder.vusMax).toBe(8)
    expect(target.peakConcurrency).toBe(8)
    const [up, hold, down] = recorder.stageCounts
    // The hold stage runs 8 VUs throughout; the ramps average 4.
    expect(hold?.requests ?? 0).toBeGreaterThan(up?.requests ?? 0)
    expect(up?.requests ?? 0).toBeGreaterThan(down?.requests ?? 0)
  })

  it('a VU retired by a ramp-down gets gracefulRampDown for its request, then is interrupted', async () => {
    // Two VUs, then one: the retired VU's 1 s request is cut after 100 ms of grace.
    const plan = closedPlan(
      2,
      [
        [100, 2],
        [0, 1],
        [2000, 1],
      ],
      { gracefulRampDownNs: 100e6 },
    )
    const { counts } = await run(plan, answerAfter(1000))
    expect(counts.interrupted).toBe(1)
    // The other VU finishes its requests at 1000 and 2000 ms (the second in its graceful stop).
    expect(counts.requests).toBe(3)
  })

  it('a stop (Ctrl-C) ends the run at once, interrupting what is in flight', async () => {
    const { counts, clock } = await run(closedPlan(3, [[10_000, 3]]), answerAfter(1e9), (c, _r, stop) => c.at(300, () => stop.stop('interrupted', 'test')))
    expect(clock.nowMs()).toBe(300)
    expect(counts.interrupted).toBe(3)
    expect(counts.failed).toBe(0)
  })

  it('requests still in flight at the end get gracefulStop, then are interrupted', async () => {
    const { counts, clock } = await run(closedPlan(3, [[1000, 3]], { gracefulStopNs: 2e9 }), answerAfter(5000))
    expect(counts.requests).toBe(0)
    expect(counts.interrupted).toBe(3)
    expect(clock.nowMs()).toBe(3000)
  })
})
