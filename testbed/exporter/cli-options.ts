// The exporter CLI's flags → ExporterOptions. Pure: no I/O, so every bad flag is tested.

import { parseArgs } from 'node:util'
import { COLLECTION_MODES, DEFAULT_CACHE_TTL_MS, type CollectionMode } from './collection.ts'
import { COLLECTOR_NAMES, type CollectorName } from './collector.ts'
import type { ExporterOptions } from './index.ts'
import { compilePattern, PatternError, type RegexEngine } from './regex-engine.ts'
import type { LabelRule } from './series-policy.ts'
import { DEFAULT_JWT_LIFESPAN_S, tokenUser, type SlurmAuth } from './slurm-auth.ts'
import { DEFAULT_REQUEST_TIMEOUT_MS, SLURM_API_VERSIONS, type ApiVersionChoice } from './slurm-client.ts'

/** DEFAULT_PORT is the CLI's listening port (the library's default is any free port). */
export const DEFAULT_PORT = 9341
/** DEFAULT_MOCK_PRESET is the embedded mock's size when no --slurm-url is given. */
export const DEFAULT_MOCK_PRESET = 'small'

/** USAGE is the CLI's --help text. */
export const USAGE = `Usage: npm run exporter -- [flags]

The reference Slurm exporter: reads slurmrestd and serves Prometheus metrics at /metrics
(text 0.0.4, or OpenMetrics 1.0 when the Accept header asks; gzip when Accept-Encoding asks),
/health (liveness) and /ready (503 naming the collectors whose last run failed).
Without --slurm-url it starts an embedded mock slurmrestd, so it runs with no setup.

Flags:
  --slurm-url URL            slurmrestd base URL, e.g. http://127.0.0.1:6820 (default: embedded mock)
  --mock-preset NAME         size of the embedded mock: tiny, small, medium, large, xl (default ${DEFAULT_MOCK_PRESET})
  --api-version V            data_parser version: auto, ${SLURM_API_VERSIONS.join(', ')}
                             (default auto: the newest the server answers, found at the first
                             collection and logged)
  --user NAME                X-SLURM-USER-NAME for JWT auth (default $SLURM_USER, else the token's user)
  --token JWT                X-SLURM-USER-TOKEN (default $SLURM_JWT); with --bearer, sent as Authorization: Bearer
  --token-file FILE          read the token from FILE (a bare token, or SLURM_JWT=… as scontrol token
                             prints it); re-read when it changes and after a 401/511, then the request
                             is sent once more
  --jwt-key-file FILE        mint tokens with slurmrestd's HS256 key (the jwt_hs256.key file), renewed
                             at half their lifespan; needs read access to the key
  --jwt-user NAME            user the minted tokens name (default root)
  --jwt-lifespan D           lifespan of a minted token (default ${DEFAULT_JWT_LIFESPAN_S / 60}m, as scontrol token)
  --bearer                   send the token as a Bearer token instead of the X-SLURM-* headers
  --host ADDR                address to listen on (default 127.0.0.1)
  --port N                   port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --debug-listen HOST:PORT   serve /debug/pprof/ (CPU profile, sampled heap, heap snapshot) for go
                             tool pprof on this separate address (default off; never the metrics
                             port; the heap sampler runs while it is on)
  --collectors LIST          comma-separated: ${COLLECTOR_NAMES.join(',')} (default all)
  --per-job                  add per-job series (high cardinality)
  --no-per-node              leave out per-node series
  --scrape-timeout D         deadline of an on-demand collection, e.g. 10s, 500ms; auto mode
                             moves to the background past half of it (default 10s)
  --collection-mode MODE     when to collect (default auto):
                               on-demand   each scrape collects (concurrent scrapes share one)
                               background  collect back to back; scrapes get the latest collection
                               auto        on demand until a collector that works takes more than
                                           half the scrape timeout (failures do not count), then
                                           background (logged once)
  --refresh-interval D       pause between background collections (default: the cache TTL, at
                             least 1s); given without --collection-mode, it selects background
                             (0s: on demand)
  --background-timeout D     deadline of one background collection (default 5m)
  --cache-ttl D              serve an on-demand collection to further scrapes for this long, so
                             bursts of scrapes (HA Prometheus pairs, dashboards) share one read of
                             slurmrestd; data is at most this plus one collection old
                             (default ${DEFAULT_CACHE_TTL_MS / 1000}s; 0s: every scrape collects)
  --allow RE                 keep only metric names matching RE (anchored; repeatable)
  --deny RE                  drop metric names matching RE (anchored; repeatable)
  --label-rule RULE          keep:LABEL:RE, drop:LABEL:RE or replace:LABEL:RE:REPLACEMENT (repeatable)
  --max-series-per-family N  cardinality limit per family (default 500000; 0 = none)
  --regex-engine E           re2 (linear time) or regexp (default re2)
  --connections N            sockets to slurmrestd (default 8)
  --request-timeout D        limit per request attempt in on-demand collections, and on any
                             gap within an answer's body (default 9.5s: slurmrestd's 502 for a
                             slurmctld that is down comes after ~9 s); a background attempt waits
                             for headers up to 4x the slowest its endpoint answered with
                             (at least this), and may stream up to --background-timeout
  --retries N                retries per GET after a connection error, timeout or 502/503/504, when
                             the attempt took under half its limit (default 2); never after
                             401/511 or another 4xx/500; a collector that fails backs off
                             (1 s doubling to 1 min, with jitter) and is logged once per change
  -h, --help                 show this help
`

