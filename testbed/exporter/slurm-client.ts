// The exporter's HTTP client for slurmrestd: one undici Pool (keep-alive, bounded connections,
// timeouts), retries with backoff for the idempotent GETs, and streaming reads of list answers.

import { Pool, type Dispatcher } from 'undici'
import { JsonListStream, JsonListStreamError, type ListEnvelope } from './json-list-stream.ts'
import { AuthSetupError, createCredentials, MISSING_TOKEN_HINT, type Credentials, type SlurmAuth } from './slurm-auth.ts'

export type { SlurmAuth } from './slurm-auth.ts'

/**
 * SlurmApiVersion is a data_parser version the exporter can read: Slurm 23.11 serves v0.0.40,
 * 24.05 up to v0.0.41, 24.11 v0.0.40–v0.0.42, 25.05 up to v0.0.43, 25.11 v0.0.41–v0.0.44. The
 * members the collectors read have the same names and types in all five (their number fields are
 * read as plain numbers or `{set, infinite, number}` alike; test/testbed/exporter checks the specs).
 */
export type SlurmApiVersion = 'v0.0.40' | 'v0.0.41' | 'v0.0.42' | 'v0.0.43' | 'v0.0.44'

/** SLURM_API_VERSIONS lists the supported versions, newest last. */
export const SLURM_API_VERSIONS: readonly SlurmApiVersion[] = ['v0.0.40', 'v0.0.41', 'v0.0.42', 'v0.0.43', 'v0.0.44']

/** ApiVersionChoice is a version to read, or `auto`: the newest of SLURM_API_VERSIONS the server answers. */
export type ApiVersionChoice = SlurmApiVersion | 'auto'

/** SlurmClientOptions configures the client. */
export interface SlurmClientOptions {
  /** Base URL of slurmrestd, e.g. http://127.0.0.1:6820. */
  readonly url: string
  /** data_parser version to read, or `auto` (the default): the newest the server answers. */
  readonly apiVersion?: ApiVersionChoice
  readonly auth?: SlurmAuth
  /** Sockets to slurmrestd (default 8). */
  readonly connections?: number
  /** Limit per request attempt, headers and body together (default 9.5 s). */
  readonly requestTimeoutMs?: number
  /** Retries per GET after a connection error, timeout or 502/503/504 (default 2). */
  readonly retries?: number
  /** First retry delay, doubled per retry with jitter (default 100 ms). */
  readonly retryBaseDelayMs?: number
  /** A dispatcher to use instead of the client's own Pool (tests pass undici's MockAgent). */
  readonly dispatcher?: Dispatcher
  /** Called once per distinct warning text slurmrestd sends in an answer's `warnings[]`. */
  readonly onWarning?: (path: string, warning: string) => void
  /** Called once when `auto` has found the version to read. */
  readonly onApiVersion?: (version: SlurmApiVersion) => void
}

/** DEFAULT_CONNECTIONS: the seven collectors run concurrently, each with one request in flight. */
export const DEFAULT_CONNECTIONS = 8
/**
 * DEFAULT_REQUEST_TIMEOUT_MS lets the answer of a slurmrestd whose slurmctld is down (502, Slurm
 * error 1800, after ~9 s on 24.11) arrive with its reason, and still ends within the default
 * 10 s scrape deadline.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 9_500
export const DEFAULT_RETRIES = 2
export const DEFAULT_RETRY_BASE_DELAY_MS = 100
/**
 * HEADERS_WAIT_FACTOR: a background attempt waits for headers up to this many times the slowest
 * headers its path has answered with (at least requestTimeoutMs). slurmrestd packs a whole table
 * before its first byte, so a large cluster's first byte is slow but steady from one collection to
 * the next; four times that is room for a busy slurmctld, and a hang still ends in bounded time.
 */
const HEADERS_WAIT_FACTOR = 4
/** KEEP_ALIVE_MS keeps sockets open between scrapes (Prometheus scrapes every 15–60 s). */
const KEEP_ALIVE_MS = 120_000
/** ERROR_BODY_CHARS bounds how much of an error answer is quoted in the message. */
const ERROR_BODY_CHARS = 300

/** RequestProgress records, for one collector run, whether an answer started arriving (see SlurmClient.withProgress). */
export interface RequestProgress {
  answering: boolean
}

/** SlurmErrorKind classifies a failed call, for error counters and for the retry decision. */
export type SlurmErrorKind = 'timeout' | 'network' | 'http' | 'auth' | 'invalid-json' | 'slurm'

