// The HTTP side of the load generator: one undici Pool with keep-alive connections, requests
// sent through `dispatch` with a bare handler. The research note measured undici's Pool at
// ~1.6× a keep-alive http.Agent and ~4.5× global fetch on this kind of machine; `dispatch`
// skips the Readable stream `pool.request` builds for every body. Every failure of the target
// comes back as an outcome, never as an exception, so a failing target cannot crash the run.
import { Pool } from 'undici'
import type { Dispatcher } from 'undici'

/** ErrorKind classifies a failed request. */
export type ErrorKind = 'connect' | 'reset' | 'timeout' | 'http-4xx' | 'http-5xx' | 'other'

/** ERROR_KINDS lists every ErrorKind in the order summaries print them. */
export const ERROR_KINDS: readonly ErrorKind[] = ['connect', 'reset', 'timeout', 'http-5xx', 'http-4xx', 'other']

/** Outcome is how one request ended: ok, failed (with its kind), or interrupted by the stop of the run. */
export type Outcome = 'ok' | ErrorKind | 'interrupted'

/** RequestDone receives a request's outcome, status (0 without a response), body bytes and a message for `other` errors. */
export type RequestDone = (outcome: Outcome, status: number, bodyBytes: number, message: string | undefined) => void

/** HttpTargetOptions configures the pool and the requests. */
export interface HttpTargetOptions {
  /** Keep-alive connections; give it the most requests that can be in flight (VUs). */
  readonly connections: number
  /** Whole-request timeout, headers and body together (so a slow body times out too). */
  readonly timeoutMs: number
  readonly method: 'GET' | 'HEAD'
  readonly headers: Readonly<Record<string, string>>
}

/** MIN_TIMEOUT_SWEEP_MS bounds how often overdue requests are looked for. */
const MIN_TIMEOUT_SWEEP_MS = 5
/** MAX_TIMEOUT_SWEEP_MS bounds how late a timeout may be noticed (timeouts are accurate to this). */
const MAX_TIMEOUT_SWEEP_MS = 100
/** CONNECT_TIMEOUT_CAP_MS caps the TCP connect timeout below long request timeouts. */
const CONNECT_TIMEOUT_CAP_MS = 10_000

const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'])

/** classifyError maps a network error to its kind. */
export function classifyError(err: unknown): ErrorKind {
  const code = (err as { code?: unknown }).code
  const causeCode = (err as { cause?: { code?: unknown } }).cause?.code
  for (const c of [code, causeCode]) {
    if (typeof c !== 'string') continue
    if (CONNECT_CODES.has(c)) return 'connect'
    if (RESET_CODES.has(c)) return 'reset'
    if (TIMEOUT_CODES.has(c)) return 'timeout'
  }
  return 'other'
}

/** statusOutcome is k6's default expected-status rule: 200–399 is ok. */
export function statusOutcome(status: number): Outcome {
  if (status >= 200 && status < 400) return 'ok'
  if (status >= 500) return 'http-5xx'
  return 'http-4xx'
}

class TimeoutAbort extends Error {
  override readonly name = 'TimeoutAbort'
}

/** RequestHandle lets the sender end one request early. */
export interface RequestHandle {
  /** interrupt ends the request now as `interrupted` (a VU removed by a ramp-down ran out of grace). */
  interrupt(): void
}

/** LoadTarget is what the executors send requests to: HttpTarget, or a simulated target in tests. */
export interface LoadTarget {
  /** request sends one request; `done` is called exactly once with its outcome. */
  request(done: RequestDone): RequestHandle
  /** interruptAll ends every request in flight as `interrupted` (the run is stopping). */
  interruptAll(): void
}

/**
 * InFlight is the state of one request; it is its own undici handler. It implements undici's
 * original handler interface (onConnect … onComplete), which Client speaks natively: a handler
 * with the newer onRequestStart/onResponseStart methods is wrapped per request in an
 * UnwrapHandler that also parses the raw headers into an object (undici 7,
 * lib/handler/unwrap-handler.js) — allocation the generator does not need.
 */