/** CliOptionsError is a bad flag: the CLI prints its message and exits 2. */
export class CliOptionsError extends Error {
  override name = 'CliOptionsError'
}

/** CliPlan is what the CLI will do: start the exporter with these options, against this URL or an embedded mock. */
export type CliPlan =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'run'
      readonly options: Omit<ExporterOptions, 'slurmUrl'>
      readonly slurmUrl: string | undefined
      readonly mockPreset: string
      /** --debug-listen: where the /debug/pprof/ endpoints listen; absent when off. */
      readonly debugListen?: { readonly host: string; readonly port: number }
    }

function readArgs(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'slurm-url': { type: 'string' },
        'mock-preset': { type: 'string', default: DEFAULT_MOCK_PRESET },
        'api-version': { type: 'string', default: 'auto' },
        user: { type: 'string' },
        token: { type: 'string' },
        'token-file': { type: 'string' },
        'jwt-key-file': { type: 'string' },
        'jwt-user': { type: 'string' },
        'jwt-lifespan': { type: 'string' },
        bearer: { type: 'boolean', default: false },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: String(DEFAULT_PORT) },
        'debug-listen': { type: 'string' },
        collectors: { type: 'string' },
        'per-job': { type: 'boolean', default: false },
        'no-per-node': { type: 'boolean', default: false },
        'scrape-timeout': { type: 'string', default: '10s' },
        'cache-ttl': { type: 'string', default: `${DEFAULT_CACHE_TTL_MS}ms` },
        'collection-mode': { type: 'string' },
        'refresh-interval': { type: 'string' },
        'background-timeout': { type: 'string', default: '5m' },
        allow: { type: 'string', multiple: true, default: [] },
        deny: { type: 'string', multiple: true, default: [] },
        'label-rule': { type: 'string', multiple: true, default: [] },
        'max-series-per-family': { type: 'string', default: '500000' },
        'regex-engine': { type: 'string', default: 're2' },
        connections: { type: 'string', default: '8' },
        'request-timeout': { type: 'string', default: `${DEFAULT_REQUEST_TIMEOUT_MS}ms` },
        retries: { type: 'string', default: '2' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    throw new CliOptionsError(`${(error as Error).message} (see --help)`)
  }
}

