// `slurmbench self`: parses the flags, runs the comparison (harness/self), prints the report
// (harness/report/self-report.ts) and maps the outcome to an exit code.
import { writeFileAtomic } from '../results/atomic-file.ts'
import { parseDurationNs } from '../results/duration.ts'
import { renderSelfReport } from '../report/self-report.ts'
import { probeLoadNs } from '../run/contention-probe.ts'
import { runSelf } from '../self/run.ts'
import { DEFAULT_TOOLS, type Job, SELF_TOOLS, type SelfSettings, WORKLOAD_IDS } from '../self/types.ts'
import { type Command, EXIT_FAILED, EXIT_OK } from './command.ts'
import { type FlagSpecs, printUsage, parseArgs, UsageError } from './flags.ts'

const DEFAULT_INVOCATIONS = 10

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

/** progress shows on a terminal which process starts next and about how long the rest will take. */
function progress(done: number, total: number, job: Job, elapsedMs: number, invocations: number): void {
  const leftS = done === 0 ? undefined : Math.round(((elapsedMs / done) * (total - done)) / 1000)
  const left = leftS === undefined ? '' : `, ~${leftS} s left`
  process.stderr.write(`\r\x1b[K[${done + 1}/${total}] ${job.tool} ${job.workload} (invocation ${job.invocation + 1}/${invocations})${left}`)
}

async function runCommand(settings: SelfSettings, jsonPath: string | undefined): Promise<number> {
  const tty = process.stderr.isTTY === true
  const outcome = await runSelf(settings, {
    probeNs: probeLoadNs,
    ...(tty ? { onJobStart: (done, total, job, elapsedMs) => progress(done, total, job, elapsedMs, settings.invocations) } : {}),
  })
  if (!outcome.ok) {
    process.stderr.write(`slurmbench self: ${outcome.message}\n`)
    return EXIT_FAILED
  }
  if (tty) process.stderr.write('\r\x1b[K')
  const { report } = outcome
  process.stdout.write(renderSelfReport(report))
  if (jsonPath !== undefined) await writeFileAtomic(jsonPath, `${JSON.stringify(report, null, 2)}\n`)
  return report.failures.length === 0 ? EXIT_OK : EXIT_FAILED
}

/** command is `slurmbench self`. */
export const command: Command = {
  summary: 'compare slurmbench with tinybench and mitata: overhead, stability, time to result',
  async run(argv) {
    const parsed = parseSettings(argv)
    if (parsed === 'help') return printUsage(SYNOPSIS, DESCRIPTION, FLAGS)
    return runCommand(parsed.settings, parsed.jsonPath)
  },
}
