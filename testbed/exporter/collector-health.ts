// What the exporter remembers about each collector between runs: whether its last run succeeded,
// why it failed, and how long to leave slurmrestd alone before the next attempt. Pure apart from
// the clock and the random source, which tests replace.

import type { CollectorName } from './collector.ts'
import { SlurmRequestError } from './slurm-client.ts'

/** BACKOFF_BASE_MS is the pause after a collector's first failure; each further failure doubles it. */
export const BACKOFF_BASE_MS = 1_000
/**
 * BACKOFF_MAX_MS caps the pause: a failing slurmrestd (slurmctld down answers 502 after ~9 s) is
 * asked at most about once a minute per collector, instead of once per refresh interval (1 s),
 * and a recovery is seen within a minute.
 */
export const BACKOFF_MAX_MS = 60_000

/** CollectorFailureChange is a collector's move into failure, or to a different failure. */
export interface CollectorFailureChange {
  readonly collector: CollectorName
  readonly error: Error
  /** Failures counts the consecutive failed runs, this one included. */
  readonly failures: number
  /** BackoffMs is the pause before the collector's next attempt. */
  readonly backoffMs: number
}

/** CollectorRecovery is a collector's first success after failing. */
export interface CollectorRecovery {
  readonly collector: CollectorName
  /** Failures counts the failed runs before this success. */
  readonly failures: number
  /** FailingMs is the time from the first of them to this success. */
  readonly failingMs: number
}

/** NotReadyCollector is an enabled collector whose last run failed or that has not succeeded yet. */
export interface NotReadyCollector {
  readonly collector: CollectorName
  /** Reason is why its last run failed, or that none has succeeded yet. */
  readonly reason: string
}

interface State {
  succeeded: boolean
  everSucceeded: boolean
  /** lastError is the last run's failure, undefined after a success. */
  lastError: Error | undefined
  failures: number
  firstFailureAtMs: number
  nextAttemptAtMs: number
}

/** failureReason is the error without the request path: what readiness reports. */
export function failureReason(error: Error): string {
  return error instanceof SlurmRequestError ? error.reason : error.message
}

/** DeadlineError ends a collection that ran past its scrape or background deadline. */
export class DeadlineError extends Error {
  override name = 'DeadlineError'
}

/**
 * sameFailureKey is what two failures must share to be the same failure. Every timeout is one
 * failure: a hung slurmrestd ends one run by the request timeout and the next by the scrape
 * deadline, depending on how late the timers fire, and that is no news worth a second log line.
 */
export function sameFailureKey(error: Error): string {
  const timeout = error instanceof DeadlineError || (error instanceof SlurmRequestError && error.kind === 'timeout')
  return timeout ? 'timeout' : failureReason(error)
}

/** CollectorHealth tracks every enabled collector's outcomes, backoff and readiness. */
export class CollectorHealth {
  private readonly states = new Map<CollectorName, State>()

  constructor(
    collectors: readonly CollectorName[],
    private readonly nowMs: () => number = () => performance.now(),
    private readonly random: () => number = Math.random,
  ) {
    for (const name of collectors) {
      this.states.set(name, {
        succeeded: false,
        everSucceeded: false,
        lastError: undefined,
        failures: 0,
        firstFailureAtMs: 0,
        nextAttemptAtMs: 0,
      })
    }
  }

  /** due reports whether the collector may ask slurmrestd now (false while it backs off). */
  due(collector: CollectorName): boolean {
    const state = this.states.get(collector)
    return state === undefined || this.nowMs() >= state.nextAttemptAtMs
  }

  /** succeeded records a successful run; it returns the recovery when the collector was failing. */
  succeeded(collector: CollectorName): CollectorRecovery | undefined {
    const state = this.states.get(collector)
    if (state === undefined) return undefined
    const recovery = state.failures > 0 ? { collector, failures: state.failures, failingMs: this.nowMs() - state.firstFailureAtMs } : undefined
    state.succeeded = true
    state.everSucceeded = true
    state.lastError = undefined
    state.failures = 0
    state.nextAttemptAtMs = 0
    return recovery
  }

  /**
   * failed records a failed run. With `backoff`, the next attempt waits BACKOFF_BASE_MS doubled per
   * consecutive failure, capped at BACKOFF_MAX_MS, times a random 0.5–1 (so collectors and
   * replicas do not retry in lockstep). It returns the change when the collector was not failing,
   * or failed for another reason: one log line per change, not one per run.
   */
  failed(collector: CollectorName, error: Error, backoff = true): CollectorFailureChange | undefined {
    const state = this.states.get(collector)
    if (state === undefined) return undefined
    const nowMs = this.nowMs()
    const changed = state.succeeded || state.lastError === undefined || sameFailureKey(state.lastError) !== sameFailureKey(error)
    if (state.failures === 0) state.firstFailureAtMs = nowMs
    state.failures++
    state.succeeded = false
    state.lastError = error
    const backoffMs = backoff ? Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (state.failures - 1)) * (0.5 + this.random() / 2) : 0
    state.nextAttemptAtMs = nowMs + backoffMs
    return changed ? { collector, error, failures: state.failures, backoffMs } : undefined
  }

  /** retryNow ends every collector's backoff: something changed (new credentials) that may make the next attempt succeed. */
  retryNow(): void {
    for (const state of this.states.values()) state.nextAttemptAtMs = 0
  }

  /** notReady lists the collectors whose last run failed or that have not succeeded yet. */
  notReady(): NotReadyCollector[] {
    const list: NotReadyCollector[] = []
    for (const [collector, state] of this.states) {
      if (state.succeeded) continue
      list.push({
        collector,
        reason: state.lastError !== undefined ? failureReason(state.lastError) : state.everSucceeded ? 'failed' : 'no collection has succeeded yet',
      })
    }
    return list
  }

  /** ran reports whether any collector has finished a run, successful or not. */
  ran(): boolean {
    for (const state of this.states.values()) if (state.succeeded || state.failures > 0) return true
    return false
  }
}
