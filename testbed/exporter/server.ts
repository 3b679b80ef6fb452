// The exporter's HTTP face: /metrics (text 0.0.4 or OpenMetrics by Accept), /health (liveness),
// /ready (every enabled collector's last run succeeded), and an index.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { CollectionLoop } from './collection.ts'
import { contentTypeOf, negotiateFormat } from './exposition.ts'
import { acceptsGzip } from './gzip-body.ts'

const INDEX_HTML =
  '<html><head><title>Slurm exporter</title></head><body><h1>Slurm exporter</h1><p><a href="/metrics">Metrics</a> · <a href="/health">Health</a> · <a href="/ready">Ready</a></p></body></html>\n'

/** createExporterServer returns an HTTP server (not yet listening) that answers from `loop`. */
export function createExporterServer(loop: CollectionLoop): Server {
  return createServer((request, response) => {
    handle(loop, request, response).catch((error: unknown) => {
      // Collectors never reject (their failures become error counters), so this is a bug or a
      // closed socket; answer 500 if the headers are not out yet.
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        response.end(`error: ${(error as Error).message}\n`)
      } else response.destroy()
    })
  })
}

async function handle(loop: CollectionLoop, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0]
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
    response.end('method not allowed\n')
    return
  }
  switch (path) {
    case '/metrics': {
      const format = negotiateFormat(request.headers.accept)
      // Prometheus asks for gzip; the families are compressed once per collection, not per scrape.
      const gzip = acceptsGzip(request.headers['accept-encoding'])
      const chunks = await loop.exposition(format, gzip)
      response.writeHead(200, {
        'content-type': contentTypeOf(format),
        vary: 'accept-encoding',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      })
      if (request.method === 'HEAD') {
        response.end()
        return
      }
      for (const chunk of chunks) {
        // Respect backpressure: a slow scraper must not make the exporter buffer everything twice.
        if (!response.write(chunk)) await new Promise<void>((resolve) => response.once('drain', resolve))
        if (response.destroyed) return
      }
      response.end()
      return
    }
    case '/ready': {
      // Readiness: 503 while any enabled collector's last run failed or none has succeeded yet,
      // naming them and why; /health stays liveness only (the process answers).
      const failing = await loop.notReady()
      const ready = failing.length === 0
      response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
      response.end(
        `${JSON.stringify(ready ? { status: 'ready' } : { status: 'not ready', failing: Object.fromEntries(failing.map((f) => [f.collector, f.reason])) })}\n`,
      )
      return
    }
    case '/health':
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end('{"status":"ok"}\n')
      return
    case '/':
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end(INDEX_HTML)
      return
    default:
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      response.end('not found; try /metrics, /health or /ready\n')
  }
}
