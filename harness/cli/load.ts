// `slurmbench load`: k6-style load tests with SLA verdicts against the embedded mock slurmrestd
// and reference exporter, or any URL; `load merge` joins shard results; `load ceiling`
// measures this generator beside wrk.
import { writeFileAtomic } from '../results/atomic-file.ts'
import { parseDurationNs } from '../results/duration.ts'
import { InputError } from '../../common/input-error.ts'
import { readResults, writeResults } from '../results/json.ts'
import { collectEnvironment } from '../run/environment.ts'
import { measureCeiling, renderCeiling } from '../load/ceiling.ts'
import { exportK6Script } from '../load/k6-export.ts'
import type { LoadResult, LoadVerdict } from '../load/load-result.ts'
import { mergeResults } from '../load/merge.ts'
import { fromResultsDocument, toResultsDocument } from '../load/results.ts'
import { listScenarios, readScenario, resolveScenarioPath } from '../load/scenario.ts'
import { prepareSession, requestUrl, runSession, type SessionOptions, type TargetChoice } from '../load/session.ts'
import { planDurationNs } from '../load/plan.ts'
import { formatShard, NO_SHARD, parseShard, shardFromEnv, type Shard } from '../load/shard.ts'
import { formatStatusLine, ProgressLog, wantsPlainProgress } from '../report/load-status-line.ts'
import { StopSignal } from '../load/stop-signal.ts'
import { INTERRUPTED_LINE, renderSummary } from '../report/load-summary.ts'
import { EXIT_FAILED, EXIT_OK, type Command } from './command.ts'
import { printUsage, parseArgs, UsageError, type FlagSpecs, type ParsedArgs } from './flags.ts'

/** DEFAULT_MOCK_FAULTS makes the embedded mock answer with realistic per-endpoint latency, so thresholds mean something. */
const DEFAULT_MOCK_FAULTS = 'latency=realistic'
/** DEFAULT_PRESET is the embedded mock's cluster size. */
const DEFAULT_PRESET = 'small'
/** PRESET_NAMES are the mock's cluster presets (testbed/mock-slurm/cluster/presets.ts), for --help without loading the testbed. */
const PRESET_NAMES = 'tiny, small, medium, large, xl'

/** loadTargets imports the testbed only when an embedded target is wanted: `load --target` and `--help` stay quick to start. */
function loadTargets(): Promise<typeof import('../load/targets.ts')> {
  return import('../load/targets.ts')
}

/** DEFAULT_ABORT_DELAY lets ramps settle before --abort-on-fail may stop a run. */
const DEFAULT_ABORT_DELAY = '10s'
/** CEILING_GOAL_RATIO is the target ratio of this generator's req/s to wrk's. */
const CEILING_GOAL_RATIO = 0.7
/** SECOND_SIGNAL_EXIT is the exit code when a second Ctrl-C abandons the graceful stop (128 + SIGINT). */
const SECOND_SIGNAL_EXIT = 130
/**
 * EXIT_INTERRUPTED is the exit code of a run cut short by Ctrl-C or SIGTERM: k6's ExternalAbort
 * (errext/exitcodes), so that a cancelled CI job never reads as a pass or as a failed SLA.
 */
export const EXIT_INTERRUPTED = 105

/** exitCode maps a load test's verdict to the process exit code. */
function exitCode(verdict: LoadVerdict): number {
  return verdict === 'passed' ? EXIT_OK : verdict === 'interrupted' ? EXIT_INTERRUPTED : EXIT_FAILED
}

const TARGET_FLAGS: FlagSpecs = {
  target: { kind: 'string', valueName: 'url', help: 'load this URL instead of the embedded exporter (a bare origin gets the scenario path, default /metrics)' },
  slurm: { kind: 'boolean', help: 'load the embedded mock slurmrestd itself (default path: its ping endpoint)' },
  path: { kind: 'string', valueName: 'path', help: 'request path and query, overriding the URL, the scenario and the default' },
  preset: { kind: 'string', valueName: 'name', help: `embedded mock cluster size: ${PRESET_NAMES} (default ${DEFAULT_PRESET})` },
  nodes: { kind: 'integer', valueName: 'n', help: 'node count of the embedded mock; with --target, the cluster size that picks the SLA profile' },
  'mock-faults': { kind: 'string', valueName: 'spec', help: `embedded mock's faults, 'key=value;…' or none (default ${DEFAULT_MOCK_FAULTS}; ceiling: none)` },
  'exporter-cache-ttl': {
    kind: 'string',
    valueName: 'dur',
    help: "embedded exporter serves a collection again for this long (default: the exporter's, 5s; 0s: every scrape collects)",
  },
}

