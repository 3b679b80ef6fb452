// The benchmark runner as a library: find, bundle, schedule, measure; print Go's benchmark format
// as results arrive and return the JSON results document. `slurmbench bench` is a thin CLI on this.
import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { formatDurationNs } from '../results/duration.ts'
import {
  formatBenchBlock,
  formatConfigLines,
  formatFailBlock,
  formatPackageSummary,
  formatResultLine,
  formatSkipBlock,
  formatUnitLine,
  NameWidth,
  needsUnitLine,
  printedMetrics,
  unitInfoFor,
  type ConfigLine,
} from '../results/gofmt-write.ts'
import { InputError } from '../../common/input-error.ts'
// Types only: TypeBox is loaded by whoever validates (json.ts), not by every benchmark run.
import type { BenchmarkResult, Environment, ResultsDocument, RESULTS_SCHEMA_VERSION, UnitInfo } from '../results/schema.ts'
import { BundleError, bundleBenchmarkFile } from './bundle.ts'
import { DEFAULT_BENCHTIME, parseBenchTime } from './calibrate.ts'
import { benchmarkExports, findBenchmarkFiles } from './discover.ts'
import { collectEnvironment } from './environment.ts'
import { BenchMatcher } from './match.ts'
import type { CapturedProfiles, ProfileRequest } from './measure/profile-meter.ts'
import { NativeModuleError } from '../../common/re2.ts'
import { runSchedule, type Leaf, type SampleOutcome, type TopLevel } from './schedule.ts'
import { DEFAULT_WORKER_HEAP_MB, workerExecArgv } from './worker-flags.ts'

// The type ties this to the schema: bumping RESULTS_SCHEMA_VERSION makes this line a type error.
const SCHEMA_VERSION: typeof RESULTS_SCHEMA_VERSION = 1

/** DEFAULT_TIMEOUT_MS is Go's default -timeout (10m) for the whole run. */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000

/** RunOptions are the runner's settings; every field has Go's default. */
export interface RunOptions {
  /** Benchmark files or folders (default `benchmarks/`). */
  readonly paths?: readonly string[]
  /** -bench regexp (default `.`, everything). */
  readonly bench?: string
  /** -count: samples per benchmark, each in a fresh worker (default 1). */
  readonly count?: number
  /** -benchtime: a duration (`1s`, the default; `100ms` is the quick setting) or `Nx`. */
  readonly benchTime?: string
  readonly benchmem?: boolean
  /** -cpu: runParallel concurrency values; each adds a `-P` suffix when P is not 1 (default [1]). */
  readonly cpu?: readonly number[]
  /** -timeout in ms for the whole run and any one worker (default 10m; Infinity disables it). */
  readonly timeoutMs?: number
  /** -full: benchmarks see full() === true and add their largest sizes. */
  readonly full?: boolean
  /** Worker old-space limit in MB. */
  readonly maxOldSpaceMb?: number
  readonly cwd?: string
  /** Receives Go's benchmark format as it is produced (stdout in the CLI). */
  readonly output?: (text: string) => void
  /** Receives warnings and errors, one message each (stderr in the CLI). */
  readonly warn?: (message: string) => void
  /** Receives a progress line before each worker starts (stderr on a TTY in the CLI). */
  readonly progress?: (line: string) => void
  /** Receives what benchmarks printed themselves. */
  readonly workerOutput?: (text: string) => void
  /** Pair mode: measure each sample of the same benchmarks in another checkout in the same worker. */
  readonly pair?: PairOptions
  /** bench -cpuprofile/-memprofile: profile a pass after each sample's reported run (not in pair mode). */
  readonly profile?: ProfileRequest
  /** Receives each sample's raw profiles with the benchmark's file, full name and round. */
  readonly onProfiles?: (sample: ProfiledSample) => void
}

/** ProfiledSample is one sample's profiled pass, as RunOptions.onProfiles receives it. */
export interface ProfiledSample {
  /** file is the benchmark's source file (frames map to it through the bundle's source map). */
  readonly file: string
  readonly name: string
  readonly round: number
  readonly profiles: CapturedProfiles
}

