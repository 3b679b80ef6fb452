// How the exporter authenticates to slurmrestd (rest_auth/jwt): a fixed token, a token file
// re-read when it changes, or tokens minted from slurmrestd's own HS256 key and renewed before
// they expire. `scontrol token` tokens last 30 minutes by default; a token read once would make
// every collector fail with 511 half an hour after start (issue 16).

import { readFile, stat } from 'node:fs/promises'
import { SignJWT } from 'jose'

/**
 * SlurmAuth says how requests authenticate. It is plain data (the rig passes it to a child
 * process as JSON); createCredentials turns it into headers.
 */
export type SlurmAuth =
  | { readonly kind: 'none' }
  /** A fixed token sent as X-SLURM-USER-NAME + X-SLURM-USER-TOKEN. */
  | { readonly kind: 'user-token'; readonly user: string; readonly token: string }
  /** A fixed token sent as Authorization: Bearer. */
  | { readonly kind: 'bearer'; readonly token: string }
  /** A token read from `file` (a bare token or `scontrol token`'s `SLURM_JWT=…`); `user` defaults to the token's own. */
  | { readonly kind: 'token-file'; readonly file: string; readonly user?: string; readonly bearer?: boolean }
  /** Tokens for `user` minted with slurmrestd's HS256 key (the key file's bytes), each valid for `lifespanS`. */
  | { readonly kind: 'jwt-key'; readonly keyFile: string; readonly user: string; readonly lifespanS: number; readonly bearer?: boolean }

/** MISSING_TOKEN_HINT is added to an authentication failure when no token is configured. */
export const MISSING_TOKEN_HINT = 'no token configured: set --token-file, --token or SLURM_JWT'

/** DEFAULT_JWT_LIFESPAN_S matches `scontrol token`'s default lifespan. */
export const DEFAULT_JWT_LIFESPAN_S = 1_800

/**
 * RENEW_AT_SHARE of a minted token's lifespan has passed when the next request mints a new one:
 * no request is sent with a token in the second half of its life, so it has at least half the
 * lifespan left (15 min at the default; 7.5 s at a 15 s lifespan) to outlast a slow collection
 * and a clock a few seconds off.
 */
export const RENEW_AT_SHARE = 0.5

/** AuthSetupError is a credential that cannot be read (missing file, empty token); it names the flag and file, never the token. */
export class AuthSetupError extends Error {
  override name = 'AuthSetupError'
}

/** Credentials produce the auth headers of each request. */
export interface Credentials {
  /** headers returns the headers for the next request (re-reading or re-minting when due). */
  headers(): Promise<Record<string, string>>
  /**
   * renew is called after slurmrestd refused the credentials (401, 511, or an authentication
   * error in a 500): it re-reads or re-mints and says whether the next request would send
   * something different, so that retrying it can succeed.
   */
  renew(): Promise<boolean>
  /** missing is true when no token is configured at all (the failure then gets MISSING_TOKEN_HINT). */
  readonly missing: boolean
}

/** createCredentials returns the Credentials for `auth`. */
export function createCredentials(auth: SlurmAuth): Credentials {
  switch (auth.kind) {
    case 'none':
      return fixed({}, true)
    case 'user-token':
      return fixed({ 'x-slurm-user-name': auth.user, 'x-slurm-user-token': auth.token }, false)
    case 'bearer':
      return fixed({ authorization: `Bearer ${auth.token}` }, false)
    case 'token-file':
      return new TokenFile(auth.file, auth.user, auth.bearer ?? false)
    case 'jwt-key':
      return new MintedTokens(auth.keyFile, auth.user, auth.lifespanS, auth.bearer ?? false)
  }
}

function fixed(headers: Record<string, string>, missing: boolean): Credentials {
  return { headers: async () => headers, renew: async () => false, missing }
}

function tokenHeaders(token: string, user: string | undefined, bearer: boolean): Record<string, string> {
  if (bearer) return { authorization: `Bearer ${token}` }
  const name = user ?? tokenUser(token)
  return name === undefined ? { 'x-slurm-user-token': token } : { 'x-slurm-user-name': name, 'x-slurm-user-token': token }
}

