// `slurmbench baseline update|show|check`: record every sample of a run as the committed
// baseline of this machine class, show it, and gate a fresh run (or a results file) against it.
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BENCH_PASSTHROUGH_FLAGS, benchArgsFrom } from './bench-args.ts'
import { baselineFromResults, baselinePath, readBaseline, sampleSetFromBaseline, writeBaseline } from '../baseline/baseline-file.ts'
import { buildTables } from '../compare/benchstat-table.ts'
import { fingerprintDifferences, fingerprintOf, MACHINE_CLASS_PATTERN, machineClassOf } from '../baseline/fingerprint.ts'
import { sampleSetFromResults } from '../compare/sample-set.ts'
import { estimateRunMs, formatEstimate, formatMinutes, mergeRounds, RoundProgress, runRounds } from '../ab/rounds.ts'
import { spawnBench } from '../ab/spawn-bench.ts'
import { withCleanupOnSignal } from '../ab/worktree.ts'
import { parseDurationNs } from '../results/duration.ts'
import { isBenchmarkName } from '../results/gofmt-read.ts'
import { parseBenchTime } from '../run/calibrate.ts'
import { findBenchmarkFiles } from '../run/discover.ts'
import { BenchMatcher } from '../run/match.ts'
import { type FailOn, gateExitCode, judge } from '../compare/verdict.ts'
import { InputError } from '../../common/input-error.ts'
import { readResults, writeResults } from '../results/json.ts'
import { isPartial, markPartial, partialNote } from '../results/partial.ts'
import type { ResultsDocument } from '../results/schema.ts'
import { collectEnvironment } from '../run/environment.ts'
import { renderBenchstatText } from '../report/benchstat-text.ts'
import { renderComparisonJson } from '../report/comparison-json.ts'
import { type Command, EXIT_OK } from './command.ts'
import { DEFAULT_IGNORE, loadPolicy, type OutputFormat, parseFailOn, parseFormat, renderVerdicts } from './compare.ts'
import { type FlagSpecs, printUsage, parseArgs, type ParsedArgs, UsageError } from './flags.ts'

/** DEFAULT_BASELINE_DIR is where baselines are committed. */
export const DEFAULT_BASELINE_DIR = 'baselines'
/** DEFAULT_BASELINE_NAME names the file when -name is not given. */
export const DEFAULT_BASELINE_NAME = 'default'
/**
 * DEFAULT_BASELINE_COUNT samples per benchmark for a fresh run: 6 rounds, the fewest for which
 * benchstat gives a 95% interval (with 5, `baseline show` prints ± ∞); benchmarks/cpu took 2m49s
 * for 5 on the quiet 2-core machine. 10 rounds at 1 s of the whole suite overran a 10-minute timeout.
 */
export const DEFAULT_BASELINE_COUNT = 6
/** DEFAULT_BASELINE_BENCHTIME is the time per sample of a fresh run (bench's default is 1s). */
export const DEFAULT_BASELINE_BENCHTIME = '100ms'
/**
 * DEFAULT_BASELINE_PATHS are the benchmarks a fresh run records by default: the CPU
 * micro-benchmarks, which the gate judges; the server benchmarks (network, memory, scalability)
 * cost ~10 s a sample on a 2-core VM and are recorded by naming their folders.
 */
export const DEFAULT_BASELINE_PATHS: readonly string[] = ['benchmarks/cpu']
/** DEFAULT_BASELINE_TIMEOUT bounds a whole fresh run, all rounds together. */
export const DEFAULT_BASELINE_TIMEOUT = '30m'
/** PARTIAL_RESULTS_PATH is where an interrupted fresh run keeps its completed rounds. */
export const PARTIAL_RESULTS_PATH = 'baseline-update.partial.json'

