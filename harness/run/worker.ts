// The worker process: bundled together with one benchmark file (bundle.ts), it runs one
// top-level benchmark function per process, as the parent's job says, and sends one report.
// Go's order: an N=1 probe (run1), then predictN steps until a run lasts -benchtime; then, with
// -benchmem or reportAllocs, the untimed memory passes. A pair job measures the same leaf of two
// bundles (base and head) in one process, taking turns run by run (see measurePair).
import { pathToFileURL } from 'node:url'
import type { BenchmarkFunction } from '../api.ts'
import { BenchB, LOG_TRUNCATED, MAX_LOG_LINES, type RunSettings } from './b.ts'
import { predictN, MAX_PREDICTED_ITERATIONS } from './calibrate.ts'
import { BenchMatcher } from './match.ts'
import { AllocCountMeter } from './measure/alloc-count.ts'
import { ExternalBytesMeter } from './measure/external-bytes.ts'
import { HeapBytesMeter, type GcCounts } from './measure/heap-bytes.ts'
import { buildMetrics, type MemoryFigures } from './metrics.ts'
import { NameRegistry, procsName } from './names.ts'
import { median } from '../../common/median.ts'
import { WORKER_JOB_ENV, type LeafOutcome, type PairJob, type ProbedNode, type WorkerJob, type WorkerReport } from './worker-protocol.ts'

// External-bytes pass: batches small enough that no GC lands in them (a scavenge needs most of
// the 1 MB young generation after the gc() that precedes every run), several so one GC can be
// dropped. 1 MB of backing stores per batch, not 8: with 8 MB a Float64Array(1000) read
// 3,114–5,901 ext-B/op in 4 of 6 runs (frees landing inside the window), with 1 MB 8,000 in 6 of 6.
const EXTERNAL_BATCH_HEAP_BYTES = 256 * 1024
const EXTERNAL_BATCH_EXTERNAL_BYTES = 1024 * 1024
const EXTERNAL_BATCHES = 5
// Heap-bytes pass: enough warm ops that one-off allocations vanish in the average (32 MB
// allocated: 0.5 MB of stray allocations would be 1.5%), within a quarter second.
const HEAP_PASS_BYTES = 32 * 1024 * 1024
const HEAP_PASS_BUDGET_NS = 250e6
const HEAP_PASS_MAX_OPS = 10_000_000
const HEAP_PASS_GUESS_BYTES_PER_OP = 64
// Allocation pass: the sampling profiler costs ~2 µs per allocation and slows code 2–70×
// (js-bench-libs.md §C.2), so it runs about 10³ ops, fewer for big or slow ops.
const ALLOC_PASS_MAX_OPS = 1000
const ALLOC_PASS_HEAP_BYTES = 4 * 1024 * 1024
const ALLOC_PASS_BUDGET_NS = 200e6
const ALLOC_PASS_SLOWDOWN = 20
// Pair mode's longest turn. At -benchtime=1s (1.2 s turns) a paired ab run left a 5% slowdown
// inconclusive at 20 rounds, +5.0% [+2.6%, +10.2%]: the host's contention spells last seconds, so
// turns that long no longer see the same spell. At 100 ms turns it was flagged in 8 rounds.
const PAIR_TURN_NS = 100e6

/** workerMain runs the job in the environment, if any, against the bundled benchmark module, then exits. */
export async function workerMain(module: Readonly<Record<string, unknown>>): Promise<void> {
  const jobText = process.env[WORKER_JOB_ENV]
  if (jobText === undefined) return
  const job = JSON.parse(jobText) as WorkerJob
  // A pair job imports a second bundle, whose own workerMain must find no job and stay inert.
  delete process.env[WORKER_JOB_ENV]
  // The parent went away (killed, crashed): nobody will read the result, so stop measuring.
  process.on('disconnect', () => process.exit(1))
  const worker = new Worker(job)
  let report: WorkerReport
  try {
    report = await worker.run(module)
  } catch (err) {
    report = worker.abort(err)
  }
  await send(report)
  process.exit(0)
}

