// `slurmbench bench`: Go's `go test -bench` for TypeScript benchmark files.
import { writeFileAtomic } from '../results/atomic-file.ts'
import { parseDurationNs } from '../results/duration.ts'
import { NativeModuleError } from '../../common/re2.ts'
import { DEFAULT_BENCHTIME, parseBenchTime } from '../run/calibrate.ts'
import { DEFAULT_PAIR_RUNS, DEFAULT_TIMEOUT_MS, type PairOptions, runBenchmarkSession, type RunOptions } from '../run/index.ts'
import { BenchMatcher } from '../run/match.ts'
import { DEFAULT_WORKER_HEAP_MB, workerExecArgv } from '../run/worker-flags.ts'
import { collectEnvironment } from '../run/environment.ts'
import { InputError } from '../../common/input-error.ts'
import { existsSync } from 'node:fs'
import { DEFAULT_CPU_INTERVAL_US, DEFAULT_HEAP_INTERVAL_BYTES } from '../run/measure/profile-meter.ts'
import { type ProfileOutputs, ProfileFileWriter } from '../profile/sample-files.ts'
import { EXIT_FAILED, EXIT_OK, type Command } from './command.ts'
import { printUsage, parseArgs, UsageError, type FlagSpecs, type ParsedArgs } from './flags.ts'

/** BENCH_FLAGS are the flags of `slurmbench bench`, Go's `go test -bench` flags plus the JSON and heap ones. */
export const BENCH_FLAGS: FlagSpecs = {
  bench: { kind: 'string', valueName: 'regexp', help: "run benchmarks matching regexp, per /-separated level as Go (default '.', all)" },
  count: {
    kind: 'integer',
    valueName: 'n',
    help: "samples per benchmark (Go's -count), each in a fresh Node process, in n rounds that interleave the benchmarks (default 1); ab's and doctor's -count is rounds a side before their first verdict, not this",
  },
  benchtime: {
    kind: 'string',
    valueName: 'd',
    help: `time per sample (Go duration; default ${DEFAULT_BENCHTIME}, quick: 100ms) or Nx for exactly N iterations`,
  },
  benchmem: { kind: 'boolean', help: 'report B/op, allocs/op, ext-B/op (off-heap), gcs/op and gc-pause-ns/op' },
  cpu: {
    kind: 'list',
    valueName: 'list',
    help: 'comma-separated runParallel concurrency values (async bodies concurrent on one thread, not parallel on CPUs); names get -P when P > 1 (default 1)',
  },
  timeout: { kind: 'string', valueName: 'd', help: 'kill a benchmark and stop the run after d (Go duration; default 10m; 0 disables)' },
  json: { kind: 'string', valueName: 'file', help: 'also write the JSON results document (every sample, environment) to file' },
  o: { kind: 'string', valueName: 'file', help: "also write the Go benchmark format to file (benchstat's input)" },
  full: { kind: 'boolean', help: 'include the largest sizes (benchmarks see full() === true)' },
  'max-old-space': { kind: 'integer', valueName: 'MB', help: `old-space heap limit of each worker in MB (default ${DEFAULT_WORKER_HEAP_MB})` },
  v: { kind: 'boolean', help: 'verbose: pass on what benchmarks print themselves (console output) to stderr' },
  baseline: {
    kind: 'boolean',
    help: "then judge the run against the committed baseline, as 'slurmbench baseline check' (verdicts on stderr; exit 1 on a regression; exit 2 before running when there is no baseline for this machine class)",
  },
  pair: {
    kind: 'string',
    valueName: 'dir',
    help: "pair mode: each sample's worker also runs the same benchmark of the installed checkout at dir, the two taking turns run by run (ab's gate)",
  },
  'pair-json': {
    kind: 'string',
    valueName: 'file',
    help: "pair mode: write the base side's JSON results (sample k from the same worker as this side's) to file",
  },
  'pair-runs': { kind: 'integer', valueName: 'n', help: `pair mode: timed runs a side per sample, the median is the sample (default ${DEFAULT_PAIR_RUNS})` },
  'pair-head-first': { kind: 'boolean', help: 'pair mode: this side takes the first turn in round 1 (the base does by default); the order alternates after' },
  cpuprofile: {
    kind: 'string',
    valueName: 'file',
    help: 'write a CPU profile (pprof, gzipped) of each sample, from an extra pass after its reported run, timed windows only; several samples: file.<benchmark>.<round>.pb.gz',
  },
  memprofile: { kind: 'string', valueName: 'file', help: 'write an allocation profile (pprof, alloc_space/alloc_objects) of each sample, as -cpuprofile' },
  memprofilerate: {
    kind: 'integer',
    valueName: 'bytes',
    help: `mean bytes between heap samples of -memprofile (default ${DEFAULT_HEAP_INTERVAL_BYTES}, V8's)`,
  },
  'cpuprofile-format': { kind: 'string', valueName: 'pprof|devtools', help: "devtools: also write each CPU profile as Chrome DevTools' .cpuprofile beside it" },
  'pair-env': {
    kind: 'list',
    valueName: 'K=V,…',
    help: 'pair mode: environment variables set only while the base side runs (the experiment sets SLURMBENCH_SLOWDOWN)',
  },
}

