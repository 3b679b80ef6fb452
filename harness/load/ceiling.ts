// The generator's ceiling beside wrk: alternating rounds of `wrk -t1` and this generator (one
// thread each, the same connections, the same target, the same run), so the ratio is measured
// under the same machine noise. The research note found absolute req/s moving 1.5–2× between
// runs on a shared 2-core box; ratios from interleaved rounds are what to read.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { trendStats } from './histogram.ts'
import type { ClosedPlan } from './plan.ts'
import { runLoad } from './run.ts'
import { StopSignal } from './stop-signal.ts'

const execFileAsync = promisify(execFile)

/** CEILING_TIMEOUT_NS is the per-request timeout of ceiling rounds. */
const CEILING_TIMEOUT_NS = 10e9

/** CeilingOptions says what to measure. */
export interface CeilingOptions {
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly connections: number
  readonly durationMs: number
  readonly rounds: number
  readonly wrk: string
}

/** CeilingRound is one round's pair of measurements. */
export interface CeilingRound {
  readonly round: number
  /** Undefined when wrk is not installed or failed (see wrkError). */
  readonly wrkRequestsPerSecond: number | undefined
  readonly wrkError: string | undefined
  readonly requestsPerSecond: number
  readonly p99Ms: number
  readonly failed: number
  readonly cpuRatio: number
}

/** parseWrkRequestsPerSecond reads `Requests/sec: N` from wrk's output. */
export function parseWrkRequestsPerSecond(output: string): number | undefined {
  const match = /^Requests\/sec:\s+([\d.]+)/m.exec(output)
  return match === null ? undefined : Number(match[1])
}

async function runWrk(options: CeilingOptions): Promise<{ rps: number | undefined; error: string | undefined }> {
  const headerArgs = Object.entries(options.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`])
  const seconds = Math.max(1, Math.round(options.durationMs / 1e3))
  try {
    const { stdout } = await execFileAsync(options.wrk, ['-t1', `-c${options.connections}`, `-d${seconds}s`, '--timeout', '10s', ...headerArgs, options.url.href], { timeout: options.durationMs + 30_000 })
    const rps = parseWrkRequestsPerSecond(stdout)
    return rps === undefined ? { rps, error: `wrk printed no Requests/sec line: ${stdout.trim().slice(0, 200)}` } : { rps, error: undefined }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return { rps: undefined, error: code === 'ENOENT' ? `${options.wrk} is not installed (Debian: apt-get install wrk)` : (err as Error).message.split('\n')[0] }
  }
}

async function runOurs(options: CeilingOptions): Promise<Omit<CeilingRound, 'round' | 'wrkRequestsPerSecond' | 'wrkError'>> {
  const plan: ClosedPlan = {
    name: 'ceiling',
    executor: 'constant-vus',
    model: 'closed',
    startVUs: options.connections,
    stages: [{ durationNs: options.durationMs * 1e6, target: options.connections }],
    gracefulStopNs: CEILING_TIMEOUT_NS,
    gracefulRampDownNs: CEILING_TIMEOUT_NS,
    thinkTimeMinNs: 0,
    thinkTimeMaxNs: 0,
    request: { path: undefined, method: 'GET', timeoutNs: CEILING_TIMEOUT_NS, headers: options.headers },
  }
  const run = await runLoad({ plan, shard: { index: 1, count: 1 }, url: options.url, rules: [], targetPid: undefined, stop: new StopSignal() })
  const obs = run.observations
  return {
    requestsPerSecond: obs.counts.requests / (obs.elapsedMs / 1e3),
    p99Ms: trendStats(obs.latency).p99Ms,
    failed: obs.counts.failed,
    cpuRatio: run.health.cpuRatio,
  }
}

/** measureCeiling runs the rounds, wrk first in odd rounds and second in even ones (ABBA), so warm-up and drift fall on both. */
export async function measureCeiling(options: CeilingOptions, onRound?: (round: CeilingRound) => void): Promise<CeilingRound[]> {
  const rounds: CeilingRound[] = []
  for (let round = 1; round <= options.rounds; round++) {
    let wrk: { rps: number | undefined; error: string | undefined }
    let ours: Awaited<ReturnType<typeof runOurs>>
    if (round % 2 === 1) {
      wrk = await runWrk(options)
      ours = await runOurs(options)
    } else {
      ours = await runOurs(options)
      wrk = await runWrk(options)
    }
    const result = { round, wrkRequestsPerSecond: wrk.rps, wrkError: wrk.error, ...ours }
    rounds.push(result)
    onRound?.(result)
  }
  return rounds
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** renderCeiling prints the rounds and the median ratio. */
export function renderCeiling(rounds: readonly CeilingRound[], options: CeilingOptions, goalRatio: number): string {
  const lines = [`ceiling: ${options.url.href}, ${options.connections} connections, ${(options.durationMs / 1e3).toFixed(0)}s per tool per round, wrk -t1 vs slurmbench (one thread each)`]
  lines.push('  round  wrk req/s  slurmbench req/s  ratio  slurmbench p99  failed  generator CPU')
  for (const r of rounds) {
    const ratio = r.wrkRequestsPerSecond === undefined ? '-' : (r.requestsPerSecond / r.wrkRequestsPerSecond).toFixed(2)
    lines.push(`  ${String(r.round).padEnd(5)}  ${(r.wrkRequestsPerSecond?.toFixed(0) ?? '-').padStart(9)}  ${r.requestsPerSecond.toFixed(0).padStart(16)}  ${ratio.padStart(5)}  ${`${r.p99Ms.toFixed(2)}ms`.padStart(14)}  ${String(r.failed).padStart(6)}  ${`${(r.cpuRatio * 100).toFixed(0)}%`.padStart(13)}`)
  }
  const errors = [...new Set(rounds.map((r) => r.wrkError).filter((e) => e !== undefined))]
  for (const error of errors) lines.push(`  wrk: ${error}`)
  const paired = rounds.filter((r) => r.wrkRequestsPerSecond !== undefined && r.wrkRequestsPerSecond > 0)
  const best = Math.max(...rounds.map((r) => r.requestsPerSecond))
  lines.push(`  slurmbench best ${best.toFixed(0)} req/s, median ${median(rounds.map((r) => r.requestsPerSecond)).toFixed(0)} req/s`)
  if (paired.length > 0) {
    const ratio = median(paired.map((r) => r.requestsPerSecond / (r.wrkRequestsPerSecond as number)))
    lines.push(`  wrk best ${Math.max(...paired.map((r) => r.wrkRequestsPerSecond as number)).toFixed(0)} req/s; median ratio slurmbench/wrk ${ratio.toFixed(2)} (goal ≥ ${goalRatio})`)
  }
  return `${lines.join('\n')}\n`
}