const COMMON_FLAGS: FlagSpecs = {
  dir: { kind: 'string', valueName: 'dir', help: `baseline folder (default ${DEFAULT_BASELINE_DIR})` },
  name: { kind: 'string', valueName: 'name', help: `baseline name, the file <dir>/<machine class>/<name>.json (default ${DEFAULT_BASELINE_NAME})` },
  'machine-class': { kind: 'string', valueName: 'class', help: 'machine class folder (default: derived from CPU model, cores, Node major, OS)' },
  from: { kind: 'string', valueName: 'results.json', help: 'use this results file instead of running the benchmarks' },
  count: {
    kind: 'integer',
    valueName: 'n',
    help: `rounds of a fresh run, each one sample of every benchmark in a fresh bench process (default ${DEFAULT_BASELINE_COUNT}; bench's -count is samples per benchmark within one bench run)`,
  },
  ...BENCH_PASSTHROUGH_FLAGS,
  benchtime: { kind: 'string', valueName: 'd', help: `time per sample, as bench -benchtime (default ${DEFAULT_BASELINE_BENCHTIME})` },
  partial: { kind: 'string', valueName: 'file', help: `where an interrupted fresh run keeps its completed rounds (default ${PARTIAL_RESULTS_PATH})` },
  timeout: {
    kind: 'string',
    valueName: 'd',
    help: `limit of the whole fresh run, all rounds (default ${DEFAULT_BASELINE_TIMEOUT}); a run estimated longer is refused`,
  },
}

const CHECK_FLAGS: FlagSpecs = {
  ...COMMON_FLAGS,
  policy: { kind: 'string', valueName: 'file', help: 'tolerance policy (default baselines/policy.json)' },
  'fail-on': { kind: 'string', valueName: 'regressed|inconclusive', help: 'also fail (exit 1) on inconclusive verdicts' },
  'allow-cross-env': { kind: 'boolean', help: 'gate even when the baseline was recorded on a different machine or Node major' },
  format: { kind: 'string', valueName: 'text|csv|markdown|json', help: 'output format (default text)' },
}

const DESCRIPTION = `Baselines are every sample of a run, stored per machine class under ${DEFAULT_BASELINE_DIR}/<class>/<name>.json
with the fingerprint, commit and date. A fresh run (no -from) runs -count rounds of
'bench -count=1' over ${DEFAULT_BASELINE_PATHS.join(' ')} (or the files and folders given), prints its
estimated duration first and refuses one that cannot fit -timeout; an interrupted or timed-out
run keeps its completed rounds in ${PARTIAL_RESULTS_PATH} (marked partial; never a baseline).

  baseline update   record a fresh run (or -from results.json) as the baseline, atomically
  baseline show     print the baseline of this machine class (or -machine-class)
  baseline check    judge a fresh run (or -from results.json) against the baseline:
                    exit 0 nothing regressed, 1 a regression, 2 usage or input error`

/** CheckOptions configure checkResults. */
export interface CheckOptions {
  readonly dir?: string
  readonly name?: string
  readonly machineClass?: string
  readonly policyPath?: string
  readonly failOn?: FailOn
  readonly allowCrossEnv?: boolean
  readonly format?: OutputFormat
  /** Where the report goes (default process.stdout). */
  readonly write?: (text: string) => void
  /** Where warnings go (default process.stderr). */
  readonly warn?: (text: string) => void
}

function checkMachineClass(value: string | undefined): string | undefined {
  if (value !== undefined && !MACHINE_CLASS_PATTERN.test(value))
    throw new UsageError(`flag -machine-class: expected lower-case letters, digits, '.', '_' or '-', found "${value}"`)
  return value
}

function checkName(value: string | undefined): string {
  const name = value ?? DEFAULT_BASELINE_NAME
  if (!MACHINE_CLASS_PATTERN.test(name)) throw new UsageError(`flag -name: expected lower-case letters, digits, '.', '_' or '-', found "${name}"`)
  return name
}

async function availableBaselines(dir: string, name: string): Promise<string[]> {
  if (!existsSync(dir)) return []
  const entries = await readdir(dir, { withFileTypes: true })
  return entries.filter((e) => e.isDirectory() && existsSync(join(dir, e.name, `${name}.json`))).map((e) => e.name)
}

/**
 * checkResults judges a results document against the committed baseline of its machine class
 * and prints the verdicts; it resolves to the exit code (0 pass, 1 regression, 2 input error).
 */