const SYNOPSIS = 'slurmbench bench [flags] [files or folders…]'
const DESCRIPTION = `Runs the Benchmark* functions exported by *.bench.ts files (default: benchmarks/) as Go's
go test -bench does, each sample in a fresh Node process, and prints Go's benchmark format on stdout
(stock benchstat reads it). Progress goes to stderr when it is a terminal.

Exit status: 0 when every benchmark passed or was skipped, and when -bench matches none (a warning,
as go test's "no tests to run"); 1 when one failed, a file did not build, the run timed out or
-baseline found a regression; 2 for bad flags, or when the files export no Benchmark functions at all.

Examples:
  slurmbench bench                                   every benchmark, 1s per sample
  slurmbench bench -bench=JSON -benchtime=100ms      quick run of the JSON benchmarks
  slurmbench bench -count=10 -benchmem -o new.txt    ten samples each, with memory, for benchstat`

/** pairFromFlags reads the pair-mode flags; undefined without -pair. */
function pairFromFlags(flags: ParsedArgs['flags']): { readonly pair?: PairOptions; readonly pairJsonPath?: string } {
  const dir = flags.pair as string | undefined
  const others = (['pair-json', 'pair-runs', 'pair-env', 'pair-head-first'] as const).filter((f) => flags[f] !== undefined)
  if (dir === undefined) {
    if (others.length > 0) throw new UsageError(`flag -${others[0]}: needs -pair dir`)
    return {}
  }
  if (dir === '') throw new UsageError('flag -pair: expected the folder of another checkout')
  const runs = flags['pair-runs'] as number | undefined
  if (runs !== undefined && runs < 1) throw new UsageError(`flag -pair-runs: expected a whole number of at least 1, found ${runs}`)
  const baseEnv: Record<string, string> = {}
  for (const entry of (flags['pair-env'] as string[] | undefined) ?? []) {
    const eq = entry.indexOf('=')
    if (eq < 1) throw new UsageError(`flag -pair-env: expected NAME=value, found "${entry}"`)
    baseEnv[entry.slice(0, eq)] = entry.slice(eq + 1)
  }
  return {
    pair: { baseRoot: dir, baseEnv, headFirst: flags['pair-head-first'] === true, ...(runs === undefined ? {} : { runs }) },
    ...(typeof flags['pair-json'] === 'string' ? { pairJsonPath: flags['pair-json'] } : {}),
  }
}

