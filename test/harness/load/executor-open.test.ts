// The open model (constant-arrival-rate, ramping-arrival-rate) on a virtual clock against a
// simulated target: arrivals go out on schedule whatever the latency, busy slots drop arrivals,
// and a stall of the target or of the generator shows up in the latency (coordinated omission).
import { describe, expect, it } from 'vitest'
import { expectedArrivals } from '../../../harness/load/arrivals.ts'
import { runClosed } from '../../../harness/load/executor-closed.ts'
import { runOpen } from '../../../harness/load/executor-open.ts'
import type { LatencyHistogram } from '../../../harness/load/histogram.ts'
import type { ClosedPlan, OpenPlan } from '../../../harness/load/plan.ts'
import { LoadRecorder } from '../../../harness/load/recorder.ts'
import { StopSignal } from '../../../harness/load/stop-signal.ts'
import { closedPlan, openPlan } from './plans.ts'
import { type Answer, drive, SimulatedTarget, VirtualClock } from './virtual-clock.ts'

type Setup = (clock: VirtualClock, stop: StopSignal) => void

async function run(plan: OpenPlan | ClosedPlan, answer: Answer, setup: Setup = () => {}) {
  const clock = new VirtualClock()
  const target = new SimulatedTarget(clock, answer)
  const recorder = new LoadRecorder(plan.stages.length)
  const stop = new StopSignal()
  setup(clock, stop)
  const work =
    plan.model === 'open'
      ? runOpen(plan, { index: 1, count: 1 }, target, recorder, stop, clock.nowMs(), clock)
      : runClosed(plan, target, recorder, stop, clock.nowMs(), clock)
  await drive(clock, work)
  return { clock, target, recorder, counts: recorder.counts }
}

const answerAfter =
  (latencyMs: number): Answer =>
  () => ({ latencyMs })

/** countAbove counts recorded latencies above `ms`. */
function countAbove(histogram: LatencyHistogram, ms: number): number {
  let above = 0
  for (let i = 0; i < histogram.totalCount; i++) {
    if (histogram.getValueAtPercentile(((i + 0.5) / histogram.totalCount) * 100) > ms * 1e3) above++
  }
  return above
}

describe('open model', () => {
  it('sends every scheduled arrival on time whatever the latency', async () => {
    const plan = openPlan(100, [[1000, 100]])
    const { counts, target } = await run(plan, answerAfter(50))
    expect(counts.requests).toBe(expectedArrivals(plan))
    expect(counts.dropped).toBe(0)
    expect(counts.lateStarts).toBe(0)
    // One every 10 ms, each within a turn of the event loop of its due time.
    for (const [k, sentMs] of target.sentAtMs.entries()) expect(Math.abs(sentMs - 10 * k)).toBeLessThan(0.1)
    // About rate × latency in flight (Little's law), not a fixed number of users.
    expect(target.peakConcurrency).toBeGreaterThanOrEqual(5)
    expect(target.peakConcurrency).toBeLessThanOrEqual(6)
  })

  it('a ramping rate spreads its arrivals over the ramp', async () => {
    // 0 → 100/s over 1 s: 50 arrivals, the k-th due at sqrt(k/50) s.
    const plan = openPlan(0, [[1000, 100]])
    const { target } = await run(plan, answerAfter(5))
    expect(target.requests).toBe(50)
    for (const [k, sentMs] of target.sentAtMs.entries()) expect(Math.abs(sentMs - 1000 * Math.sqrt(k / 50))).toBeLessThan(0.1)
  })

  it('drops arrivals that find every slot busy, as k6 does', async () => {
    const plan = openPlan(200, [[500, 200]], { preAllocatedVUs: 5, maxVUs: 5 })
    const { counts, recorder, target } = await run(plan, answerAfter(200))
    expect(counts.requests + counts.dropped + counts.interrupted).toBe(expectedArrivals(plan))
    expect(counts.dropped).toBeGreaterThan(50)
    expect(recorder.vusMax).toBe(5)
    expect(target.peakConcurrency).toBe(5)
  })

  it('a stop (Ctrl-C) ends the run at once, interrupting what is in flight', async () => {
    const { counts, clock } = await run(openPlan(100, [[10_000, 100]]), answerAfter(1e9), (c, stop) => c.at(295, () => stop.stop('interrupted', 'test')))
    expect(clock.nowMs()).toBe(295)
    expect(counts.interrupted).toBe(30)
    expect(counts.requests).toBe(0)
  })
})

describe('coordinated omission', () => {
  // The target holds every request that arrives between 300 and 1300 ms and answers them all
  // at 1300 ms: a 1 s stall, like a long GC pause. Otherwise it answers in 1 ms.
  const stalling: Answer = (_n, sentMs) => ({ latencyMs: sentMs >= 300 && sentMs < 1300 ? 1300 - sentMs : 1 })

  it("a stall shows up in the open model's latency; the closed model hides it", async () => {
    const open = await run(openPlan(100, [[1800, 100]]), stalling)
    const closed = await run(closedPlan(1, [[1800, 1]]), stalling)
    // Open: the 100 requests due during the stall wait for its end; the 51 due by 800 ms, 500 ms or more.
    expect(countAbove(open.recorder.latency, 500)).toBe(51)
    expect(open.recorder.latency.getValueAtPercentile(75)).toBeGreaterThan(300e3)
    // Closed: the lone VU is stuck in one request, so one sample sees the stall among ~800 fast ones.
    expect(countAbove(closed.recorder.latency, 500)).toBe(1)
    expect(closed.recorder.latency.getValueAtPercentile(75)).toBeLessThan(2e3)
  })

  it('open-model latency counts from the due time when the generator falls behind', async () => {
    // The generator's event loop is blocked from 200 to 700 ms: 50 requests fall due and go out late.
    const { counts, recorder } = await run(openPlan(100, [[1000, 100]]), answerAfter(1), (clock) => clock.at(200.5, () => clock.stall(500)))
    expect(counts.requests).toBe(100)
    expect(counts.lateStarts).toBe(49)
    // Response time (from due) sees the 500 ms; service time (from the late send) does not.
    // (The one request in flight when the loop blocked is read late too: service time sees that one.)
    expect(recorder.latency.maxValue).toBeGreaterThan(490e3)
    expect(countAbove(recorder.service, 250)).toBe(1)
    // Due at 210–450 ms, 25 went out over 250 ms late; with the one in flight, 26 read over 250 ms.
    expect(countAbove(recorder.latency, 250)).toBe(26)
  })
})
