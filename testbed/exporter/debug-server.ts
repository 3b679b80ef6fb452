// The exporter's profiling endpoints, on their own listener (--debug-listen, off by default and
// never the metrics port), shaped as Go's net/http/pprof so `go tool pprof http://…/debug/pprof/heap`
// works as the replaced framework's troubleshooting guide says:
//   /debug/pprof/profile?seconds=N  CPU profile over N seconds (default 30, as Go), pprof format
//   /debug/pprof/heap[?gc=1]        live objects of V8's sampling heap profiler, pprof format
//   /debug/pprof/heapsnapshot       a V8 heap snapshot (Chrome DevTools' Memory panel)
// The CPU profiler runs only during a /profile request. The heap profiler samples from the start
// at Go's default rate (one sample per 512 KiB), so /heap has the whole process' live objects.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { Session } from 'node:inspector/promises'
import { findSourceMap } from 'node:module'
import { fileURLToPath } from 'node:url'
import { getHeapSnapshot } from 'node:v8'
import { gzipSync } from 'node:zlib'
import { type Listening, listen } from '../../common/listen.ts'
import {
  cpuProfileToPprof,
  type FrameMapper,
  heapProfileToPprof,
  type SourcePosition,
  type V8CpuProfile,
  type V8SamplingHeapProfile,
} from '../../common/v8-pprof.ts'

/** DEFAULT_PROFILE_SECONDS is Go's default duration of /debug/pprof/profile. */
export const DEFAULT_PROFILE_SECONDS = 30
/** MAX_PROFILE_SECONDS bounds a CPU profile request. */
export const MAX_PROFILE_SECONDS = 300
/** HEAP_SAMPLING_INTERVAL_BYTES is Go's default runtime.MemProfileRate. */
export const HEAP_SAMPLING_INTERVAL_BYTES = 512 * 1024
// A CPU sample every 1 ms, V8's default (Go samples at 100 Hz).
const CPU_SAMPLING_INTERVAL_US = 1000

/** DebugServer is a started debug listener. */
export interface DebugServer extends Listening {
  close(): Promise<void>
}

function pathOf(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url
}

/**
 * runtimeFrameMapper maps frames through the source maps Node holds for loaded modules (tsx, or
 * node --enable-source-maps with a bundle), so profiles show the exporter's .ts lines.
 */
export function runtimeFrameMapper(): FrameMapper {
  return (frame, line0, column0): SourcePosition => {
    const own = { functionName: frame.functionName, file: pathOf(frame.url), line: line0 + 1 }
    if (frame.url === '' || frame.url.startsWith('node:')) return own
    const map = findSourceMap(frame.url) ?? findSourceMap(pathOf(frame.url))
    if (map === undefined) return own
    const entry = map.findEntry(line0, column0 ?? 0) as Partial<{ originalSource: string; originalLine: number }>
    if (entry.originalSource === undefined || entry.originalLine === undefined) return own
    return { functionName: frame.functionName, file: pathOf(entry.originalSource), line: entry.originalLine + 1 }
  }
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' })
  res.end(`${text}\n`)
}

function sendProfile(res: ServerResponse, bytes: Buffer, name: string): void {
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-disposition': `attachment; filename="${name}"`,
    'x-content-type-options': 'nosniff',
  })
  res.end(bytes)
}

const INDEX = `<!DOCTYPE html><html><head><title>/debug/pprof/</title></head><body>
<p>Profiles of the reference Slurm exporter (V8), in pprof format:</p>
<ul>
<li><a href="profile?seconds=30">profile</a>: CPU profile; ?seconds=N sets the duration (default ${DEFAULT_PROFILE_SECONDS}, at most ${MAX_PROFILE_SECONDS})</li>
<li><a href="heap">heap</a>: sampled live objects (one sample per ${HEAP_SAMPLING_INTERVAL_BYTES / 1024} KiB allocated); ?gc=1 collects garbage first</li>
<li><a href="heapsnapshot">heapsnapshot</a>: a V8 heap snapshot for Chrome DevTools (pauses the process while it is taken)</li>
</ul>
<p>go tool pprof http://HOST:PORT/debug/pprof/heap</p>
</body></html>
`

