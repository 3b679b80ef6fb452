// Rounds: every -count sample of every leaf benchmark runs in a fresh worker, one worker at a
// time (measurement wants a quiet machine), and rounds are interleaved across benchmarks
// (A B C A B C …) so that drift of the machine spreads evenly over them. Round 0 starts each
// top-level benchmark with a discovery worker, which probes it with N=1 as Go does, lists its
// sub-benchmarks and measures it directly when it is a leaf itself (Go's first repetition also
// reuses the N=1 probe). In pair mode every sample is a pair job: the same worker measures the
// leaf of the base side too, and discovery only probes; memory figures then come from a memory job
// of each side's own per top-level and round.
import { formatDurationNs } from '../results/duration.ts'
import type { Failure } from '../results/schema.ts'
import type { BenchTime } from './calibrate.ts'
import type { CapturedProfiles, ProfileRequest } from './measure/profile-meter.ts'
import { withMemoryFigures } from './metrics.ts'
import { procsName } from './names.ts'
import { runWorker, type WorkerRun } from './spawn-worker.ts'
import type { LeafOutcome, ProbedNode, WorkerJob } from './worker-protocol.ts'

/** TopLevel is an exported benchmark function that matched -bench. */
export interface TopLevel {
  readonly file: string
  readonly bundlePath: string
  readonly pkg: string
  readonly name: string
  /** The name matched -bench only partly: only its sub-benchmarks can match. */
  readonly partial: boolean
}

/** Leaf is one measured unit: a leaf benchmark at one -cpu value. */
export interface Leaf {
  readonly top: TopLevel
  /** Full name without the -P suffix. */
  readonly baseName: string
  readonly procs: number
  /** Printed name, with the -P suffix when procs is not 1. */
  readonly name: string
}

/** SampleOutcome is what one worker produced for one leaf, or why it produced nothing. */
export type SampleOutcome =
  | { readonly status: 'ok'; readonly iterations: number; readonly metrics: Readonly<Record<string, number>>; readonly log: readonly string[] }
  | { readonly status: 'skipped'; readonly reason: string; readonly log: readonly string[] }
  | { readonly status: 'failed'; readonly failure: Failure; readonly log: readonly string[] }

/** ScheduleEvents receives what happens, in order; the caller prints and records it. */
export interface ScheduleEvents {
  /** A (sub-)benchmark is about to be probed (Go widens the name column here). */
  probed(node: ProbedNode, top: TopLevel): void
  /** A worker is starting. `done` samples of an estimated `total` have finished. */
  starting(name: string, round: number, done: number, total: number): void
  /** A leaf (or a failed or skipped parent) has an outcome for `round`. */
  outcome(leaf: Leaf, round: number, outcome: SampleOutcome): void
  /** Pair mode: the base side's outcome of a leaf for `round`. */
  baseOutcome?(leaf: Leaf, round: number, outcome: SampleOutcome): void
  /** Wall time a worker took, charged to its package. */
  spent(top: TopLevel, wallMs: number): void
  /** Warnings the workers sent, and run-level warnings. */
  warning(message: string): void
  /** What a benchmark printed itself (console.log); it never goes to stdout, which holds only Go's format. */
  workerOutput(text: string): void
  /** bench -cpuprofile/-memprofile: a sample's profiles, by the leaf's full name. */
  profiles?(top: TopLevel, name: string, round: number, profiles: CapturedProfiles): void
}

/** SchedulePair is pair mode's base side. */
export interface SchedulePair {
  /** The base side's bundle of a top-level's file; undefined when the base has no such file. */
  readonly bundleFor: (top: TopLevel) => string | undefined
  /** Environment set while the base side runs. */
  readonly baseEnv: Readonly<Record<string, string>>
  /** Timed runs a side per sample. */
  readonly runs: number
  /** Whether the head takes the first turn in even rounds (the base does by default); odd rounds swap. */
  readonly headFirst: boolean
}

/** ScheduleOptions are the run's settings as the scheduler needs them. */
export interface ScheduleOptions {
  readonly tops: readonly TopLevel[]
  readonly count: number
  readonly cpus: readonly number[]
  readonly pattern: string
  readonly benchTime: BenchTime
  readonly benchmem: boolean
  /** -timeout in ms for the whole run and any one worker; Infinity disables it. */
  readonly timeoutMs: number
  readonly execArgv: readonly string[]
  readonly env: Readonly<Record<string, string>>
  readonly cwd: string
  /**
   * Set-up the caller needs before it takes events (the environment fingerprint for the header).
   * It is awaited only once the first worker is running, so it overlaps that worker's start-up.
   */
  readonly ready?: Promise<unknown>
  readonly pair?: SchedulePair
  /** bench -cpuprofile/-memprofile: what each sample's profiled pass records (not in pair mode). */
  readonly profile?: ProfileRequest
}

