// The HTTP server: authentication, routing, faults, then the endpoint handler.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { authenticate, DEFAULT_JWT_KEY, DEFAULT_TOKEN_LIFESPAN_SEC, mintToken, TokenCache } from './auth.ts'
import { Evolver } from './cluster/evolve.ts'
import { generateCluster } from './cluster/generate.ts'
import type { Cluster } from './cluster/model.ts'
import { type ClusterSize, MAX_USERS, type PresetName, PRESETS } from './cluster/presets.ts'
import { Prng } from '../../common/prng.ts'
import { decideFault, FAULT_HEADER, type FaultSpec, FaultSpecError, NO_FAULTS, parseFaultSpec } from './faults.ts'
import { emptyPayload, ENDPOINT_INFO, handle, type HandlerContext, QueryError } from './handlers.ts'
import { drawLatencyMs } from './latency.ts'
import { buildMeta, DEFAULT_RELEASE, type SlurmRelease } from './records/meta.ts'
import { type Reply, sendJsonBytes, sendPayload, sendText } from './reply.ts'
import { matchRoute, type Route } from './routes.ts'
import { ResponseSerializers } from './serialize.ts'
import { type DataParserVersion, SUPPORTED_VERSIONS } from './versions.ts'
import { listen } from '../../common/listen.ts'

/** LogLevel orders the server's log output; requests are logged only at `debug`. */
export type LogLevel = 'error' | 'info' | 'debug'

/** MockSlurmOptions configure startMockSlurm; every field has a default. */
export interface MockSlurmOptions {
  /** host to bind (default 127.0.0.1). */
  host?: string
  /** port to bind (default 0: an ephemeral port). */
  port?: number
  /** preset sizes the cluster (default small); nodes/jobs/users override it. */
  preset?: PresetName
  nodes?: number
  jobs?: number
  users?: number
  /** seed makes the cluster deterministic (default 1). */
  seed?: number
  /** clusterName appears in meta.slurm.cluster and records (default "cluster"). */
  clusterName?: string
  /** epochSec is the generation time (default: now); fix it for byte-identical output. */
  epochSec?: number
  /** changeRatePerSec is how many state changes happen per second of wall time (default 2). */
  changeRatePerSec?: number
  /** frozenClock keeps model time at epochSec; changes then come only from advance(). */
  frozenClock?: boolean
  /** auth turns rest_auth/jwt on (default true). */
  auth?: boolean
  /** jwtKey is the HS256 key (default DEFAULT_JWT_KEY). */
  jwtKey?: string
  /** json is the body format: slurmrestd's default pretty, or compact (SLURMRESTD_JSON=compact). */
  json?: 'pretty' | 'compact'
  /** faults are server-wide fault defaults, as a FaultSpec or `key=value;…` text. */
  faults?: FaultSpec | string
  /** allowFaultHeader honours the per-request X-Mock-Fault header (default true). */
  allowFaultHeader?: boolean
  /** release is the Slurm release in meta (default 25.11.0). */
  release?: SlurmRelease
  logLevel?: LogLevel
  /** log receives log lines (default: stderr). */
  log?: (line: string) => void
}

/** MockSlurm is a running mock slurmrestd. */
export interface MockSlurm {
  /** url is the base URL, e.g. http://127.0.0.1:6820 (no trailing slash). */
  url: string
  host: string
  port: number
  cluster: Cluster
  versions: readonly DataParserVersion[]
  /** token mints a valid JWT for `user` (default root) with this server's key. */
  token(user?: string, lifespanSec?: number): string
  /** authHeaders returns the X-SLURM-USER-NAME/TOKEN headers for `user` (default root). */
  authHeaders(user?: string): Record<string, string>
  /** advance applies `events` state changes one model second later (also with a frozen clock). */
  advance(events: number): void
  /** requests counts the requests received. */
  readonly requests: number
  /** inFlight counts requests whose response is still being produced or sent. */
  readonly inFlight: number
  /** streamedBytes counts bytes handed to sockets by streamed bodies (for backpressure checks). */
  readonly streamedBytes: number
  /** close stops the server, ending open connections (hanging requests included). */
  close(): Promise<void>
}

const UNKNOWN_URL_TEXT =
  "Unable to find requested URL endpoint. Please query the '/openapi/v3' endpoint or visit 'https://slurm.schedmd.com/rest_api.html' for the OpenAPI specification which includes a list of all possible slurmrestd endpoints."
const NO_AUTH_TEXT = 'Authentication does not apply to request'
// A request that has waited this long for catch-up events applies no more: a server idle for a
// day must not stall its next request replaying 170,000 changes.
const MAX_CATCHUP_EVENTS = 10_000
const DEFAULT_CHANGE_RATE_PER_SEC = 2
const JOBS_PER_USER = 33
const MIN_USERS = 8
const FAULT_SEED_STREAM = 0x5eed
// Small answers are kept per (path, version, user, client) until the model changes: serializing and
// pretty-printing a 730-byte /ping cost 3× a bare server's whole request in a profile, and
// exporters ask the same small questions every scrape. Cleared when full.
const RESPONSE_CACHE_ENTRIES = 2_048
const STREAMED_ENDPOINTS = new Set(['jobs', 'job', 'jobsState', 'nodes', 'dbJobs'])

