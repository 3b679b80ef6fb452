// The exporter's HTTP client for slurmrestd: one undici Pool (keep-alive, bounded connections,
// timeouts), retries with backoff for the idempotent GETs, and streaming reads of list answers.

import { Pool, type Dispatcher } from 'undici'
import { JsonListStream, JsonListStreamError, type ListEnvelope } from './json-list-stream.ts'

/** SlurmApiVersion is a data_parser version the exporter can read. */
export type SlurmApiVersion = 'v0.0.42' | 'v0.0.43' | 'v0.0.44'

/** SLURM_API_VERSIONS lists the supported versions, newest last. */
export const SLURM_API_VERSIONS: readonly SlurmApiVersion[] = ['v0.0.42', 'v0.0.43', 'v0.0.44']

/**
 * SlurmAuth is how requests authenticate: slurmrestd's rest_auth/jwt headers
 * (X-SLURM-USER-NAME + X-SLURM-USER-TOKEN), a Bearer token, or nothing (local auth).
 */
export type SlurmAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'user-token'; readonly user: string; readonly token: string }
  | { readonly kind: 'bearer'; readonly token: string }

/** SlurmClientOptions configures the client. */
export interface SlurmClientOptions {
  /** Base URL of slurmrestd, e.g. http://127.0.0.1:6820. */
  readonly url: string
  readonly apiVersion?: SlurmApiVersion
  readonly auth?: SlurmAuth
  /** Most sockets open to slurmrestd at once. */
  readonly connections?: number
  /** Per-attempt limit on one request, headers and body together. */
  readonly requestTimeoutMs?: number
  /** Extra attempts after a failed GET (network error, timeout, 5xx). */
  readonly retries?: number
  /** First backoff delay; each retry doubles it, with jitter. */
  readonly retryBaseDelayMs?: number
  /** A dispatcher to use instead of the client's own Pool (tests pass undici's MockAgent). */
  readonly dispatcher?: Dispatcher
}

/** DEFAULT_CONNECTIONS: the seven collectors run concurrently, each with one request in flight. */
export const DEFAULT_CONNECTIONS = 8
/** DEFAULT_REQUEST_TIMEOUT_MS is below the default scrape deadline so one slow answer leaves time for a retry of another. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 8_000
export const DEFAULT_RETRIES = 2
export const DEFAULT_RETRY_BASE_DELAY_MS = 100
/** KEEP_ALIVE_MS keeps sockets open between scrapes (Prometheus scrapes every 15–60 s). */
const KEEP_ALIVE_MS = 120_000
/** ERROR_BODY_CHARS bounds how much of an error answer is quoted in the message. */
const ERROR_BODY_CHARS = 300

/** SlurmErrorKind classifies a failed call, for error counters and for the retry decision. */
export type SlurmErrorKind = 'timeout' | 'network' | 'http' | 'auth' | 'invalid-json' | 'slurm'

/** SlurmRequestError is a failed call to slurmrestd, with its path, kind and HTTP status if any. */
export class SlurmRequestError extends Error {
  override name = 'SlurmRequestError'
  constructor(
    readonly kind: SlurmErrorKind,
    readonly path: string,
    message: string,
    readonly status?: number,
  ) {
    super(`GET ${path}: ${message}`)
  }
}

/** SlurmClient reads slurmrestd. Create one per exporter and close it with the exporter. */
export class SlurmClient {
  readonly apiVersion: SlurmApiVersion
  private readonly origin: string
  private readonly basePath: string
  private readonly dispatcher: Dispatcher
  private ownsDispatcher: boolean
  private readonly headers: Record<string, string>
  private readonly requestTimeoutMs: number
  /** AttemptLimitMs bounds one attempt, headers and body together (requestTimeoutMs unless a view changed it). */
  private attemptLimitMs: number
  private readonly retries: number
  private readonly retryBaseDelayMs: number

  constructor(options: SlurmClientOptions) {
    const url = new URL(options.url)
    this.origin = url.origin
    this.basePath = url.pathname.replace(/\/+$/, '')
    this.apiVersion = options.apiVersion ?? 'v0.0.44'
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
    this.attemptLimitMs = this.requestTimeoutMs
    this.retries = options.retries ?? DEFAULT_RETRIES
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS
    this.headers = { accept: 'application/json', ...authHeaders(options.auth ?? { kind: 'none' }) }
    this.ownsDispatcher = options.dispatcher === undefined
    this.dispatcher =
      options.dispatcher ??
      new Pool(this.origin, {
        connections: options.connections ?? DEFAULT_CONNECTIONS,
        keepAliveTimeout: KEEP_ALIVE_MS,
        keepAliveMaxTimeout: KEEP_ALIVE_MS,
        headersTimeout: this.requestTimeoutMs,
        bodyTimeout: this.requestTimeoutMs,
      })
  }

  /**
   * withAttemptLimit returns a client on the same sockets whose attempts may each take up to
   * `attemptLimitMs` in total, the wait for the answer's headers included. Background collections
   * use it: nobody waits for them, a large /jobs answer (about 1 GB at 100,000 jobs) streams for
   * longer than the per-attempt limit sized for a scrape deadline, and slurmrestd packs a whole
   * table before its first byte, which on a large cluster can take longer than requestTimeoutMs.
   * The body's idle limit (requestTimeoutMs between two chunks) still ends an answer that stops
   * arriving.
   */
  withAttemptLimit(attemptLimitMs: number): SlurmClient {
    // The view inherits every field from this client and overrides two; closing it closes nothing.
    const view = Object.create(this) as SlurmClient
    view.attemptLimitMs = attemptLimitMs
    view.ownsDispatcher = false
    return view
  }

