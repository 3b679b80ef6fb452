// `slurmbench self`: the harness measured against tinybench and mitata on the same four workloads,
// in one invocation on one machine (issue 2, "Figures to report"). Every measurement is a separate
// process started from scratch — ours through the real CLI, the libraries through their drivers
// in benchmarks/self/compare-libs — because the process is the unit a user gets and the unit of
// replication (js-bench-libs.md, B: per-run error bars hid 4–28% process-to-process variation).
// On request (-tools=…,go) Go's own testing package runs the same workloads too
// (benchmarks/self/go-reference): what the reference implementation of the method reads on the
// same machine is the floor any harness's figures there can be held to.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { build } from 'esbuild'
import { type Command, EXIT_FAILED, EXIT_OK } from './command.ts'
import { formatUsage, parseArgs, UsageError, type FlagSpecs } from './flags.ts'
import { writeFileAtomic } from '../results/atomic-file.ts'
import { parseDurationNs } from '../results/duration.ts'
import { parseGoBench } from '../results/gofmt-read.ts'
import { readResults } from '../results/json.ts'
import { probeLoadNs } from '../run/contention-probe.ts'
import { type ContentionSummary, summarizeContention } from '../stats/contention.ts'
import { describeContention } from '../report/contention.ts'
import { spearman } from '../stats/rank-correlation.ts'
import { median as medianOrNaN } from '../../common/median.ts'
import { coefficientOfVariation } from '../stats/summary.ts'

/** SELF_TOOLS are the tools compared, ours first; `go` is Go's testing package, the method's reference. */
export const SELF_TOOLS = ['slurmbench', 'tinybench', 'mitata', 'go'] as const
/** SelfTool names one tool. */
export type SelfTool = (typeof SELF_TOOLS)[number]
/** DEFAULT_TOOLS run without -tools: Go only on request, since it needs a Go toolchain. */
export const DEFAULT_TOOLS: readonly SelfTool[] = ['slurmbench', 'tinybench', 'mitata']

/**
 * SELF_WORKLOADS maps each workload to the benchmark in benchmarks/self/workloads.bench.ts that
 * runs it; the drivers know the same ids (benchmarks/fixtures/self-workloads.ts) and reject others.
 */
export const SELF_WORKLOADS = {
  empty: 'BenchmarkEmpty',
  json: 'BenchmarkJSONParse',
  regex: 'BenchmarkRegExpTest',
  alloc: 'BenchmarkAlloc',
} as const
/** SelfWorkload names one workload. */
export type SelfWorkload = keyof typeof SELF_WORKLOADS
const WORKLOAD_IDS = Object.keys(SELF_WORKLOADS) as SelfWorkload[]

/** OVERHEAD_GOAL_NS is issue 2's goal for an empty b.N loop (mitata+do_not_optimize: 0.66 ns). */
export const OVERHEAD_GOAL_NS = 0.5
/** STABILITY_GOAL_CV is issue 2's goal for the CV of the centre across invocations (others: 4–28%). */
export const STABILITY_GOAL_CV = 0.02
/** TIME_TO_RESULT_GOAL_MS is issue 2's goal for wall time per benchmark (mitata: ~5 s). */
export const TIME_TO_RESULT_GOAL_MS = 1500
const DEFAULT_INVOCATIONS = 10
// Above half a runnable process per core, the neighbours' work shows in every wall-clock figure:
// at a load of 10–17 on 2 cores every tool read 2–5× slow with CVs of 20–60%.
const BUSY_LOAD_PER_CORE = 0.5
// tinybench at its defaults spent 11.8 s on the empty function here (js-bench-libs.md, B); a
// process still running after ten times that is hung, not slow.
const JOB_TIMEOUT_MS = 120_000

