// One request, start to end: faults, authentication, routing, the model clock, the response
// cache, then the endpoint's handler. The HTTP server (server.ts) only feeds it requests.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Random } from '../../common/prng.ts'
import { authenticate, TokenCache } from './auth.ts'
import type { Cluster } from './cluster/model.ts'
import type { ModelClock } from './clock.ts'
import { decideFault, FAULT_HEADER, FaultSpecError, parseFaultSpec } from './faults.ts'
import { AUTH_FAILURE, CONTROLLER_DOWN } from './failures.ts'
import { emptyPayload, ENDPOINT_INFO, handle, type HandlerContext, QueryError, sendFailure } from './handlers.ts'
import { drawLatencyMs } from './latency.ts'
import type { MockSlurmSettings } from './options.ts'
import { buildMeta } from './records/meta.ts'
import { type Reply, sendJsonBytes, sendPayload, sendText } from './reply.ts'
import { cacheKey, modelStamp, ResponseCache } from './response-cache.ts'
import { type TransportAnswers, transportAnswers } from './releases.ts'
import { matchRoute, type Route } from './routes.ts'
import { ResponseSerializers } from './serialize.ts'
import { type DataParserVersion, SUPPORTED_VERSIONS } from './versions.ts'

// Lists that stream record by record are never cached: they are large and change every event.
const STREAMED_ENDPOINTS = new Set(['jobs', 'job', 'jobsState', 'nodes', 'dbJobs'])

/** RequestHandler answers requests for one mock; it counts them for the MockSlurm handle. */
export class RequestHandler {
  /** requests counts the requests received. */
  requests = 0
  /** inFlight counts requests whose response is still being produced or sent. */
  inFlight = 0
  /** streamedBytes counts bytes handed to sockets by streamed bodies. */
  streamedBytes = 0

  private readonly serializers: Map<DataParserVersion, ResponseSerializers>
  private readonly tokenCache = new TokenCache()
  private readonly responseCache = new ResponseCache()
  private readonly ctx: HandlerContext
  private readonly transport: TransportAnswers
  private fdCounter = 10
  private readonly onWrite = (bytes: number) => {
    this.streamedBytes += bytes
  }

  constructor(
    private readonly settings: MockSlurmSettings,
    private readonly cluster: Cluster,
    private readonly clock: ModelClock,
    /** random draws the faults and truncation points. */
    private readonly random: Random,
  ) {
    this.serializers = new Map(SUPPORTED_VERSIONS.map((v) => [v, new ResponseSerializers(v)]))
    this.ctx = {
      cluster,
      release: `${settings.release.major}.${settings.release.minor}.${settings.release.micro}`,
      accounting: settings.accounting,
      unallocatedV41: Number(settings.release.major) * 100 + Number(settings.release.minor) < 2_411 ? {} : null,
      pingLatencyUs: 0,
    }
    this.transport = transportAnswers(settings.release)
  }

