// Shared by the *.real.test.ts files: the cluster from globalSetup, and the exporter as a child process.
import { type ChildProcess, spawn } from 'node:child_process'
import { inject } from 'vitest'
import type { RealSlurmInfo } from '../../testbed/real-slurm/cluster.ts'
import { isStopped, sleep } from '../../testbed/real-slurm/processes.ts'

/** realSlurm returns the running cluster, or the reason the tests skip. */
export function realSlurm(): { info: RealSlurmInfo; skipReason: undefined } | { info: undefined; skipReason: string } {
  const context = inject('realSlurm')
  if (context === undefined)
    return {
      info: undefined,
      skipReason: 'no real Slurm: run through `npm run test:real-slurm` (its globalSetup starts it)',
    }
  return context.ok ? { info: context.info, skipReason: undefined } : { info: undefined, skipReason: context.skipReason }
}

/**
 * slurmArgs are the exporter flags that read `info`'s slurmrestd through v0.0.42 (24.11's newest
 * data parser), authenticated by `auth` (default: root's token).
 */
export function slurmArgs(info: Pick<RealSlurmInfo, 'url' | 'token'>, auth: readonly string[] = ['--user', 'root', '--token', info.token]): string[] {
  return ['--slurm-url', info.url, '--api-version', 'v0.0.42', ...auth]
}

/** UNCACHED_SCRAPES are the exporter flags with which every scrape reads slurmrestd afresh. */
export const UNCACHED_SCRAPES: readonly string[] = ['--collection-mode', 'on-demand', '--cache-ttl', '0s']

/** RunningExporter is the reference exporter in a child process. */
export interface RunningExporter {
  url: string
  child: ChildProcess
  /** output is everything it wrote to stdout and stderr so far. */
  output(): string
  stop(): Promise<void>
}

/** startExporterProcess starts `testbed/exporter/cli.ts` with `args` (plus --port 0) and waits (bounded) for its "serving" line. */
export async function startExporterProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}, limitMs = 30_000): Promise<RunningExporter> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'testbed/exporter/cli.ts', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SLURM_JWT: '', ...env },
  })
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8')
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8')
  })
  const stop = async (): Promise<void> => {
    if (child.pid === undefined || isStopped(child.pid)) return
    child.kill('SIGTERM')
    const deadline = Date.now() + 5_000
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) await sleep(50)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  const deadline = Date.now() + limitMs
  for (;;) {
    const match = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(text)
    if (match !== null) return { url: match[1] as string, child, output: () => text, stop }
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the exporter exited (${child.exitCode ?? child.signalCode}) before serving:\n${text}`)
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the exporter did not print its "serving" line within ${limitMs} ms:\n${text}`)
    }
    await sleep(50)
  }
}

/** Sample is one series of a Prometheus text exposition. */
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** parseExposition reads the samples of a Prometheus text exposition (no escapes beyond \" \\ \n in label values). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line)
    if (match === null) continue
    const labels: Record<string, string> = {}
    for (const m of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[m[1] as string] = (m[2] as string).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\')
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) })
  }
  return samples
}

/** scrape GETs /metrics and returns its text (throws on a non-200). */
export async function scrape(exporterUrl: string, timeoutMs = 30_000): Promise<string> {
  const response = await fetch(`${exporterUrl}/metrics`, {
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`GET ${exporterUrl}/metrics: HTTP ${response.status}: ${text.slice(0, 500)}`)
  return text
}

/** series returns name{labels} → value for one metric family, keyed by the given label. */
export function series(samples: readonly Sample[], name: string, key: (labels: Record<string, string>) => string): Map<string, number> {
  const found = new Map<string, number>()
  for (const s of samples) if (s.name === name) found.set(key(s.labels), s.value)
  return found
}
