// `slurmbench capacity sweep|fit|forecast|recommend|simulate`: capacity planning from
// measurements. The engines live in harness/capacity; this file parses flags, does the I/O and
// maps exit codes. See docs/capacity.md.
import { InputError } from '../../common/input-error.ts'
import { readCapacityConfig } from '../capacity/config.ts'
import { DEFAULT_SIZES, parseSizes, QUICK_SIZES, runSweep } from '../capacity/sweep.ts'
import { measureSize, type RigTarget } from '../capacity/sweep-rig.ts'
import { writeResults } from '../results/json.ts'
import { collectEnvironment } from '../run/environment.ts'
import { type Command, EXIT_OK } from './command.ts'
import { type FlagSpecs, formatUsage, type ParsedArgs, parseArgs, UsageError } from './flags.ts'

const FLAGS: FlagSpecs = {
  config: { kind: 'string', valueName: 'file', help: 'horizons, thresholds, steps, scenarios (default: benchmarks/capacity/capacity.json values)' },
  sizes: { kind: 'string', valueName: 'n,n,...', help: 'sweep: node counts (default 100,300,1000,3000,10000,30000,50000; 10k = 10000)' },
  quick: { kind: 'boolean', help: 'sweep: the small CI sizes 100,200,400,800' },
  scrapes: { kind: 'integer', valueName: 'n', help: 'sweep, simulate: timed scrapes per size (default 5)' },
  target: { kind: 'string', valueName: 'url', help: 'sweep: measure the exporter at this URL (it must read the mock at --mock-port)' },
  'mock-port': { kind: 'integer', valueName: 'port', help: 'sweep with --target: the port the mock listens on, restarted per size' },
  o: { kind: 'string', valueName: 'file', aliases: ['output'], help: 'write the JSON here (default: stdout)' },
}

const SYNOPSIS = 'slurmbench capacity sweep|fit|forecast|recommend|simulate [flags]'
const DESCRIPTION = `Capacity planning from measurements (docs/capacity.md).

  capacity sweep       measure the exporter at a range of cluster sizes; writes a results document`

// Progress goes to stderr as plain lines: one per size, so CI logs read the same as a terminal.
function progress(line: string): void {
  process.stderr.write(`${line}\n`)
}

function positiveInteger(args: ParsedArgs, flag: string, fallback: number): number {
  const value = (args.flags[flag] as number | undefined) ?? fallback
  if (value < 1) throw new UsageError(`flag -${flag}: found ${value}, expected at least 1`)
  return value
}

async function writeJson(path: string | undefined, value: unknown): Promise<void> {
  const text = `${JSON.stringify(value, null, 2)}\n`
  if (path === undefined) process.stdout.write(text)
  else {
    const { writeFileAtomic } = await import('../results/atomic-file.ts')
    await writeFileAtomic(path, text)
  }
}

async function sweep(args: ParsedArgs): Promise<number> {
  const config = await readCapacityConfig(args.flags.config as string | undefined)
  const sizesText = args.flags.sizes as string | undefined
  if (sizesText !== undefined && args.flags.quick === true) throw new UsageError('give -sizes or -quick, not both')
  const sizes = sizesText === undefined ? (args.flags.quick === true ? QUICK_SIZES : DEFAULT_SIZES) : parseSizes(sizesText)
  const targetUrl = args.flags.target as string | undefined
  const mockPort = args.flags['mock-port'] as number | undefined
  let target: RigTarget = { kind: 'reference' }
  if (targetUrl !== undefined) {
    if (mockPort === undefined) throw new UsageError('-target needs -mock-port: the port the exporter at the target reads slurmrestd on')
    target = { kind: 'external', url: targetUrl, mockPort }
  } else if (mockPort !== undefined) throw new UsageError('-mock-port is only for -target')
  const scrapes = positiveInteger(args, 'scrapes', 5)
  const environment = await collectEnvironment([], process.cwd())
  const doc = await runSweep({ sizes, scrapes, jobsPerNode: config.jobsPerNode, target: targetUrl ?? 'reference' }, environment, {
    measure: (shape) => measureSize(shape, scrapes, target),
    nowMs: () => performance.now(),
    progress,
  })
  const output = args.flags.o as string | undefined
  if (output === undefined) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`)
  else await writeResults(output, doc)
  for (const warning of doc.warnings) progress(`capacity sweep: warning: ${warning}`)
  const ok = doc.benchmarks.filter((b) => b.status === 'ok').length
  progress(`capacity sweep: ${ok} of ${doc.benchmarks.length} sizes measured${output === undefined ? '' : `, written to ${output}`}`)
  if (ok < 3) throw new InputError(`capacity sweep: only ${ok} sizes measured; a fit needs at least 3`)
  return EXIT_OK
}

export const command: Command = {
  summary: 'capacity planning: sweep sizes, fit scaling models, forecast, recommend, simulate growth',
  async run(argv) {
    const args = parseArgs(argv, FLAGS)
    const [sub, ...rest] = args.positionals
    if (args.help || sub === undefined) {
      process.stdout.write(formatUsage(SYNOPSIS, DESCRIPTION, FLAGS))
      if (sub === undefined && !args.help) throw new UsageError('missing subcommand: sweep, fit, forecast, recommend or simulate')
      return EXIT_OK
    }
    if (sub === 'sweep') {
      if (rest.length > 0) throw new UsageError(`capacity sweep takes no arguments (found ${rest[0]})`)
      return sweep(args)
    }
    throw new UsageError(`unknown subcommand "${sub}"; expected sweep, fit, forecast, recommend or simulate`)
  },
}