/** PairOptions name pair mode's base side: another checkout of the same benchmark files. */
export interface PairOptions {
  /** Root of the base checkout (installed: its node_modules resolves the base's packages). */
  readonly baseRoot: string
  /** Environment variables set while the base side runs (the head side keeps this process's). */
  readonly baseEnv?: Readonly<Record<string, string>>
  /** Timed runs a side per sample (default DEFAULT_PAIR_RUNS). */
  readonly runs?: number
  /** The head takes the first turn of round 0 (ab and doctor alternate it when they run one round at a time). */
  readonly headFirst?: boolean
}

/** DEFAULT_PAIR_RUNS is how many timed runs a side each pair sample takes turns at. */
export const DEFAULT_PAIR_RUNS = 3

/** RunSession is a finished run: the results document and whether everything passed. */
export interface RunSession {
  readonly document: ResultsDocument
  /** False when a benchmark failed, a file did not build or the run exceeded -timeout. */
  readonly passed: boolean
  /** Pair mode: the base side's results, sample k measured in the same worker as the head's. */
  readonly baseDocument?: ResultsDocument
}

/** runBenchmarks runs the benchmarks and returns the results document. */
export async function runBenchmarks(options: RunOptions = {}): Promise<ResultsDocument> {
  return (await runBenchmarkSession(options)).document
}

const projects = new Map<string, { readonly root: string; readonly name: string }>()

/**
 * projectOf returns the project a benchmark folder belongs to: the nearest folder above it with a
 * package.json, and that package's name (the folder's name when it has none). This checkout for
 * its own benchmarks; an exporter's repository for benchmarks run by its installed slurmbench.
 */