class InFlight implements Dispatcher.DispatchHandler, RequestHandle {
  status = 0
  bodyBytes = 0
  finished = false
  abort: ((reason?: Error) => void) | undefined
  /** Set when the request was ended (timeout, interruption) before undici started it. */
  pendingAbort: Error | undefined

  constructor(
    readonly owner: HttpTarget,
    readonly deadlineMs: number,
    readonly done: RequestDone,
  ) {}

  onConnect(abort: (reason?: Error) => void): void {
    this.abort = abort
    if (this.pendingAbort !== undefined) abort(this.pendingAbort)
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode
    return true
  }

  onData(chunk: Buffer): boolean {
    this.bodyBytes += chunk.length
    return true
  }

  onComplete(): void {
    this.owner.settle(this, statusOutcome(this.status), undefined)
  }

  onError(error: Error): void {
    this.owner.settle(this, classifyError(error), error.message)
  }

  interrupt(): void {
    this.end('interrupted', new TimeoutAbort('interrupted by the end of a ramp-down'))
  }

  /** end reports `outcome` now and aborts the request in undici. */
  end(outcome: Outcome, reason: Error): void {
    if (this.finished) return
    this.owner.settle(this, outcome, undefined)
    if (this.abort !== undefined) this.abort(reason)
    else this.pendingAbort = reason
  }
}

/** HttpTarget sends requests to one URL and reports each outcome through a callback. */
export class HttpTarget implements LoadTarget {
  readonly url: URL
  readonly #pool: Pool
  readonly #options: HttpTargetOptions
  readonly #dispatch: Dispatcher.DispatchOptions
  readonly #inFlight = new Set<InFlight>()
  readonly #sweep: NodeJS.Timeout

  constructor(url: URL, options: HttpTargetOptions) {
    this.url = url
    this.#options = options
    // undici's own phase timeouts are a backstop a little above ours.
    const backstopMs = options.timeoutMs + 1_000
    this.#pool = new Pool(url.origin, {
      connections: options.connections,
      pipelining: 1,
      connectTimeout: Math.min(options.timeoutMs, CONNECT_TIMEOUT_CAP_MS),
      headersTimeout: backstopMs,
      bodyTimeout: backstopMs,
    })
    this.#dispatch = {
      path: `${url.pathname}${url.search}`,
      method: options.method,
      headers: { ...options.headers },
      // HEAD/GET are idempotent; never let undici hold a request back for pipelining.
      blocking: true,
    }
    const sweepMs = Math.min(MAX_TIMEOUT_SWEEP_MS, Math.max(MIN_TIMEOUT_SWEEP_MS, options.timeoutMs / 10))
    this.#sweep = setInterval(() => this.#expire(performance.now()), sweepMs)
  }

  /** inFlight is the number of requests sent and not yet ended. */
  get inFlight(): number {
    return this.#inFlight.size
  }

  /** request sends one request; `done` is called exactly once. */
  request(done: RequestDone): RequestHandle {
    const flight = new InFlight(this, performance.now() + this.#options.timeoutMs, done)
    this.#inFlight.add(flight)
    try {
      this.#pool.dispatch(this.#dispatch, flight)
    } catch (err) {
      this.settle(flight, classifyError(err), (err as Error).message)
    }
    return flight
  }

  /** settle reports a request's outcome once; later reports for it are ignored. */
  settle(flight: InFlight, outcome: Outcome, message: string | undefined): void {
    if (flight.finished) return
    flight.finished = true
    this.#inFlight.delete(flight)
    flight.done(outcome, flight.status, flight.bodyBytes, message)
  }

  #expire(nowMs: number): void {
    for (const flight of this.#inFlight) {
      if (flight.deadlineMs <= nowMs) flight.end('timeout', new TimeoutAbort(`request exceeded ${this.#options.timeoutMs} ms`))
    }
  }

  /** interruptAll ends every request in flight as `interrupted` (the run is stopping). */
  interruptAll(): void {
    for (const flight of [...this.#inFlight]) flight.end('interrupted', new TimeoutAbort('load test stopped'))
  }

  /** close interrupts what is in flight and closes the connections. */
  async close(): Promise<void> {
    clearInterval(this.#sweep)
    this.interruptAll()
    await this.#pool.destroy().catch(() => undefined)
  }
}
