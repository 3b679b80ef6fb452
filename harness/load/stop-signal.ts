// StopSignal ends a run early (Ctrl-C, a failed abortOnFail threshold) and records why.
import { type Clock, REAL_CLOCK } from './clock.ts'

/** StopReason says why a run ended before its plan did. */
export type StopReason = 'interrupted' | 'threshold-abort'

/** StopSignal is fired once; executors poll `stopped` in their loops and await `waitFor` at the end. */
export class StopSignal {
  #reason: StopReason | undefined
  #detail: string | undefined
  readonly #listeners: Array<() => void> = []

  /** stopped is true once stop was called. */
  get stopped(): boolean {
    return this.#reason !== undefined
  }

  /** reason is why the run stopped early, if it did. */
  get reason(): StopReason | undefined {
    return this.#reason
  }

  /** detail is the human-readable cause (the signal, the failed threshold). */
  get detail(): string | undefined {
    return this.#detail
  }

  /** stop fires the signal; later calls are ignored, so the first cause is kept. */
  stop(reason: StopReason, detail: string): void {
    if (this.#reason !== undefined) return
    this.#reason = reason
    this.#detail = detail
    for (const listener of this.#listeners.splice(0)) listener()
  }

  /** onStop calls `listener` when the signal fires (at once if it already has). */
  onStop(listener: () => void): void {
    if (this.stopped) listener()
    else this.#listeners.push(listener)
  }

  /** waitFor resolves when `work` settles, `timeoutMs` passes on `clock` or the signal fires, whichever is first. */
  waitFor(work: Promise<unknown>, timeoutMs: number, clock: Clock = REAL_CLOCK): Promise<void> {
    return new Promise((resolve) => {
      const timer = clock.setTimeout(resolve, timeoutMs)
      const done = (): void => {
        clock.clearTimeout(timer)
        resolve()
      }
      work.then(done, done)
      this.onStop(done)
    })
  }
}