  /** slurmPath returns the path of a slurmctld endpoint for the configured version, e.g. `nodes` → /slurm/v0.0.44/nodes. */
  slurmPath(endpoint: string): string {
    return `${this.basePath}/slurm/${this.apiVersion}/${endpoint}`
  }

  /** getJson fetches and parses a whole answer; use it for answers that are small at any cluster size. */
  async getJson(path: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    return this.withRetries(path, signal, async (body) => {
      const text = await body.text()
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch (error) {
        throw new SlurmRequestError('invalid-json', path, `invalid JSON: ${(error as Error).message}`)
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new SlurmRequestError('invalid-json', path, 'expected a JSON object')
      }
      const answer = parsed as Record<string, unknown>
      checkSlurmErrors(path, answer)
      return answer
    })
  }

  /**
   * streamList fetches a list answer (`{"<listKey>": [...], meta, errors, …}`) and calls `onItem`
   * per element while the body arrives (with `fields`, elements hold only those members); it
   * returns the other top-level members. A retried
   * attempt starts over, so `onStart` runs before each attempt to reset what `onItem` built.
   */
  async streamList(
    path: string,
    listKey: string,
    signal: AbortSignal,
    onStart: () => void,
    onItem: (item: unknown) => void,
    fields?: readonly string[],
  ): Promise<ListEnvelope> {
    return this.withRetries(path, signal, async (body) => {
      onStart()
      const reader = new JsonListStream(listKey, onItem, fields)
      let envelope: ListEnvelope
      try {
        for await (const chunk of body) reader.write(chunk as Buffer)
        envelope = reader.end()
      } catch (error) {
        if (error instanceof JsonListStreamError || error instanceof SyntaxError) {
          throw new SlurmRequestError('invalid-json', path, `invalid JSON: ${error.message}`)
        }
        throw error
      }
      checkSlurmErrors(path, envelope)
      return envelope
    })
  }

  /** close ends the pool's sockets (a dispatcher passed in options is left to its owner). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close()
  }

  private async withRetries<T>(path: string, signal: AbortSignal, read: (body: Dispatcher.ResponseData['body']) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(path, signal, read)
      } catch (error) {
        const failure = classify(path, error, signal)
        if (attempt >= this.retries || !isRetryable(failure) || signal.aborted) throw failure
        // Full jitter keeps concurrent collectors from retrying in lockstep.
        const delayMs = this.retryBaseDelayMs * 2 ** attempt * (0.5 + Math.random() / 2)
        await sleep(delayMs, signal).catch(() => {
          throw failure
        })
      }
    }
  }

  private async attempt<T>(path: string, signal: AbortSignal, read: (body: Dispatcher.ResponseData['body']) => Promise<T>): Promise<T> {
    const attemptSignal = AbortSignal.any([signal, AbortSignal.timeout(this.attemptLimitMs)])
    const response = await this.dispatcher.request({
      origin: this.origin,
      path,
      method: 'GET',
      headers: this.headers,
      signal: attemptSignal,
      headersTimeout: this.attemptLimitMs,
    })
    const { statusCode, body } = response
    if (statusCode < 200 || statusCode >= 300) {
      const text = (await body.text().catch(() => '')).slice(0, ERROR_BODY_CHARS)
      throw httpFailure(path, statusCode, text)
    }
    try {
      return await read(body)
    } finally {
      // An abandoned body would hold its socket; destroying a consumed body is a no-op.
      body.destroy()
    }
  }
}

function authHeaders(auth: SlurmAuth): Record<string, string> {
  switch (auth.kind) {
    case 'none':
      return {}
    case 'user-token':
      return { 'x-slurm-user-name': auth.user, 'x-slurm-user-token': auth.token }
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` }
  }
}

// slurmrestd 25.11 answers a missing or unusable auth header with 500 text/plain "Authentication
// does not apply to request", and a bad or expired token with 511 and error 1007 (captures in
// shared/slurm-samples/slurm-web/25.11-v0.0.44); older releases used 401.
function httpFailure(path: string, status: number, text: string): SlurmRequestError {
  const summary = slurmErrorSummary(text) ?? text.trim()
  const isAuth = status === 401 || status === 403 || status === 511 || /authentication/i.test(text)
  return new SlurmRequestError(isAuth ? 'auth' : 'http', path, `HTTP ${status}${summary ? `: ${summary}` : ''}`, status)
}

function slurmErrorSummary(text: string): string | undefined {
  try {
    const answer = JSON.parse(text) as { errors?: { error?: string; description?: string }[] }
    const first = answer.errors?.[0]
    return first ? [first.error, first.description].filter(Boolean).join(' — ') : undefined
  } catch {
    return undefined
  }
}

// A 200 answer can still carry errors[] (e.g. an unknown node); treat it as a failed call.
function checkSlurmErrors(path: string, answer: Record<string, unknown>): void {
  const errors = answer['errors']
  if (Array.isArray(errors) && errors.length > 0) {
    const first = errors[0] as { error?: string; description?: string; error_number?: number }
    throw new SlurmRequestError('slurm', path, `slurmrestd error ${first.error_number ?? '?'}: ${first.error ?? first.description ?? 'unknown'}`)
  }
}

function classify(path: string, error: unknown, signal: AbortSignal): SlurmRequestError {
  if (error instanceof SlurmRequestError) return error
  const e = error as { name?: string; code?: string; message?: string }
  if (signal.aborted) return new SlurmRequestError('timeout', path, 'scrape deadline passed')
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
    return new SlurmRequestError('timeout', path, 'request timed out')
  }
  return new SlurmRequestError('network', path, e.message ?? String(error))
}

function isRetryable(error: SlurmRequestError): boolean {
  if (error.kind === 'network' || error.kind === 'timeout') return true
  return error.kind === 'http' && error.status !== undefined && error.status >= 500
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