/** SlurmRequestError is a failed call to slurmrestd, with its path, kind and HTTP status if any. */
export class SlurmRequestError extends Error {
  override name = 'SlurmRequestError'
  constructor(
    readonly kind: SlurmErrorKind,
    readonly path: string,
    /** Reason is the message without the request: the same for every endpoint that fails alike. */
    readonly reason: string,
    readonly status?: number,
  ) {
    super(`GET ${path}: ${reason}`)
  }
}

/** SlurmClient reads slurmrestd. Create one per exporter and close it with the exporter. */
export class SlurmClient {
  /** ApiVersionChoice is the version asked for; `auto` is resolved by resolveApiVersion. */
  readonly apiVersionChoice: ApiVersionChoice
  private resolvedVersion: SlurmApiVersion | undefined
  private resolving: Promise<SlurmApiVersion> | undefined
  private readonly onApiVersion: ((version: SlurmApiVersion) => void) | undefined
  private readonly origin: string
  private readonly basePath: string
  private readonly dispatcher: Dispatcher
  private ownsDispatcher: boolean
  private readonly credentials: Credentials
  private readonly onWarning: ((path: string, warning: string) => void) | undefined
  private readonly warningsSeen = new Set<string>()
  /** WarningsByEndpoint counts the entries of slurmrestd's warnings[] per endpoint (`nodes`, `shares`, …). */
  readonly warningsByEndpoint = new Map<string, number>()
  private readonly requestTimeoutMs: number
  /** AttemptLimitMs bounds one attempt, headers and body together (requestTimeoutMs unless a view changed it). */
  private attemptLimitMs: number
  /** SlowestHeadersMs is, per path, the longest wait for the headers of an answer that came (bounds a background view's wait). */
  private readonly slowestHeadersMs = new Map<string, number>()
  /** Progress, on a view made by withProgress, learns when an answer's body starts arriving. */
  private progress: RequestProgress | undefined
  private readonly retries: number
  private readonly retryBaseDelayMs: number