function projectOf(dir: string): { readonly root: string; readonly name: string } {
  const known = projects.get(dir)
  if (known !== undefined) return known
  const manifest = join(dir, 'package.json')
  const parent = dirname(dir)
  let project: { readonly root: string; readonly name: string }
  if (existsSync(manifest)) project = { root: dir, name: (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name ?? basename(dir) }
  else project = parent === dir ? { root: dir, name: '' } : projectOf(parent)
  projects.set(dir, project)
  return project
}

/** packageOf names a benchmark file's package as Go's pkg line: its project's name and folder, `slurmbench/benchmarks/cpu`. */
export function packageOf(file: string): string {
  const { root, name } = projectOf(dirname(file))
  const dir = relative(root, dirname(file)).split(sep).join('/')
  return dir === '' ? name : name === '' ? dir : `${name}/${dir}`
}

/** runBenchmarkSession runs the benchmarks, printing as it goes, and says whether all passed. */
export async function runBenchmarkSession(options: RunOptions = {}): Promise<RunSession> {
  const startedAt = new Date()
  const started = performance.now()
  const cwd = options.cwd ?? process.cwd()
  const pattern = options.bench ?? '.'
  const count = options.count ?? 1
  const benchTimeText = options.benchTime ?? DEFAULT_BENCHTIME
  const cpus = options.cpu ?? [1]
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const benchmem = options.benchmem ?? false
  const output = options.output ?? (() => {})
  const warn = options.warn ?? (() => {})
  const benchTime = parseBenchTime(benchTimeText)
  if (benchTime === undefined) throw new InputError(`benchtime "${benchTimeText}": expected a positive duration such as 1s or 100ms, or a count such as 500x`)
  if (!Number.isInteger(count) || count < 1) throw new InputError(`count ${count}: expected a whole number of at least 1`)
  if (cpus.length === 0 || cpus.some((p) => !Number.isInteger(p) || p < 1))
    throw new InputError(`cpu ${cpus.join(',')}: expected a list of whole numbers of at least 1`)
  let matcher: BenchMatcher
  try {
    matcher = new BenchMatcher(pattern)
  } catch (err) {
    if (err instanceof NativeModuleError) throw err // the re2 addon, not the pattern
    throw new InputError(`bench "${pattern}": ${(err as Error).message}`)
  }
  const execArgv = workerExecArgv(options.maxOldSpaceMb ?? DEFAULT_WORKER_HEAP_MB)
  // The fingerprint (two git commands) is not needed before the first result, so it is collected
  // while the files are bundled and the first worker starts (runSchedule's `ready`).
  let environment: Environment | undefined
  const environmentReady = collectEnvironment(execArgv, cwd).then((collected) => {
    environment = collected
  })
  environmentReady.catch(() => {}) // awaited below; this keeps an early failure from being "unhandled" until then
  const files = await findBenchmarkFiles(options.paths ?? [], cwd)
  const pair = options.pair
  const pairRuns = pair?.runs ?? DEFAULT_PAIR_RUNS
  if (!Number.isInteger(pairRuns) || pairRuns < 1) throw new InputError(`pair runs ${pairRuns}: expected a whole number of at least 1`)
  const baseBundles = new Map<string, string>()
  let baseEnvironment: Promise<Environment> | undefined
  if (pair !== undefined) {
    const baseRoot = resolve(cwd, pair.baseRoot)
    if (!existsSync(join(baseRoot, 'node_modules'))) throw new InputError(`pair ${pair.baseRoot}: no node_modules there; install that checkout first (npm ci)`)
    baseEnvironment = collectEnvironment(execArgv, baseRoot)
    baseEnvironment.catch(() => {}) // awaited at the end; this keeps an early failure from being "unhandled" until then
    const baseCache = join(baseRoot, 'node_modules', '.cache', 'slurmbench')
    await Promise.all(
      files.map(async (file) => {
        const baseFile = join(baseRoot, relative(cwd, file))
        if (!existsSync(baseFile)) return
        try {
          baseBundles.set(file, (await bundleBenchmarkFile(baseFile, baseCache)).bundlePath)
        } catch (err) {
          if (!(err instanceof BundleError)) throw err
          warn(`build failed on the base side: ${baseFile}\n${err.message}`)
        }
      }),
    )
  }

  const warnings: string[] = []
  // Each worker repeats what the sample before it warned about; a repeat says nothing new.
  const warning = (message: string): void => {
    if (warnings.includes(message)) return
    warnings.push(message)
    warn(message)
  }
  const buildFailures: string[] = []
  const tops: TopLevel[] = []
  const bundles = await Promise.all(
    files.map(async (file) => {
      try {
        return await bundleBenchmarkFile(file)
      } catch (err) {
        if (!(err instanceof BundleError)) throw err
        buildFailures.push(packageOf(file))
        warning(`build failed: ${packageOf(file)}\n${err.message}`)
        return undefined
      }
    }),
  )
  const withoutBenchmarks: string[] = []
  let benchmarkCount = 0
  for (const bundle of bundles) {
    if (bundle === undefined) continue
    const names = benchmarkExports(bundle.exports)
    if (names.length === 0) withoutBenchmarks.push(relative(cwd, bundle.file) || bundle.file)
    benchmarkCount += names.length
    for (const name of names) {
      const match = matcher.match(name)
      if (match.ok) tops.push({ file: bundle.file, bundlePath: bundle.bundlePath, pkg: packageOf(bundle.file), name, partial: match.partial })
    }
  }
  const noBenchmarks = (list: readonly string[]): string =>
    `${list.join(', ')}: ${list.length === 1 ? 'exports' : 'export'} no Benchmark functions; expected \`export function BenchmarkName(b: B)\``
  // Nothing could run whatever -bench says: an input error, as a file that does not exist.
  if (benchmarkCount === 0 && buildFailures.length === 0) throw new InputError(noBenchmarks(withoutBenchmarks))
  if (withoutBenchmarks.length > 0) warning(noBenchmarks(withoutBenchmarks))
  // As go test's "no tests to run": a filter that matches nothing is a warning, and the run passes.
  if (tops.length === 0 && buildFailures.length === 0)
    warning(`no benchmarks to run: -bench=${pattern} matches none of the ${benchmarkCount} Benchmark functions in ${files.length} file(s)`)

  const printer = new GoTextPrinter(
    () => environment as Environment,
    new NameWidth(
      tops.map((t) => t.name),
      Math.max(...cpus),
    ),
    output,
  )
  const results = new Map<string, BenchmarkResult>()
  const baseResults = new Map<string, BenchmarkResult>()
  const secondsByPkg = new Map<string, number>()
  const failedPkgs = new Set<string>(buildFailures)
  for (const top of tops) secondsByPkg.set(top.pkg, secondsByPkg.get(top.pkg) ?? 0)
  const sampleWallMs: number[] = []

  const summary = await runSchedule(
    {
      tops,
      count,
      cpus,
      pattern,
      benchTime,
      benchmem,
      timeoutMs,
      execArgv,
      env: options.full === true ? { SLURMBENCH_FULL: '1' } : {},
      cwd,
      ready: environmentReady,
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      ...(pair === undefined
        ? {}
        : {
            pair: { bundleFor: (top: TopLevel) => baseBundles.get(top.file), baseEnv: pair.baseEnv ?? {}, runs: pairRuns, headFirst: pair.headFirst === true },
          }),
    },
    {
      probed: (node) => printer.width.observeProbe(node.name),
      starting: (name, round, done, total) => {
        if (options.progress === undefined) return
        const averageMs = sampleWallMs.length === 0 ? undefined : sampleWallMs.reduce((a, b) => a + b, 0) / sampleWallMs.length
        const left = averageMs === undefined ? '' : ` · ~${formatDurationNs(Math.round(((total - done) * averageMs) / 1000) * 1e9)} left`
        options.progress(`[${done + 1}/${total}] ${name} · round ${round + 1}/${count}${left}`)
      },
      outcome: (leaf, round, measured) => {
        // One precision for both outputs: the JSON holds what the Go-format line prints (printedValue).
        const outcome = atPrintedPrecision(measured)
        printer.outcome(leaf, outcome)
        recordOutcome(results, leaf, round, outcome)
        if (outcome.status === 'failed') failedPkgs.add(leaf.top.pkg)
      },
      baseOutcome: (leaf, round, outcome) => recordOutcome(baseResults, leaf, round, atPrintedPrecision(outcome)),
      spent: (top, wallMs) => {
        sampleWallMs.push(wallMs)
        secondsByPkg.set(top.pkg, (secondsByPkg.get(top.pkg) ?? 0) + wallMs / 1000)
      },
      warning,
      workerOutput: options.workerOutput ?? (() => {}),
      profiles: (top, name, round, profiles) => options.onProfiles?.({ file: top.file, name, round, profiles }),
    },
  )
  if (tops.length > 0 && results.size === 0 && !summary.timedOut) {
    // Top-level names matched, but only partially (-bench=X/y where X has no sub-benchmark y).
    warning(`no benchmarks to run: -bench=${pattern} matched only parents, none of their sub-benchmarks`)
  }
  if (summary.timedOut) {
    warning(`the run exceeded -timeout=${formatDurationNs(timeoutMs * 1e6)}; the remaining benchmarks were not run`)
    for (const top of tops) failedPkgs.add(top.pkg)
  }

  await environmentReady
  const passed = failedPkgs.size === 0
  if (tops.length > 0 || buildFailures.length > 0) {
    printer.ensureHeader(tops[0]?.pkg)
    output(passed ? 'PASS\n' : 'FAIL\n')
    for (const [pkg, seconds] of secondsByPkg) if (!buildFailures.includes(pkg)) output(formatPackageSummary(pkg, !failedPkgs.has(pkg), seconds))
    for (const pkg of buildFailures) output(`FAIL\t${pkg} [build failed]\n`)
  }

  const document: ResultsDocument = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'slurmbench.results',
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    environment: environment as Environment,
    config: {
      producer: 'bench',
      bench: pattern,
      benchtime: benchTimeText,
      count,
      cpu: [...cpus],
      benchmem,
      timeoutMs: Number.isFinite(timeoutMs) ? timeoutMs : 0,
      settings: {
        full: options.full === true,
        maxOldSpaceMb: options.maxOldSpaceMb ?? DEFAULT_WORKER_HEAP_MB,
        ...(pair === undefined ? {} : { pair: { base: pair.baseRoot, runs: pairRuns, baseEnv: pair.baseEnv ?? {} } }),
      },
    },
    benchmarks: [...results.values()],
    warnings,
  }
  if (baseEnvironment === undefined) return { document, passed }
  return { document, passed, baseDocument: { ...document, environment: await baseEnvironment, benchmarks: [...baseResults.values()] } }
}

