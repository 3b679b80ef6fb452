// The model clock: wall time since start, turned into state-change events at a fixed rate.
import type { Evolver } from './cluster/evolve.ts'

// A request that has waited this long for catch-up events applies no more: a server idle for a
// day must not stall its next request replaying 170,000 changes.
const MAX_CATCHUP_EVENTS = 10_000

/** ModelClockOptions are the clock's inputs; `nowMs` is injected so tests need no real time. */
export interface ModelClockOptions {
  /** startMs is the wall time (ms) at which the model's time is epochSec. */
  startMs: number
  epochSec: number
  changeRatePerSec: number
  /** frozen keeps model time at epochSec: catchUp then does nothing. */
  frozen: boolean
  nowMs?: () => number
}

/** ModelClock applies the events due by now before each answer, so the cluster moves with time. */
export class ModelClock {
  private eventsApplied = 0
  private readonly nowMs: () => number

  constructor(
    private readonly evolver: Evolver,
    private readonly options: ModelClockOptions,
  ) {
    this.nowMs = options.nowMs ?? Date.now
  }

  /** catchUp advances the model to the current wall time, applying at most MAX_CATCHUP_EVENTS events. */
  catchUp(): void {
    const o = this.options
    if (o.frozen) return
    const elapsedSec = (this.nowMs() - o.startMs) / 1000
    const target = Math.floor(elapsedSec * o.changeRatePerSec)
    const due = Math.max(0, Math.min(target - this.eventsApplied, MAX_CATCHUP_EVENTS))
    this.evolver.advance(o.epochSec + elapsedSec, due)
    this.eventsApplied = Math.max(this.eventsApplied + due, target - MAX_CATCHUP_EVENTS)
  }
}