export async function checkResults(doc: ResultsDocument, options: CheckOptions = {}): Promise<number> {
  const write = options.write ?? ((t: string) => void process.stdout.write(t))
  const warn = options.warn ?? ((t: string) => void process.stderr.write(t))
  const dir = options.dir ?? DEFAULT_BASELINE_DIR
  const name = options.name ?? DEFAULT_BASELINE_NAME
  const fp = fingerprintOf(doc.environment)
  const machineClass = options.machineClass ?? machineClassOf(fp)
  const path = baselinePath(dir, machineClass, name)
  if (!existsSync(path)) {
    const others = await availableBaselines(dir, name)
    throw new InputError(
      `${path}: no baseline "${name}" for machine class ${machineClass}${others.length > 0 ? `; baselines exist for: ${others.join(', ')} (pass -machine-class to compare across machines)` : "; record one with 'slurmbench baseline update'"}`,
    )
  }
  const baseline = await readBaseline(path)
  const policy = await loadPolicy(options.policyPath)
  const differences = fingerprintDifferences(baseline.fingerprint, fp)
  const crossEnv = differences.length > 0
  const warnings: string[] = []
  if (crossEnv) {
    const text = `DIFFERENT ENVIRONMENT: baseline ${path} was recorded on another machine or runtime (${differences.join('; ')}); timings are not comparable${options.allowCrossEnv === true ? ', gating anyway (--allow-cross-env)' : ', verdicts are informational'}`
    warnings.push(text)
    warn(`\n${'!'.repeat(78)}\n!! ${text}\n${'!'.repeat(78)}\n\n`)
  }
  const base = sampleSetFromBaseline(baseline, path, `baseline@${baseline.commit?.slice(0, 12) ?? baseline.createdAt.slice(0, 10)}`)
  const head = sampleSetFromResults(doc, 'results', `head@${doc.environment.commit?.slice(0, 12) ?? 'run'}`)
  const report = judge(base, head, policy, { informational: crossEnv && options.allowCrossEnv !== true, warnings })
  const format = options.format ?? 'text'
  if (format === 'json') {
    const tables = buildTables([base, head], { alpha: policy.alpha, confidence: policy.confidence, col: '.file', ignore: DEFAULT_IGNORE })
    write(renderComparisonJson(tables, [report]))
  } else {
    write(renderVerdicts([report], format))
  }
  return gateExitCode(report, options.failOn ?? 'regressed')
}

/** countTopLevelBenchmarks counts the exported Benchmark functions that -bench selects in the files or folders: a lower bound of the benchmarks a run measures. */
export async function countTopLevelBenchmarks(paths: readonly string[], pattern: string, cwd: string): Promise<number> {
  const files = await findBenchmarkFiles(paths, cwd)
  const matcher = new BenchMatcher(pattern)
  let count = 0
  for (const file of files) {
    const source = await readFile(file, 'utf8')
    for (const m of source.matchAll(/export\s+(?:async\s+)?(?:function\s*\*?|const|let)\s+(Benchmark\w*)/g)) {
      const name = m[1] as string
      if (isBenchmarkName(name) && matcher.match(name).ok) count++
    }
  }
  return count
}

function durationMsOf(flag: string, text: string): number {
  const ns = parseDurationNs(text)
  if (ns === undefined || ns < 0) throw new UsageError(`flag -${flag}: expected a duration such as 10m or 30s, found "${text}"`)
  return ns === 0 ? Infinity : ns / 1e6
}

