// The exporter's /debug/pprof endpoints read by the real `go tool pprof` (Debian's golang-go):
// a CPU profile of a busy function and the sampled live heap, with this file's lines.
import { execFile } from 'node:child_process'
import { tmpdir } from 'node:os'
import { promisify } from 'node:util'
import { setFlagsFromString } from 'node:v8'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DebugServer, startDebugServer } from '../../../testbed/exporter/debug-server.ts'
import { requireTools } from '../../support/tools.ts'

const run = promisify(execFile)

const go = await requireTools(['go'], 'go tool pprof; Debian: apt-get install golang-go')
if (!go) console.warn('debug-server.int.test.ts: the go tool pprof cases are skipped, go is missing (Debian: apt-get install golang-go)')

// Work for the profiles: a busy function on a timer (the event loop stays free to serve) and
// objects kept alive by a function with a known name.
// Without inlining: TurboFan inlined the busy function into listOnTimeout in 6 of 16 profiles, and
// V8 charged its samples there; this test is about the endpoint, not about V8's inlining.
setFlagsFromString('--no-turbo-inlining')
function spinForProfile(ms: number): number {
  let acc = 0
  for (const end = Date.now() + ms; Date.now() < end; ) acc += Math.sqrt(acc + 1)
  return acc
}
const retained: unknown[] = []
function retainForHeap(count: number): void {
  for (let i = 0; i < count; i++) retained.push({ index: i, label: `row ${i}`, values: [i, i + 1, i + 2] })
}

let server: DebugServer
beforeAll(async () => {
  server = await startDebugServer(0, '127.0.0.1')
})
afterAll(async () => {
  await server.close()
  retained.length = 0
})

async function pprofTop(url: string, extra: readonly string[] = []): Promise<string> {
  const { stdout } = await run('go', ['tool', 'pprof', '-top', ...extra, url], { env: { ...process.env, HOME: tmpdir(), PPROF_TMPDIR: tmpdir() } })
  return stdout
}

function firstFunction(top: string): string | undefined {
  const row = top.split('\n').find((line) => /^\s*[\d.]+\S*\s+[\d.]+%/.test(line))
  return row?.trim().split(/\s+/).slice(5).join(' ')
}

describe('debug server', () => {
  it.skipIf(!go)(
    'go tool pprof reads /debug/pprof/profile?seconds=2: the busy function first',
    async () => {
      const timer = setInterval(spinForProfile, 25, 20)
      try {
        // V8 now and then charges the busy samples to the timer's caller (listOnTimeout): 2 of 22
        // profiles here, without TurboFan inlining. One more profile is taken in that case.
        let top = await pprofTop(`${server.url}/debug/pprof/profile?seconds=2`)
        if (firstFunction(top) !== 'spinForProfile') top = await pprofTop(`${server.url}/debug/pprof/profile?seconds=2`)
        expect(top).toContain('Type: cpu')
        expect(top).not.toContain('(idle)')
        expect(firstFunction(top)).toBe('spinForProfile')
      } finally {
        clearInterval(timer)
      }
    },
    60_000,
  )

  it('lists its profiles and refuses bad requests, naming what it expected', async () => {
    const index = await fetch(`${server.url}/debug/pprof/`)
    expect(await index.text()).toContain('href="heap"')
    const bad = await fetch(`${server.url}/debug/pprof/profile?seconds=abc`)
    expect(bad.status).toBe(400)
    expect(await bad.text()).toBe('seconds: found "abc", expected a whole number from 1 to 300\n')
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404)
  })

  it('serves a heap snapshot', async () => {
    const res = await fetch(`${server.url}/debug/pprof/heapsnapshot`)
    expect(res.status).toBe(200)
    const snapshot = JSON.parse(await res.text()) as { snapshot: { node_count: number } }
    expect(snapshot.snapshot.node_count).toBeGreaterThan(1000)
  }, 60_000)

  it.skipIf(!go)(
    'go tool pprof reads /debug/pprof/heap: the retaining function first, at this file',
    async () => {
      retainForHeap(200_000)
      const top = await pprofTop(`${server.url}/debug/pprof/heap?gc=1`, ['-lines'])
      expect(top).toContain('Type: inuse_space')
      expect(firstFunction(top)).toMatch(/^retainForHeap .*test\/testbed\/exporter\/debug-server\.int\.test\.ts:\d+$/)
    },
    60_000,
  )
})