/** tokenUser reads the `sun` (or `username`) claim of a JWT without verifying it, or undefined when it has none. */
export function tokenUser(token: string): string | undefined {
  const payload = token.split('.')[1]
  if (payload === undefined) return undefined
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sun?: unknown; username?: unknown }
    const user = typeof claims.sun === 'string' ? claims.sun : claims.username
    return typeof user === 'string' && user !== '' ? user : undefined
  } catch {
    return undefined
  }
}

/** parseTokenText reads a token file's text: a bare token, or `SLURM_JWT=…` as `scontrol token` prints it. */
export function parseTokenText(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? ''
  return line
    .trim()
    .replace(/^(?:export\s+)?SLURM_JWT=/, '')
    .trim()
}

/** TokenFile re-reads its file when its modification time or size changes, and after a refusal. */
class TokenFile implements Credentials {
  readonly missing = false
  private token: string | undefined
  private version = ''

  constructor(
    private readonly file: string,
    private readonly user: string | undefined,
    private readonly bearer: boolean,
  ) {}

  async headers(): Promise<Record<string, string>> {
    // One stat per request: cheap beside the request, and a token rotated by a cron job or a
    // Kubernetes secret is used from the next request on.
    const version = await this.fileVersion()
    if (this.token === undefined || version !== this.version) await this.read(version)
    return tokenHeaders(this.token as string, this.user, this.bearer)
  }

  async renew(): Promise<boolean> {
    const before = this.token
    await this.read(await this.fileVersion())
    return this.token !== before
  }

  private async fileVersion(): Promise<string> {
    try {
      const s = await stat(this.file)
      return `${s.mtimeMs}:${s.size}:${s.ino}`
    } catch (error) {
      throw new AuthSetupError(`--token-file ${this.file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
  }

  private async read(version: string): Promise<void> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (error) {
      throw new AuthSetupError(`--token-file ${this.file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
    const token = parseTokenText(text)
    if (token === '') throw new AuthSetupError(`--token-file ${this.file}: the file is empty; expected a token or SLURM_JWT=<token>`)
    this.token = token
    this.version = version
  }
}

/** MintedTokens signs HS256 tokens with slurmrestd's key, as `scontrol token` does, and renews them at RENEW_AT_SHARE of their lifespan. */
class MintedTokens implements Credentials {
  readonly missing = false
  private key: Uint8Array | undefined
  private token: string | undefined
  private renewAtS = 0
  private minting: Promise<void> | undefined

  constructor(
    private readonly keyFile: string,
    private readonly user: string,
    private readonly lifespanS: number,
    private readonly bearer: boolean,
  ) {}

  async headers(): Promise<Record<string, string>> {
    if (this.token === undefined || Date.now() / 1000 >= this.renewAtS) await this.mintShared(false)
    return tokenHeaders(this.token as string, this.user, this.bearer)
  }

  async renew(): Promise<boolean> {
    const before = this.token
    // The key may have been rotated: read it again before minting.
    await this.mintShared(true)
    return this.token !== before
  }

  // Concurrent collectors that find the token due share one mint.
  private mintShared(rereadKey: boolean): Promise<void> {
    if (this.minting === undefined) {
      this.minting = this.mint(rereadKey).finally(() => {
        this.minting = undefined
      })
    }
    return this.minting
  }

  private async mint(rereadKey: boolean): Promise<void> {
    if (this.key === undefined || rereadKey) this.key = await readJwtKey(this.keyFile)
    const nowS = Math.floor(Date.now() / 1000)
    this.token = await new SignJWT({ sun: this.user })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + this.lifespanS)
      .sign(this.key)
    this.renewAtS = nowS + this.lifespanS * RENEW_AT_SHARE
  }
}

/** readJwtKey reads slurmrestd's HS256 key file; its bytes are the key, as slurmctld reads them. */
export async function readJwtKey(keyFile: string): Promise<Uint8Array> {
  let key: Buffer
  try {
    key = await readFile(keyFile)
  } catch (error) {
    throw new AuthSetupError(`--jwt-key-file ${keyFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  if (key.length === 0) throw new AuthSetupError(`--jwt-key-file ${keyFile}: the file is empty; expected slurmrestd's HS256 key (e.g. 32 random bytes)`)
  return new Uint8Array(key)
}