// freshRun runs -count rounds of `bench -count=1`, keeping completed rounds if it stops early.
async function freshRun(args: ParsedArgs, command: string): Promise<ResultsDocument> {
  const count = (args.flags.count as number | undefined) ?? DEFAULT_BASELINE_COUNT
  if (count < 1) throw new UsageError(`flag -count: expected at least 1, found ${count}`)
  const benchtime = (args.flags.benchtime as string | undefined) ?? DEFAULT_BASELINE_BENCHTIME
  const parsedTime = parseBenchTime(benchtime)
  if (parsedTime === undefined) throw new UsageError(`flag -benchtime: expected a duration such as 1s or 100ms, or a count such as 500x, found "${benchtime}"`)
  const timeoutMs = durationMsOf('timeout', (args.flags.timeout as string | undefined) ?? DEFAULT_BASELINE_TIMEOUT)
  const paths = args.positionals.length > 0 ? args.positionals : DEFAULT_BASELINE_PATHS
  const pattern = (args.flags.bench as string | undefined) ?? '.'
  const write = (line: string): void => void process.stderr.write(line)
  const tops = await countTopLevelBenchmarks(paths, pattern, process.cwd())
  if (tops === 0) throw new InputError(`no benchmarks match -bench=${pattern} in ${paths.join(' ')}`)
  const estimate = estimateRunMs({
    benchmarks: tops,
    samplesEach: count,
    benchTimeMs: parsedTime.kind === 'duration' ? parsedTime.durationNs / 1e6 : 0,
    lowerBound: true,
  })
  const shorten = `shorten it with a smaller -count (now ${count}), a shorter -benchtime (now ${benchtime}), -bench or fewer folders, or raise -timeout (now ${formatMinutes(timeoutMs)})`
  if (estimate.ms > timeoutMs) {
    throw new UsageError(`${command}: the run is estimated at ${formatEstimate(estimate)}, more than -timeout ${formatMinutes(timeoutMs)}; ${shorten}`)
  }
  write(
    `${command}: ${count} rounds of ${paths.join(' ')} at -benchtime=${benchtime}, estimated ${formatEstimate(estimate)}; -timeout ${formatMinutes(timeoutMs)}\n`,
  )
  const { benchtime: _benchtime, timeout: _timeout, ...others } = args.flags
  const passThrough = benchArgsFrom({ ...args, flags: others, positionals: [...paths] })
  const rounds: ResultsDocument[] = []
  const progress = new RoundProgress({ prefix: command, totalRounds: count, write })
  const partialPath = (args.flags.partial as string | undefined) ?? PARTIAL_RESULTS_PATH
  let finished = false
  let kept: string | undefined
  let stopReason = 'interrupted'
  const keepPartial = async (): Promise<string | undefined> => {
    if (finished || rounds.length === 0) return kept
    finished = true
    const merged = mergeRounds(rounds)
    const note = `partial run: ${rounds.length} of ${count} rounds (${stopReason}); not a baseline`
    const doc = markPartial(merged, { roundsDone: rounds.length, roundsPlanned: count, reason: stopReason }, note)
    await writeResults(partialPath, doc)
    write(`${command}: ${note}; kept ${rounds.length} round(s) in ${partialPath}; no baseline written\n`)
    kept = partialPath
    return kept
  }
  try {
    await withCleanupOnSignal(
      async () => void (await keepPartial()),
      (signal) =>
        runRounds(
          [
            {
              label: 'bench',
              runOnce: () => {
                const remainingMs = timeoutMs - progress.elapsedMs()
                const limit = Number.isFinite(remainingMs) ? [`-timeout=${Math.max(1, Math.floor(remainingMs / 1000))}s`] : ['-timeout=0']
                return spawnBench({ cwd: process.cwd(), args: ['-count=1', `-benchtime=${benchtime}`, ...limit, ...passThrough], echo: true, signal })
              },
            },
          ],
          0,
          count,
          [rounds],
          undefined,
          (done) => {
            // Every round done: nothing partial to keep when the signal guard cleans up.
            if (done === count) finished = true
            progress.roundDone(done)
            const expectedMs = (progress.elapsedMs() / done) * count
            if (done < count && expectedMs > timeoutMs) {
              stopReason = `round ${done} took ${formatMinutes(progress.elapsedMs() / done)}, so ${count} rounds need ~${formatMinutes(expectedMs)}, more than -timeout ${formatMinutes(timeoutMs)}`
              throw new InputError(`${command}: stopped after round ${done}: ${stopReason}; ${shorten}`)
            }
          },
        ),
    )
    finished = true
  } catch (err) {
    if (!(err instanceof InputError)) stopReason = (err as Error).message
    else if (stopReason === 'interrupted') stopReason = err.message
    const path = await keepPartial()
    if (err instanceof InputError && path !== undefined) throw new InputError(`${err.message} (completed rounds kept in ${path}, marked partial)`)
    throw err
  }
  return mergeRounds(rounds)
}

async function resultsFor(args: ParsedArgs, command: string): Promise<ResultsDocument> {
  const from = args.flags.from as string | undefined
  if (from !== undefined) {
    if (args.positionals.length > 0 || args.flags.bench !== undefined)
      throw new UsageError('-from reads a results file; benchmark selection flags and paths apply to fresh runs only')
    const doc = await readResults(from)
    if (isPartial(doc)) throw new InputError(`${from}: a partial run (${partialNote(doc)}); a baseline needs every round: run again`)
    return doc
  }
  return freshRun(args, command)
}

async function update(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, COMMON_FLAGS)
  if (args.help) return printUsage('slurmbench baseline update [flags] [files or folders…]', DESCRIPTION, COMMON_FLAGS)
  const name = checkName(args.flags.name as string | undefined)
  const machineClass = checkMachineClass(args.flags['machine-class'] as string | undefined)
  const doc = await resultsFor(args, 'baseline update')
  const baseline = baselineFromResults(doc, name, machineClass, new Date())
  if (baseline.benchmarks.length === 0) throw new InputError('the run has no successful benchmark; nothing to record')
  const path = baselinePath((args.flags.dir as string | undefined) ?? DEFAULT_BASELINE_DIR, baseline.machineClass, name)
  await writeBaseline(path, baseline)
  const samples = baseline.benchmarks.reduce((n, b) => n + (Object.values(b.metrics)[0]?.length ?? 0), 0)
  process.stdout.write(
    `wrote ${path}: ${baseline.benchmarks.length} benchmarks, ${samples} samples, commit ${baseline.commit ?? '(none)'}${baseline.dirty === true ? ' (dirty work tree)' : ''}\n`,
  )
  return EXIT_OK
}