/** startDebugServer starts the profiling endpoints on `host:port` (0: a free port) and the heap sampler. */
export async function startDebugServer(port: number, host: string): Promise<DebugServer> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('HeapProfiler.enable')
  // Live objects only (no include-collected flags): /heap answers Go's inuse_space.
  await session.post('HeapProfiler.startSampling', { samplingInterval: HEAP_SAMPLING_INTERVAL_BYTES })
  let cpuBusy = false
  let snapshotBusy = false
  const mapFrame = runtimeFrameMapper()

  async function cpuProfile(req: IncomingMessage, res: ServerResponse, seconds: number): Promise<void> {
    if (cpuBusy) return sendText(res, 409, 'cpu profiling already in use')
    cpuBusy = true
    const startedMs = Date.now()
    try {
      await session.post('Profiler.setSamplingInterval', { interval: CPU_SAMPLING_INTERVAL_US })
      await session.post('Profiler.start')
      // A client that goes away ends the profile early; nothing is sent.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, seconds * 1000)
        req.socket.once('close', () => {
          clearTimeout(timer)
          resolve()
        })
      })
      const { profile } = await session.post('Profiler.stop')
      if (res.destroyed) return
      const pprof = cpuProfileToPprof(profile as unknown as V8CpuProfile, { mapFrame, timeNanos: startedMs * 1e6 })
      sendProfile(res, gzipSync(pprof.encode()), 'profile')
    } finally {
      cpuBusy = false
    }
  }

  async function heapProfile(res: ServerResponse, gc: boolean): Promise<void> {
    if (gc) await session.post('HeapProfiler.collectGarbage')
    const { profile } = await session.post('HeapProfiler.getSamplingProfile')
    const pprof = heapProfileToPprof(profile as unknown as V8SamplingHeapProfile, {
      kind: 'inuse',
      samplingIntervalBytes: HEAP_SAMPLING_INTERVAL_BYTES,
      mapFrame,
      timeNanos: Date.now() * 1e6,
    })
    sendProfile(res, gzipSync(pprof.encode()), 'heap')
  }

  function heapSnapshot(res: ServerResponse): void {
    if (snapshotBusy) {
      sendText(res, 409, 'a heap snapshot is already being taken')
      return
    }
    snapshotBusy = true
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-disposition': 'attachment; filename="exporter.heapsnapshot"',
    })
    const snapshot = getHeapSnapshot()
    snapshot.pipe(res)
    snapshot.once('close', () => {
      snapshotBusy = false
    })
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://debug')
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, `method ${req.method} not allowed; use GET`)
    switch (url.pathname) {
      case '/debug/pprof':
      case '/debug/pprof/':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        res.end(INDEX)
        return
      case '/debug/pprof/profile': {
        const text = url.searchParams.get('seconds')
        const seconds = text === null ? DEFAULT_PROFILE_SECONDS : Number(text)
        if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PROFILE_SECONDS) {
          return sendText(res, 400, `seconds: found ${JSON.stringify(text)}, expected a whole number from 1 to ${MAX_PROFILE_SECONDS}`)
        }
        return cpuProfile(req, res, seconds)
      }
      case '/debug/pprof/heap':
        return heapProfile(res, url.searchParams.get('gc') === '1')
      case '/debug/pprof/heapsnapshot':
        return heapSnapshot(res)
      default:
        return sendText(res, 404, `no such profile ${url.pathname}; see /debug/pprof/`)
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendText(res, 500, `profiling failed: ${(err as Error).message}`)
      else res.destroy()
    })
  })
  let listening: Listening
  try {
    listening = await listen(server, port, host)
  } catch (err) {
    await session.post('HeapProfiler.stopSampling')
    session.disconnect()
    throw err
  }
  return {
    ...listening,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await session.post('HeapProfiler.stopSampling').catch(() => undefined)
      session.disconnect()
    },
  }
}
