// The time source and timers the executors run on. Real runs use the process clock; unit tests
// inject a virtual clock, so that ramps, think times, arrival schedules, stalls and graceful
// stops are exercised exactly, in milliseconds of test time instead of seconds of real time.

/** TimerHandle identifies a pending timer of a Clock. */
export type TimerHandle = unknown

/** Clock is a monotonic time in milliseconds and the timers that fire on it. */
export interface Clock {
  /** nowMs is the current time in milliseconds; only differences mean something. */
  nowMs(): number
  /** setTimeout calls `callback` once, `delayMs` from now. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle
  /** clearTimeout cancels a pending timer; a fired or cleared one is ignored. */
  clearTimeout(handle: TimerHandle): void
  /** setImmediate calls `callback` on the next turn of the event loop, after pending I/O. */
  setImmediate(callback: () => void): void
}

/** REAL_CLOCK is performance.now and Node's timers. */
export const REAL_CLOCK: Clock = {
  nowMs: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setImmediate: (callback) => {
    setImmediate(callback)
  },
}
