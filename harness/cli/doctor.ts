// `slurmbench doctor`: how noisy is this machine for these benchmarks? A/A runs (the same code
// against itself, in interleaved rounds) give each metric's noise, the false-alarm rate of the
// gate, and the -count needed to detect 5% and 10% changes with 95% power. With -inject it also
// runs arms whose work is scaled by SLURMBENCH_SLOWDOWN (benchmarks/experiment honours it) and
// reports the share of injected slowdowns the gate flags: the slowdown-injection experiment.
// As ab, it runs paired by default: each comparison's two sides share the workers of a
// `bench -pair` run (the A side with SLURMBENCH_SLOWDOWN=1, the other with its factor).
import { readFile } from 'node:fs/promises'
import { BENCH_PASSTHROUGH_FLAGS, benchArgsFrom } from './bench-args.ts'
import { analyseDoctorRun, type DoctorReport, type DoctorRun, windowOf } from '../ab/doctor-analysis.ts'
import { type Side, type SideResults, estimateRunMs, formatEstimate, mergeRounds, RoundProgress, runRounds, wantsPlainProgress } from '../ab/rounds.ts'
import { spawnBench, spawnPairedBench } from '../ab/spawn-bench.ts'
import { withCleanupOnSignal } from '../ab/worktree.ts'
import { writeFileAtomic } from '../results/atomic-file.ts'
import { probeLoadNs } from '../run/contention-probe.ts'
import { InputError } from '../../common/input-error.ts'
import { cannotRead } from '../../common/read-input.ts'
import { parseResults } from '../results/json.ts'
import { renderDoctorText } from '../report/doctor-report.ts'
import { mulberry32 } from '../../common/prng.ts'
import { DEFAULT_AB_COUNT, DEFAULT_AB_MAX_COUNT, DEFAULT_AB_STEP } from './ab.ts'
import { type Command, EXIT_OK } from './command.ts'
import { countTopLevelBenchmarks } from './baseline.ts'
import { loadPolicy } from './compare.ts'
import { DEFAULT_BENCHTIME, parseBenchTime } from '../run/calibrate.ts'
import { type FlagSpecs, printUsage, parseArgs, UsageError } from './flags.ts'

/** INJECT_ENV is the environment variable an injected arm sets to its slowdown factor. */
export const INJECT_ENV = 'SLURMBENCH_SLOWDOWN'
/** DEFAULT_DOCTOR_COMPARISONS is how many independent A/A comparisons are made. */
export const DEFAULT_DOCTOR_COMPARISONS = 3
/** DEFAULT_POWER_TRIALS per candidate -count: ±3 points of power at 95%. */
export const DEFAULT_POWER_TRIALS = 200

const FLAGS: FlagSpecs = {
  count: {
    kind: 'integer',
    valueName: 'n',
    help: `rounds a side before a comparison's first judgement, as ab (default ${DEFAULT_AB_COUNT}); a round is one sample of every benchmark on each side (bench's -count is samples per benchmark within one bench run)`,
  },
  'max-count': {
    kind: 'integer',
    valueName: 'n',
    help: `most rounds a side while verdicts are inconclusive, as ab (default ${DEFAULT_AB_MAX_COUNT}; = -count for fixed-size comparisons)`,
  },
  step: { kind: 'integer', valueName: 'n', help: `rounds added a side each time, as ab (default ${DEFAULT_AB_STEP})` },
  comparisons: { kind: 'integer', valueName: 'k', help: `independent A/A comparisons (default ${DEFAULT_DOCTOR_COMPARISONS}); rounds = k × max-count` },
  inject: { kind: 'list', valueName: 'factors', help: `also run arms with ${INJECT_ENV}=factor (e.g. 1.05,1.10) and report how often the gate flags them` },
  tolerance: { kind: 'number', valueName: 'pct', help: "judge every metric with this tolerance (percent) instead of the policy's" },
  policy: { kind: 'string', valueName: 'file', help: 'tolerance policy (default baselines/policy.json)' },
  trials: { kind: 'integer', valueName: 'n', help: `resampling trials per candidate -count in the power estimate (default ${DEFAULT_POWER_TRIALS})` },
  seed: { kind: 'integer', valueName: 'n', help: 'seed of the resampling (default 1)' },
  json: { kind: 'string', valueName: 'file', help: 'write every sample and the report to file (re-analyse later with -from)' },
  from: { kind: 'string', valueName: 'file', help: 'analyse a file written by -json instead of running' },
  format: { kind: 'string', valueName: 'text|json', help: 'output format (default text)' },
  unpaired: { kind: 'boolean', help: 'run every arm in its own workers and compare unpaired, as ab -unpaired (default: paired, as ab)' },
  ...BENCH_PASSTHROUGH_FLAGS,
}