const RUN_FLAGS: FlagSpecs = {
  ...TARGET_FLAGS,
  'target-pid': { kind: 'integer', valueName: 'pid', help: 'read target memory from this process (default: found from the local port)' },
  'duration-scale': { kind: 'number', valueName: 'x', help: 'multiply every stage duration by x (0.01 turns 10m into 6s; default 1)' },
  vus: { kind: 'integer', valueName: 'n', help: 'VUs (ramping: stage targets scaled so the peak is n; arrival-rate: maxVUs)' },
  rate: { kind: 'number', valueName: 'r', help: 'arrival rate per timeUnit (ramping: stages scaled so the peak is r)' },
  duration: { kind: 'string', valueName: 'dur', help: 'scenario duration (ramping: stages scaled to total dur)' },
  'think-time': { kind: 'string', valueName: 'dur', help: "pause between a VU's iterations" },
  timeout: { kind: 'string', valueName: 'dur', help: 'whole-request timeout, headers and body (default 30s)' },
  set: { kind: 'string', valueName: 'key=value', repeatable: true, help: 'override any scenario field: --set stages.1.target=300 (repeatable)' },
  sla: { kind: 'string', valueName: 'profile', help: 'SLA profile: default, small, medium, large (default: by cluster size, else default)' },
  thresholds: { kind: 'string', valueName: 'file', help: 'SLA thresholds file (default benchmarks/load/thresholds.json)' },
  threshold: { kind: 'string', valueName: 'metric:expr', repeatable: true, help: "add or replace a threshold: --threshold 'http_req_duration:p(95)<300'" },
  'abort-on-fail': { kind: 'boolean', help: `stop the run as soon as a threshold fails (k6 abortOnFail), after --abort-delay` },
  'abort-delay': { kind: 'string', valueName: 'dur', help: `grace period before --abort-on-fail applies (default ${DEFAULT_ABORT_DELAY})` },
  shard: { kind: 'string', valueName: 'i/n', help: 'run shard i of n (default: JOB_COMPLETION_INDEX and JOB_COMPLETIONS in a Kubernetes Indexed Job)' },
  out: { kind: 'string', valueName: 'file', aliases: ['json', 'o'], help: 'write the results document (JSON; histograms included, mergeable)' },
  'export-k6': { kind: 'string', valueName: 'file', help: 'write an equivalent k6 script (scenario and thresholds) and exit without running' },
}

const MERGE_FLAGS: FlagSpecs = {
  out: { kind: 'string', valueName: 'file', aliases: ['json', 'o'], help: 'write the merged results document' },
}

const CEILING_FLAGS: FlagSpecs = {
  ...TARGET_FLAGS,
  connections: { kind: 'integer', valueName: 'n', help: 'connections for both tools (default 10)' },
  duration: { kind: 'string', valueName: 'dur', help: "length of each tool's run per round (default 5s)" },
  rounds: { kind: 'integer', valueName: 'n', help: 'rounds, alternating which tool goes first (default 3)' },
  wrk: { kind: 'string', valueName: 'path', help: 'wrk binary (default wrk)' },
}

const SYNOPSIS = 'slurmbench load <scenario> [flags]   |   load merge [flags] shard-*.json   |   load ceiling [flags]   |   load list'
const DESCRIPTION = `Runs a load-test scenario (benchmarks/load/<scenario>.json, or a path) with k6's executors
(constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate) and judges it against SLA
thresholds. By default it starts the mock slurmrestd (realistic latency) and the reference exporter
in child processes and loads /metrics. The summary lists every threshold with its observed value;
the last line is "✅ LOAD TEST PASSED" (exit 0) or "❌ LOAD TEST FAILED" (exit 1); bad input exits 2.
Ctrl-C (or SIGTERM) stops the run, writes what ran (--out, marked interrupted) and ends with
"⛔ LOAD TEST INTERRUPTED": exit 105 (k6's code for an aborted run), never a pass; a second Ctrl-C
exits 130 at once without results. Progress goes to stderr: a live status line on a terminal;
in CI (CI=true) or when stderr is not a terminal, a plain line with the time elapsed and left,
about 20 a run (1 s to 30 s apart).

  load merge shard-*.json     merge shard results exactly (HDR histograms) into one verdict
  load ceiling                this generator's highest req/s beside wrk on the same target
  load list                   the scenarios in benchmarks/load

Examples:
  npm run load -- baseline --duration-scale 0.01
  npm run load -- stress --target http://exporter:9341 --sla medium --out stress.json
  npm run load -- capacity --shard 2/4 --out shard-2.json && npm run load -- merge shard-*.json
  npm run load -- ceiling --slurm --connections 10 --rounds 3`