function send(report: WorkerReport): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) {
      process.stdout.write(JSON.stringify(report) + '\n', () => resolve())
      return
    }
    process.send(report, () => resolve())
  })
}

/** TimedHeap is what the heap meter saw over the reported run. */
interface TimedHeap {
  readonly bytesPerOp: number
  readonly gcs: GcCounts
}

/** Side is one of a pair job's two bundles. */
interface Side {
  readonly module: Readonly<Record<string, unknown>>
  readonly env: Readonly<Record<string, string>>
  readonly outcomes: LeafOutcome[]
  readonly registry: NameRegistry
}

class Worker {
  private readonly registry = new NameRegistry()
  private readonly baseOutcomes: LeafOutcome[] = []
  /** Environment values before a pair job changed them, restored when the head side runs. */
  private readonly envBefore = new Map<string, string | undefined>()
  private matcherInstance: BenchMatcher | undefined
  private readonly probed: ProbedNode[] = []
  private readonly outcomes: LeafOutcome[] = []
  private readonly warnings: string[] = []
  private heapMeterInstance: HeapBytesMeter | undefined
  private readonly settings: RunSettings
  /** The B running when an error escaped the benchmark's own promise chain. */
  private current: BenchB | undefined

  constructor(private readonly job: WorkerJob) {
    this.settings = {
      procs: job.procs,
      uniqueName: (parent, sub) => this.registry.unique(parent, sub),
      // Measure and pair jobs descend to their target with a side's own settings (reachLeaf).
      onSub: (_parent, fullName, fn) => this.discoverSub(fullName, fn),
    }
    // A rejection nobody awaited (an un-awaited runParallel, a stray timer) fails the running benchmark.
    process.on('unhandledRejection', (reason) => this.current?.recordThrow(reason))
  }

  // Created on first use: the GC profiler's first start costs tens of ms, wasted without -benchmem.
  private get heapMeter(): HeapBytesMeter {
    this.heapMeterInstance ??= new HeapBytesMeter()
    return this.heapMeterInstance
  }

  private get matcher(): BenchMatcher {
    this.matcherInstance ??= new BenchMatcher(this.job.pattern)
    return this.matcherInstance
  }

  async run(module: Readonly<Record<string, unknown>>): Promise<WorkerReport> {
    if (typeof (globalThis as { gc?: unknown }).gc !== 'function') throw new Error('the worker needs node --expose-gc')
    const fn = module[this.job.topLevel]
    if (typeof fn !== 'function') {
      this.outcomes.push({ status: 'failed', name: this.job.topLevel, failure: { message: `export ${this.job.topLevel} is not a function` }, log: [] })
      return this.report()
    }
    const top = this.job.topLevel
    if (this.job.mode === 'pair') return this.runPair(module, this.job.pair)
    if (this.job.mode === 'discover') {
      this.probed.push({ name: top, kind: 'leaf' })
      const b = await this.probe(top, fn as BenchmarkFunction)
      const kind = b.hasSub ? 'parent' : this.job.topPartial ? 'partial' : 'leaf'
      this.probed[0] = { name: top, kind }
      if (b.finished) this.outcomes.push(this.finishedOutcome(b))
      else if (kind === 'leaf') await this.measure(b)
      return this.report()
    }
    await this.reachLeaf(this.ownSide(module), (b) => this.measure(b))
    this.failIfNotFound()
    return this.report()
  }

  /** ownSide is this bundle's side: the process's environment, the report's outcomes. */
  private ownSide(module: Readonly<Record<string, unknown>>): Side {
    return { module, env: {}, outcomes: this.outcomes, registry: this.registry }
  }

  /** failIfNotFound fails the target when descending to it produced no outcome. */
  private failIfNotFound(): void {
    if (this.outcomes.length === 0) this.failTarget('sub-benchmark not found: its parent no longer calls b.run with this name')
  }