/** ScheduleSummary says whether the run finished within -timeout. */
export interface ScheduleSummary {
  readonly timedOut: boolean
}

/** runSchedule runs all rounds and reports through `events`. */
export async function runSchedule(options: ScheduleOptions, events: ScheduleEvents): Promise<ScheduleSummary> {
  const deadline = performance.now() + options.timeoutMs
  const leavesOf = new Map<TopLevel, Leaf[]>()
  const finished = new Set<string>() // leaves that failed or were skipped are not run again
  const firstProcs = options.cpus[0] as number
  let done = 0
  let total = options.tops.length * options.count * options.cpus.length

  const pair = options.pair
  const job = (top: TopLevel, mode: WorkerJob['mode'], procs: number, target?: string): WorkerJob => {
    // In pair mode discovery only probes (its sample would have no base side): no memory passes
    // either, which a reportAllocs leaf would otherwise run here.
    const probeOnly = pair !== undefined && mode === 'discover'
    return {
      topLevel: top.name,
      mode,
      ...(target === undefined ? {} : { target }),
      pattern: options.pattern,
      topPartial: top.partial,
      benchTime: probeOnly ? { kind: 'count', iterations: 1 } : options.benchTime,
      procs,
      benchmem: options.benchmem && !probeOnly,
      ...(probeOnly ? { probeOnly: true as const } : {}),
      ...(options.profile === undefined || pair !== undefined ? {} : { profile: options.profile }),
    }
  }

  /** runReported runs a worker within -timeout and passes on its time, warnings and output; undefined when the time is up. */
  const runReported = async (
    top: TopLevel,
    workerJob: WorkerJob,
    bundlePath: string,
    env: Readonly<Record<string, string>>,
    starting: () => void,
  ): Promise<WorkerRun | undefined> => {
    const remainingMs = deadline - performance.now()
    if (remainingMs <= 0) return undefined
    starting()
    const run = await runWorker({ bundlePath, execArgv: options.execArgv, job: workerJob, timeoutMs: remainingMs, env, cwd: options.cwd })
    await options.ready
    events.spent(top, run.wallMs)
    if (run.kind === 'report') {
      for (const warning of run.report.warnings) events.warning(warning)
      if (run.output !== '') events.workerOutput(run.output)
    }
    return run
  }

  const launch = async (top: TopLevel, workerJob: WorkerJob, name: string, round: number): Promise<WorkerRun | undefined> => {
    const run = await runReported(top, workerJob, top.bundlePath, options.env, () => events.starting(name, round, done, total))
    if (run === undefined) return undefined
    done++
    if (run.kind === 'report') {
      for (const outcome of run.report.outcomes) {
        if (outcome.status === 'ok' && outcome.profiles !== undefined) events.profiles?.(top, outcome.name, round, outcome.profiles)
      }
    }
    return run
  }

  const record = (leaf: Leaf, round: number, outcome: SampleOutcome): void => {
    if (outcome.status !== 'ok') finished.add(leaf.name + '\0' + leaf.top.file)
    events.outcome(leaf, round, outcome)
  }

  const leafFor = (top: TopLevel, baseName: string, procs: number): Leaf => ({ top, baseName, procs, name: procsName(baseName, procs) })

  /**
   * measure runs one sample of a leaf. A pair sample whose sides want memory figures waits in
   * `paired` for its top-level's memory jobs (measureMemory); any other is recorded at once.
   */
  const measure = async (leaf: Leaf, round: number, paired: PairedSample[]): Promise<boolean> => {
    if (finished.has(leaf.name + '\0' + leaf.top.file)) {
      done++
      return true
    }
    const baseBundle = pair?.bundleFor(leaf.top)
    const workerJob: WorkerJob =
      pair === undefined || baseBundle === undefined
        ? job(leaf.top, 'measure', leaf.procs, leaf.baseName)
        : {
            ...job(leaf.top, 'pair', leaf.procs, leaf.baseName),
            pair: { baseBundle, baseEnv: pair.baseEnv, runs: pair.runs, baseFirst: (round % 2 === 0) !== pair.headFirst },
          }
    const run = await launch(leaf.top, workerJob, leaf.name, round)
    if (run === undefined) return false
    const outcome = outcomeOf(run, leaf.name, options.timeoutMs)
    if (workerJob.mode !== 'pair') {
      record(leaf, round, outcome)
      return true
    }
    // A dead worker ended both sides; a side without an outcome lacks the benchmark.
    const report = run.kind === 'report' ? run.report : undefined
    const base = report?.baseOutcomes?.find((o) => o.name === leaf.name)
    const head = report?.outcomes.find((o) => o.name === leaf.name)
    paired.push({
      leaf,
      head: { outcome, memoryAt: memoryAt(head) },
      base: base !== undefined ? { outcome: fromLeafOutcome(base), memoryAt: memoryAt(base) } : report === undefined ? { outcome } : undefined,
    })
    return true
  }

  /**
   * measureMemory adds memory figures to a top-level's pair samples of one round and records
   * them. The figures come from a memory job of each side's own (all the top-level's leaves at
   * one -cpu value in one worker), sides in the round's order: in the pair worker a side's memory
   * passes saw what the other side's runs had left behind.
   */
  const measureMemory = async (top: TopLevel, round: number, paired: readonly PairedSample[]): Promise<boolean> => {
    const baseBundle = pair?.bundleFor(top)
    if (pair !== undefined && baseBundle !== undefined) {
      const sides: { pick: (p: PairedSample) => PairedSide | undefined; bundlePath: string; env: Readonly<Record<string, string>> }[] = [
        { pick: (p) => p.base, bundlePath: baseBundle, env: { ...options.env, ...pair.baseEnv } },
        { pick: (p) => p.head, bundlePath: top.bundlePath, env: options.env },
      ]
      if ((round % 2 === 0) === pair.headFirst) sides.reverse()
      for (const side of sides) {
        for (const procs of options.cpus) {
          const wanting = paired.filter((p) => p.leaf.procs === procs && side.pick(p)?.memoryAt !== undefined)
          if (wanting.length === 0) continue
          const memoryTargets = wanting.map((p) => ({ name: p.leaf.baseName, iterations: side.pick(p)?.memoryAt as number }))
          // Not a sample of its own: no progress line.
          const run = await runReported(top, { ...job(top, 'memory', procs), memoryTargets }, side.bundlePath, side.env, () => {})
          if (run === undefined) return false
          for (const p of wanting) {
            const paired = side.pick(p) as PairedSide
            paired.outcome = withMemory(paired.outcome, memoryOutcomeOf(run, p.leaf.name, options.timeoutMs))
          }
        }
      }
    }
    for (const p of paired) {
      if (p.base !== undefined) events.baseOutcome?.(p.leaf, round, p.base.outcome)
      record(p.leaf, round, p.head.outcome)
    }
    return true
  }

  /** measureTop runs one round of a top-level's leaves. */
  const measureTop = async (top: TopLevel, leaves: readonly Leaf[], round: number): Promise<boolean> => {
    const paired: PairedSample[] = []
    for (const leaf of leaves) if (!(await measure(leaf, round, paired))) return false
    return measureMemory(top, round, paired)
  }

  // Round 0: discovery (and the first sample of top-level leaves), then each top's leaves.
  for (const top of options.tops) {
    const run = await launch(top, job(top, 'discover', firstProcs), top.name, 0)
    if (run === undefined) return { timedOut: true }
    const leaves: Leaf[] = []
    let topSample: SampleOutcome | undefined
    if (run.kind !== 'report') {
      record(leafFor(top, top.name, firstProcs), 0, outcomeOf(run, procsName(top.name, firstProcs), options.timeoutMs))
      leavesOf.set(top, [])
      total -= options.count * options.cpus.length - 1
      continue
    }
    for (const node of run.report.probed) {
      events.probed(node, top)
      if (node.kind === 'leaf') for (const procs of options.cpus) leaves.push(leafFor(top, node.name, procs))
    }
    for (const outcome of run.report.outcomes) {
      const baseName = stripProcs(outcome.name, firstProcs)
      if (outcome.status === 'ok' && baseName === top.name) topSample = pair === undefined ? fromLeafOutcome(outcome) : undefined
      else if (outcome.status !== 'ok') record(leafFor(top, baseName, firstProcs), 0, fromLeafOutcome(outcome))
    }
    leavesOf.set(top, leaves)
    total += options.count * (leaves.length - options.cpus.length)
    const sampled = topSample
    if (sampled !== undefined) {
      const leaf = leaves.find((l) => l.baseName === top.name && l.procs === firstProcs)
      if (leaf !== undefined) record(leaf, 0, sampled)
    }
    const rest = leaves.filter((l) => sampled === undefined || l.baseName !== top.name || l.procs !== firstProcs)
    if (!(await measureTop(top, rest, 0))) return { timedOut: true }
  }
  for (let round = 1; round < options.count; round++) {
    for (const top of options.tops) {
      if (!(await measureTop(top, leavesOf.get(top) ?? [], round))) return { timedOut: true }
    }
  }
  return { timedOut: false }
}