/** optionsFromArgs turns parsed flags into runner options; it throws UsageError naming a bad flag. */
export function optionsFromArgs(args: ParsedArgs): RunOptions & {
  readonly jsonPath?: string
  readonly textPath?: string
  readonly pairJsonPath?: string
  readonly verbose: boolean
  readonly baseline: boolean
  readonly profileOutputs?: ProfileOutputs
  readonly profile?: RunOptions['profile']
} {
  const flags = args.flags
  const bench = (flags.bench as string | undefined) ?? '.'
  try {
    new BenchMatcher(bench)
  } catch (err) {
    if (err instanceof NativeModuleError) throw err // the re2 addon, not the pattern
    throw new UsageError(`flag -bench: ${(err as Error).message}`)
  }
  const count = (flags.count as number | undefined) ?? 1
  if (count < 1) throw new UsageError(`flag -count: expected a whole number of at least 1, found ${count}`)
  const benchTime = (flags.benchtime as string | undefined) ?? DEFAULT_BENCHTIME
  if (parseBenchTime(benchTime) === undefined)
    throw new UsageError(`flag -benchtime: expected a positive duration (1s, 100ms) or a count (500x), found "${benchTime}"`)
  const cpuText = (flags.cpu as string[] | undefined) ?? ['1']
  const cpu = cpuText.map((text) => {
    if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`flag -cpu: expected whole numbers of at least 1, found "${text}"`)
    return Number(text)
  })
  if (cpu.length === 0) throw new UsageError('flag -cpu: expected at least one value')
  const timeoutText = (flags.timeout as string | undefined) ?? undefined
  let timeoutMs = DEFAULT_TIMEOUT_MS
  if (timeoutText !== undefined) {
    const ns = parseDurationNs(timeoutText)
    if (ns === undefined || ns < 0) throw new UsageError(`flag -timeout: expected a duration such as 10m or 30s, found "${timeoutText}"`)
    timeoutMs = ns === 0 ? Infinity : ns / 1e6
  }
  const heap = flags['max-old-space'] as number | undefined
  if (heap !== undefined && heap < 16) throw new UsageError(`flag -max-old-space: expected at least 16 (MB), found ${heap}`)
  return {
    paths: args.positionals,
    bench,
    count,
    benchTime,
    benchmem: flags.benchmem === true,
    cpu,
    timeoutMs,
    full: flags.full === true,
    ...(heap === undefined ? {} : { maxOldSpaceMb: heap }),
    ...(typeof flags.json === 'string' ? { jsonPath: flags.json } : {}),
    ...(typeof flags.o === 'string' ? { textPath: flags.o } : {}),
    verbose: flags.v === true,
    baseline: flags.baseline === true,
    ...pairFromFlags(flags),
    ...profileFromFlags(flags),
  }
}

/** profileFromFlags reads -cpuprofile, -memprofile, -memprofilerate and -cpuprofile-format. */
function profileFromFlags(flags: ParsedArgs['flags']): { profileOutputs?: ProfileOutputs; profile?: RunOptions['profile'] } {
  const cpuPath = flags.cpuprofile as string | undefined
  const memPath = flags.memprofile as string | undefined
  const rate = (flags.memprofilerate as number | undefined) ?? DEFAULT_HEAP_INTERVAL_BYTES
  const format = (flags['cpuprofile-format'] as string | undefined) ?? 'pprof'
  if (format !== 'pprof' && format !== 'devtools') throw new UsageError(`flag -cpuprofile-format: expected pprof or devtools, found "${format}"`)
  if (rate < 1) throw new UsageError(`flag -memprofilerate: expected a whole number of bytes of at least 1, found ${rate}`)
  if (cpuPath === undefined && memPath === undefined) return {}
  if (flags.pair !== undefined) throw new UsageError('flags -cpuprofile and -memprofile: not with -pair; profile each side on its own')
  return {
    profileOutputs: { ...(cpuPath === undefined ? {} : { cpuPath }), ...(memPath === undefined ? {} : { memPath }), devtools: format === 'devtools' },
    profile: { cpu: cpuPath !== undefined, heap: memPath !== undefined, heapIntervalBytes: rate, cpuIntervalUs: DEFAULT_CPU_INTERVAL_US },
  }
}

/**
 * requireBaseline throws an InputError naming the baseline file -baseline would judge against
 * when it does not exist, so that `bench -baseline` fails before running instead of after.
 * The file is the one 'baseline check' reads: this machine's class, the default name.
 */
