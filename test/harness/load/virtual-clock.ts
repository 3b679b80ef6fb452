// A virtual clock for the executors' unit tests, and a simulated target that answers on it:
// test time advances only from one timer to the next, so a 10-minute ramp runs in milliseconds
// and every count is exact.
import type { Clock, TimerHandle } from '../../../harness/load/clock.ts'
import type { LoadTarget, Outcome, RequestDone, RequestHandle } from '../../../harness/load/http-target.ts'

interface Timer {
  readonly atMs: number
  readonly seq: number
  readonly callback: () => void
}

/**
 * VirtualClock fires timers in time order (ties in the order they were set). setImmediate costs
 * `turnMs` of virtual time, as a turn of a real event loop does, so a spinning loop advances.
 */
export class VirtualClock implements Clock {
  #nowMs = 0
  #seq = 0
  readonly #timers = new Map<number, Timer>()

  constructor(readonly turnMs = 0.01) {}

  nowMs(): number {
    return this.#nowMs
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const seq = ++this.#seq
    this.#timers.set(seq, { atMs: this.#nowMs + Math.max(0, delayMs), seq, callback })
    return seq
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as number)
  }

  setImmediate(callback: () => void): void {
    this.setTimeout(callback, this.turnMs)
  }

  /** pending is the number of timers not yet fired. */
  get pending(): number {
    return this.#timers.size
  }

  /** stall moves time on with no timer firing: the event loop was blocked for `ms`. */
  stall(ms: number): void {
    this.#nowMs += ms
  }

  /** fireNext moves time to the earliest timer and fires it; false when none is pending. */
  fireNext(): boolean {
    let next: Timer | undefined
    for (const timer of this.#timers.values()) {
      if (next === undefined || timer.atMs < next.atMs || (timer.atMs === next.atMs && timer.seq < next.seq)) next = timer
    }
    if (next === undefined) return false
    this.#timers.delete(next.seq)
    this.#nowMs = Math.max(this.#nowMs, next.atMs)
    next.callback()
    return true
  }

  /** at calls `callback` when virtual time reaches `ms` (the test's own events: a stall, a Ctrl-C). */
  at(ms: number, callback: () => void): void {
    this.setTimeout(callback, ms - this.#nowMs)
  }
}

/** settle lets every pending promise callback run (a real turn of the event loop, no virtual time). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** drive runs the virtual clock until `work` settles; it fails when nothing is left to fire and the work is still pending. */
export async function drive<T>(clock: VirtualClock, work: Promise<T>): Promise<T> {
  let finished = false
  const watched = work.finally(() => {
    finished = true
  })
  for (let fired = 0; ; fired++) {
    await settle()
    if (finished) return watched
    if (fired > 5_000_000) throw new Error(`still running after ${fired} timers at ${clock.nowMs()} ms`)
    if (!clock.fireNext()) throw new Error(`deadlock at ${clock.nowMs()} ms: no timer pending and the run has not ended`)
  }
}

/** Answer is how the simulated target answers request n (from 0), sent at `sentMs`: after `latencyMs`, with `outcome`. */
export type Answer = (n: number, sentMs: number) => { readonly latencyMs: number; readonly outcome?: Outcome }

/** SimulatedTarget answers requests on a virtual clock and records how many it held at once. */
export class SimulatedTarget implements LoadTarget {
  #count = 0
  #peak = 0
  readonly #inFlight = new Map<number, { timer: TimerHandle; done: RequestDone }>()
  readonly sentAtMs: number[] = []

  constructor(
    readonly clock: VirtualClock,
    readonly answer: Answer,
  ) {}

  request(done: RequestDone): RequestHandle {
    const n = this.#count++
    const sentMs = this.clock.nowMs()
    this.sentAtMs.push(sentMs)
    const { latencyMs, outcome = 'ok' } = this.answer(n, sentMs)
    const timer = this.clock.setTimeout(() => {
      this.#inFlight.delete(n)
      done(outcome, outcome === 'ok' ? 200 : 0, outcome === 'ok' ? 100 : 0, undefined)
    }, latencyMs)
    this.#inFlight.set(n, { timer, done })
    this.#peak = Math.max(this.#peak, this.#inFlight.size)
    return { interrupt: () => this.#interrupt(n) }
  }

  interruptAll(): void {
    for (const n of [...this.#inFlight.keys()]) this.#interrupt(n)
  }

  #interrupt(n: number): void {
    const entry = this.#inFlight.get(n)
    if (entry === undefined) return
    this.#inFlight.delete(n)
    this.clock.clearTimeout(entry.timer)
    entry.done('interrupted', 0, 0, undefined)
  }

  /** requests is how many requests were sent. */
  get requests(): number {
    return this.#count
  }

  /** peakConcurrency is the most requests held at once. */
  get peakConcurrency(): number {
    return this.#peak
  }
}