function stripProcs(name: string, procs: number): string {
  return procs !== 1 && name.endsWith(`-${procs}`) ? name.slice(0, -`-${procs}`.length) : name
}

/** PairedSide is one side's outcome of a pair sample; memoryAt is the N its memory job runs, when it wants memory figures. */
interface PairedSide {
  outcome: SampleOutcome
  readonly memoryAt?: number
}

/** PairedSample is a pair sample waiting for its memory figures. */
interface PairedSample {
  readonly leaf: Leaf
  readonly head: PairedSide
  /** Undefined when the base side lacks the benchmark. */
  readonly base: PairedSide | undefined
}

/** memoryAt is the N of a pair job's side when that side wants memory figures from a memory job. */
function memoryAt(outcome: LeafOutcome | undefined): number | undefined {
  return outcome?.status === 'ok' && outcome.memoryElsewhere === true ? outcome.iterations : undefined
}

/**
 * memoryOutcomeOf is a memory job's outcome for one of its leaves: the leaf's own, or else the
 * failure or skip of a parent on the way to it (the worker reached no further).
 */
function memoryOutcomeOf(run: WorkerRun, name: string, timeoutMs: number): SampleOutcome {
  if (run.kind !== 'report') return outcomeOf(run, name, timeoutMs)
  const own = run.report.outcomes.find((o) => o.name === name)
  if (own !== undefined) return fromLeafOutcome(own)
  const stopped = run.report.outcomes.find((o) => o.status !== 'ok')
  if (stopped !== undefined) return fromLeafOutcome(stopped)
  return { status: 'failed', failure: { kind: 'crash', message: 'the memory worker reported no result for it' }, log: [] }
}

