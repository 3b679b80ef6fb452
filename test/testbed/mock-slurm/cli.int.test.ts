// The real CLI in a child process: help, bad flags, start, logging, compact output, signals.
import { spawn, spawnSync } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const CLI = fileURLToPath(new URL('../../../testbed/mock-slurm/cli.ts', import.meta.url))
const NODE_ARGS = ['--import', 'tsx', CLI]

describe('mock-slurm CLI', () => {
  it('--help prints usage and exits 0', () => {
    const r = spawnSync(process.execPath, [...NODE_ARGS, '--help'], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^usage: mock-slurm/)
    expect(r.stdout).toContain('--preset')
  })

  it.each([
    [['--port', 'abc'], /--port: "abc" is not an integer/],
    [['--faults', 'latency=soon'], /--faults: latency: "soon" is not a duration/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--nodes', '-5'], /^mock-slurm: --nodes: "-5" is not a positive integer from 3 to 1000000$/m],
    [['--seed', '--frozen'], /^mock-slurm: --seed: expected a value after it, found an option/m],
    [['--slurm', '22.05'], /--slurm: "22.05" is not a release line \(expected one of 23.11, 24.05, 24.11, 25.05, 25.11\)/],
  ])('%j is a one-line usage error, exit 2', (args, message) => {
    const r = spawnSync(process.execPath, [...NODE_ARGS, ...args], { encoding: 'utf8' })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('serves, logs requests only at debug, honours SLURMRESTD_JSON=compact, stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [...NODE_ARGS, '--preset', 'tiny', '--port', '0', '--print-token', '--log-level', 'debug'], {
      env: { ...process.env, SLURMRESTD_JSON: 'compact' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const lines = createInterface({ input: child.stdout })
    const out: string[] = []
    await new Promise<void>((resolve) =>
      lines.on('line', (l) => {
        out.push(l)
        if (out.length === 2) resolve()
      }),
    )
    const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(out[0]!)![1]!
    const token = /^X-SLURM-USER-TOKEN=(.+)$/.exec(out[1]!)![1]!
    const r = await fetch(`${url}/slurm/v0.0.44/ping`, { headers: { 'X-SLURM-USER-NAME': 'root', 'X-SLURM-USER-TOKEN': token } })
    expect(r.status).toBe(200)
    const text = await r.text()
    expect(text).not.toContain('\n')
    expect(JSON.parse(text).pings[0].pinged).toBe('UP')
    expect((await fetch(`${url}/slurm/v0.0.44/ping`)).status).toBe(500)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(stderr).toMatch(/GET \/slurm\/v0\.0\.44\/ping 200/)
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
  })

  it('does not log requests at the default level', async () => {
    const child = spawn(process.execPath, [...NODE_ARGS, '--preset', 'tiny', '--port', '0', '--no-auth'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const url = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', (l) => resolve(l.replace('listening on ', ''))))
    expect(url.startsWith('http://127.0.0.1:')).toBe(true)
    const body = await (await fetch(`${url}/slurm/v0.0.44/ping`)).text()
    expect(body).toContain('\n  "pings": [')
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGINT')
    expect(await exit).toBe(0)
    expect(stderr).not.toContain('GET /slurm')
  })
})
