// rest_auth/jwt as slurmrestd 25.11 applies it: X-SLURM-USER-NAME + X-SLURM-USER-TOKEN, or
// `Authorization: Bearer`; HS256 tokens carrying iat, exp and sun (or username) claims
// (SchedMD doc/html/jwt.shtml). HS256 is small enough to do with node:crypto directly.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

/** DEFAULT_JWT_KEY is the mock's HS256 key when none is configured (it guards nothing real). */
export const DEFAULT_JWT_KEY = 'slurmbench-mock-slurm-jwt-hs256-key'
/** DEFAULT_TOKEN_LIFESPAN_SEC is `scontrol token`'s default lifespan. */
export const DEFAULT_TOKEN_LIFESPAN_SEC = 1_800
// Users that may act as another user (SlurmUser and root), as slurmctld allows.
const PRIVILEGED_USERS = new Set(['root', 'slurm'])

/** AuthResult says who the request is from, or why it is refused. */
export type AuthResult = { kind: 'ok'; user: string } | { kind: 'missing' } | { kind: 'invalid'; reason: string }

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url')
}

/** mintToken returns an HS256 JWT for `user`, as `scontrol token username=<user> lifespan=<s>` would. */
export function mintToken(key: string | Buffer, user: string, lifespanSec = DEFAULT_TOKEN_LIFESPAN_SEC, nowSec = Math.floor(Date.now() / 1000)): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  const payload = base64url(JSON.stringify({ exp: nowSec + lifespanSec, iat: nowSec, sun: user }))
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${signature}`
}

/** verifyToken checks an HS256 JWT and returns its user, or why it is not acceptable. */
export function verifyToken(key: string | Buffer, token: string, nowSec: number): AuthResult {
  const parts = token.split('.')
  if (parts.length !== 3) return { kind: 'invalid', reason: 'malformed token' }
  const [header, payload, signature] = parts as [string, string, string]
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest()
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: 'invalid', reason: 'bad signature' }
  let claims: { alg?: unknown; exp?: unknown; iat?: unknown; sun?: unknown; username?: unknown }
  try {
    const h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }
    if (h.alg !== 'HS256') return { kind: 'invalid', reason: `unsupported alg ${String(h.alg)}` }
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    return { kind: 'invalid', reason: 'undecodable token' }
  }
  if (typeof claims.exp !== 'number' || claims.exp <= nowSec) return { kind: 'invalid', reason: 'expired token' }
  const user = typeof claims.sun === 'string' ? claims.sun : typeof claims.username === 'string' ? claims.username : undefined
  if (user === undefined || user === '') return { kind: 'invalid', reason: 'token has no sun/username claim' }
  return { kind: 'ok', user }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? v[0] : v
}

// Verified tokens are remembered (keyed by the whole token, signature included, and still checked
// for expiry), because an HMAC and two JSON.parse per request cost the mock ~7% of its /ping
// throughput in a profile, and a mock must not be the bottleneck. Cleared when full.
const TOKEN_CACHE_ENTRIES = 4_096

/** TokenCache remembers the user and expiry of tokens that verified. */
export class TokenCache {
  private readonly verified = new Map<string, { user: string; expSec: number }>()

  /** verify is verifyToken with memory of earlier successes. */
  verify(key: string | Buffer, token: string, nowSec: number): AuthResult {
    const hit = this.verified.get(token)
    if (hit !== undefined) return hit.expSec > nowSec ? { kind: 'ok', user: hit.user } : { kind: 'invalid', reason: 'expired token' }
    const result = verifyToken(key, token, nowSec)
    if (result.kind === 'ok') {
      if (this.verified.size >= TOKEN_CACHE_ENTRIES) this.verified.clear()
      const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as { exp: number }
      this.verified.set(token, { user: result.user, expSec: payload.exp })
    }
    return result
  }
}

/** authenticate applies rest_auth/jwt to a request's headers. */
export function authenticate(headers: IncomingHttpHeaders, key: string | Buffer, nowSec: number, cache?: TokenCache): AuthResult {
  const userName = header(headers, 'x-slurm-user-name')
  const userToken = header(headers, 'x-slurm-user-token')
  const authorization = header(headers, 'authorization')
  let token: string | undefined
  if (userToken !== undefined) token = userToken
  else if (authorization !== undefined && /^bearer /i.test(authorization)) token = authorization.slice(7).trim()
  if (token === undefined) return { kind: 'missing' }
  const result = cache === undefined ? verifyToken(key, token, nowSec) : cache.verify(key, token, nowSec)
  if (result.kind !== 'ok') return result
  if (userName !== undefined && userName !== result.user && !PRIVILEGED_USERS.has(result.user)) {
    return { kind: 'invalid', reason: `token of ${result.user} cannot act as ${userName}` }
  }
  return { kind: 'ok', user: userName ?? result.user }
}