  /** abort reports an error that escaped the harness itself as a failure of the job's benchmark. */
  abort(err: unknown): WorkerReport {
    const b = new BenchB(this.targetName(), () => {}, this.settings)
    b.recordThrow(err)
    this.outcomes.push(this.finishedOutcome(b))
    return this.report()
  }

  private report(): WorkerReport {
    return {
      type: 'slurmbench.report',
      probed: this.probed,
      outcomes: this.outcomes,
      ...(this.job.mode === 'pair' ? { baseOutcomes: this.baseOutcomes } : {}),
      warnings: this.warnings,
    }
  }

  private targetName(): string {
    return procsName(this.job.target ?? this.job.topLevel, this.job.procs)
  }

  private failTarget(message: string): void {
    this.outcomes.push({ status: 'failed', name: this.targetName(), failure: { message }, log: [] })
  }

  /** probe runs a benchmark once with N=1, as Go's run1; a loop()-style body runs one iteration. */
  private async probe(name: string, fn: BenchmarkFunction, settings: RunSettings = this.settings): Promise<BenchB> {
    const b = new BenchB(name, fn, settings)
    b.loopFixedIterations = 1
    if (this.job.benchmem) b.meter = this.heapMeter // the probe of a leaf is its first run, as Go's run1
    const previous = this.current
    this.current = b
    await b.runN(1)
    this.current = previous
    return b
  }

  private async discoverSub(fullName: string, fn: BenchmarkFunction): Promise<boolean> {
    const match = this.matcher.match(fullName)
    if (!match.ok) return true
    const index = this.probed.push({ name: fullName, kind: 'leaf' }) - 1
    const b = await this.probe(fullName, fn)
    this.probed[index] = { name: fullName, kind: b.hasSub ? 'parent' : match.partial ? 'partial' : 'leaf' }
    if (b.finished) this.outcomes.push(this.finishedOutcome(b))
    return b.failure === undefined
  }

  /**
   * runPair measures the leaf `target` of the head (this bundle) and of the base bundle in this one
   * process. When the base lacks the leaf (a new benchmark) the head is measured alone and the
   * base has no outcome; when the head lacks it, the base is measured alone.
   */
  private async runPair(headModule: Readonly<Record<string, unknown>>, pair: PairJob | undefined): Promise<WorkerReport> {
    if (pair === undefined || this.job.target === undefined) throw new Error('a pair job needs its target and base side')
    // The query makes a second module instance even when both sides are one bundle (A/A), so the
    // sides never share functions, feedback or optimised code.
    const baseModule = (await import(`${pathToFileURL(pair.baseBundle).href}?side=base`)) as Record<string, unknown>
    const base: Side = { module: baseModule, env: pair.baseEnv, outcomes: this.baseOutcomes, registry: new NameRegistry() }
    // The head keeps the process's environment; entering it restores what the base side changed.
    const head = this.ownSide(headModule)
    for (const key of Object.keys(pair.baseEnv)) this.envBefore.set(key, process.env[key])
    const baseReached = await this.reachLeaf(base, async (baseB) => {
      const headReached = await this.reachLeaf(head, (headB) => this.measurePair(pair, [base, baseB], [head, headB]))
      if (!headReached) await this.measureSide(base, baseB)
    })
    if (!baseReached) await this.reachLeaf(head, (headB) => this.measureSide(head, headB))
    this.failIfNotFound()
    return this.report()
  }

