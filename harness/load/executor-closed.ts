// The closed model (k6's constant-vus and ramping-vus): each VU sends a request, waits for its
// response, thinks, and repeats. A controller adds or retires VUs to follow the stages.
// Latency here is measured from the VU's own send, so a slow target is sampled less — the
// coordinated omission k6's docs warn about; the open model is the cure (executor-open.ts).
import { mulberry32 } from '../../common/prng.ts'
import type { Clock, TimerHandle } from './clock.ts'
import type { LoadTarget, Outcome, RequestHandle } from './http-target.ts'
import type { ClosedPlan } from './plan.ts'
import { planDurationNs, stageIndexAt, targetAt } from './plan.ts'
import type { LoadRecorder } from './recorder.ts'
import type { StopSignal } from './stop-signal.ts'

/** CONTROL_TICK_MS is how often the VU count is matched to the ramp (k6 ramps in similarly fine steps). */
export const CONTROL_TICK_MS = 10

class VirtualUser {
  retiring = false
  inFlight: RequestHandle | undefined
  #wake: (() => void) | undefined
  #timer: TimerHandle | undefined
  readonly random: () => number

  constructor(
    readonly id: number,
    readonly clock: Clock,
  ) {
    this.random = mulberry32(id + 1) // deterministic, so think times repeat run to run
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve
      this.#timer = this.clock.setTimeout(resolve, ms)
    })
  }

  /** retire stops the VU after its current request; it wakes a VU that is thinking. */
  retire(): void {
    this.retiring = true
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer)
    this.#wake?.()
  }
}

/** runClosed runs a closed-model plan against `target` on `clock`, from `startMs` until it ends or `stop` fires. */
export async function runClosed(plan: ClosedPlan, target: LoadTarget, recorder: LoadRecorder, stop: StopSignal, startMs: number, clock: Clock): Promise<void> {
  const endMs = startMs + planDurationNs(plan) / 1e6
  const active: VirtualUser[] = []
  const loops = new Set<Promise<void>>()
  // Ramp-down grace timers, cleared at the end so that none outlives the run.
  const graceTimers = new Set<TimerHandle>()
  let nextId = 0
  const thinkSpanNs = plan.thinkTimeMaxNs - plan.thinkTimeMinNs

  const iterate = async (vu: VirtualUser): Promise<void> => {
    while (!vu.retiring && !stop.stopped) {
      const sentMs = clock.nowMs()
      const stage = stageIndexAt(plan, (sentMs - startMs) * 1e6)
      await new Promise<void>((resolve) => {
        vu.inFlight = target.request((outcome: Outcome, _status, bodyBytes, message) => {
          recorder.record(outcome, stage, sentMs, sentMs, clock.nowMs(), bodyBytes, message)
          resolve()
        })
      })
      vu.inFlight = undefined
      if (plan.thinkTimeMaxNs > 0 && !vu.retiring && !stop.stopped) {
        await vu.sleep((plan.thinkTimeMinNs + thinkSpanNs * vu.random()) / 1e6)
      }
    }
  }

  const start = (): void => {
    const vu = new VirtualUser(nextId++, clock)
    active.push(vu)
    const loop = iterate(vu).finally(() => loops.delete(loop))
    loops.add(loop)
  }

  const retire = (vu: VirtualUser, graceMs: number): void => {
    vu.retire()
    if (vu.inFlight !== undefined && graceMs < Number.POSITIVE_INFINITY) {
      const handle = vu.inFlight
      const timer = clock.setTimeout(() => {
        graceTimers.delete(timer)
        handle.interrupt()
      }, graceMs)
      graceTimers.add(timer)
    }
  }

  await new Promise<void>((resolve) => {
    let timer: TimerHandle | undefined
    let ended = false
    const control = (): void => {
      if (ended) return
      if (timer !== undefined) clock.clearTimeout(timer)
      timer = undefined
      const nowMs = clock.nowMs()
      if (stop.stopped || nowMs >= endMs) {
        ended = true
        resolve()
        return
      }
      const wanted = Math.round(targetAt(plan, (nowMs - startMs) * 1e6))
      while (active.length < wanted) start()
      while (active.length > wanted) retire(active.pop() as VirtualUser, plan.gracefulRampDownNs / 1e6)
      recorder.setVUs(active.length)
      timer = clock.setTimeout(control, CONTROL_TICK_MS)
    }
    stop.onStop(() => control())
    control()
  })

  // The scenario is over: no VU starts another iteration; in-flight ones get gracefulStop.
  for (const vu of active.splice(0)) vu.retire()
  if (stop.stopped) target.interruptAll()
  await stop.waitFor(Promise.all(loops), plan.gracefulStopNs / 1e6, clock)
  target.interruptAll()
  await Promise.all(loops)
  for (const timer of graceTimers) clock.clearTimeout(timer)
  recorder.setVUs(0)
}