async function show(argv: readonly string[]): Promise<number> {
  const flags: FlagSpecs = {
    dir: COMMON_FLAGS.dir!,
    name: COMMON_FLAGS.name!,
    'machine-class': COMMON_FLAGS['machine-class']!,
    format: { kind: 'string', valueName: 'text|json', help: 'output format (default text)' },
  }
  const args = parseArgs(argv, flags)
  if (args.help) return printUsage('slurmbench baseline show [flags] [file]', DESCRIPTION, flags)
  const dir = (args.flags.dir as string | undefined) ?? DEFAULT_BASELINE_DIR
  const name = checkName(args.flags.name as string | undefined)
  let path = args.positionals[0]
  if (path === undefined) {
    const env = await collectEnvironment([], process.cwd())
    const machineClass = checkMachineClass(args.flags['machine-class'] as string | undefined) ?? machineClassOf(fingerprintOf(env))
    path = baselinePath(dir, machineClass, name)
    if (!existsSync(path)) {
      const others = await availableBaselines(dir, name)
      throw new InputError(
        `${path}: no baseline "${name}" for this machine class (${machineClass})${others.length > 0 ? `; available: ${others.join(', ')} (pass -machine-class)` : ''}`,
      )
    }
  }
  const baseline = await readBaseline(path)
  const format = (args.flags.format as string | undefined) ?? 'text'
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(baseline, null, 2)}\n`)
    return EXIT_OK
  }
  if (format !== 'text') throw new UsageError(`flag -format: expected text or json, found "${format}"`)
  const fp = baseline.fingerprint
  process.stdout.write(
    `baseline ${baseline.name} (${path})\n  machine class ${baseline.machineClass}: ${fp.cpuModel}, ${fp.cores} cores, Node ${fp.nodeMajor}, ${fp.os}/${fp.arch}\n  recorded ${baseline.createdAt} at commit ${baseline.commit ?? '(none)'}${baseline.dirty === true ? ' (dirty)' : ''}, schema v${baseline.schemaVersion}\n\n`,
  )
  const set = sampleSetFromBaseline(baseline, path, baseline.name)
  process.stdout.write(renderBenchstatText(buildTables([set], { alpha: 0.05, confidence: 0.95, col: '.file', ignore: DEFAULT_IGNORE })))
  return EXIT_OK
}

async function check(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, CHECK_FLAGS)
  if (args.help) return printUsage('slurmbench baseline check [flags] [files or folders…]', DESCRIPTION, CHECK_FLAGS)
  const format = parseFormat(args.flags.format)
  const failOn = parseFailOn(args.flags['fail-on'])
  const name = checkName(args.flags.name as string | undefined)
  const machineClass = checkMachineClass(args.flags['machine-class'] as string | undefined)
  const doc = await resultsFor(args, 'baseline check')
  return checkResults(doc, {
    ...(typeof args.flags.dir === 'string' ? { dir: args.flags.dir } : {}),
    name,
    ...(machineClass !== undefined ? { machineClass } : {}),
    ...(typeof args.flags.policy === 'string' ? { policyPath: args.flags.policy } : {}),
    failOn,
    allowCrossEnv: args.flags['allow-cross-env'] === true,
    format,
  })
}

const SUBCOMMANDS: Readonly<Record<string, (argv: readonly string[]) => Promise<number>>> = { update, show, check }

export const command: Command = {
  summary: 'record, show and check versioned baselines (exit 1 on a regression)',
  async run(argv) {
    const [sub, ...rest] = argv
    if (sub === undefined || sub === '-h' || sub === '--help' || sub === '-help' || sub === 'help') {
      process.stdout.write(
        `usage: slurmbench baseline update|show|check [flags]\n\n${DESCRIPTION}\n\nRun 'slurmbench baseline <subcommand> --help' for its flags.\n`,
      )
      return sub === undefined ? 2 : EXIT_OK
    }
    const run = SUBCOMMANDS[sub]
    if (run === undefined) throw new UsageError(`unknown subcommand "${sub}"; expected update, show or check`)
    return run(rest)
  },
}
