// The HTTP server: generates the cluster, then feeds each request to the request handler.
import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { listen } from '../../common/listen.ts'
import { Prng } from '../../common/prng.ts'
import { DEFAULT_TOKEN_LIFESPAN_SEC, mintToken } from './auth.ts'
import { ModelClock } from './clock.ts'
import { Evolver } from './cluster/evolve.ts'
import { generateCluster } from './cluster/generate.ts'
import type { Cluster } from './cluster/model.ts'
import { type MockSlurmOptions, resolveOptions } from './options.ts'
import { sendText } from './reply.ts'
import { RequestHandler } from './request-handler.ts'
import { type DataParserVersion, SUPPORTED_VERSIONS } from './versions.ts'

export type { LogLevel, MockSlurmOptions } from './options.ts'

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

// Faults draw from their own stream, so adding a fault does not change the cluster.
const FAULT_SEED_STREAM = 0x5eed

/** startMockSlurm generates the cluster and starts the server; it resolves once listening. */
export async function startMockSlurm(options: MockSlurmOptions = {}): Promise<MockSlurm> {
  const startMs = Date.now()
  const settings = resolveOptions(options, startMs)
  const cluster = generateCluster(settings.cluster)
  if (!settings.licenses) cluster.licenses = []
  const evolver = new Evolver(cluster)
  const clock = new ModelClock(evolver, {
    startMs,
    epochSec: settings.cluster.epochSec,
    changeRatePerSec: settings.changeRatePerSec,
    frozen: settings.frozenClock,
  })
  const faultRng = new Prng(settings.cluster.seed ^ FAULT_SEED_STREAM)
  const handler = new RequestHandler(settings, cluster, clock, faultRng.next)
  const { jwtKey, log } = settings

  const server: Server = createServer((req, res) => {
    handler.onRequest(req, res).catch((err: unknown) => {
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
  const { host, port, url } = await listen(server, settings.port, settings.host)
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
      return handler.requests
    },
    get inFlight() {
      return handler.inFlight
    },
    get streamedBytes() {
      return handler.streamedBytes
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