// atPrintedPrecision rounds a sample's metrics to what its Go-format line prints.
function atPrintedPrecision(outcome: SampleOutcome): SampleOutcome {
  return outcome.status === 'ok' ? { ...outcome, metrics: printedMetrics(outcome.metrics) } : outcome
}

function recordOutcome(results: Map<string, BenchmarkResult>, leaf: Leaf, round: number, outcome: SampleOutcome): void {
  const key = `${leaf.top.file}\0${leaf.name}`
  const existing = results.get(key)
  const result: BenchmarkResult = existing ?? {
    name: leaf.name,
    pkg: leaf.top.pkg,
    file: relative(projectOf(dirname(leaf.top.file)).root, leaf.top.file)
      .split(sep)
      .join('/'),
    procs: leaf.procs,
    status: 'ok',
    samples: [],
  }
  const log = [...(result.log ?? []), ...outcome.log]
  const updated: BenchmarkResult = { ...result, ...(log.length > 0 ? { log } : {}) }
  if (outcome.status === 'ok') {
    updated.samples.push({ round, iterations: outcome.iterations, metrics: { ...outcome.metrics } })
    const units: Record<string, UnitInfo> = { ...(result.units ?? {}) }
    for (const unit of Object.keys(outcome.metrics)) if (needsUnitLine(unit)) units[unit] = unitInfoFor(unit)
    if (Object.keys(units).length > 0) updated.units = units
  } else if (outcome.status === 'skipped') {
    updated.status = 'skipped'
    updated.skipReason = outcome.reason
  } else {
    updated.status = 'failed'
    updated.failure = outcome.failure
  }
  results.set(key, updated)
}