export async function requireBaseline(options: Pick<RunOptions, 'maxOldSpaceMb' | 'cwd'>): Promise<void> {
  // Loaded only with -baseline, as checkResults: the baseline modules load TypeBox (~0.2 s of CPU).
  const { baselinePath } = await import('../baseline/baseline-file.ts')
  const { fingerprintOf, machineClassOf } = await import('../baseline/fingerprint.ts')
  const { DEFAULT_BASELINE_DIR, DEFAULT_BASELINE_NAME } = await import('./baseline.ts')
  const environment = await collectEnvironment(workerExecArgv(options.maxOldSpaceMb ?? DEFAULT_WORKER_HEAP_MB), options.cwd ?? process.cwd())
  const machineClass = machineClassOf(fingerprintOf(environment))
  const path = baselinePath(DEFAULT_BASELINE_DIR, machineClass, DEFAULT_BASELINE_NAME)
  if (!existsSync(path))
    throw new InputError(
      `${path}: no baseline "${DEFAULT_BASELINE_NAME}" for machine class ${machineClass}, so -baseline has nothing to judge against; nothing was run. Record one with 'slurmbench baseline update', or drop -baseline`,
    )
}

/** command is `slurmbench bench`. */
export const command: Command = {
  summary: 'run Go-style benchmarks (*.bench.ts) and print Go benchmark format',
  async run(argv) {
    const args = parseArgs(argv, BENCH_FLAGS)
    if (args.help) return printUsage(SYNOPSIS, DESCRIPTION, BENCH_FLAGS)
    const options = optionsFromArgs(args)
    // A missing baseline is known before the run, which may take minutes: say so at once.
    if (options.baseline) await requireBaseline(options)
    const tty = process.stderr.isTTY === true
    let progressShown = false
    const clearProgress = (): void => {
      if (progressShown) process.stderr.write('\r\x1b[2K')
      progressShown = false
    }
    let text = ''
    const profileWriter = options.profileOutputs === undefined ? undefined : new ProfileFileWriter(options.profileOutputs)
    const session = await runBenchmarkSession({
      ...options,
      ...(profileWriter === undefined ? {} : { onProfiles: (sample) => profileWriter.write(sample) }),
      output: (chunk) => {
        clearProgress()
        text += chunk
        process.stdout.write(chunk)
      },
      warn: (message) => {
        clearProgress()
        process.stderr.write(`slurmbench bench: warning: ${message}\n`)
      },
      ...(tty
        ? {
            progress: (line: string) => {
              const columns = process.stderr.columns
              const width = columns !== undefined && columns > 40 ? columns - 1 : 99 // a pty may report no size
              process.stderr.write(`\r\x1b[2K${line.slice(0, width)}`)
              progressShown = true
            },
          }
        : {}),
      ...(options.verbose
        ? {
            workerOutput: (chunk: string) => {
              clearProgress()
              process.stderr.write(chunk)
            },
          }
        : {}),
    })
    clearProgress()
    if (profileWriter !== undefined) {
      const files = profileWriter.finish()
      // The reported figures come from runs without a profiler; the profiles from an extra pass.
      process.stderr.write(
        `slurmbench bench: profiles (extra pass after each reported run; reported figures unprofiled): ${files.length === 0 ? 'none' : files.join(', ')}\n`,
      )
    }
    if (options.textPath !== undefined) await writeFileAtomic(options.textPath, text)
    if (options.jsonPath !== undefined) {
      // As json.ts's writeResults, without importing it: loading its TypeBox validator costs ~200 ms
      // of CPU (measured on the 2-core test machine), for a document the runner built to the schema's type.
      await writeFileAtomic(options.jsonPath, `${JSON.stringify(session.document, null, 2)}\n`)
    }
    if (options.pairJsonPath !== undefined && session.baseDocument !== undefined) {
      await writeFileAtomic(options.pairJsonPath, `${JSON.stringify(session.baseDocument, null, 2)}\n`)
    }
    if (!session.passed) return EXIT_FAILED
    if (options.baseline) {
      // stdout stays pure Go benchmark format; the verdicts go beside the warnings.
      const { checkResults } = await import('./baseline.ts')
      return checkResults(session.document, { write: (t) => void process.stderr.write(t) })
    }
    return EXIT_OK
  },
}