const DESCRIPTION = `Runs the selected benchmarks as two identical arms (A/A) in interleaved rounds and reports:
noise per benchmark (CV, CI half-width), the gate's false-alarm rate on A/A comparisons under
both "beyond tolerance" rules, and the -count needed to detect a 5% and a 10% change with 95%
power (by resampling this machine's A samples: disjoint subsamples, one scaled by 1+δ, U test;
paired, the A/A pair ratios scaled by 1+δ, signed-rank test).
Each comparison is judged as ab judges it at the same flags: after -count rounds a side, then
after every -step more while any verdict is inconclusive, up to -max-count. As ab, it runs
paired by default (each comparison's two sides share every worker, bench -pair) and compares
pair by pair; -unpaired runs each arm in its own workers.
The slowdown-injection experiment (see benchmarks/experiment/README.md):
  slurmbench doctor -inject 1.05,1.10 -tolerance 2 -comparisons 20 -benchtime 100ms benchmarks/experiment`

/** DOCTOR_FILE_KIND marks files written by -json. */
const DOCTOR_FILE_KIND = 'slurmbench.doctor'

interface DoctorFile {
  readonly schemaVersion: 1
  readonly kind: typeof DOCTOR_FILE_KIND
  readonly run: DoctorRun
  readonly report?: DoctorReport
}

async function readDoctorFile(path: string): Promise<DoctorRun> {
  let value: unknown
  try {
    value = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw cannotRead(path, err, 'a doctor file')
  }
  const file = value as Partial<DoctorFile>
  if (file?.kind !== DOCTOR_FILE_KIND || file.schemaVersion !== 1)
    throw new InputError(`${path}: at /kind: expected "${DOCTOR_FILE_KIND}" version 1 (a file written by doctor -json)`)
  const run = file.run as DoctorRun | undefined
  if (run === undefined || !Number.isInteger(run.count) || !Number.isInteger(run.comparisons) || !Array.isArray(run.arms) || run.arms.length < 2) {
    throw new InputError(`${path}: at /run: expected count, comparisons and at least two arms`)
  }
  for (const key of ['maxCount', 'step'] as const) {
    const v = run[key]
    if (v !== undefined && !(Number.isInteger(v) && v >= (key === 'maxCount' ? run.count : 1))) {
      throw new InputError(`${path}: at /run/${key}: expected an integer ≥ ${key === 'maxCount' ? `count (${run.count})` : 1}, found ${JSON.stringify(v)}`)
    }
  }
  if (run.paired !== undefined && typeof run.paired !== 'boolean')
    throw new InputError(`${path}: at /run/paired: expected true or false, found ${JSON.stringify(run.paired)}`)
  return {
    count: run.count,
    comparisons: run.comparisons,
    ...(run.maxCount !== undefined ? { maxCount: run.maxCount } : {}),
    ...(run.step !== undefined ? { step: run.step } : {}),
    ...(run.paired === true ? { paired: true } : {}),
    arms: run.arms.map((arm, i) => {
      if (typeof arm.factor !== 'number' || typeof arm.label !== 'string') throw new InputError(`${path}: at /run/arms/${i}: expected label and factor`)
      if (arm.probesNs !== undefined && !(Array.isArray(arm.probesNs) && (arm.probesNs as unknown[]).every((x) => typeof x === 'number' && x > 0))) {
        throw new InputError(`${path}: at /run/arms/${i}/probesNs: expected an array of positive numbers (ns per load)`)
      }
      if (run.paired === true && i >= 2 && arm.base === undefined)
        throw new InputError(`${path}: at /run/arms/${i}/base: a paired run's injected arm needs the A side it was measured with`)
      return {
        ...arm,
        doc: parseResults(JSON.stringify(arm.doc), `${path} (arm ${i})`),
        ...(arm.base !== undefined ? { base: parseResults(JSON.stringify(arm.base), `${path} (arm ${i} base)`) } : {}),
      }
    }),
  }
}