/** parseCliOptions reads argv (without node and script) and the environment. */
export function parseCliOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CliPlan {
  const parsed = readArgs(argv)
  const v = parsed.values
  if (v.help) return { kind: 'help' }

  const slurmUrl = v['slurm-url']
  if (slurmUrl !== undefined && !/^https?:\/\/[^/]/.test(slurmUrl)) {
    throw new CliOptionsError(`--slurm-url: found ${JSON.stringify(slurmUrl)}, expected an http:// or https:// URL`)
  }
  const apiVersion = v['api-version'] as string
  if (apiVersion !== 'auto' && !(SLURM_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    throw new CliOptionsError(`--api-version: found ${JSON.stringify(apiVersion)}, expected auto or one of ${SLURM_API_VERSIONS.join(', ')}`)
  }
  const refreshIntervalMs = v['refresh-interval'] === undefined ? undefined : durationMs('--refresh-interval', v['refresh-interval'])
  const collectionMode = collectionModeFrom(v['collection-mode'], refreshIntervalMs)
  const engine = v['regex-engine'] as string
  if (engine !== 're2' && engine !== 'regexp') throw new CliOptionsError(`--regex-engine: found ${JSON.stringify(engine)}, expected re2 or regexp`)
  const labelRules = (v['label-rule'] as string[]).map(labelRuleFrom)
  // Checked here, before the CLI starts anything (an embedded mock, a listener).
  checkPatterns('--allow', v.allow as string[], engine)
  checkPatterns('--deny', v.deny as string[], engine)
  checkPatterns(
    '--label-rule',
    labelRules.map((rule) => rule.regex),
    engine,
  )

  const port = integer('--port', v.port as string, 0, 65_535)
  const debugListen = v['debug-listen'] === undefined ? undefined : debugListenFrom(v['debug-listen'], v.host as string, port)
  return {
    kind: 'run',
    slurmUrl,
    mockPreset: v['mock-preset'] as string,
    ...(debugListen === undefined ? {} : { debugListen }),
    options: {
      apiVersion: apiVersion as ApiVersionChoice,
      auth: authFrom(v, env),
      host: v.host as string,
      port,
      collectors: v.collectors === undefined ? undefined : collectorsFrom(v.collectors),
      perJobSeries: v['per-job'] as boolean,
      perNodeSeries: !(v['no-per-node'] as boolean),
      scrapeTimeoutMs: durationMs('--scrape-timeout', v['scrape-timeout'] as string),
      cacheTtlMs: durationMs('--cache-ttl', v['cache-ttl'] as string),
      collectionMode,
      refreshIntervalMs,
      backgroundTimeoutMs: positiveDurationMs('--background-timeout', v['background-timeout'] as string),
      allow: v.allow as string[],
      deny: v.deny as string[],
      labelRules,
      maxSeriesPerFamily: integer('--max-series-per-family', v['max-series-per-family'] as string, 0, Number.MAX_SAFE_INTEGER),
      regexEngine: engine as RegexEngine,
      connections: integer('--connections', v.connections as string, 1, 1_024),
      requestTimeoutMs: durationMs('--request-timeout', v['request-timeout'] as string),
      retries: integer('--retries', v.retries as string, 0, 10),
    },
  }
}

/** debugListenFrom reads --debug-listen HOST:PORT ([v6]:PORT); it may not be the metrics address. */
export function debugListenFrom(text: string, metricsHost: string, metricsPort: number): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text)
  if (match === null) throw new CliOptionsError(`--debug-listen: found ${JSON.stringify(text)}, expected HOST:PORT such as 127.0.0.1:6060`)
  const host = (match[1] ?? match[2]) as string
  const port = integer('--debug-listen', match[3] as string, 0, 65_535)
  // Port 0 is a free port of its own, never the metrics one.
  if (port !== 0 && port === metricsPort && (host === metricsHost || host === '0.0.0.0' || metricsHost === '0.0.0.0')) {
    throw new CliOptionsError(
      `--debug-listen: ${text} is the metrics address (--host ${metricsHost} --port ${metricsPort}); profiles are served on a port of their own`,
    )
  }
  return { host, port }
}

interface AuthFlags {
  readonly user?: string | undefined
  readonly token?: string | undefined
  readonly 'token-file'?: string | undefined
  readonly 'jwt-key-file'?: string | undefined
  readonly 'jwt-user'?: string | undefined
  readonly 'jwt-lifespan'?: string | undefined
  readonly bearer?: boolean | undefined
}

