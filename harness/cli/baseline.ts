// `slurmbench baseline update|show|check`: record every sample of a run as the committed
// baseline of this machine class, show it, and gate a fresh run (or a results file) against it.
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { BENCH_PASSTHROUGH_FLAGS, benchArgsFrom } from './bench-args.ts'
import { baselineFromResults, baselinePath, readBaseline, sampleSetFromBaseline, writeBaseline } from '../baseline/baseline-file.ts'
import { buildTables } from '../compare/benchstat-table.ts'
import { fingerprintDifferences, fingerprintOf, MACHINE_CLASS_PATTERN, machineClassOf } from '../baseline/fingerprint.ts'
import { sampleSetFromResults } from '../compare/sample-set.ts'
import { spawnBench } from '../ab/spawn-bench.ts'
import { type FailOn, gateExitCode, judge } from '../compare/verdict.ts'
import { InputError } from '../../common/input-error.ts'
import { readResults } from '../results/json.ts'
import type { ResultsDocument } from '../results/schema.ts'
import { collectEnvironment } from '../run/environment.ts'
import { renderBenchstatText } from '../report/benchstat-text.ts'
import { renderComparisonJson } from '../report/comparison-json.ts'
import { type Command, EXIT_OK } from './command.ts'
import { DEFAULT_IGNORE, loadPolicy, type OutputFormat, parseFailOn, parseFormat, renderVerdicts } from './compare.ts'
import { type FlagSpecs, formatUsage, parseArgs, type ParsedArgs, UsageError } from './flags.ts'

/** DEFAULT_BASELINE_DIR is where baselines are committed. */
export const DEFAULT_BASELINE_DIR = 'baselines'
/** DEFAULT_BASELINE_NAME names the file when -name is not given. */
export const DEFAULT_BASELINE_NAME = 'default'
/** DEFAULT_BASELINE_COUNT samples per benchmark for a fresh run: benchstat asks for ≥ 10. */
export const DEFAULT_BASELINE_COUNT = 10

const COMMON_FLAGS: FlagSpecs = {
  dir: { kind: 'string', valueName: 'dir', help: `baseline folder (default ${DEFAULT_BASELINE_DIR})` },
  name: { kind: 'string', valueName: 'name', help: `baseline name, the file <dir>/<machine class>/<name>.json (default ${DEFAULT_BASELINE_NAME})` },
  'machine-class': { kind: 'string', valueName: 'class', help: 'machine class folder (default: derived from CPU model, cores, Node major, OS)' },
  from: { kind: 'string', valueName: 'results.json', help: 'use this results file instead of running the benchmarks' },
  count: { kind: 'integer', valueName: 'n', help: `samples per benchmark for a fresh run (default ${DEFAULT_BASELINE_COUNT})` },
  ...BENCH_PASSTHROUGH_FLAGS,
}

const CHECK_FLAGS: FlagSpecs = {
  ...COMMON_FLAGS,
  policy: { kind: 'string', valueName: 'file', help: 'tolerance policy (default baselines/policy.json)' },
  'fail-on': { kind: 'string', valueName: 'regressed|inconclusive', help: 'also fail (exit 1) on inconclusive verdicts' },
  'allow-cross-env': { kind: 'boolean', help: 'gate even when the baseline was recorded on a different machine or Node major' },
  format: { kind: 'string', valueName: 'text|csv|markdown|json', help: 'output format (default text)' },
}

const DESCRIPTION = `Baselines are every sample of a run, stored per machine class under ${DEFAULT_BASELINE_DIR}/<class>/<name>.json
with the fingerprint, commit and date.

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

async function resultsFor(args: ParsedArgs): Promise<ResultsDocument> {
  const from = args.flags.from as string | undefined
  if (from !== undefined) {
    if (args.positionals.length > 0 || args.flags.bench !== undefined)
      throw new UsageError('-from reads a results file; benchmark selection flags and paths apply to fresh runs only')
    return readResults(from)
  }
  const count = (args.flags.count as number | undefined) ?? DEFAULT_BASELINE_COUNT
  if (count < 1) throw new UsageError(`flag -count: expected at least 1, found ${count}`)
  process.stderr.write(`running the benchmarks (-count=${count}); pass -from results.json to use an earlier run\n`)
  return spawnBench({ cwd: process.cwd(), args: [`-count=${count}`, ...benchArgsFrom(args)], echo: true })
}

async function update(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, COMMON_FLAGS)
  if (args.help) {
    process.stdout.write(formatUsage('slurmbench baseline update [flags] [files or folders…]', DESCRIPTION, COMMON_FLAGS))
    return EXIT_OK
  }
  const name = checkName(args.flags.name as string | undefined)
  const machineClass = checkMachineClass(args.flags['machine-class'] as string | undefined)
  const doc = await resultsFor(args)
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
  if (args.help) {
    process.stdout.write(formatUsage('slurmbench baseline show [flags] [file]', DESCRIPTION, flags))
    return EXIT_OK
  }
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
  if (args.help) {
    process.stdout.write(formatUsage('slurmbench baseline check [flags] [files or folders…]', DESCRIPTION, CHECK_FLAGS))
    return EXIT_OK
  }
  const format = parseFormat(args.flags.format)
  const failOn = parseFailOn(args.flags['fail-on'])
  const name = checkName(args.flags.name as string | undefined)
  const machineClass = checkMachineClass(args.flags['machine-class'] as string | undefined)
  const doc = await resultsFor(args)
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