export const command: Command = {
  summary: "measure this machine's noise: A/A false alarms and the -count needed for 5% and 10%",
  async run(argv) {
    const args = parseArgs(argv, FLAGS)
    if (args.help) return printUsage('slurmbench doctor [flags] [files or folders…]', DESCRIPTION, FLAGS)
    const count = (args.flags.count as number | undefined) ?? DEFAULT_AB_COUNT
    if (count < 2) throw new UsageError(`flag -count: expected at least 2, found ${count}`)
    const maxCount = (args.flags['max-count'] as number | undefined) ?? Math.max(DEFAULT_AB_MAX_COUNT, count)
    if (maxCount < count) throw new UsageError(`flag -max-count: expected at least -count (${count}), found ${maxCount}`)
    const step = (args.flags.step as number | undefined) ?? DEFAULT_AB_STEP
    if (step < 1) throw new UsageError(`flag -step: expected at least 1, found ${step}`)
    const comparisons = (args.flags.comparisons as number | undefined) ?? DEFAULT_DOCTOR_COMPARISONS
    if (comparisons < 1) throw new UsageError(`flag -comparisons: expected at least 1, found ${comparisons}`)
    const trials = (args.flags.trials as number | undefined) ?? DEFAULT_POWER_TRIALS
    if (trials < 1) throw new UsageError(`flag -trials: expected at least 1, found ${trials}`)
    const seed = (args.flags.seed as number | undefined) ?? 1
    const tolerancePct = args.flags.tolerance as number | undefined
    if (tolerancePct !== undefined && !(tolerancePct >= 0)) throw new UsageError(`flag -tolerance: expected a percentage ≥ 0, found ${tolerancePct}`)
    const factors = ((args.flags.inject as string[] | undefined) ?? []).map((text) => {
      const f = Number(text)
      if (!(f > 0) || !Number.isFinite(f)) throw new UsageError(`flag -inject: expected positive factors such as 1.05, found "${text}"`)
      return f
    })
    const format = (args.flags.format as string | undefined) ?? 'text'
    if (format !== 'text' && format !== 'json') throw new UsageError(`flag -format: expected text or json, found "${format}"`)
    const policy = await loadPolicy(args.flags.policy)
    let run: DoctorRun
    if (typeof args.flags.from === 'string') {
      run = await readDoctorFile(args.flags.from)
      // Judging flags given with -from re-cut the file's rounds into comparisons of the new size.
      if (['count', 'max-count', 'step'].some((f) => args.flags[f] !== undefined)) {
        const rounds = run.comparisons * windowOf(run)
        const comparisonsNow = Math.floor(rounds / maxCount)
        if (comparisonsNow < 1) throw new UsageError(`flag -max-count: ${args.flags.from} holds ${rounds} rounds, fewer than -max-count ${maxCount}`)
        run = { ...run, count, maxCount, step, comparisons: comparisonsNow }
      }
    } else {
      const benchArgs = ['-count=1', ...benchArgsFrom(args)]
      const specs = [{ label: 'A', factor: 1 }, { label: 'A′', factor: 1 }, ...factors.map((f) => ({ label: `×${f}`, factor: f }))]
      const plain = wantsPlainProgress(process.env, process.stderr.isTTY === true)
      const tty = !plain
      const rounds = maxCount * comparisons
      const paired = args.flags.unpaired !== true
      const write = (line: string): void => void process.stderr.write(tty ? `\r\x1b[K${line}` : line)
      // Before the first run: what it will cost (CI logs would otherwise show nothing for minutes).
      const benchtime = (args.flags.benchtime as string | undefined) ?? DEFAULT_BENCHTIME
      const parsedTime = parseBenchTime(benchtime)
      const tops = await countTopLevelBenchmarks(args.positionals, (args.flags.bench as string | undefined) ?? '.', process.cwd())
      const runsPerRound = paired ? factors.length + 1 : factors.length + 2
      const estimate = estimateRunMs({
        benchmarks: tops,
        samplesEach: rounds * runsPerRound,
        benchTimeMs: parsedTime?.kind === 'duration' ? parsedTime.durationNs / 1e6 : 0,
        sides: paired ? 2 : 1,
        lowerBound: true,
      })
      process.stderr.write(`doctor: estimated ${formatEstimate(estimate)}; lower -comparisons, -max-count or -benchtime to shorten it\n`)
      const status = tty ? (text: string) => process.stderr.write(`\r\x1b[Kdoctor: ${text}`) : undefined
      const roundProgress = new RoundProgress({ prefix: 'doctor', totalRounds: rounds, write })
      // Runs the arms' rounds; Ctrl-C stops the child at once and clears the progress line.
      const runAll = (arms: (signal: AbortSignal) => Side[], results: SideResults[]): Promise<void> =>
        withCleanupOnSignal(
          async () => {
            if (tty) process.stderr.write('\r\x1b[K')
          },
          (signal) => runRounds(arms(signal), 0, rounds, results, status, (done) => roundProgress.roundDone(done)),
        )
      if (paired) {
        // One paired run per kind of comparison and round: A/A′, then A against each factor.
        const kinds = specs.slice(1)
        process.stderr.write(`doctor: ${rounds} rounds × ${kinds.length} paired runs (${kinds.map((s) => `A|${s.label}`).join(', ')})\n`)
        const bases: SideResults[] = kinds.map(() => [])
        const heads: SideResults[] = kinds.map(() => [])
        const probes: number[][] = kinds.map(() => [])
        await runAll(
          (signal) =>
            kinds.map((s, i) => ({
              label: `A|${s.label}`,
              runOnce: async () => {
                probes[i]?.push(probeLoadNs())
                const round = heads[i]?.length ?? 0
                const pairedRun = await spawnPairedBench({
                  cwd: process.cwd(),
                  baseRoot: process.cwd(),
                  args: benchArgs,
                  env: { [INJECT_ENV]: String(s.factor) },
                  baseEnv: { [INJECT_ENV]: '1' },
                  headFirst: round % 2 === 1,
                  signal,
                })
                bases[i]?.push(pairedRun.base)
                return pairedRun.head
              },
            })),
          heads,
        )
        const [aa, ...injected] = kinds.map((s, i) => ({
          ...s,
          base: mergeRounds(bases[i] as SideResults),
          doc: mergeRounds(heads[i] as SideResults),
          probesNs: probes[i] as number[],
        }))
        if (aa === undefined) throw new Error('doctor: the A/A pair is always the first kind')
        run = {
          count,
          maxCount,
          step,
          comparisons,
          paired: true,
          // The A/A pair's two sides are the two A arms; each injected arm keeps its own A side.
          arms: [{ label: 'A', factor: 1, doc: aa.base, probesNs: aa.probesNs }, { label: 'A′', factor: 1, doc: aa.doc, probesNs: aa.probesNs }, ...injected],
        }
      } else {
        process.stderr.write(`doctor: ${rounds} rounds × ${specs.length} arms (${specs.map((s) => s.label).join(', ')})\n`)
        const results: SideResults[] = specs.map(() => [])
        const probes: number[][] = specs.map(() => [])
        await runAll(
          (signal) =>
            specs.map((s, i) => ({
              label: s.label,
              runOnce: () => {
                // The probe blocks this process, which is idle while the bench runs.
                probes[i]?.push(probeLoadNs())
                return spawnBench({ cwd: process.cwd(), args: benchArgs, env: { [INJECT_ENV]: String(s.factor) }, signal })
              },
            })),
          results,
        )
        run = {
          count,
          maxCount,
          step,
          comparisons,
          arms: specs.map((s, i) => ({ ...s, doc: mergeRounds(results[i] as SideResults), probesNs: probes[i] as number[] })),
        }
      }
    }
    if (run.arms.some((a) => a.doc.benchmarks.every((b) => b.samples.length < windowOf(run) * run.comparisons))) {
      throw new InputError(`doctor: some arms have fewer than ${windowOf(run) * run.comparisons} samples; was the run interrupted?`)
    }
    const report = analyseDoctorRun(run, { policy, ...(tolerancePct !== undefined ? { tolerancePct } : {}), powerTrials: trials, random: mulberry32(seed) })
    if (typeof args.flags.json === 'string') {
      const file: DoctorFile = { schemaVersion: 1, kind: DOCTOR_FILE_KIND, run, report }
      await writeFileAtomic(args.flags.json, `${JSON.stringify(file)}\n`)
    }
    if (format === 'json') process.stdout.write(`${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`)
    else process.stdout.write(renderDoctorText(report, run, trials, seed, tolerancePct, policy.beyond))
    return EXIT_OK
  },
}