  constructor(options: SlurmClientOptions) {
    const url = new URL(options.url)
    this.origin = url.origin
    this.basePath = url.pathname.replace(/\/+$/, '')
    this.apiVersionChoice = options.apiVersion ?? 'auto'
    this.resolvedVersion = this.apiVersionChoice === 'auto' ? undefined : this.apiVersionChoice
    this.onApiVersion = options.onApiVersion
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
    this.attemptLimitMs = this.requestTimeoutMs
    this.retries = options.retries ?? DEFAULT_RETRIES
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS
    this.credentials = createCredentials(options.auth ?? { kind: 'none' })
    this.onWarning = options.onWarning
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
   * arriving, and the wait for headers stays bounded: requestTimeoutMs, or HEADERS_WAIT_FACTOR times
   * the slowest headers this path has answered with, whichever is longer, so that one hung request
   * does not hold a background collection for the whole of attemptLimitMs.
   */
  withAttemptLimit(attemptLimitMs: number): SlurmClient {
    // The view inherits every field from this client and overrides two; closing it closes nothing.
    const view = Object.create(this) as SlurmClient
    view.attemptLimitMs = attemptLimitMs
    view.ownsDispatcher = false
    return view
  }

  /**
   * withProgress returns a view that marks `progress.answering` once an answer's 2xx headers
   * arrive: the collection loop tells a collector cut off while its answer streams (a large
   * cluster, slow but working) from one cut off waiting on a hung or failing slurmrestd.
   */
  withProgress(progress: RequestProgress): SlurmClient {
    const view = Object.create(this) as SlurmClient
    view.progress = progress
    view.ownsDispatcher = false
    return view
  }

  /**
   * credentialsKey identifies the credentials the next request would send (re-reading a token
   * file or re-minting when due), or undefined when they cannot be had. A collection compares it
   * with the last one: new credentials end the backoff of collectors that failed with the old.
   */
  async credentialsKey(): Promise<string | undefined> {
    try {
      return JSON.stringify(await this.credentials.headers())
    } catch {
      return undefined
    }
  }

  /** apiVersion is the version read: the one configured, or the one `auto` found (undefined until then). */
  get apiVersion(): SlurmApiVersion | undefined {
    return this.resolvedVersion
  }

  /**
   * resolveApiVersion returns the version to read. For `auto` it asks `/slurm/<v>/ping` newest
   * first and takes the first version that is not 404 (slurmrestd answers an unknown path with
   * 404 after authenticating, so a 401 or 5xx is an error, not a missing version). Ping is the
   * cheapest endpoint; /openapi/v3 would name every version but is hundreds of KB. A failed probe
   * is tried again at the next collection; concurrent callers share one probe.
   */
  async resolveApiVersion(signal: AbortSignal): Promise<SlurmApiVersion> {
    if (this.resolvedVersion !== undefined) return this.resolvedVersion
    if (this.resolving === undefined) {
      this.resolving = this.probeApiVersion(signal).finally(() => {
        this.resolving = undefined
      })
    }
    return this.resolving
  }

  private async probeApiVersion(signal: AbortSignal): Promise<SlurmApiVersion> {
    for (let i = SLURM_API_VERSIONS.length - 1; i >= 0; i--) {
      const version = SLURM_API_VERSIONS[i] as SlurmApiVersion
      const path = `${this.basePath}/slurm/${version}/ping`
      try {
        await this.withRetries(path, signal, async (body) => {
          await body.dump()
        })
      } catch (error) {
        if (error instanceof SlurmRequestError && error.status === 404) continue
        throw error
      }
      // The base client may be behind a view (Object.create): resolve on the prototype chain's owner.
      setResolved(this, version)
      this.onApiVersion?.(version)
      return version
    }
    throw new SlurmRequestError(
      'http',
      `${this.basePath}/slurm/{${SLURM_API_VERSIONS.join(',')}}/ping`,
      `HTTP 404 for every data_parser version the exporter reads (${SLURM_API_VERSIONS.join(', ')}); is this slurmrestd with openapi/slurmctld, Slurm 23.11 or newer?`,
      404,
    )
  }

  /** slurmPath returns the path of a slurmctld endpoint for the version read, e.g. `nodes` → /slurm/v0.0.44/nodes (after resolveApiVersion). */
  slurmPath(endpoint: string): string {
    if (this.resolvedVersion === undefined) throw new Error('SlurmClient.slurmPath before resolveApiVersion')
    return `${this.basePath}/slurm/${this.resolvedVersion}/${endpoint}`
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
      this.countWarnings(path, answer)
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
      this.countWarnings(path, envelope)
      return envelope
    })
  }

  /** close ends the pool's sockets (a dispatcher passed in options is left to its owner). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close()
  }

  // Retries what can succeed on retry (connection errors, timeouts, 502/503/504) with exponential
  // backoff and full jitter, within the caller's signal (the scrape or background deadline), and
  // only after an attempt short enough that another fits in the attempt limit.
  // Refused credentials are renewed (token file re-read, token re-minted) and the request is sent
  // once more only when that changed them; anything else (401/511, an authentication error in a
  // 500, a 500 or 4xx) would fail again and is not retried.
  private async withRetries<T>(path: string, signal: AbortSignal, read: (body: Dispatcher.ResponseData['body']) => Promise<T>): Promise<T> {
    let renewed = false
    for (let retry = 0; ; ) {
      const startMs = performance.now()
      try {
        return await this.attempt(path, signal, read)
      } catch (error) {
        const failure = classify(path, error, signal)
        if (signal.aborted) throw failure
        if (failure.kind === 'auth') {
          if (!renewed && failure.status !== undefined) {
            renewed = true
            if (await this.credentials.renew().catch(() => false)) continue
          }
          throw this.credentials.missing ? new SlurmRequestError('auth', path, `${failure.reason} (${MISSING_TOKEN_HINT})`, failure.status) : failure
        }
        if (retry >= this.retries || !isRetryable(failure)) throw failure
        // An attempt that took more than half the attempt limit (slurmctld down: a 502 after ~9 s;
        // a hung request) leaves no room for a second one as long within a scrape's deadline.
        if (performance.now() - startMs > this.attemptLimitMs / 2) throw failure
        const delayMs = this.retryBaseDelayMs * 2 ** retry * (0.5 + Math.random() / 2)
        retry++
        await sleep(delayMs, signal).catch(() => {
          throw failure
        })
      }
    }
  }

  private countWarnings(path: string, answer: Record<string, unknown>): void {
    const warnings = answer['warnings']
    if (!Array.isArray(warnings) || warnings.length === 0) return
    const endpoint = path.slice(path.lastIndexOf('/') + 1)
    this.warningsByEndpoint.set(endpoint, (this.warningsByEndpoint.get(endpoint) ?? 0) + warnings.length)
    for (const warning of warnings as { description?: unknown; source?: unknown }[]) {
      const text = [warning.source, warning.description].filter((t) => typeof t === 'string' && t !== '').join(': ')
      const key = `${endpoint}\u0000${text}`
      if (this.warningsSeen.has(key)) continue
      this.warningsSeen.add(key)
      this.onWarning?.(path, text === '' ? JSON.stringify(warning) : text)
    }
  }

  private async attempt<T>(path: string, signal: AbortSignal, read: (body: Dispatcher.ResponseData['body']) => Promise<T>): Promise<T> {
    let auth: Record<string, string>
    try {
      auth = await this.credentials.headers()
    } catch (error) {
      if (error instanceof AuthSetupError) throw new SlurmRequestError('auth', path, error.message)
      throw error
    }
    const attemptSignal = AbortSignal.any([signal, AbortSignal.timeout(this.attemptLimitMs)])
    const headersLimitMs = Math.min(this.attemptLimitMs, Math.max(this.requestTimeoutMs, HEADERS_WAIT_FACTOR * (this.slowestHeadersMs.get(path) ?? 0)))
    const sentAtMs = performance.now()
    const response = await this.dispatcher.request({
      origin: this.origin,
      path,
      method: 'GET',
      headers: { accept: 'application/json', ...auth },
      signal: attemptSignal,
      headersTimeout: headersLimitMs,
    })
    const { statusCode, body } = response
    if (statusCode < 200 || statusCode >= 300) {
      throw httpFailure(path, statusCode, await body.text().catch(() => ''))
    }
    // Only answers that came count: a 502 after slurmrestd's own 9 s wait says nothing of the table's size.
    const headersMs = performance.now() - sentAtMs
    if (headersMs > (this.slowestHeadersMs.get(path) ?? 0)) this.slowestHeadersMs.set(path, headersMs)
    if (this.progress !== undefined) this.progress.answering = true
    try {
      return await read(body)
    } finally {
      // An abandoned body would hold its socket; destroying a consumed body is a no-op.
      body.destroy()
    }
  }
}

// slurmrestd 25.11 answers a missing or unusable auth header with 500 text/plain "Authentication
// does not apply to request", and a bad or expired token with 511 and error 1007 (the 25.11
// captures in test/testbed/mock-slurm/testdata/slurm-web); older releases used 401.
function httpFailure(path: string, status: number, text: string): SlurmRequestError {
  const summary = slurmErrorSummary(text) ?? text.trim().slice(0, ERROR_BODY_CHARS)
  const isAuth = status === 401 || status === 403 || status === 511 || /authentication/i.test(text)
  return new SlurmRequestError(isAuth ? 'auth' : 'http', path, `HTTP ${status}${summary ? `, ${summary}` : ''}`, status)
}

/** SlurmErrorEntry is one entry of slurmrestd's `errors[]`. */
interface SlurmErrorEntry {
  readonly error?: string
  readonly description?: string
  readonly error_number?: number
  readonly source?: string
}

