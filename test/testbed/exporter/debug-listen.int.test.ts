// The exporter CLI with --debug-listen: the profiling endpoints on their own port, read by the
// real `go tool pprof` (Debian's golang-go), and never on the metrics port.
import { execFile, spawn, spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { requireTools } from '../../support/tools.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const cli = [fileURLToPath(new URL('../../../bin/slurmbench.js', import.meta.url)), 'exporter']
const run = promisify(execFile)

const go = await requireTools(['go'], 'go tool pprof; Debian: apt-get install golang-go')
if (!go) console.warn('debug-listen.int.test.ts: the go tool pprof case is skipped, go is missing (Debian: apt-get install golang-go)')

describe('exporter --debug-listen', () => {
  it('refuses the metrics address, with one line and exit 2', () => {
    const result = spawnSync(process.execPath, [...cli, '--port', '9400', '--debug-listen', '127.0.0.1:9400'], { cwd: root, encoding: 'utf8' })
    expect(result.status).toBe(2)
    expect(result.stderr.trim().split('\n')).toEqual([
      'exporter: --debug-listen: 127.0.0.1:9400 is the metrics address (--host 127.0.0.1 --port 9400); profiles are served on a port of their own',
    ])
    const bad = spawnSync(process.execPath, [...cli, '--debug-listen', '6060'], { cwd: root, encoding: 'utf8' })
    expect(bad.stderr.trim()).toBe('exporter: --debug-listen: found "6060", expected HOST:PORT such as 127.0.0.1:6060')
  })

  it.skipIf(!go)(
    'serves /debug/pprof/heap and /profile to go tool pprof, and no /debug on the metrics port',
    async () => {
      const child = spawn(process.execPath, [...cli, '--port', '0', '--debug-listen', '127.0.0.1:0', '--mock-preset', 'tiny'], {
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      try {
        const [metricsUrl, debugUrl] = await new Promise<[string, string]>((resolve, reject) => {
          let stderr = ''
          child.stderr.on('data', (chunk: Buffer) => {
            stderr += chunk.toString()
            const metrics = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(stderr)
            const debug = /profiling endpoints at (http:\/\/127\.0\.0\.1:\d+)\/debug\/pprof\//.exec(stderr)
            if (metrics && debug) resolve([metrics[1] as string, debug[1] as string])
          })
          child.once('exit', (code) => reject(new Error(`exporter exited ${code}: ${stderr}`)))
        })
        expect(debugUrl).not.toBe(metricsUrl)
        expect((await fetch(`${metricsUrl}/debug/pprof/heap`)).status).toBe(404)
        // Scrapes while the CPU profile runs, so it has the exporter's code in it.
        const scraping = setInterval(() => void fetch(`${metricsUrl}/metrics`).then((r) => r.text()), 50)
        const env = { ...process.env, HOME: tmpdir(), PPROF_TMPDIR: tmpdir() }
        try {
          const cpu = await run('go', ['tool', 'pprof', '-top', `${debugUrl}/debug/pprof/profile?seconds=2`], { env })
          expect(cpu.stdout).toContain('Type: cpu')
          expect(cpu.stdout).toMatch(/Total samples = [1-9]/)
        } finally {
          clearInterval(scraping)
        }
        const heap = await run('go', ['tool', 'pprof', '-top', `${debugUrl}/debug/pprof/heap`], { env })
        expect(heap.stdout).toContain('Type: inuse_space')
        expect(heap.stdout).toMatch(/Showing nodes accounting for [\d.]+[kMG]?B/)
      } finally {
        child.kill('SIGTERM')
      }
    },
    120_000,
  )
})