/**
 * withMemory adds the memory figures of a side's own worker to its paired outcome; when that worker
 * failed or skipped the benchmark, that is the side's outcome.
 */
function withMemory(paired: SampleOutcome, memory: SampleOutcome): SampleOutcome {
  if (paired.status !== 'ok') return paired
  if (memory.status !== 'ok') return memory
  return { ...paired, metrics: withMemoryFigures(paired.metrics, memory.metrics) }
}

function fromLeafOutcome(outcome: LeafOutcome): SampleOutcome {
  switch (outcome.status) {
    case 'ok':
      return { status: 'ok', iterations: outcome.iterations, metrics: outcome.metrics, log: outcome.log }
    case 'skipped':
      return { status: 'skipped', reason: outcome.reason, log: outcome.log }
    case 'failed':
      return {
        status: 'failed',
        failure: { kind: 'error', message: outcome.failure.message, ...(outcome.failure.stack === undefined ? {} : { stack: outcome.failure.stack }) },
        log: outcome.log,
      }
  }
}

// OUTPUT_TAIL_LINES is how much of a dead worker's output explains its death.
const OUTPUT_TAIL_LINES = 8

/** outcomeOf turns how a worker ended into the outcome of the leaf it was measuring. */
export function outcomeOf(run: WorkerRun, name: string, timeoutMs: number): SampleOutcome {
  switch (run.kind) {
    case 'report': {
      const outcome = run.report.outcomes.find((o) => o.name === name) ?? run.report.outcomes[0]
      if (outcome === undefined) return { status: 'failed', failure: { kind: 'crash', message: 'the worker reported no result' }, log: [] }
      return fromLeafOutcome(outcome)
    }
    case 'timeout':
      return {
        status: 'failed',
        failure: {
          kind: 'timeout',
          message: `timed out after ${formatDurationNs(Math.round(run.wallMs) * 1e6)} (-timeout=${formatDurationNs(timeoutMs * 1e6)}); the worker was killed`,
        },
        log: [],
      }
    case 'out-of-memory': {
      const fatal = run.output.split('\n').find((line) => /FATAL ERROR|heap out of memory|Allocation failed/.test(line))
      return {
        status: 'failed',
        failure: {
          kind: 'out-of-memory',
          message: `out-of-memory: the worker ran out of heap${fatal === undefined ? '' : ` (${fatal.trim()})`}; raise -max-old-space if the benchmark needs more`,
        },
        log: [],
      }
    }
    case 'crash': {
      const tail = run.output
        .split('\n')
        .filter((line) => line.trim() !== '')
        .slice(-OUTPUT_TAIL_LINES)
        .join('\n')
      return { status: 'failed', failure: { kind: 'crash', message: tail === '' ? run.message : `${run.message}:\n${tail}` }, log: [] }
    }
  }
}
