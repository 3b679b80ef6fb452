// A small GitHub REST client on undici: JSON in and out, Link-header pagination, and a bounded
// wait on rate limits. It is the only code that talks to GitHub. The token goes only to the
// configured API origin (pagination links to another origin are refused) and never into a message.
import { fetch as undiciFetch } from 'undici'
import {
  type GitHubError,
  GitHubForbiddenError,
  GitHubNetworkError,
  GitHubNotFoundError,
  GitHubRateLimitError,
  GitHubResponseError,
  GitHubUnauthorizedError,
  GitHubUnprocessableError,
  redactSecret,
} from './github-errors.ts'

/** DEFAULT_GITHUB_API_URL is github.com's API; GitHub Enterprise sets GITHUB_API_URL instead. */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com'

/** DEFAULT_MAX_RATE_LIMIT_WAIT_MS bounds the total time spent waiting out rate limits. */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 120_000

/** DEFAULT_MAX_ATTEMPTS bounds the tries of one request (the first plus retries after rate limits). */
export const DEFAULT_MAX_ATTEMPTS = 4

/** SECONDARY_RATE_LIMIT_WAIT_MS is GitHub's advice when a secondary limit names no time: "wait at least one minute". */
export const SECONDARY_RATE_LIMIT_WAIT_MS = 60_000

/** REQUEST_TIMEOUT_MS bounds one request, so a hung connection cannot stall a CI job. */
export const REQUEST_TIMEOUT_MS = 30_000

/** FetchResponse is the part of a fetch Response the client reads. */
export interface FetchResponse {
  readonly status: number
  readonly headers: { get(name: string): string | null }
  text(): Promise<string>
}

/** FetchLike is a fetch function: undici's by default; tests pass Node's global fetch (also undici), which nock intercepts. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<FetchResponse>

/** GitHubClientOptions configure a client. */
export interface GitHubClientOptions {
  /** API root, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  readonly apiUrl?: string
  readonly token: string
  readonly fetch?: FetchLike
  /** Waits between rate-limited attempts (tests pass a fake). */
  readonly sleep?: (ms: number) => Promise<void>
  /** Current time in ms since the epoch (for x-ratelimit-reset). */
  readonly now?: () => number
  readonly maxRateLimitWaitMs?: number
  readonly maxAttempts?: number
  /** Told about each wait before it starts. */
  readonly onWait?: (ms: number, reason: string) => void
}

/** GitHubResponse is one successful answer. */
export interface GitHubResponse<T> {
  readonly status: number
  readonly data: T
  /** URL of the next page from the Link header, if any. */
  readonly next: string | undefined
}

/** parseNextLink returns the rel="next" URL of a Link header. */
export function parseNextLink(link: string | null): string | undefined {
  if (link === null) return undefined
  for (const part of link.split(',')) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part)
    if (m !== null && /\brel="?next"?/.test(m[2] as string)) return m[1]
  }
  return undefined
}

interface RateLimitWait {
  readonly ms: number
  readonly reason: string
}

// rateLimitWait tells a rate-limited answer (primary: remaining 0 with a reset time; secondary:
// retry-after, or a 403/429 whose message says so) from a permission problem, and how long to wait.
function rateLimitWait(status: number, headers: FetchResponse['headers'], message: string, nowMs: number): RateLimitWait | undefined {
  if (status !== 403 && status !== 429) return undefined
  const retryAfter = headers.get('retry-after')
  if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) return { ms: Number(retryAfter) * 1000, reason: `retry-after: ${retryAfter.trim()} s` }
  const remaining = headers.get('x-ratelimit-remaining')
  const reset = headers.get('x-ratelimit-reset')
  if (remaining === '0' && reset !== null && /^\d+$/.test(reset.trim())) {
    return { ms: Math.max(0, Number(reset) * 1000 - nowMs) + 1000, reason: `x-ratelimit-reset: ${new Date(Number(reset) * 1000).toISOString()}` }
  }
  if (status === 429 || /rate limit/i.test(message)) return { ms: SECONDARY_RATE_LIMIT_WAIT_MS, reason: 'secondary rate limit without retry-after' }
  return undefined
}

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}

// gitHubMessage pulls `message` and the `errors` list out of an error body.
function gitHubMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; errors?: unknown }
    const parts: string[] = []
    if (typeof parsed.message === 'string') parts.push(parsed.message)
    if (Array.isArray(parsed.errors)) {
      for (const e of parsed.errors) {
        if (typeof e === 'string') parts.push(e)
        else if (e !== null && typeof e === 'object') {
          const { field, code, message } = e as { field?: unknown; code?: unknown; message?: unknown }
          parts.push([field, code, message].filter((x) => typeof x === 'string').join(' '))
        }
      }
    }
    return oneLine(parts.join('; '))
  } catch {
    return oneLine(body, 120)
  }
}

/** GitHubClient sends authenticated JSON requests to GitHub's REST API. */
export class GitHubClient {
  readonly apiUrl: string
  readonly #token: string
  readonly #fetch: FetchLike
  readonly #sleep: (ms: number) => Promise<void>
  readonly #now: () => number
  readonly #maxWaitMs: number
  readonly #maxAttempts: number
  readonly #onWait: ((ms: number, reason: string) => void) | undefined