function durationMsFlag(flag: string, text: string | undefined, fallback: string): number {
  const value = text ?? fallback
  const ns = parseDurationNs(value)
  if (ns === undefined || ns < 0) throw new UsageError(`flag --${flag}: expected a Go duration such as 10s, found "${value}"`)
  return ns / 1e6
}

async function targetChoice(args: ParsedArgs, faultsDefault: string): Promise<TargetChoice> {
  const flags = args.flags
  const nodes = flags.nodes as number | undefined
  if (nodes !== undefined && nodes < 1) throw new UsageError(`flag --nodes: expected at least 1, found ${nodes}`)
  if (typeof flags.target === 'string') {
    if (flags.slurm === true) throw new UsageError('flags --target and --slurm exclude each other: --slurm loads the embedded mock')
    let url: URL
    try {
      url = new URL(flags.target)
    } catch {
      throw new UsageError(`flag --target: expected an http:// URL, found "${flags.target}"`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UsageError(`flag --target: expected an http:// or https:// URL, found "${flags.target}"`)
    const pid = flags['target-pid'] as number | undefined
    return { kind: 'url', url, pid, nodes }
  }
  const preset = (flags.preset as string | undefined) ?? DEFAULT_PRESET
  const { presetNodes } = await loadTargets()
  const presetNodeCount = presetNodes(preset)
  if (presetNodeCount === undefined) throw new UsageError(`flag --preset: expected one of ${PRESET_NAMES}, found "${preset}"`)
  const ttl = flags['exporter-cache-ttl'] as string | undefined
  return {
    kind: 'embedded',
    nodes: nodes ?? presetNodeCount,
    options: {
      slurm: flags.slurm === true,
      preset,
      nodes,
      mockFaults: (flags['mock-faults'] as string | undefined) ?? faultsDefault,
      exporterCacheTtlMs: ttl === undefined ? undefined : durationMsFlag('exporter-cache-ttl', ttl, '0s'),
    },
  }
}

function shardOf(args: ParsedArgs): Shard {
  if (typeof args.flags.shard === 'string') return parseShard(args.flags.shard)
  const fromEnv = shardFromEnv(process.env)
  if (fromEnv !== undefined) process.stderr.write(`load: shard ${formatShard(fromEnv)} from JOB_COMPLETION_INDEX/JOB_COMPLETIONS\n`)
  return fromEnv ?? NO_SHARD
}

/** sessionOptions turns parsed flags into session options; it throws UsageError naming a bad flag. */
export async function sessionOptions(args: ParsedArgs): Promise<SessionOptions> {
  const flags = args.flags
  const [scenario, ...extra] = args.positionals
  if (scenario === undefined) throw new UsageError("expected a scenario name or file, e.g. baseline; run 'load list' to see them")
  if (extra.length > 0) throw new UsageError(`expected one scenario, found also ${extra.join(' ')}`)
  const scale = (flags['duration-scale'] as number | undefined) ?? 1
  if (!(scale > 0)) throw new UsageError(`flag --duration-scale: expected a number above 0, found ${scale}`)
  const vus = flags.vus as number | undefined
  if (vus !== undefined && vus < 1) throw new UsageError(`flag --vus: expected at least 1, found ${vus}`)
  const rate = flags.rate as number | undefined
  if (rate !== undefined && !(rate > 0)) throw new UsageError(`flag --rate: expected a number above 0, found ${rate}`)
  const list = (name: string): string[] => {
    const value = flags[name]
    return value === undefined ? [] : Array.isArray(value) ? value : [String(value)]
  }
  return {
    scenario,
    sets: list('set'),
    overrides: {
      ...(vus === undefined ? {} : { vus }),
      ...(rate === undefined ? {} : { rate }),
      ...(typeof flags.duration === 'string' ? { duration: flags.duration } : {}),
      ...(typeof flags['think-time'] === 'string' ? { thinkTime: flags['think-time'] } : {}),
      ...(typeof flags.timeout === 'string' ? { timeout: flags.timeout } : {}),
    },
    durationScale: scale,
    target: await targetChoice(args, DEFAULT_MOCK_FAULTS),
    path: typeof flags.path === 'string' ? flags.path : undefined,
    slaFile: typeof flags.thresholds === 'string' ? flags.thresholds : undefined,
    slaProfile: typeof flags.sla === 'string' ? flags.sla : undefined,
    thresholdFlags: list('threshold'),
    abortOnFail: flags['abort-on-fail'] === true,
    abortDelayMs: durationMsFlag('abort-delay', flags['abort-delay'] as string | undefined, DEFAULT_ABORT_DELAY),
    shard: shardOf(args),
  }
}

async function writeDocument(
  path: string,
  result: LoadResult,
  file: string,
  settings: Record<string, unknown>,
  environment?: Parameters<typeof toResultsDocument>[1],
): Promise<void> {
  const env = environment ?? (await collectEnvironment(process.execArgv, process.cwd()))
  await writeResults(path, toResultsDocument(result, env, file, settings))
  process.stderr.write(`load: wrote ${path}\n`)
}

async function runScenario(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, RUN_FLAGS)
  if (args.help) return printUsage(SYNOPSIS, DESCRIPTION, RUN_FLAGS)
  const options = await sessionOptions(args)
  const prepared = await prepareSession(options)
  if (typeof args.flags['export-k6'] === 'string') {
    const url =
      options.target.kind === 'url'
        ? requestUrl(options.target.url, options.path, prepared.plan.request.path, '/metrics').href
        : 'http://127.0.0.1:9341/metrics'
    await writeFileAtomic(args.flags['export-k6'], exportK6Script(prepared.plan, prepared.rules, url, prepared.scenarioPath))
    process.stderr.write(`load: wrote k6 script ${args.flags['export-k6']} (scenario ${prepared.name}, ${prepared.rules.length} thresholds)\n`)
    return EXIT_OK
  }

  const stop = new StopSignal()
  let signals = 0
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++
    if (signals > 1) {
      process.stderr.write(`\nload: second ${signal}, exiting without results\n`)
      process.exit(SECOND_SIGNAL_EXIT)
    }
    stop.stop('interrupted', `interrupted by ${signal}`)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  // A live line on a terminal; plain lines in CI logs and pipes, where \r would pile up.
  const plain = wantsPlainProgress(process.env, process.stderr.isTTY === true)
  const tty = !plain
  const progressLog = new ProgressLog(prepared.name, prepared.plan.model, planDurationNs(prepared.plan) / 1e6)
  let result: LoadResult
  try {
    result = await runSession(options, prepared, stop, {
      onTargetReady: (description, url) =>
        process.stderr.write(
          `load: ${prepared.name} → ${url.href} (${description})${options.shard.count > 1 ? `, shard ${formatShard(options.shard)}` : ''}\n`,
        ),
      onStatus: (status) => {
        if (!plain) process.stderr.write(`\r\x1b[2K${formatStatusLine(prepared.name, prepared.plan.model, status)}`)
        else {
          const line = progressLog.next(status)
          if (line !== undefined) process.stderr.write(`${line}\n`)
        }
      },
    })
  } catch (err) {
    // Interrupted while the embedded targets started: nothing ran, and it is still no pass.
    if (stop.reason !== 'interrupted') throw err
    if (tty) process.stderr.write('\r\x1b[2K')
    process.stderr.write(`load: ${stop.detail} before the load test started; nothing was measured\n`)
    process.stdout.write(`${INTERRUPTED_LINE}\n`)
    return EXIT_INTERRUPTED
  } finally {
    if (tty) process.stderr.write('\r\x1b[2K')
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  if (typeof args.flags.out === 'string') {
    await writeDocument(args.flags.out, result, prepared.scenarioPath, {
      executor: prepared.plan.executor,
      durationScale: options.durationScale,
      sets: options.sets,
      overrides: options.overrides,
      thresholdFlags: options.thresholdFlags,
    })
  }
  process.stdout.write(renderSummary(result))
  return exitCode(result.verdict)
}

async function runMerge(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, MERGE_FLAGS)
  if (args.help)
    return printUsage(
      'slurmbench load merge [--out file] shard-1.json shard-2.json …',
      'Merges the results of the shards of one load test (load --shard i/n --out FILE): counters add and\nHDR histograms add exactly; one verdict is judged on the merged data. Exit 0 passed, 1 failed, 2 bad input,\n105 when a shard was interrupted.',
      MERGE_FLAGS,
    )
  if (args.positionals.length === 0) throw new UsageError('merge: expected shard result files, e.g. load merge shard-*.json')
  const docs = await Promise.all(args.positionals.map((path) => readResults(path)))
  const results = docs.map((doc, i) => fromResultsDocument(doc, args.positionals[i] as string))
  const merged = mergeResults(results, args.positionals)
  if (typeof args.flags.out === 'string') {
    const first = docs[0] as (typeof docs)[number]
    await writeDocument(args.flags.out, merged, first.benchmarks[0]?.file ?? 'merged', { mergedFrom: args.positionals }, first.environment)
  }
  process.stdout.write(renderSummary(merged))
  return exitCode(merged.verdict)
}

async function runCeiling(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, CEILING_FLAGS)
  if (args.help)
    return printUsage(
      'slurmbench load ceiling [--slurm | --target URL] [flags]',
      `Measures this generator's highest requests/s beside wrk (-t1) on the same target, in alternating
rounds of the same run. The embedded mock runs without faults here unless --mock-faults says otherwise.
Without wrk installed (Debian: apt-get install wrk) only this generator is measured.`,
      CEILING_FLAGS,
    )
  if (args.positionals.length > 0) throw new UsageError(`ceiling takes no arguments, found ${args.positionals.join(' ')}`)
  const connections = (args.flags.connections as number | undefined) ?? 10
  const rounds = (args.flags.rounds as number | undefined) ?? 3
  if (connections < 1) throw new UsageError(`flag --connections: expected at least 1, found ${connections}`)
  if (rounds < 1) throw new UsageError(`flag --rounds: expected at least 1, found ${rounds}`)
  const durationMs = durationMsFlag('duration', args.flags.duration as string | undefined, '5s')
  if (durationMs < 1_000) throw new UsageError('flag --duration: expected at least 1s (wrk runs whole seconds)')
  const choice = await targetChoice(args, 'none')
  const embedded = choice.kind === 'embedded' ? await (await loadTargets()).startEmbeddedTargets(choice.options) : undefined
  try {
    const url =
      embedded !== undefined
        ? requestUrl(new URL(embedded.url), args.flags.path as string | undefined, undefined, embedded.defaultPath)
        : requestUrl((choice as Extract<TargetChoice, { kind: 'url' }>).url, args.flags.path as string | undefined, undefined, '/metrics')
    const options = { url, headers: embedded?.headers ?? {}, connections, durationMs, rounds, wrk: (args.flags.wrk as string | undefined) ?? 'wrk' }
    process.stderr.write(`load ceiling: ${url.href}${embedded === undefined ? '' : ` (${embedded.description})`}\n`)
    const measured = await measureCeiling(options, (round) => {
      process.stderr.write(
        `  round ${round.round}: wrk ${round.wrkRequestsPerSecond?.toFixed(0) ?? '-'} req/s, slurmbench ${round.requestsPerSecond.toFixed(0)} req/s\n`,
      )
    })
    process.stdout.write(renderCeiling(measured, options, CEILING_GOAL_RATIO))
    return EXIT_OK
  } finally {
    await embedded?.close()
  }
}

/** command is `slurmbench load`. */
export const command: Command = {
  summary: 'load-test a scenario with SLA thresholds (k6-style); merge shards; measure the generator beside wrk',
  async run(argv) {
    const [sub, ...rest] = argv
    if (sub === 'merge') return runMerge(rest)
    if (sub === 'ceiling') return runCeiling(rest)
    if (sub === 'list') {
      const names = await listScenarios()
      const width = names.reduce((most, name) => Math.max(most, name.length), 0) + 2
      for (const name of names) {
        const scenario = await readScenario(await resolveScenarioPath(name))
        process.stdout.write(`${name.padEnd(width)}${scenario.description ?? scenario.executor}\n`)
      }
      return EXIT_OK
    }
    try {
      return await runScenario(argv)
    } catch (err) {
      if (err instanceof InputError && /^unknown scenario/.test(err.message)) throw new UsageError(err.message)
      throw err
    }
  },
}
