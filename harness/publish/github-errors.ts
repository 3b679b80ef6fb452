// One error class per way a GitHub call fails, each with a stable `code` that the CLI maps to an
// exit code and tests match (undici's lib/core/errors.js does the same). Messages are one line,
// name the request and what to do, and never contain the token.

/** GitHubError is the base of every failure of a GitHub REST call. */
export class GitHubError extends Error {
  /** Stable identifier of the failure kind. */
  readonly code: string = 'ERR_GITHUB'
  /** HTTP status, when GitHub answered. */
  readonly status: number | undefined
  constructor(message: string, status?: number) {
    super(message)
    this.name = 'GitHubError'
    this.status = status
  }
}

// Each failure kind is a GitHubError with its own fixed code.
function failureKind<Code extends string>(code: Code): new (message: string, status?: number) => GitHubError & { readonly code: Code } {
  return class extends GitHubError {
    override readonly code = code
  }
}

/** GitHubUnauthorizedError is a 401: the token is missing, malformed, expired or revoked. */
export class GitHubUnauthorizedError extends failureKind('ERR_GITHUB_UNAUTHORIZED') {}

/** GitHubForbiddenError is a 403 that is not a rate limit: the token lacks a permission. */
export class GitHubForbiddenError extends failureKind('ERR_GITHUB_FORBIDDEN') {}

/** GitHubNotFoundError is a 404: no such repository or pull request, or the token cannot see it. */
export class GitHubNotFoundError extends failureKind('ERR_GITHUB_NOT_FOUND') {}

/** GitHubUnprocessableError is a 422: GitHub refused the request's content (e.g. a body too long). */
export class GitHubUnprocessableError extends failureKind('ERR_GITHUB_UNPROCESSABLE') {}

/** GitHubRateLimitError is a primary or secondary rate limit that outlasted the bounded wait. */
export class GitHubRateLimitError extends failureKind('ERR_GITHUB_RATE_LIMITED') {}

/** GitHubResponseError is any other unexpected answer (5xx, a body that is not JSON). */
export class GitHubResponseError extends failureKind('ERR_GITHUB_RESPONSE') {}

/** GitHubNetworkError is a request that got no answer (DNS, refused connection, TLS, timeout). */
export class GitHubNetworkError extends failureKind('ERR_GITHUB_NETWORK') {}

/** redactSecret replaces every occurrence of the secret in text with `***`. */
export function redactSecret(text: string, secret: string): string {
  return secret.length === 0 ? text : text.split(secret).join('***')
}
