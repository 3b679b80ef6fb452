// Measuring one leaf after its N=1 probe: Go's calibration ladder up to -benchtime (or the `Nx`
// count), then the memory passes, and the leaf's outcome: a sample, a skip or a failure.
import { type BenchB, LOG_TRUNCATED, MAX_LOG_LINES } from './b.ts'
import { type BenchTime, climbLadder } from './calibrate.ts'
import { HeapBytesMeter } from './measure/heap-bytes.ts'
import { runMemoryPasses, type TimedHeap } from './memory-passes.ts'
import { buildMetrics, type MemoryFigures } from './metrics.ts'
import { procsName } from './names.ts'
import { runProfilePass } from './profile-pass.ts'
import type { LeafOutcome, WorkerJob } from './worker-protocol.ts'

/** LeafMeasurer measures the leaves of one worker's job and turns them into outcomes. */
export class LeafMeasurer {
  private heapMeterInstance: HeapBytesMeter | undefined

  constructor(
    private readonly job: WorkerJob,
    /** Receives measurement warnings (they travel in the worker's report). */
    private readonly warn: (message: string) => void,
    /** Called with the B about to run, so an escaped rejection fails the right benchmark. */
    private readonly running: (b: BenchB) => void,
  ) {}

  /** heapMeter is the worker's heap meter, created on first use: the GC profiler's first start costs tens of ms, wasted without -benchmem. */
  get heapMeter(): HeapBytesMeter {
    this.heapMeterInstance ??= new HeapBytesMeter()
    return this.heapMeterInstance
  }

  /** benchTime is the job's -benchtime. */
  get benchTime(): BenchTime {
    return this.job.benchTime
  }

  /** goalNs is the -benchtime duration in nanoseconds, 0 for an `Nx` count. */
  get goalNs(): number {
    return this.job.benchTime.kind === 'duration' ? this.job.benchTime.durationNs : 0
  }

  /** prepare readies a probed leaf for its measured runs: its -P name, loop()'s goal, its meter. */
  prepare(b: BenchB): void {
    b.name = procsName(b.name, this.job.procs)
    b.loopGoalNs = this.goalNs
    // reportAllocs is only known after the probe; runs from here on are metered.
    if (b.showAllocs) b.meter = this.heapMeter
  }

  /** measure calibrates b.N as Go's B.run, then runs the memory passes; b has had its N=1 probe. */
  async measure(b: BenchB, into: LeafOutcome[]): Promise<void> {
    const benchTime = this.benchTime
    this.prepare(b)
    this.running(b)
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
      await climbLadder(this.goalNs, { n: b.N, ns: b.timedNs }, async (n) => {
        await b.runN(n)
        return b.finished ? undefined : { n: b.N, ns: b.timedNs }
      })
    }
    if (b.finished) {
      into.push(this.finishedOutcome(b))
      return
    }
    // GCs per op come from the reported run when it was metered: with -benchmem, or any run after
    // the probe of a reportAllocs benchmark. Otherwise from the heap pass.
    const timedMetered = (this.job.benchmem || b.showAllocs) && (this.job.benchmem || b.runs > runsBefore)
    await this.recordLeaf(b, b.N, b.timedNs, timedMetered ? this.timedHeap(b.N) : undefined, into)
  }

  /**
   * measureMemory measures the memory figures of b, a leaf of a pair job's side, in a process that
   * runs only that side: one metered run at the N the pair job ran (it also warms the code, so the
   * heap pass does not hold V8's compile allocations), then the memory passes.
   */
  async measureMemory(b: BenchB, iterations: number, into: LeafOutcome[]): Promise<void> {
    this.prepare(b)
    this.running(b)
    b.meter = this.heapMeter
    b.loopFixedIterations = iterations
    await b.runN(iterations)
    if (b.finished) {
      into.push(this.finishedOutcome(b))
      return
    }
    await this.recordLeaf(b, iterations, b.timedNs, this.timedHeap(iterations), into, 'here')
  }

  /** timedHeap is what the heap meter saw over the run just ended, of `iterations` ops. */
  private timedHeap(iterations: number): TimedHeap {
    return { bytesPerOp: this.heapMeter.allocatedBytes() / iterations, gcs: this.heapMeter.gcs() }
  }

  /**
   * recordLeaf adds b's outcome at `iterations` and `durationNs` to `into`, after the memory passes
   * when -benchmem or reportAllocs asks for them; `timed` is the reported run's heap figures when
   * it was metered. `memory` says where the passes run: as the job says, here always (a memory
   * job), or elsewhere (a pair job: the outcome then only says the leaf wants them).
   */
  async recordLeaf(
    b: BenchB,
    iterations: number,
    durationNs: number,
    timed: TimedHeap | undefined,
    into: LeafOutcome[],
    memory: 'as-job' | 'here' | 'elsewhere' = 'as-job',
  ): Promise<void> {
    const extra = new Map(b.extra)
    const log = trimLog(b.logLines)
    const wantsMemory = this.job.benchmem || b.showAllocs || memory === 'here'
    const elsewhere = wantsMemory && memory === 'elsewhere' ? { memoryElsewhere: true as const } : {}
    let figures: MemoryFigures | undefined
    if (wantsMemory && memory !== 'elsewhere') {
      b.logging = false
      figures = await runMemoryPasses(b, this.heapMeter, iterations, durationNs, timed, this.warn)
      if (b.failure !== undefined) {
        into.push(this.finishedOutcome(b))
        return
      }
    }
    const metrics = buildMetrics({ iterations, durationNs, bytesPerOp: b.bytesPerOp, extra, memory: figures })
    if (this.job.profile === undefined) {
      into.push({ status: 'ok', name: b.name, iterations, metrics, log, ...elsewhere })
      return
    }
    b.logging = false
    const profiles = await runProfilePass(b, this.job.profile, iterations)
    if (b.failure !== undefined) into.push(this.finishedOutcome(b))
    else into.push({ status: 'ok', name: b.name, iterations, metrics, log, profiles })
  }

  /** finishedOutcome is the outcome of a failed or skipped B. */
  finishedOutcome(b: BenchB): LeafOutcome {
    const name = procsName(b.name, this.job.procs)
    const log = trimLog(b.logLines)
    if (b.failure !== undefined) return { status: 'failed', name, failure: b.failure, log }
    return { status: 'skipped', name, reason: b.skipReason ?? '', log }
  }
}

/** trimLog keeps the first lines of benchmark output, as Go's trimOutput. */
function trimLog(lines: readonly string[]): string[] {
  return lines.length <= MAX_LOG_LINES ? [...lines] : [...lines.slice(0, MAX_LOG_LINES), LOG_TRUNCATED]
}