/** slurmError writes an errors[] entry as `Slurm error 1800 Unable to contact slurm controller: description`. */
function slurmError(entry: SlurmErrorEntry): string {
  const head = `Slurm error ${entry.error_number ?? '?'}${entry.error ? ` ${entry.error}` : ''}`
  return entry.description && entry.description !== entry.error ? `${head}: ${entry.description}` : head
}

// 24.11 answers /partitions with a refused token 511 and an empty errors[]: a JSON answer
// without an entry is said in words, never dumped.
function slurmErrorSummary(text: string): string | undefined {
  try {
    const answer = JSON.parse(text) as { errors?: SlurmErrorEntry[] }
    const first = answer.errors?.[0]
    return first ? slurmError(first) : 'no Slurm error in the answer'
  } catch {
    return undefined
  }
}

// A 200 answer can still carry errors[] (e.g. an unknown node); treat it as a failed call.
function checkSlurmErrors(path: string, answer: Record<string, unknown>): void {
  const errors = answer['errors']
  if (Array.isArray(errors) && errors.length > 0) throw new SlurmRequestError('slurm', path, slurmError(errors[0] as SlurmErrorEntry))
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

/** RETRYABLE_STATUSES are the answers a proxy or an overloaded slurmrestd gives that a later attempt may not. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504])

function isRetryable(error: SlurmRequestError): boolean {
  if (error.kind === 'network' || error.kind === 'timeout') return true
  return error.kind === 'http' && error.status !== undefined && RETRYABLE_STATUSES.has(error.status)
}

// Views (withAttemptLimit, withProgress) inherit from the client they were made from; the version
// found through any of them belongs to that root client.
function setResolved(client: SlurmClient, version: SlurmApiVersion): void {
  let owner: object = client
  while (!Object.hasOwn(owner, 'apiVersionChoice')) owner = Object.getPrototypeOf(owner) as object
  ;(owner as { resolvedVersion: SlurmApiVersion | undefined }).resolvedVersion = version
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