  /** enterSide sets the side's environment variables, or restores the values the base side changed. */
  private enterSide(side: Side): void {
    for (const [key, before] of this.envBefore) {
      const value = side.env[key] ?? before
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }

  /**
   * reachLeaf probes the side's top-level function and descends by b.run to the job's target,
   * then calls onLeaf with the target's B while its parents wait in b.run. It returns whether the
   * target was reached; a failure or skip on the way is the side's outcome.
   */
  private async reachLeaf(side: Side, onLeaf: (b: BenchB) => Promise<void>): Promise<boolean> {
    const top = this.job.topLevel
    const target = this.job.target as string
    const fn = side.module[top]
    if (typeof fn !== 'function') return false
    let reached = false
    const arrive = async (b: BenchB, isTarget: boolean): Promise<void> => {
      if (b.finished) {
        if (side.outcomes.length === 0) side.outcomes.push({ ...this.finishedOutcome(b), name: this.targetName() })
      } else if (isTarget) {
        if (b.hasSub)
          side.outcomes.push({
            status: 'failed',
            name: this.targetName(),
            failure: { message: 'it now calls b.run; it had no sub-benchmarks when the run started' },
            log: [],
          })
        else {
          reached = true
          await onLeaf(b)
        }
      }
    }
    const settings: RunSettings = {
      procs: this.job.procs,
      uniqueName: (parent, sub) => side.registry.unique(parent, sub),
      onSub: async (_parent, fullName, subFn) => {
        if (fullName !== target && !target.startsWith(`${fullName}/`)) return true
        this.enterSide(side)
        const b = await this.probe(fullName, subFn, settings)
        await arrive(b, fullName === target)
        return b.failure === undefined
      },
    }
    this.enterSide(side)
    await arrive(await this.probe(top, fn as BenchmarkFunction, settings), top === target)
    return reached
  }

  /** measureSide measures one side alone, as a measure job would. */
  private async measureSide(side: Side, b: BenchB): Promise<void> {
    this.enterSide(side)
    await this.measure(b, side.outcomes)
  }

  /**
   * measurePair runs Go's calibration ladder on both sides in turns (N predicted from the base),
   * then `runs` timed runs a side at the final N (each split into turns of at most 100 ms), the
   * order alternating every turn (base head, head base, …). Each side's sample is the median of
   * its turns, reported at the calibrated N. Both sides see the same moments
   * of the machine: on a host whose cache contention comes and goes in spells of seconds, the
   * ratio of the two is steady while either side alone is not (benchmarks/experiment/README.md).
   */
  private async measurePair(pair: PairJob, [baseSide, baseB]: [Side, BenchB], [headSide, headB]: [Side, BenchB]): Promise<void> {
    const benchTime = this.job.benchTime
    const goalNs = benchTime.kind === 'duration' ? benchTime.durationNs : 0
    const sides = [
      { side: baseSide, b: baseB, nsPerOp: [] as number[] },
      { side: headSide, b: headB, nsPerOp: [] as number[] },
    ]
    for (const { b } of sides) {
      b.name = procsName(b.name, this.job.procs)
      b.loopGoalNs = goalNs
      if (b.showAllocs) b.meter = this.heapMeter
    }
    let turn = 0
    const runTurn = async (n: number): Promise<boolean> => {
      const baseFirst = (turn++ % 2 === 0) === pair.baseFirst
      for (const s of baseFirst ? sides : [...sides].reverse()) {
        this.enterSide(s.side)
        this.current = s.b
        s.b.loopFixedIterations = n
        await s.b.runN(n)
        if (s.b.finished) return false
      }
      return true
    }
    let n = benchTime.kind === 'count' ? benchTime.iterations : 1
    let ok = true
    if (benchTime.kind === 'count') ok = await runTurn(n)
    while (ok && baseB.timedNs < goalNs && n < MAX_PREDICTED_ITERATIONS) {
      const last = n
      n = predictN(goalNs, baseB.N, baseB.timedNs, last)
      ok = await runTurn(n)
    }
    // Turns last at most PAIR_TURN_NS: the pairing cancels the host's noise only when a turn is
    // short beside its spells (seconds here). Up to that length the calibration's last turn is the
    // first pair and each turn is one Go-style run; a longer -benchtime is split into short turns
    // of the same total time per run.
    const split = goalNs > PAIR_TURN_NS ? Math.ceil(goalNs / PAIR_TURN_NS) : 1
    const turnN = split === 1 ? n : Math.max(1, Math.round(n / split))
    const record = (): void => {
      for (const s of sides) s.nsPerOp.push(s.b.timedNs / turnN)
    }
    if (ok && split === 1) record()
    for (let run = split === 1 ? 1 : 0; ok && run < pair.runs * split; run++) {
      ok = await runTurn(turnN)
      if (ok) record()
    }
    if (!ok) {
      // One side failed or was skipped: that is its outcome; the other is measured alone.
      for (const s of sides) {
        if (s.b.finished) s.side.outcomes.push(this.finishedOutcome(s.b))
        else await this.measureSide(s.side, s.b)
      }
      return
    }
    for (const s of sides) {
      this.enterSide(s.side) // the memory passes run the side's code again
      await this.recordLeaf(s.b, n, median(s.nsPerOp) * n, undefined, s.side.outcomes)
    }
  }

  private finishedOutcome(b: BenchB): LeafOutcome {
    const name = procsName(b.name, this.job.procs)
    const log = trimLog(b.logLines)
    if (b.failure !== undefined) return { status: 'failed', name, failure: b.failure, log }
    return { status: 'skipped', name, reason: b.skipReason ?? '', log }
  }

  /** measure calibrates b.N as Go's B.run, then runs the memory passes; b has had its N=1 probe. */
  private async measure(b: BenchB, into: LeafOutcome[] = this.outcomes): Promise<void> {
    const benchTime = this.job.benchTime
    const goalNs = benchTime.kind === 'duration' ? benchTime.durationNs : 0
    b.name = procsName(b.name, this.job.procs)
    b.loopGoalNs = goalNs
    this.current = b
    // reportAllocs is only known after the probe; runs from here on are metered.
    if (b.showAllocs) b.meter = this.heapMeter
    const runsBefore = b.runs
    if (benchTime.kind === 'count') {
      // -benchtime=1x reuses the probe (go.dev/issue/32051); Nx runs once more with exactly N.
      if (benchTime.iterations > 1) {
        b.loopFixedIterations = benchTime.iterations
        await b.runN(benchTime.iterations)
      }
    } else if (b.usedLoop) {
      // b.loop() ramps inside one call; the probe ran a single iteration, so run it for real.
      b.loopFixedIterations = 0
      await b.runN(1)
    } else {
      // Go's B.run: the ladder starts from the probe's N=1 and its duration.
      let n = 1
      while (!b.finished && b.timedNs < goalNs && n < MAX_PREDICTED_ITERATIONS) {
        const last = n
        n = predictN(goalNs, b.N, b.timedNs, last)
        await b.runN(n)
      }
    }
    if (b.finished) {
      into.push(this.finishedOutcome(b))
      return
    }
    // GCs per op come from the reported run when it was metered: with -benchmem, or any run after
    // the probe of a reportAllocs benchmark. Otherwise from the heap pass.
    const timedMetered = (this.job.benchmem || b.showAllocs) && (this.job.benchmem || b.runs > runsBefore)
    const timed = timedMetered ? { bytesPerOp: this.heapMeter.allocatedBytes() / b.N, gcs: this.heapMeter.gcs() } : undefined
    await this.recordLeaf(b, b.N, b.timedNs, timed, into)
  }

  /**
   * recordLeaf adds b's outcome at `iterations` and `durationNs` to `into`, after the memory passes
   * when -benchmem or reportAllocs asks for them; `timed` is the reported run's heap figures when
   * it was metered.
   */
  private async recordLeaf(b: BenchB, iterations: number, durationNs: number, timed: TimedHeap | undefined, into: LeafOutcome[]): Promise<void> {
    const extra = new Map(b.extra)
    const log = trimLog(b.logLines)
    let memory: MemoryFigures | undefined
    if (this.job.benchmem || b.showAllocs) {
      b.logging = false
      memory = await this.memoryPasses(b, iterations, durationNs, timed)
      if (b.failure !== undefined) {
        into.push(this.finishedOutcome(b))
        return
      }
    }
    const metrics = buildMetrics({ iterations, durationNs, bytesPerOp: b.bytesPerOp, extra, memory })
    into.push({ status: 'ok', name: b.name, iterations, metrics, log })
  }

  private async memoryPasses(b: BenchB, iterations: number, durationNs: number, timed: TimedHeap | undefined): Promise<MemoryFigures> {
    const nsPerOp = Math.max(1, durationNs / iterations)
    // B/op from a warm pass: the timed ladder's first runs also hold V8's own allocations for
    // compiling the benchmark (~0.5 MB, +27 B/op for a 56-byte object at N=20,000), which Go has not.
    const heapIterations = Math.max(
      1,
      Math.min(
        HEAP_PASS_MAX_OPS,
        Math.floor(HEAP_PASS_BYTES / Math.max(1, timed?.bytesPerOp ?? HEAP_PASS_GUESS_BYTES_PER_OP)),
        Math.floor(HEAP_PASS_BUDGET_NS / nsPerOp),
      ),
    )
    b.meter = this.heapMeter
    await this.fixedRun(b, heapIterations)
    const heapBytesPerOp = this.heapMeter.allocatedBytes() / heapIterations
    const gcs = timed?.gcs ?? this.heapMeter.gcs()
    const gcIterations = timed === undefined ? heapIterations : iterations
    const externalBytesPerOp = await this.externalPass(b, iterations, Math.max(1, heapBytesPerOp))
    const allocIterations = Math.max(
      1,
      Math.min(
        iterations,
        ALLOC_PASS_MAX_OPS,
        Math.floor(ALLOC_PASS_HEAP_BYTES / Math.max(1, heapBytesPerOp)),
        Math.floor(ALLOC_PASS_BUDGET_NS / (ALLOC_PASS_SLOWDOWN * nsPerOp)),
      ),
    )
    const allocMeter = new AllocCountMeter()
    b.meter = allocMeter
    await this.fixedRun(b, allocIterations)
    const allocsPerOp = allocMeter.allocations() / allocIterations
    allocMeter.close()
    return { heapBytesPerOp, allocsPerOp, externalBytesPerOp, gcsPerOp: gcs.count / gcIterations, gcPauseNsPerOp: gcs.pauseNs / gcIterations }
  }

  private async externalPass(b: BenchB, iterations: number, heapBytesPerOp: number): Promise<number | undefined> {
    const meter = new ExternalBytesMeter()
    b.meter = meter
    await this.fixedRun(b, 1)
    const firstBytes = meter.cleanBytes()
    const externalPerOpGuess = Math.max(1, firstBytes ?? 0)
    const batch = Math.max(
      1,
      Math.min(iterations, Math.floor(EXTERNAL_BATCH_HEAP_BYTES / heapBytesPerOp), Math.floor(EXTERNAL_BATCH_EXTERNAL_BYTES / externalPerOpGuess)),
    )
    const perOp: number[] = []
    let sawExternal = firstBytes !== undefined && firstBytes !== 0
    for (let i = 0; i < EXTERNAL_BATCHES && !b.finished; i++) {
      await this.fixedRun(b, batch)
      const bytes = meter.cleanBytes()
      if (bytes === undefined) continue
      if (bytes !== 0) sawExternal = true
      perOp.push(bytes / batch)
    }
    if (perOp.length === 0) {
      if (sawExternal) this.warnings.push(`${b.name}: ext-B/op not measured: a GC ran in every batch of the external-memory pass`)
      return undefined
    }
    perOp.sort((x, y) => x - y)
    return Math.max(0, perOp[Math.floor(perOp.length / 2)] as number)
  }

  /** fixedRun runs exactly n iterations (b.N or loop()) for a memory pass. */
  private async fixedRun(b: BenchB, n: number): Promise<void> {
    b.loopFixedIterations = n
    await b.runN(n)
  }
}

/** trimLog keeps the first lines of benchmark output, as Go's trimOutput. */
function trimLog(lines: readonly string[]): string[] {
  return lines.length <= MAX_LOG_LINES ? [...lines] : [...lines.slice(0, MAX_LOG_LINES), LOG_TRUNCATED]
}
