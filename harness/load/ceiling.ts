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
import { median } from '../../common/median.ts'

const execFileAsync = promisify(execFile)

/** WARMUP_MS is an unmeasured run of this generator before the rounds: V8 compiles the hot path in it (wrk, being C, needs none). Round 1 cost ~1.7× the CPU per request of later rounds after a 1 s warm-up. */
const WARMUP_MS = 3_000
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
  /** wrk's CPU time (user + system) per request, from bash's `times`; undefined without bash. */
  readonly wrkCpuUsPerRequest: number | undefined
  readonly wrkError: string | undefined
  readonly requestsPerSecond: number
  /** This generator's CPU time per request: the noise-robust figure to compare with wrk's. */
  readonly cpuUsPerRequest: number
  readonly p99Ms: number
  readonly failed: number
  readonly cpuRatio: number
}

/** parseBashTimes reads the children's user and system seconds from bash's `times` (its second line). */
export function parseBashTimes(output: string): number | undefined {
  const lines = output.trimEnd().split('\n').slice(-2)
  const match = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(lines[1]?.trim() ?? '')
  if (match === null) return undefined
  return Number(match[1]) * 60 + Number(match[2]) + Number(match[3]) * 60 + Number(match[4])
}

/** parseWrkRequestsPerSecond reads `Requests/sec: N` from wrk's output. */
export function parseWrkRequestsPerSecond(output: string): number | undefined {
  const match = /^Requests\/sec:\s+([\d.]+)/m.exec(output)
  return match === null ? undefined : Number(match[1])
}

interface WrkRun {
  readonly rps: number | undefined
  readonly cpuUsPerRequest: number | undefined
  readonly error: string | undefined
}

async function runWrk(options: CeilingOptions): Promise<WrkRun> {
  const headerArgs = Object.entries(options.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`])
  const seconds = Math.max(1, Math.round(options.durationMs / 1e3))
  const args = ['-t1', `-c${options.connections}`, `-d${seconds}s`, '--timeout', '10s', ...headerArgs, options.url.href]
  try {
    // Through bash so that its `times` builtin reports wrk's CPU time (Node has no child rusage).
    const { stdout } = await execFileAsync(
      'bash',
      ['-c', 'command -v "$0" >/dev/null || { echo "wrk-missing"; exit 0; }; "$0" "$@"; times', options.wrk, ...args],
      { timeout: options.durationMs + 30_000 },
    )
    if (stdout.startsWith('wrk-missing'))
      return { rps: undefined, cpuUsPerRequest: undefined, error: `${options.wrk} is not installed (Debian: apt-get install wrk)` }
    const rps = parseWrkRequestsPerSecond(stdout)
    if (rps === undefined) return { rps, cpuUsPerRequest: undefined, error: `wrk printed no Requests/sec line: ${stdout.trim().slice(0, 200)}` }
    const cpuSeconds = parseBashTimes(stdout)
    return { rps, cpuUsPerRequest: cpuSeconds === undefined || rps === 0 ? undefined : (cpuSeconds * 1e6) / (rps * seconds), error: undefined }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return { rps: undefined, cpuUsPerRequest: undefined, error: code === 'ENOENT' ? 'bash is needed to run wrk here' : (err as Error).message.split('\n')[0] }
  }
}

async function runOurs(
  options: CeilingOptions,
  durationMs = options.durationMs,
): Promise<Omit<CeilingRound, 'round' | 'wrkRequestsPerSecond' | 'wrkCpuUsPerRequest' | 'wrkError'>> {
  const plan: ClosedPlan = {
    name: 'ceiling',
    executor: 'constant-vus',
    model: 'closed',
    startVUs: options.connections,
    stages: [{ durationNs: durationMs * 1e6, target: options.connections }],
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
    cpuUsPerRequest: obs.counts.requests === 0 ? Number.NaN : (run.health.cpuRatio * obs.elapsedMs * 1e3) / obs.counts.requests,
    p99Ms: trendStats(obs.latency).p99Ms,
    failed: obs.counts.failed,
    cpuRatio: run.health.cpuRatio,
  }
}

/** measureCeiling runs the rounds, wrk first in odd rounds and second in even ones (ABBA), so warm-up and drift fall on both. */
export async function measureCeiling(options: CeilingOptions, onRound?: (round: CeilingRound) => void): Promise<CeilingRound[]> {
  const rounds: CeilingRound[] = []
  await runOurs(options, WARMUP_MS)
  for (let round = 1; round <= options.rounds; round++) {
    let wrk: WrkRun
    let ours: Awaited<ReturnType<typeof runOurs>>
    if (round % 2 === 1) {
      wrk = await runWrk(options)
      ours = await runOurs(options)
    } else {
      ours = await runOurs(options)
      wrk = await runWrk(options)
    }
    const result = { round, wrkRequestsPerSecond: wrk.rps, wrkCpuUsPerRequest: wrk.cpuUsPerRequest, wrkError: wrk.error, ...ours }
    rounds.push(result)
    onRound?.(result)
  }
  return rounds
}

/** renderCeiling prints the rounds and the median ratio. */
export function renderCeiling(rounds: readonly CeilingRound[], options: CeilingOptions, goalRatio: number): string {
  const lines = [
    `ceiling: ${options.url.href}, ${options.connections} connections, ${(options.durationMs / 1e3).toFixed(0)}s per tool per round, wrk -t1 vs slurmbench (one thread each)`,
  ]
  lines.push('  round  wrk req/s  slurmbench req/s  ratio  slurmbench p99  failed  generator CPU  CPU µs/req wrk  CPU µs/req slurmbench')
  for (const r of rounds) {
    const ratio = r.wrkRequestsPerSecond === undefined ? '-' : (r.requestsPerSecond / r.wrkRequestsPerSecond).toFixed(2)
    const cells = [
      String(r.round).padEnd(5),
      (r.wrkRequestsPerSecond?.toFixed(0) ?? '-').padStart(9),
      r.requestsPerSecond.toFixed(0).padStart(16),
      ratio.padStart(5),
      `${r.p99Ms.toFixed(2)}ms`.padStart(14),
      String(r.failed).padStart(6),
      `${(r.cpuRatio * 100).toFixed(0)}%`.padStart(13),
      (r.wrkCpuUsPerRequest?.toFixed(0) ?? '-').padStart(14),
      r.cpuUsPerRequest.toFixed(0).padStart(21),
    ]
    lines.push(`  ${cells.join('  ')}`)
  }
  const errors = [...new Set(rounds.map((r) => r.wrkError).filter((e) => e !== undefined))]
  for (const error of errors) lines.push(`  wrk: ${error}`)
  const paired = rounds.filter((r) => r.wrkRequestsPerSecond !== undefined && r.wrkRequestsPerSecond > 0)
  const best = rounds.reduce((most, r) => Math.max(most, r.requestsPerSecond), Number.NEGATIVE_INFINITY)
  lines.push(`  slurmbench best ${best.toFixed(0)} req/s, median ${median(rounds.map((r) => r.requestsPerSecond)).toFixed(0)} req/s`)
  if (paired.length > 0) {
    const ratio = median(paired.map((r) => r.requestsPerSecond / (r.wrkRequestsPerSecond as number)))
    lines.push(
      `  wrk best ${paired.reduce((most, r) => Math.max(most, r.wrkRequestsPerSecond as number), Number.NEGATIVE_INFINITY).toFixed(0)} req/s; median ratio slurmbench/wrk ${ratio.toFixed(2)} (goal ≥ ${goalRatio})`,
    )
  }
  return `${lines.join('\n')}\n`
}