/** GoTextPrinter prints results in Go's format as they arrive, config lines first. */
class GoTextPrinter {
  private headerPrinted = false
  private currentPkg: string | undefined
  private readonly unitsPrinted = new Set<string>()

  constructor(
    /** The fingerprint, known by the time the first result arrives (runSchedule's `ready`). */
    private readonly environment: () => Environment,
    readonly width: NameWidth,
    private readonly output: (text: string) => void,
  ) {}

  ensureHeader(pkg: string | undefined): void {
    if (this.headerPrinted) return
    this.headerPrinted = true
    const env = this.environment()
    const lines: ConfigLine[] = [
      ['goos', env.goos],
      ['goarch', env.goarch],
    ]
    if (pkg !== undefined) lines.push(['pkg', pkg])
    lines.push(['cpu', env.cpuModel], ['node', env.node], ['v8', env.v8])
    if (env.commit !== undefined) lines.push(['commit', env.dirty === true ? `${env.commit}-dirty` : env.commit])
    this.currentPkg = pkg
    this.output(formatConfigLines(lines))
  }

  outcome(leaf: Leaf, outcome: SampleOutcome): void {
    this.ensureHeader(leaf.top.pkg)
    if (leaf.top.pkg !== this.currentPkg) {
      this.currentPkg = leaf.top.pkg
      this.output(formatConfigLines([['pkg', leaf.top.pkg]]))
    }
    if (outcome.status === 'ok') {
      let text = ''
      for (const unit of Object.keys(outcome.metrics)) {
        if (this.unitsPrinted.has(unit)) continue
        this.unitsPrinted.add(unit)
        text += formatUnitLine(unit)
      }
      text += formatResultLine(leaf.name, this.width.width, outcome.iterations, outcome.metrics) + '\n'
      text += formatBenchBlock(leaf.name, outcome.log)
      this.output(text)
    } else if (outcome.status === 'skipped') {
      this.output(formatSkipBlock(leaf.name, outcome.reason, outcome.log))
    } else {
      this.output(formatFailBlock(leaf.name, outcome.failure.message, outcome.failure.stack, outcome.log))
    }
  }
}