/** startMockSlurm generates the cluster and starts the server; it resolves once listening. */
export async function startMockSlurm(options: MockSlurmOptions = {}): Promise<MockSlurm> {
  const preset: ClusterSize = PRESETS[options.preset ?? 'small']
  const seed = options.seed ?? 1
  const startMs = Date.now()
  const epochSec = options.epochSec ?? Math.floor(startMs / 1000)
  const jobs = options.jobs ?? preset.jobs
  const cluster = generateCluster({
    nodes: options.nodes ?? preset.nodes,
    jobs,
    // Explicit job counts get users in the presets' proportion (≈ 1 per 33 jobs), within bounds.
    users: options.users ?? (options.jobs === undefined ? preset.users : Math.min(MAX_USERS, Math.max(MIN_USERS, Math.ceil(jobs / JOBS_PER_USER)))),
    seed,
    clusterName: options.clusterName ?? 'cluster',
    epochSec,
  })
  const evolver = new Evolver(cluster)
  const rate = options.changeRatePerSec ?? DEFAULT_CHANGE_RATE_PER_SEC
  if (!(rate >= 0)) throw new RangeError(`changeRatePerSec must be ≥ 0, got ${rate}`)
  let eventsApplied = 0
  const release = options.release ?? DEFAULT_RELEASE
  const releaseText = `${release.major}.${release.minor}.${release.micro}`
  const jwtKey = options.jwtKey ?? DEFAULT_JWT_KEY
  const authOn = options.auth ?? true
  const pretty = (options.json ?? 'pretty') === 'pretty'
  const baseFaults = typeof options.faults === 'string' ? parseFaultSpec(options.faults) : (options.faults ?? NO_FAULTS)
  const allowFaultHeader = options.allowFaultHeader ?? true
  const logLevel = options.logLevel ?? 'info'
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'))
  const serializers = new Map<DataParserVersion, ResponseSerializers>(SUPPORTED_VERSIONS.map((v) => [v, new ResponseSerializers(v)]))
  const faultRng = new Prng(seed ^ FAULT_SEED_STREAM)
  const random = () => faultRng.next()
  const tokenCache = new TokenCache()
  const responseCache = new Map<string, { stamp: string; body: Buffer }>()
  const ctx: HandlerContext = { cluster, release: releaseText, pingLatencyUs: 0 }
  let requests = 0
  let inFlight = 0
  let streamedBytes = 0
  const onWrite = (bytes: number) => {
    streamedBytes += bytes
  }
  let fdCounter = 10

  function catchUp(): void {
    if (options.frozenClock === true) return
    const elapsedSec = (Date.now() - startMs) / 1000
    const target = Math.floor(elapsedSec * rate)
    const due = Math.min(target - eventsApplied, MAX_CATCHUP_EVENTS)
    evolver.advance(epochSec + elapsedSec, Math.max(0, due))
    eventsApplied = Math.max(eventsApplied + Math.max(0, due), target - MAX_CATCHUP_EVENTS)
  }

  function clientSource(req: IncomingMessage, local: number): string {
    const socket = req.socket as Socket & { _handle?: { fd?: number } }
    const fd = socket._handle?.fd ?? fdCounter++
    return `${socket.remoteAddress ?? 'localhost'}:${local}(fd:${fd})`
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++
    inFlight++
    // A request is in flight until its response is closed and its producer has returned: a
    // streamed body that kept producing after the client left would be a leak.
    let pending = 2
    const settle = () => {
      if (--pending === 0) inFlight--
    }
    res.once('close', settle)
    try {
      await serve(req, res)
    } finally {
      settle()
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (logLevel === 'debug') {
      const startNs = process.hrtime.bigint()
      res.once('close', () => {
        const ms = Number(process.hrtime.bigint() - startNs) / 1e6
        log(
          `${new Date().toISOString()} ${req.socket.remoteAddress ?? '-'} ${req.method} ${req.url} ${res.statusCode} ${ms.toFixed(1)}ms${res.writableFinished ? '' : ' (aborted)'}`,
        )
      })
    }
    const rawUrl = req.url ?? '/'
    const q = rawUrl.indexOf('?')
    const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q)

    let faults = baseFaults
    const faultHeader = req.headers[FAULT_HEADER]
    if (allowFaultHeader && faultHeader !== undefined) {
      try {
        faults = parseFaultSpec(Array.isArray(faultHeader) ? faultHeader.join(';') : faultHeader, baseFaults)
      } catch (err) {
        if (err instanceof FaultSpecError) return sendText(res, 400, `X-Mock-Fault: ${err.message}\n`)
        throw err
      }
    }
    const action = decideFault(faults, random)
    if (action === 'reset') {
      req.socket.resetAndDestroy()
      return
    }
    if (action === 'hang') return // never answered; close() ends the connection

    const nowSec = Math.floor(Date.now() / 1000)
    const auth = authOn ? authenticate(req.headers, jwtKey, nowSec, tokenCache) : ({ kind: 'ok', user: 'root' } as const)
    if (auth.kind === 'missing') return sendText(res, 500, NO_AUTH_TEXT)
    const route: Route | null = req.method === 'GET' || req.method === 'HEAD' ? matchRoute(pathname) : null
    if (route === null) return sendText(res, 404, UNKNOWN_URL_TEXT)
    const version = route.version
    const user = auth.kind === 'ok' ? auth.user : 'nobody'
    const source = clientSource(req, req.socket.localPort ?? 0)
    const truncateAtBytes = action === 'truncate' ? Math.floor(random() * 64 * 1024) : -1
    // Built only when an answer is produced, not for cache hits.
    const makeReply = (): Reply => ({
      res,
      serializers: serializers.get(version)!,
      meta: buildMeta({ plugin: route.plugin, version, release, cluster: cluster.name, clientSource: source, user }),
      body: { pretty, slowBodyBytesPerSec: faults.slowBodyBytesPerSec, truncateAtBytes, onWrite },
    })
    const info = ENDPOINT_INFO[route.endpoint.name]
    if (auth.kind === 'invalid') {
      return sendPayload(makeReply(), 511, info.kind, emptyPayload(route.endpoint.name), [
        { description: `Unable to query ${info.what}`, error_number: 1007, error: 'Protocol authentication error', source: info.source },
      ])
    }
    if (action === 'error') return sendText(res, faults.errorStatus, `Internal mock fault (HTTP ${faults.errorStatus})\n`)

    catchUp()
    const records =
      info.kind === 'jobs' || info.kind === 'dbJobs' ? cluster.jobs.count : info.kind === 'nodes' ? cluster.nodes.count : cluster.partitions.length
    const latencyMs = drawLatencyMs(faults.latency, info.kind, records, random)
    // The reported ping latency moves with the model, not per request, so answers can be cached.
    ctx.pingLatencyUs = 150 + ((cluster.nowSec * 7_919 + cluster.events * 104_729) % 350)
    if (latencyMs > 0) {
      await sleep(latencyMs)
      if (res.destroyed) return
    }
    if (action === 'slurm-error') {
      return sendPayload(makeReply(), faults.slurmErrorStatus, info.kind, emptyPayload(route.endpoint.name), [
        { description: `Unable to query ${info.what}`, error_number: 1001, error: 'Unable to contact slurm controller (connect failure)', source: info.source },
      ])
    }
    const cacheable = !STREAMED_ENDPOINTS.has(route.endpoint.name) && q < 0 && faults.slowBodyBytesPerSec === 0 && truncateAtBytes < 0
    let key = ''
    let stamp = ''
    if (cacheable) {
      key = `${pathname}|${version}|${user}|${source}`
      stamp = `${cluster.nowSec}:${cluster.events}`
      const hit = responseCache.get(key)
      if (hit !== undefined && hit.stamp === stamp) return sendJsonBytes(res, 200, hit.body)
    }
    const reply = makeReply()
    if (cacheable) {
      reply.capture = (status, text) => {
        if (status !== 200) return
        if (responseCache.size >= RESPONSE_CACHE_ENTRIES) responseCache.clear()
        responseCache.set(key, { stamp, body: Buffer.from(text) })
      }
    }
    try {
      await handle(ctx, route.endpoint, new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)), reply)
    } catch (err) {
      if (!(err instanceof QueryError)) throw err
      sendPayload(reply, 400, info.kind, emptyPayload(route.endpoint.name), [
        { description: err.message, error_number: 9202, error: 'Data conversion failed', source: 'parse_http_query()' },
      ])
    }
  }

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      // A bug must cost one request, never the server.
      log(`error: ${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
      if (!res.headersSent) sendText(res, 500, 'Internal error\n')
      else res.destroy()
    })
  })
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // Malformed requests and oversized headers: answer as an HTTP server must, never crash.
    if (!socket.writable) return socket.destroy()
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`)
  })
  const { host, port, url } = await listen(server, options.port, options.host)
  return {
    url,
    host,
    port,
    cluster,
    versions: SUPPORTED_VERSIONS,
    token: (user = 'root', lifespanSec = DEFAULT_TOKEN_LIFESPAN_SEC) => mintToken(jwtKey, user, lifespanSec),
    authHeaders: (user = 'root') => ({ 'X-SLURM-USER-NAME': user, 'X-SLURM-USER-TOKEN': mintToken(jwtKey, user) }),
    // One model second passes per call, so last_update moves and update_time sees the change.
    advance: (events: number) => evolver.advance(cluster.nowSec + 1, events),
    get requests() {
      return requests
    },
    get inFlight() {
      return inFlight
    },
    get streamedBytes() {
      return streamedBytes
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
