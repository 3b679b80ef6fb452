// Small node:http servers for the load tests: well-behaved, stalling, failing in each way a
// target can fail, and one that records how many requests it holds at once.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** TestServer is a running server. */
export interface TestServer {
  readonly url: string
  /** Most requests in progress at once. */
  readonly peakConcurrency: () => number
  readonly requests: () => number
  close(): Promise<void>
}

/** Handler answers one request; `n` counts requests from 0. */
export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void

/** BODY is a small JSON answer. */
export const BODY = JSON.stringify({ meta: { plugin: 'test' }, pings: [{ hostname: 'ctl', pinged: 'UP' }] })

/** ok answers 200 with BODY. */
export const ok: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) })
  res.end(BODY)
}

/** answerAfter answers with `handler` once `delayMs` has passed. */
export function answerAfter(delayMs: number, handler: Handler = ok): Handler {
  return (req, res, n) => {
    setTimeout(() => handler(req, res, n), delayMs)
  }
}

/** startServer starts `handler` on 127.0.0.1 and an ephemeral port. */
export async function startServer(handler: Handler): Promise<TestServer> {
  let inProgress = 0
  let peak = 0
  let count = 0
  const server = createServer((req, res) => {
    inProgress++
    peak = Math.max(peak, inProgress)
    res.on('close', () => inProgress--)
    handler(req, res, count++)
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/x`,
    peakConcurrency: () => peak,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
