// The closed model (k6's constant-vus and ramping-vus): each VU sends a request, waits for its
// response, thinks, and repeats. A controller adds or retires VUs to follow the stages.
// Latency here is measured from the VU's own send, so a slow target is sampled less — the
// coordinated omission k6's docs warn about; the open model is the cure (executor-open.ts).
import type { ClosedPlan } from './plan.ts'
import { planDurationNs, stageIndexAt, targetAt } from './plan.ts'
import type { HttpTarget, Outcome, RequestHandle } from './http-target.ts'
import type { LoadRecorder } from './recorder.ts'
import type { StopSignal } from './stop-signal.ts'
import { mulberry32 } from '../../common/prng.ts'

/** CONTROL_TICK_MS is how often the VU count is matched to the ramp (k6 ramps in similarly fine steps). */
const CONTROL_TICK_MS = 10

class VirtualUser {
  retiring = false
  inFlight: RequestHandle | undefined
  #wake: (() => void) | undefined
  #timer: NodeJS.Timeout | undefined
  readonly random: () => number

  constructor(readonly id: number) {
    this.random = mulberry32(id + 1) // deterministic, so think times repeat run to run
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve
      this.#timer = setTimeout(resolve, ms)
    })
  }

  /** retire stops the VU after its current request; it wakes a VU that is thinking. */
  retire(): void {
    this.retiring = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#wake?.()
  }
}

/** runClosed runs a closed-model plan against `target` until it ends or `stop` fires. */
export async function runClosed(plan: ClosedPlan, target: HttpTarget, recorder: LoadRecorder, stop: StopSignal, startMs: number): Promise<void> {
  const endMs = startMs + planDurationNs(plan) / 1e6
  const active: VirtualUser[] = []
  const loops = new Set<Promise<void>>()
  let nextId = 0
  const thinkSpanNs = plan.thinkTimeMaxNs - plan.thinkTimeMinNs

  const iterate = async (vu: VirtualUser): Promise<void> => {
    while (!vu.retiring && !stop.stopped) {
      const sentMs = performance.now()
      const stage = stageIndexAt(plan, (sentMs - startMs) * 1e6)
      await new Promise<void>((resolve) => {
        vu.inFlight = target.request((outcome: Outcome, _status, bodyBytes, message) => {
          recorder.record(outcome, stage, sentMs, sentMs, performance.now(), bodyBytes, message)
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
    const vu = new VirtualUser(nextId++)
    active.push(vu)
    const loop = iterate(vu).finally(() => loops.delete(loop))
    loops.add(loop)
  }

  const retire = (vu: VirtualUser, graceMs: number): void => {
    vu.retire()
    if (vu.inFlight !== undefined && graceMs < Number.POSITIVE_INFINITY) {
      const handle = vu.inFlight
      setTimeout(() => handle.interrupt(), graceMs).unref()
    }
  }

  await new Promise<void>((resolve) => {
    const control = (): void => {
      const nowMs = performance.now()
      if (stop.stopped || nowMs >= endMs) {
        clearInterval(timer)
        resolve()
        return
      }
      const wanted = Math.round(targetAt(plan, (nowMs - startMs) * 1e6))
      while (active.length < wanted) start()
      while (active.length > wanted) retire(active.pop() as VirtualUser, plan.gracefulRampDownNs / 1e6)
      recorder.setVUs(active.length)
    }
    const timer = setInterval(control, CONTROL_TICK_MS)
    stop.onStop(() => control())
    control()
  })

  // The scenario is over: no VU starts another iteration; in-flight ones get gracefulStop.
  for (const vu of active.splice(0)) vu.retire()
  if (stop.stopped) target.interruptAll()
  await stop.waitFor(Promise.all(loops), plan.gracefulStopNs / 1e6)
  target.interruptAll()
  await Promise.all(loops)
  recorder.setVUs(0)
}
