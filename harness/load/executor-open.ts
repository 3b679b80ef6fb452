// The open model (k6's constant-arrival-rate and ramping-arrival-rate): requests are due on a
// fixed schedule whatever the target's latency, and each latency is measured from the time the
// request was *due*, not the time it went out — wrk2's correction for coordinated omission
// (giltene/wrk2 README). If the generator or the target falls behind, the delay shows up in
// the latency instead of vanishing. An arrival that finds all maxVUs slots busy is dropped and
// counted, as k6 does, so memory never grows with a backlog.
import { ArrivalSchedule } from './arrivals.ts'
import type { Clock, TimerHandle } from './clock.ts'
import type { LoadTarget, Outcome } from './http-target.ts'
import { type OpenPlan, stageIndexAt } from './plan.ts'
import type { LoadRecorder } from './recorder.ts'
import type { Shard } from './shard.ts'
import type { StopSignal } from './stop-signal.ts'

/**
 * SPIN_THRESHOLD_MS: when the next arrival is closer than this, yield with setImmediate rather
 * than a timer, since Node timers fire no sooner than 1 ms.
 */
const SPIN_THRESHOLD_MS = 1

/** runOpen runs an open-model plan against `target` on `clock`, from `startMs` until it ends or `stop` fires. */
export async function runOpen(
  plan: OpenPlan,
  shard: Shard,
  target: LoadTarget,
  recorder: LoadRecorder,
  stop: StopSignal,
  startMs: number,
  clock: Clock,
): Promise<void> {
  const schedule = new ArrivalSchedule(plan, shard)
  let busy = 0
  let drained: (() => void) | undefined

  const launch = (dueMs: number, stage: number): void => {
    busy++
    recorder.setVUs(busy)
    const sentMs = clock.nowMs()
    target.request((outcome: Outcome, _status, bodyBytes, message) => {
      recorder.record(outcome, stage, dueMs, sentMs, clock.nowMs(), bodyBytes, message)
      busy--
      if (busy === 0) drained?.()
    })
  }

  await new Promise<void>((resolve) => {
    let nextNs = schedule.next()
    let timer: TimerHandle | undefined
    const pump = (): void => {
      timer = undefined
      if (stop.stopped) {
        resolve()
        return
      }
      const nowMs = clock.nowMs()
      while (nextNs !== undefined && startMs + nextNs / 1e6 <= nowMs) {
        const stage = stageIndexAt(plan, nextNs)
        if (busy < plan.maxVUs) launch(startMs + nextNs / 1e6, stage)
        else recorder.recordDropped(stage)
        nextNs = schedule.next()
      }
      recorder.setVUs(busy)
      if (nextNs === undefined) {
        resolve()
        return
      }
      const waitMs = startMs + nextNs / 1e6 - clock.nowMs()
      if (waitMs < SPIN_THRESHOLD_MS) clock.setImmediate(pump)
      else timer = clock.setTimeout(pump, Math.floor(waitMs))
    }
    stop.onStop(() => {
      if (timer !== undefined) clock.clearTimeout(timer)
      resolve()
    })
    pump()
  })

  if (stop.stopped) target.interruptAll()
  if (busy > 0) {
    await stop.waitFor(
      new Promise<void>((resolve) => {
        drained = resolve
      }),
      plan.gracefulStopNs / 1e6,
      clock,
    )
    target.interruptAll()
  }
  recorder.setVUs(0)
}