// One source of token: --token, --token-file or --jwt-key-file (SLURM_JWT only when none is given).
function authFrom(v: AuthFlags, env: NodeJS.ProcessEnv): SlurmAuth {
  const bearer = v.bearer ?? false
  const user = v.user ?? env['SLURM_USER']
  const given = (['token', 'token-file', 'jwt-key-file'] as const).filter((flag) => v[flag] !== undefined)
  if (given.length > 1) throw new CliOptionsError(`--${given[0]} and --${given[1]}: give one source of tokens, not ${given.length}`)
  if (v['jwt-key-file'] === undefined) {
    for (const flag of ['jwt-user', 'jwt-lifespan'] as const) {
      if (v[flag] !== undefined) throw new CliOptionsError(`--${flag}: applies to minted tokens; give --jwt-key-file too`)
    }
  }
  const tokenFile = v['token-file']
  if (tokenFile !== undefined) {
    if (tokenFile === '') throw new CliOptionsError('--token-file: empty path')
    return { kind: 'token-file', file: tokenFile, ...(user ? { user } : {}), bearer }
  }
  const keyFile = v['jwt-key-file']
  if (keyFile !== undefined) {
    if (keyFile === '') throw new CliOptionsError('--jwt-key-file: empty path')
    const lifespanMs = v['jwt-lifespan'] === undefined ? DEFAULT_JWT_LIFESPAN_S * 1000 : durationMs('--jwt-lifespan', v['jwt-lifespan'])
    if (lifespanMs < 2_000) throw new CliOptionsError(`--jwt-lifespan: found ${JSON.stringify(v['jwt-lifespan'])}, expected at least 2s`)
    return { kind: 'jwt-key', keyFile, user: v['jwt-user'] ?? 'root', lifespanS: Math.round(lifespanMs / 1000), bearer }
  }
  const token = v.token ?? env['SLURM_JWT']
  if (token === undefined || token === '') {
    if (bearer) throw new CliOptionsError('--bearer: no token; set --token-file, --token or SLURM_JWT')
    return { kind: 'none' }
  }
  if (bearer) return { kind: 'bearer', token }
  // slurmrestd takes the user from the token; X-SLURM-USER-NAME names it (or another user, for root and SlurmUser).
  const name = user || tokenUser(token)
  if (name === undefined || name === '')
    throw new CliOptionsError('--token: X-SLURM-USER-TOKEN needs a user name; give --user or set SLURM_USER (or use --bearer)')
  return { kind: 'user-token', user: name, token }
}

// --refresh-interval alone means background collection, as before --collection-mode existed
// (0s alone: on demand); with --collection-mode on-demand it would be silently ignored, so it is refused.
function collectionModeFrom(mode: string | undefined, refreshIntervalMs: number | undefined): CollectionMode {
  if (mode === undefined) {
    if (refreshIntervalMs === undefined) return 'auto'
    return refreshIntervalMs > 0 ? 'background' : 'on-demand'
  }
  if (!(COLLECTION_MODES as readonly string[]).includes(mode)) {
    throw new CliOptionsError(`--collection-mode: found ${JSON.stringify(mode)}, expected one of ${COLLECTION_MODES.join(', ')}`)
  }
  if (mode === 'on-demand' && refreshIntervalMs !== undefined) {
    throw new CliOptionsError('--refresh-interval: applies to background and auto collection, not --collection-mode on-demand')
  }
  return mode as CollectionMode
}

function collectorsFrom(list: string): CollectorName[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  for (const name of names) {
    if (!(COLLECTOR_NAMES as readonly string[]).includes(name)) {
      throw new CliOptionsError(`--collectors: found ${JSON.stringify(name)}, expected names from ${COLLECTOR_NAMES.join(',')}`)
    }
  }
  if (names.length === 0) throw new CliOptionsError('--collectors: empty list')
  return names as CollectorName[]
}

function checkPatterns(flag: string, patterns: readonly string[], engine: RegexEngine): void {
  for (const pattern of patterns) {
    try {
      compilePattern(pattern, engine)
    } catch (error) {
      if (error instanceof PatternError) throw new CliOptionsError(`${flag}: ${error.message}`)
      throw error
    }
  }
}

function labelRuleFrom(rule: string): LabelRule {
  const [action, label, ...rest] = rule.split(':')
  if ((action === 'keep' || action === 'drop') && label && rest.length > 0) return { action, label, regex: rest.join(':') }
  if (action === 'replace' && label && rest.length >= 2) {
    return { action, label, regex: rest.slice(0, -1).join(':'), replacement: rest[rest.length - 1] as string }
  }
  throw new CliOptionsError(`--label-rule: found ${JSON.stringify(rule)}, expected keep:LABEL:RE, drop:LABEL:RE or replace:LABEL:RE:REPLACEMENT`)
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new CliOptionsError(`${flag}: found ${JSON.stringify(text)}, expected an integer from ${min} to ${max}`)
  return value
}

function positiveDurationMs(flag: string, text: string): number {
  const ms = durationMs(flag, text)
  if (ms <= 0) throw new CliOptionsError(`${flag}: found ${JSON.stringify(text)}, expected a duration above 0`)
  return ms
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000 }

/** durationMs reads "500ms", "10s", "1.5m" (a bare number is milliseconds). */
export function durationMs(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text)
  if (match === null) throw new CliOptionsError(`${flag}: found ${JSON.stringify(text)}, expected a duration such as 500ms, 10s or 1m`)
  return Math.round(Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? 'ms'] as number))
}