/** CENTRE_NAMES says which statistic each tool reports first, and so which one is compared. */
export const CENTRE_NAMES: Readonly<Record<SelfTool, string>> = {
  slurmbench: 'median ns/op',
  tinybench: 'latency mean',
  mitata: 'avg',
  go: 'median ns/op',
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const CLI_PATH = join(REPO_ROOT, 'bin', 'slurmbench.js')
const WORKLOADS_FILE = 'benchmarks/self/workloads.bench.ts'
const DRIVERS_DIR = join(REPO_ROOT, 'benchmarks', 'self', 'compare-libs')
const GO_REFERENCE_DIR = join(REPO_ROOT, 'benchmarks', 'self', 'go-reference')

/** Measurement is one invocation of one tool on one workload. */
export interface Measurement {
  readonly tool: SelfTool
  readonly workload: SelfWorkload
  /** 0-based invocation index. */
  readonly invocation: number
  /** The centre the tool reported, ns/op (see CENTRE_NAMES). */
  readonly centreNs: number
  /** Wall time from spawning the process to its exit, start-up included. */
  readonly wallMs: number
  /** Samples behind the centre: -count rounds for ours, timed samples for the libraries. */
  readonly samples: number
  /** The machine-contention probe taken just before the process started, ns per load. */
  readonly probeNs?: number
}

/** JobFailure is an invocation that produced no figure, with the reason. */
export interface JobFailure {
  readonly tool: SelfTool
  readonly workload: SelfWorkload
  readonly invocation: number
  readonly message: string
}

/** Cell summarises one tool on one workload over all invocations. */
export interface Cell {
  readonly tool: SelfTool
  readonly workload: SelfWorkload
  /** Median across invocations of the reported centre, ns/op; undefined when all failed. */
  readonly centreNs: number | undefined
  /** Coefficient of variation of the centre across invocations (ratio); undefined below 2 values. */
  readonly cvRatio: number | undefined
  /** Median wall time per invocation. */
  readonly wallMs: number | undefined
  readonly invocations: number
  /** Spearman's ρ between the centre and the contention probe across invocations; undefined without probes or spread. */
  readonly probeRho: number | undefined
}

/** SelfEnvironment records where the comparison ran; load matters because the CV depends on it. */
export interface SelfEnvironment {
  readonly node: string
  readonly v8: string
  readonly cpuModel: string
  readonly cores: number
  readonly loadAverageStart: readonly number[]
  readonly loadAverageEnd: readonly number[]
}

/** SelfSettings are the flags the comparison ran with. */
export interface SelfSettings {
  readonly invocations: number
  /** -benchtime given to ours (and as a budget to the libraries); undefined: every tool's defaults. */
  readonly benchtime: string | undefined
  readonly count: number | undefined
  readonly tools: readonly SelfTool[]
  readonly workloads: readonly SelfWorkload[]
}

/** SelfReport is everything `self` measured: what -json writes and what the table renders. */
export interface SelfReport {
  readonly kind: 'slurmbench.self'
  readonly startedAt: string
  readonly durationMs: number
  readonly environment: SelfEnvironment
  readonly settings: SelfSettings
  readonly measurements: readonly Measurement[]
  readonly failures: readonly JobFailure[]
  readonly cells: readonly Cell[]
  /** Every probe of the run summarised; undefined when none was taken. */
  readonly contention?: ContentionSummary
}

/** Job is one process to start. */
export interface Job {
  readonly tool: SelfTool
  readonly workload: SelfWorkload
  readonly invocation: number
}

// ---- statistics (pure) ----

/** median returns the middle of `values` (the mean of the two middles), undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : medianOrNaN(values)
}

/** summarise folds the measurements into one cell per tool and workload, in the given order. */
export function summarise(measurements: readonly Measurement[], tools: readonly SelfTool[], workloads: readonly SelfWorkload[]): Cell[] {
  const cells: Cell[] = []
  for (const tool of tools) {
    for (const workload of workloads) {
      const mine = measurements.filter((m) => m.tool === tool && m.workload === workload)
      const centres = mine.map((m) => m.centreNs)
      const probed = mine.filter((m) => m.probeNs !== undefined)
      cells.push({
        tool,
        workload,
        centreNs: median(centres),
        cvRatio: coefficientOfVariation(centres),
        wallMs: median(mine.map((m) => m.wallMs)),
        invocations: mine.length,
        probeRho:
          probed.length < 3
            ? undefined
            : spearman(
                probed.map((m) => m.centreNs),
                probed.map((m) => m.probeNs as number),
              ),
      })
    }
  }
  return cells
}

/**
 * planJobs lists every process to start, invocation by invocation. Within an invocation the
 * order rotates, so that no tool or workload always runs first (after a quiet spell) or last:
 * drift on a shared machine then spreads over all of them, as the runner's interleaved rounds do.
 */
export function planJobs(tools: readonly SelfTool[], workloads: readonly SelfWorkload[], invocations: number): Job[] {
  const pairs = workloads.flatMap((workload) => tools.map((tool) => ({ tool, workload })))
  const jobs: Job[] = []
  for (let invocation = 0; invocation < invocations; invocation++) {
    const shift = pairs.length === 0 ? 0 : invocation % pairs.length
    for (const pair of [...pairs.slice(shift), ...pairs.slice(0, shift)]) jobs.push({ ...pair, invocation })
  }
  return jobs
}

// ---- rendering (pure) ----

/** formatNs prints ns/op with about three significant digits (0.421, 5.23, 58.3, 75,412). */
export function formatNs(ns: number): string {
  if (ns < 1) return ns.toFixed(3)
  if (ns < 10) return ns.toFixed(2)
  if (ns < 100) return ns.toFixed(1)
  return Math.round(ns).toLocaleString('en-US')
}

function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`
}

/** renderTable aligns rows into columns: the first `leftColumns` left-aligned (names), the rest right-aligned (numbers). */
export function renderTable(rows: readonly (readonly string[])[], leftColumns = 1): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

function cellOf(report: SelfReport, tool: SelfTool, workload: SelfWorkload): Cell | undefined {
  return report.cells.find((c) => c.tool === tool && c.workload === workload)
}

function verdict(met: boolean): string {
  return met ? 'met' : 'MISSED'
}

function renderHeader(report: SelfReport): string {
  const { environment: env, settings } = report
  const load = (values: readonly number[]) => values.map((v) => v.toFixed(2)).join(' ')
  const chosen = (names: readonly SelfTool[]) => names.filter((t) => settings.tools.includes(t)).join(' and ')
  const goStyle = chosen(['slurmbench', 'go'])
  const budgeted = chosen(['tinybench', 'mitata'])
  const how =
    settings.benchtime === undefined
      ? "each tool's default settings"
      : [
          goStyle === '' ? undefined : `-benchtime=${settings.benchtime} for ${goStyle}`,
          budgeted === '' ? undefined : `the same time budget for ${budgeted} (not their defaults)`,
        ]
          .filter((part) => part !== undefined)
          .join('; ')
  const busiest = Math.max(env.loadAverageStart[0] ?? 0, env.loadAverageEnd[0] ?? 0)
  const busy =
    busiest > BUSY_LOAD_PER_CORE * env.cores
      ? [
          `warning: the machine was busy (1-minute load ${busiest.toFixed(2)} on ${env.cores} cores): times are inflated and the CVs measure the load as much as the tools`,
        ]
      : []
  return [
    `slurmbench self: ${settings.invocations} invocations of each tool per workload, each a fresh process`,
    `node ${env.node} (v8 ${env.v8}), ${env.cpuModel}, ${env.cores} cores, load average ${load(env.loadAverageStart)} at start, ${load(env.loadAverageEnd)} at end`,
    `settings: ${how}${settings.count === undefined ? '' : `; -count=${settings.count} for ${goStyle}`}`,
    ...busy,
  ].join('\n')
}

function renderOverhead(report: SelfReport): string | undefined {
  if (!report.settings.workloads.includes('empty')) return undefined
  const rows: string[][] = [['tool', 'ns/op', `goal ≤ ${OVERHEAD_GOAL_NS} ns`]]
  for (const tool of report.settings.tools) {
    const ns = cellOf(report, tool, 'empty')?.centreNs
    rows.push([tool, ns === undefined ? 'failed' : formatNs(ns), tool === 'slurmbench' && ns !== undefined ? verdict(ns <= OVERHEAD_GOAL_NS) : ''])
  }
  return `Overhead: an empty loop, ns/op (median of the invocations)\n${renderTable(rows)}`
}

function renderStability(report: SelfReport): string {
  const { tools, workloads } = report.settings
  const rows: string[][] = [['tool', 'centre', ...workloads, `goal ≤ ${STABILITY_GOAL_CV * 100}%`]]
  for (const tool of tools) {
    const cvs = workloads.map((w) => cellOf(report, tool, w)?.cvRatio)
    const known = cvs.filter((cv): cv is number => cv !== undefined)
    const goal = tool !== 'slurmbench' || known.length === 0 ? '' : verdict(known.every((cv) => cv <= STABILITY_GOAL_CV))
    rows.push([tool, CENTRE_NAMES[tool], ...cvs.map((cv) => (cv === undefined ? '–' : formatPercent(cv))), goal])
  }
  return `Stability: coefficient of variation of the reported centre across invocations\n${renderTable(rows, 2)}`
}

function renderCentres(report: SelfReport): string {
  const { tools, workloads } = report.settings
  const rows: string[][] = [['tool', ...workloads]]
  for (const tool of tools) {
    rows.push([
      tool,
      ...workloads.map((w) => {
        const ns = cellOf(report, tool, w)?.centreNs
        return ns === undefined ? 'failed' : formatNs(ns)
      }),
    ])
  }
  return `Reported centre, ns/op (median of the invocations)\n${renderTable(rows)}`
}

function renderTimeToResult(report: SelfReport): string {
  const { tools, workloads } = report.settings
  const rows: string[][] = [['tool', ...workloads, `goal ≤ ${TIME_TO_RESULT_GOAL_MS / 1000} s`]]
  for (const tool of tools) {
    const walls = workloads.map((w) => cellOf(report, tool, w)?.wallMs)
    const known = walls.filter((ms): ms is number => ms !== undefined)
    const goal = tool !== 'slurmbench' || known.length === 0 ? '' : verdict(known.every((ms) => ms <= TIME_TO_RESULT_GOAL_MS))
    rows.push([tool, ...walls.map((ms) => (ms === undefined ? 'failed' : formatSeconds(ms))), goal])
  }
  return `Time to result: wall time per benchmark, process start to exit (median of the invocations)\n${renderTable(rows)}`
}

function renderContention(report: SelfReport): string | undefined {
  const c = report.contention
  if (c === undefined) return undefined
  const { tools, workloads } = report.settings
  const rows: string[][] = [['tool', ...workloads]]
  for (const tool of tools)
    rows.push([
      tool,
      ...workloads.map((w) => {
        const rho = cellOf(report, tool, w)?.probeRho
        return rho === undefined ? '–' : rho.toFixed(2)
      }),
    ])
  return [
    `Machine contention: ${describeContention(c, 'process')}`,
    "Spearman ρ between the centre and that probe, across invocations (near +1: the spread is the machine's, not the tool's):",
    renderTable(rows),
  ].join('\n')
}

function renderFailures(report: SelfReport): string | undefined {
  if (report.failures.length === 0) return undefined
  const lines = report.failures.map((f) => `  ${f.tool} ${f.workload} (invocation ${f.invocation + 1}): ${f.message}`)
  return `Failed invocations (left out of the figures above)\n${lines.join('\n')}`
}

/** renderSelfReport renders the side-by-side comparison as plain text for stdout. */
export function renderSelfReport(report: SelfReport): string {
  const sections = [
    renderHeader(report),
    renderOverhead(report),
    renderStability(report),
    renderCentres(report),
    renderTimeToResult(report),
    renderContention(report),
    renderFailures(report),
  ]
  return `${sections.filter((s): s is string => s !== undefined).join('\n\n')}\n`
}

// ---- running processes (I/O) ----

interface ProcessOutcome {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly wallMs: number
  readonly timedOut: boolean
}

/** ProcessOptions say what runProcess starts: node itself in the repo root with this environment unless given. */
interface ProcessOptions {
  readonly command?: string
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
}

/** runProcess runs a command to its exit, timing it from spawn to exit; it rejects when it cannot start. */
function runProcess(args: readonly string[], { command = process.execPath, env = process.env, cwd = REPO_ROOT }: ProcessOptions = {}): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const startMs = performance.now()
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, JOB_TIMEOUT_MS)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - startMs
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, wallMs, timedOut })
    })
  })
}

/** allOutput is a process's stdout then its stderr, for tools (go) that report errors on either. */
function allOutput(outcome: ProcessOutcome): string {
  return [outcome.stdout, outcome.stderr]
    .map((text) => text.trimEnd())
    .filter((text) => text !== '')
    .join('\n')
}

function describeExit(outcome: ProcessOutcome, output: string = outcome.stderr): string {
  if (outcome.timedOut) return `no result after ${JOB_TIMEOUT_MS / 1000} s; killed`
  const lastLines = output.trim().split('\n').slice(-3).join(' | ')
  const how = outcome.signal !== null ? `killed by ${outcome.signal}` : `exit code ${outcome.code}`
  return lastLines === '' ? how : `${how}: ${lastLines}`
}

const DriverReportSchema = Type.Object({
  tool: Type.Union([Type.Literal('tinybench'), Type.Literal('mitata')]),
  workload: Type.String(),
  centreNs: Type.Number({ minimum: 0 }),
  medianNs: Type.Number(),
  samples: Type.Integer({ minimum: 1 }),
})
type DriverReport = Static<typeof DriverReportSchema>

type JobOutcome = { readonly ok: true; readonly measurement: Measurement } | { readonly ok: false; readonly failure: JobFailure }

function failed(job: Job, message: string): JobOutcome {
  return { ok: false, failure: { ...job, message } }
}

async function runOurs(job: Job, settings: SelfSettings, scratchDir: string): Promise<JobOutcome> {
  const benchName = SELF_WORKLOADS[job.workload]
  const jsonPath = join(scratchDir, `slurmbench-${job.workload}-${job.invocation}.json`)
  const args = [CLI_PATH, 'bench', '-bench', `^${benchName}$`, '-json', jsonPath]
  if (settings.benchtime !== undefined) args.push('-benchtime', settings.benchtime)
  if (settings.count !== undefined) args.push('-count', String(settings.count))
  args.push(WORKLOADS_FILE)
  const outcome = await runProcess(args)
  if (outcome.code !== 0) return failed(job, `slurmbench bench: ${describeExit(outcome)}`)
  let doc
  try {
    doc = await readResults(jsonPath)
  } catch (err) {
    return failed(job, `slurmbench bench: ${(err as Error).message}`)
  }
  const result = doc.benchmarks.find((b) => b.name === benchName)
  if (result === undefined) return failed(job, `slurmbench bench: ${benchName} missing from ${jsonPath}`)
  if (result.status !== 'ok') return failed(job, `slurmbench bench: ${benchName} ${result.status}: ${result.failure?.message ?? result.skipReason ?? ''}`)
  const nsPerOp = result.samples.map((s) => s.metrics['ns/op']).filter((v): v is number => v !== undefined)
  const centreNs = median(nsPerOp)
  if (centreNs === undefined) return failed(job, `slurmbench bench: ${benchName} has no ns/op sample`)
  return { ok: true, measurement: { ...job, centreNs, wallMs: outcome.wallMs, samples: nsPerOp.length } }
}

function parseDriverReport(stdout: string, job: Job): DriverReport | string {
  const line = stdout.trim().split('\n').at(-1) ?? ''
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return `expected one JSON line on stdout, found ${JSON.stringify(line.slice(0, 80))}`
  }
  const first = Value.Errors(DriverReportSchema, value).First()
  if (first !== undefined) return `report at ${first.path || '(line)'}: ${first.message}`
  const report = value as DriverReport
  if (report.tool !== job.tool || report.workload !== job.workload) return `reported ${report.tool} ${report.workload}, expected ${job.tool} ${job.workload}`
  return report
}

async function runDriver(job: Job, settings: SelfSettings, drivers: DriverBundles): Promise<JobOutcome> {
  const driver = job.tool === 'mitata' ? drivers.mitata : drivers.tinybench
  const args = [driver, job.workload]
  const budgetNs = settings.benchtime === undefined ? undefined : parseDurationNs(settings.benchtime)
  if (budgetNs !== undefined) args.push(String(budgetNs))
  const outcome = await runProcess(args)
  if (outcome.code !== 0) return failed(job, `${job.tool}: ${describeExit(outcome)}`)
  const report = parseDriverReport(outcome.stdout, job)
  if (typeof report === 'string') return failed(job, `${job.tool}: ${report}`)
  return { ok: true, measurement: { ...job, centreNs: report.centreNs, wallMs: outcome.wallMs, samples: report.samples } }
}

interface DriverBundles {
  readonly tinybench: string
  readonly mitata: string
}

/** GoReference is the compiled Go test binary of benchmarks/self/go-reference and the environment it runs in. */
interface GoReference {
  readonly binary: string
  readonly env: NodeJS.ProcessEnv
}

/**
 * buildGoReference compiles the Go workloads once (`go test -c`), so that no compilation is timed,
 * and writes the JSON workload's text where the binary reads it. It returns a message for the user
 * when there is no Go toolchain or the build fails.
 */
async function buildGoReference(scratchDir: string): Promise<GoReference | string> {
  const binary = join(scratchDir, 'selfreference.test')
  // Go needs a build cache; a bare environment (no HOME) has no default one.
  const env: NodeJS.ProcessEnv =
    process.env.HOME === undefined && process.env.XDG_CACHE_HOME === undefined && process.env.GOCACHE === undefined
      ? { ...process.env, GOCACHE: join(scratchDir, 'go-cache') }
      : { ...process.env }
  let outcome: ProcessOutcome
  try {
    outcome = await runProcess(['test', '-c', '-o', binary, '.'], { command: 'go', env, cwd: GO_REFERENCE_DIR })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return 'no go command on PATH (Debian: apt-get install golang-go); drop go from -tools to run without it'
    return `cannot run go: ${(err as Error).message}`
  }
  if (outcome.code !== 0) return `go test -c in ${GO_REFERENCE_DIR} failed: ${describeExit(outcome, allOutput(outcome))}`
  // The very bytes the JavaScript tools parse. Loaded here, not at start-up: the fixture builds the text.
  const { SELF_JSON_TEXT } = await import('../../benchmarks/fixtures/self-workloads.ts')
  const jsonFile = join(scratchDir, 'self-workload.json')
  await writeFile(jsonFile, SELF_JSON_TEXT)
  return { binary, env: { ...env, SELF_JSON_FILE: jsonFile } }
}

/** runGo runs one workload through Go's test binary and reads its Go-format result lines. */
async function runGo(job: Job, settings: SelfSettings, reference: GoReference): Promise<JobOutcome> {
  const benchName = SELF_WORKLOADS[job.workload]
  const args = ['-test.run', '^$', '-test.bench', `^${benchName}$`]
  if (settings.benchtime !== undefined) args.push('-test.benchtime', settings.benchtime)
  if (settings.count !== undefined) args.push('-test.count', String(settings.count))
  const outcome = await runProcess(args, { command: reference.binary, env: reference.env })
  // A Go benchmark reports its failures on stdout.
  if (outcome.code !== 0) return failed(job, `go: ${describeExit(outcome, allOutput(outcome))}`)
  let results
  try {
    results = parseGoBench(outcome.stdout, 'go test output').results
  } catch (err) {
    return failed(job, `go: ${(err as Error).message}`)
  }
  // Go names the line BenchmarkX-<GOMAXPROCS>.
  const nsPerOp = results
    .filter((r) => r.name === benchName || r.name.startsWith(`${benchName}-`))
    .flatMap((r) => r.values.filter((v) => v.unit === 'ns/op').map((v) => v.value))
  const centreNs = median(nsPerOp)
  if (centreNs === undefined) return failed(job, `go: no ns/op line for ${benchName} in its output`)
  return { ok: true, measurement: { ...job, centreNs, wallMs: outcome.wallMs, samples: nsPerOp.length } }
}

/**
 * bundleDrivers compiles the TypeScript drivers into self-contained .mjs files, so that the
 * libraries' processes start as a user's plain `node bench.mjs` would: no TypeScript loader in
 * their wall time. Ours goes through bin/slurmbench.js and tsx, which is what our users run.
 */
async function bundleDrivers(outDir: string): Promise<DriverBundles> {
  await build({
    entryPoints: { tinybench: join(DRIVERS_DIR, 'tinybench.ts'), mitata: join(DRIVERS_DIR, 'mitata.ts') },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    // mitata probes for its optional native counters and for Bun at run time; neither is bundled.
    external: ['@mitata/counters', 'bun:jsc'],
    logLevel: 'silent',
  })
  return { tinybench: join(outDir, 'tinybench.mjs'), mitata: join(outDir, 'mitata.mjs') }
}

// ---- the command ----

const FLAGS: FlagSpecs = {
  invocations: {
    kind: 'integer',
    valueName: 'n',
    help: `separate invocations of each tool per workload; the CV is taken across them (default ${DEFAULT_INVOCATIONS})`,
  },
  benchtime: {
    kind: 'string',
    valueName: 'dur',
    help: "-benchtime for slurmbench and go, and the same time budget for tinybench and mitata (default: each tool's defaults)",
  },
  count: { kind: 'integer', valueName: 'n', help: "-count for slurmbench and go; their centre is then the median of the rounds (default: the runner's)" },
  tools: {
    kind: 'list',
    valueName: 'list',
    help: `tools to run, some of ${SELF_TOOLS.join(',')} (default ${DEFAULT_TOOLS.join(',')}); go needs a Go toolchain (1.19 or newer) on PATH`,
  },
  workloads: { kind: 'list', valueName: 'list', help: `workloads to run (default ${WORKLOAD_IDS.join(',')})` },
  json: { kind: 'string', valueName: 'file', help: 'also write every measurement and the summary as JSON to file' },
}

const SYNOPSIS = 'slurmbench self [-invocations n] [-benchtime dur] [-count n] [-tools list] [-workloads list] [-json file]'
const DESCRIPTION = `Measures slurmbench against tinybench and mitata on four workloads (an empty loop, JSON.parse
of a 10 KB slurmrestd response, a short RegExp test, allocating 100 small objects), each
invocation a fresh process, and prints side by side: the overhead of an empty loop, the
stability of the reported centre across invocations (coefficient of variation) and the
time to result per benchmark, start-up included. At the defaults (10 invocations, every
tool's default settings) a run takes about 9 minutes on a quiet 2-core machine (20 minutes
under heavy load); -invocations=3 -benchtime=100ms gives a rough picture in under a minute.
Run it on a quiet machine: load from other processes shows up directly in the CV.
With -tools=slurmbench,tinybench,mitata,go, Go's own testing package runs the same four
workloads too (benchmarks/self/go-reference, compiled once before the first invocation):
what the method's reference implementation reads on the same machine in the same run.`

function parseList<T extends string>(flag: string, value: unknown, known: readonly T[], defaults: readonly T[] = known): T[] {
  if (value === undefined) return [...defaults]
  const items = value as string[]
  for (const item of items) {
    if (!(known as readonly string[]).includes(item)) throw new UsageError(`flag -${flag}: unknown "${item}"; expected some of ${known.join(',')}`)
  }
  if (items.length === 0) throw new UsageError(`flag -${flag}: expected some of ${known.join(',')}`)
  return known.filter((k) => items.includes(k))
}

function parseSettings(argv: readonly string[]): { settings: SelfSettings; jsonPath: string | undefined } | 'help' {
  const args = parseArgs(argv, FLAGS)
  if (args.help) return 'help'
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"; self takes only flags`)
  const invocations = (args.flags.invocations as number | undefined) ?? DEFAULT_INVOCATIONS
  if (invocations < 1) throw new UsageError(`flag -invocations: expected at least 1, found ${invocations}`)
  const benchtime = args.flags.benchtime as string | undefined
  if (benchtime !== undefined) {
    const ns = parseDurationNs(benchtime)
    if (ns === undefined || ns <= 0) throw new UsageError(`flag -benchtime: expected a positive duration such as 100ms or 1s, found "${benchtime}"`)
  }
  const count = args.flags.count as number | undefined
  if (count !== undefined && count < 1) throw new UsageError(`flag -count: expected at least 1, found ${count}`)
  return {
    settings: {
      invocations,
      benchtime,
      count,
      tools: parseList('tools', args.flags.tools, SELF_TOOLS, DEFAULT_TOOLS),
      workloads: parseList('workloads', args.flags.workloads, WORKLOAD_IDS),
    },
    jsonPath: args.flags.json as string | undefined,
  }
}

function environmentNow(loadAverageStart: readonly number[]): SelfEnvironment {
  return {
    node: process.version,
    v8: process.versions.v8,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    loadAverageStart,
    loadAverageEnd: os.loadavg(),
  }
}

function progress(done: number, total: number, job: Job, elapsedMs: number, invocations: number): void {
  if (!process.stderr.isTTY) return
  const leftS = done === 0 ? undefined : Math.round(((elapsedMs / done) * (total - done)) / 1000)
  const left = leftS === undefined ? '' : `, ~${leftS} s left`
  process.stderr.write(`\r\x1b[K[${done + 1}/${total}] ${job.tool} ${job.workload} (invocation ${job.invocation + 1}/${invocations})${left}`)
}

async function runSelf(settings: SelfSettings, jsonPath: string | undefined): Promise<number> {
  const startedAt = new Date()
  const loadAverageStart = os.loadavg()
  const scratchDir = await mkdtemp(join(os.tmpdir(), 'slurmbench-self-'))
  const measurements: Measurement[] = []
  const failures: JobFailure[] = []
  try {
    const needsDrivers = settings.tools.some((t) => t === 'tinybench' || t === 'mitata')
    let drivers: DriverBundles = { tinybench: '', mitata: '' }
    if (needsDrivers) {
      try {
        drivers = await bundleDrivers(scratchDir)
      } catch (err) {
        // tinybench and mitata are dev dependencies: a production install (npm ci --omit=dev) lacks them.
        const reason = (err as { errors?: { text: string }[] }).errors?.[0]?.text ?? (err as Error).message
        process.stderr.write(
          `slurmbench self: cannot build the tinybench and mitata drivers (${reason}); install the dev dependencies with npm ci, or pass -tools=slurmbench\n`,
        )
        return EXIT_FAILED
      }
    }
    let goReference: GoReference | undefined
    if (settings.tools.includes('go')) {
      const built = await buildGoReference(scratchDir)
      if (typeof built === 'string') {
        process.stderr.write(`slurmbench self: ${built}\n`)
        return EXIT_FAILED
      }
      goReference = built
    }
    const jobs = planJobs(settings.tools, settings.workloads, settings.invocations)
    const startMs = performance.now()
    for (const [done, job] of jobs.entries()) {
      progress(done, jobs.length, job, performance.now() - startMs, settings.invocations)
      // The probe blocks this process for 150 ms while no benchmark runs.
      const probeNs = probeLoadNs()
      const outcome =
        job.tool === 'slurmbench'
          ? await runOurs(job, settings, scratchDir)
          : job.tool === 'go' && goReference !== undefined
            ? await runGo(job, settings, goReference)
            : await runDriver(job, settings, drivers)
      if (outcome.ok) measurements.push({ ...outcome.measurement, probeNs })
      else failures.push(outcome.failure)
    }
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K')
  } finally {
    await rm(scratchDir, { recursive: true, force: true })
  }
  const report: SelfReport = {
    kind: 'slurmbench.self',
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    environment: environmentNow(loadAverageStart),
    settings,
    measurements,
    failures,
    cells: summarise(measurements, settings.tools, settings.workloads),
    ...(measurements.length === 0 ? {} : { contention: summarizeContention(measurements.map((m) => m.probeNs as number)) }),
  }
  process.stdout.write(renderSelfReport(report))
  if (jsonPath !== undefined) await writeFileAtomic(jsonPath, `${JSON.stringify(report, null, 2)}\n`)
  return failures.length === 0 ? EXIT_OK : EXIT_FAILED
}

/** command is `slurmbench self`. */
export const command: Command = {
  summary: 'compare slurmbench with tinybench and mitata: overhead, stability, time to result',
  async run(argv) {
    const parsed = parseSettings(argv)
    if (parsed === 'help') {
      process.stdout.write(formatUsage(SYNOPSIS, DESCRIPTION, FLAGS))
      return EXIT_OK
    }
    return runSelf(parsed.settings, parsed.jsonPath)
  },
}