  constructor(options: GitHubClientOptions) {
    this.apiUrl = (options.apiUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, '')
    this.#token = options.token
    this.#fetch = options.fetch ?? (undiciFetch as unknown as FetchLike)
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.#now = options.now ?? Date.now
    this.#maxWaitMs = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
    this.#onWait = options.onWait
  }

  // resolve turns a path into a URL on the API origin and refuses any other origin, so the
  // token cannot be sent elsewhere by a crafted Link header.
  #resolve(pathOrUrl: string): URL {
    const base = new URL(`${this.apiUrl}/`)
    const url = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(pathOrUrl.replace(/^\/+/, ''), base)
    if (url.origin !== base.origin)
      throw new GitHubResponseError(`GitHub sent a link to ${url.origin}, not to the API at ${base.origin}; refusing to send the token there`)
    return url
  }

  /** request sends one request (retrying rate limits within the bound) and parses the JSON answer. */
  async request<T>(method: string, pathOrUrl: string, body?: unknown): Promise<GitHubResponse<T>> {
    const url = this.#resolve(pathOrUrl)
    const what = `${method} ${url.pathname}`
    let waitedMs = 0
    for (let attempt = 1; ; attempt++) {
      let response: FetchResponse
      let text: string
      try {
        response = await this.#fetch(url.href, {
          method,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.#token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': 'slurmbench',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        })
        text = await response.text()
      } catch (err) {
        const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err)
        throw new GitHubNetworkError(this.#clean(`${what}: no answer from ${url.origin} (${oneLine(cause)})`))
      }
      if (response.status >= 200 && response.status < 300) {
        let data: T
        try {
          data = (text === '' ? undefined : JSON.parse(text)) as T
        } catch {
          throw new GitHubResponseError(`${what}: GitHub answered ${response.status} with a body that is not JSON`, response.status)
        }
        return { status: response.status, data, next: parseNextLink(response.headers.get('link')) }
      }
      const message = gitHubMessage(text)
      const wait = rateLimitWait(response.status, response.headers, message, this.#now())
      if (wait !== undefined) {
        if (attempt >= this.#maxAttempts || waitedMs + wait.ms > this.#maxWaitMs) {
          const retryAt = new Date(this.#now() + wait.ms).toISOString()
          throw new GitHubRateLimitError(
            this.#clean(
              `${what}: GitHub's rate limit (${wait.reason}) still holds after ${attempt} attempt(s) and ${Math.round(waitedMs / 1000)} s of waiting (bound ${Math.round(this.#maxWaitMs / 1000)} s); try again after ${retryAt}`,
            ),
            response.status,
          )
        }
        this.#onWait?.(wait.ms, wait.reason)
        await this.#sleep(wait.ms)
        waitedMs += wait.ms
        continue
      }
      throw this.#statusError(what, response.status, response.headers, message)
    }
  }

  #clean(text: string): string {
    return redactSecret(text, this.#token)
  }

  #statusError(what: string, status: number, headers: FetchResponse['headers'], message: string): GitHubError {
    const says = message === '' ? '' : ` (GitHub: ${message})`
    switch (status) {
      case 401:
        return new GitHubUnauthorizedError(
          this.#clean(`${what}: 401 Unauthorized: the token is missing, malformed, expired or revoked${says}; set GITHUB_TOKEN or --token-file`),
          status,
        )
      case 403: {
        const accepted = headers.get('x-accepted-github-permissions')
        const acceptedText = accepted === null ? '' : `; GitHub accepts: ${oneLine(accepted, 120)}`
        return new GitHubForbiddenError(
          this.#clean(
            `${what}: 403 Forbidden: the token lacks the permission \`pull-requests: write\` (give the job \`permissions: pull-requests: write\`; pull_request runs from forks are read-only, post from a workflow_run job)${says}${acceptedText}`,
          ),
          status,
        )
      }
      case 404:
        return new GitHubNotFoundError(
          this.#clean(
            `${what}: 404 Not Found: no such repository, pull request or comment, or the token cannot see it; check GITHUB_REPOSITORY and --pr${says}`,
          ),
          status,
        )
      case 422:
        return new GitHubUnprocessableError(this.#clean(`${what}: 422 Unprocessable Entity: GitHub refused the request's content${says}`), status)
      default:
        return new GitHubResponseError(this.#clean(`${what}: GitHub answered ${status}${says}`), status)
    }
  }

  /** paginate yields every item of a list endpoint, following Link rel="next" (per_page=100). */
  async *paginate<T>(path: string): AsyncGenerator<T> {
    const first = this.#resolve(path)
    if (!first.searchParams.has('per_page')) first.searchParams.set('per_page', '100')
    let next: string | undefined = first.href
    while (next !== undefined) {
      const page: GitHubResponse<T[]> = await this.request<T[]>('GET', next)
      if (!Array.isArray(page.data)) throw new GitHubResponseError(`GET ${first.pathname}: expected a JSON array, found ${typeof page.data}`, page.status)
      yield* page.data
      next = page.next
    }
  }
}