  /** onRequest answers one request; it keeps inFlight until the response closes and the producer returns. */
  async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++
    this.inFlight++
    // A streamed body that kept producing after the client left would be a leak: both must end.
    let pending = 2
    const settle = () => {
      if (--pending === 0) this.inFlight--
    }
    res.once('close', settle)
    try {
      await this.serve(req, res)
    } finally {
      settle()
    }
  }

  private clientSource(req: IncomingMessage): string {
    const socket = req.socket as Socket & { _handle?: { fd?: number } }
    const fd = socket._handle?.fd ?? this.fdCounter++
    return `${socket.remoteAddress ?? 'localhost'}:${req.socket.localPort ?? 0}(fd:${fd})`
  }

  private logRequest(req: IncomingMessage, res: ServerResponse): void {
    const startNs = process.hrtime.bigint()
    res.once('close', () => {
      const ms = Number(process.hrtime.bigint() - startNs) / 1e6
      this.settings.log(
        `${new Date().toISOString()} ${req.socket.remoteAddress ?? '-'} ${req.method} ${req.url} ${res.statusCode} ${ms.toFixed(1)}ms${res.writableFinished ? '' : ' (aborted)'}`,
      )
    })
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const s = this.settings
    const cluster = this.cluster
    if (s.logLevel === 'debug') this.logRequest(req, res)
    const rawUrl = req.url ?? '/'
    const q = rawUrl.indexOf('?')
    const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q)

    let faults = s.faults
    const faultHeader = req.headers[FAULT_HEADER]
    if (s.allowFaultHeader && faultHeader !== undefined) {
      try {
        faults = parseFaultSpec(Array.isArray(faultHeader) ? faultHeader.join(';') : faultHeader, s.faults)
      } catch (err) {
        if (err instanceof FaultSpecError) return sendText(res, 400, `X-Mock-Fault: ${err.message}\n`)
        throw err
      }
    }
    const action = decideFault(faults, this.random)
    if (action === 'reset') {
      req.socket.resetAndDestroy()
      return
    }
    if (action === 'hang') return // never answered; close() ends the connection

    const nowSec = Math.floor(Date.now() / 1000)
    const auth = s.auth ? authenticate(req.headers, s.jwtKey, nowSec, this.tokenCache) : ({ kind: 'ok', user: 'root' } as const)
    if (auth.kind === 'missing') return sendText(res, this.transport.missingAuth.status, this.transport.missingAuth.text)
    const route: Route | null = req.method === 'GET' || req.method === 'HEAD' ? matchRoute(pathname) : null
    // A version the release does not load, or slurmdbd's paths without accounting, are unknown URLs.
    if (route === null || !s.versions.includes(route.version) || (route.plugin === 'slurmdbd' && !s.accounting)) {
      return sendText(res, 404, this.transport.unknownUrlText)
    }
    const version = route.version
    const user = auth.kind === 'ok' ? auth.user : 'nobody'
    const source = this.clientSource(req)
    const truncateAtBytes = action === 'truncate' ? Math.floor(this.random() * 64 * 1024) : -1
    // Built only when an answer is produced, not for cache hits.
    const makeReply = (): Reply => ({
      res,
      serializers: this.serializers.get(version)!,
      meta: buildMeta({ plugin: route.plugin, version, release: s.release, cluster: cluster.name, accounting: s.accounting, clientSource: source, user }),
      body: { pretty: s.pretty, slowBodyBytesPerSec: faults.slowBodyBytesPerSec, truncateAtBytes, onWrite: this.onWrite },
    })
    const info = ENDPOINT_INFO[route.endpoint.name]
    if (faults.slurmctldDownMs >= 0 && route.plugin === 'slurmctld') {
      // slurmrestd retries the connection to slurmctld before it gives up (about 9 s in 24.11).
      if (faults.slurmctldDownMs > 0) await sleep(faults.slurmctldDownMs)
      if (res.destroyed) return
      return sendFailure(makeReply(), route.endpoint.name, CONTROLLER_DOWN)
    }
    if (auth.kind === 'invalid') return sendFailure(makeReply(), route.endpoint.name, AUTH_FAILURE)
    if (action === 'error') return sendText(res, faults.errorStatus, `Internal mock fault (HTTP ${faults.errorStatus})\n`)

    this.clock.catchUp()
    const records =
      info.kind === 'jobs' || info.kind === 'dbJobs' ? cluster.jobs.count : info.kind === 'nodes' ? cluster.nodes.count : cluster.partitions.length
    const latencyMs = drawLatencyMs(faults.latency, info.kind, records, this.random)
    // The reported ping latency moves with the model, not per request, so answers can be cached.
    this.ctx.pingLatencyUs = 150 + ((cluster.nowSec * 7_919 + cluster.events * 104_729) % 350)
    if (latencyMs > 0) {
      await sleep(latencyMs)
      if (res.destroyed) return
    }
    if (action === 'slurm-error') {
      return sendPayload(makeReply(), faults.slurmErrorStatus, info.kind, emptyPayload(route.endpoint.name), [
        { description: `Unable to query ${info.what}`, error_number: CONTROLLER_DOWN.errorNumber, error: CONTROLLER_DOWN.error, source: info.source },
      ])
    }
    const cacheable = !STREAMED_ENDPOINTS.has(route.endpoint.name) && q < 0 && faults.slowBodyBytesPerSec === 0 && truncateAtBytes < 0
    const key = cacheable ? cacheKey(pathname, version, user, source) : ''
    const stamp = cacheable ? modelStamp(cluster.nowSec, cluster.events) : ''
    if (cacheable) {
      const hit = this.responseCache.get(key, stamp)
      if (hit !== undefined) return sendJsonBytes(res, 200, hit)
    }
    const reply = makeReply()
    if (cacheable) {
      reply.capture = (status, text) => {
        if (status === 200) this.responseCache.set(key, stamp, Buffer.from(text))
      }
    }
    try {
      await handle(this.ctx, route.endpoint, new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)), reply)
    } catch (err) {
      if (!(err instanceof QueryError)) throw err
      sendPayload(reply, 400, info.kind, emptyPayload(route.endpoint.name), [
        { description: err.message, error_number: 9202, error: 'Data conversion failed', source: 'parse_http_query()' },
      ])
    }
  }
}
