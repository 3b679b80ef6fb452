// The B that benchmark functions receive, as Go's *testing.B (src/testing/benchmark.go): timer
// control, metrics, sub-benchmarks, RunParallel and Loop. One leaf is measured per process; the
// worker (worker.ts) drives calibration and the memory passes around it.
import { format } from 'node:util'
import { sink, type B, type BenchmarkFunction, type PB } from '../api.ts'
import { nextN } from './calibrate.ts'
import type { WindowMeter } from './measure/window-meter.ts'
import { rewriteName } from './names.ts'
import { sourceMapFrame } from './source-map.ts'

/** SkipSignal is thrown by b.skip to end the benchmark function; the harness catches it. */
export class SkipSignal {
  constructor(readonly reason: string) {}
}

/** FatalSignal is thrown by b.fatal and by misuse of the API (Go panics or calls Fatal there). */
export class FatalSignal {
  constructor(readonly message: string) {}
}

/** BenchFailure is why a benchmark failed: the message and, for a throw, the source-mapped stack. */
export interface BenchFailure {
  readonly message: string
  readonly stack?: string
}

/** SubBenchmarkHandler decides what b.run does with a sub-benchmark: probe it, measure it or skip it. */
export type SubBenchmarkHandler = (parent: BenchB, fullName: string, fn: BenchmarkFunction) => Promise<boolean>

/** RunSettings are the process-wide settings every B of a worker shares. */
export interface RunSettings {
  /** The -cpu value: runParallel starts parallelism × procs bodies. */
  readonly procs: number
  /** Gives each sub-benchmark its unique Go-style name. */
  readonly uniqueName: (parent: string, subName: string) => string
  readonly onSub: SubBenchmarkHandler
  /** Receives warnings about how the benchmark uses the API (a synchronous runParallel body with -cpu above 1). */
  readonly warn?: (message: string) => void
}

/** MAX_LOG_LINES is how many lines of b.log output are kept, as Go's trimOutput. */
export const MAX_LOG_LINES = 10

/** LOG_TRUNCATED is the line Go appends when it trims benchmark output. */
export const LOG_TRUNCATED = '\t... [output truncated]'

// RunParallel grains: ~100 µs of iterations per claim amortises the claim, at most 1e4 (Go's figures).
const PARALLEL_GRAIN_NS = 1e5
const PARALLEL_MAX_GRAIN = 1e4

/** A meter that counts nothing, for probes whose figures are thrown away. */
const NO_METER: WindowMeter = { begin() {}, end() {}, reset() {} }

declare const gc: (() => void) | undefined
// A module-level slot keeps the settling allocation below from being optimised away.
// biome-ignore lint/correctness/noUnusedVariables: written, never read, on purpose: the store keeps the allocation
let settledBuffer: ArrayBuffer | undefined

/** BenchB implements B for one benchmark or sub-benchmark. */
export class BenchB implements B {
  N = 0
  name: string
  /** The meter run over the timed windows; the worker swaps it between passes. */
  meter: WindowMeter = NO_METER
  /**
   * Iterations loop() runs without ramping: the `Nx` -benchtime, a memory pass's N, or 1 for a
   * probe; 0 lets loop() ramp to the -benchtime duration as Go's b.Loop.
   */
  loopFixedIterations = 0
  /** The -benchtime duration loop() ramps to, in nanoseconds. */
  loopGoalNs = 1e9
  hasSub = false
  usedLoop = false
  showAllocs = false
  bytesPerOp = 0
  failure: BenchFailure | undefined = undefined
  skipReason: string | undefined = undefined
  readonly extra = new Map<string, number>()
  // Call sites are kept as Errors and formatted only when the log is reported: formatting a
  // source-mapped stack costs ~30 ms the first time, which must not land in a timed run.
  private readonly logEntries: Array<{ readonly site: Error; readonly text: string }> = []
  logging = true
  previousN = 0
  previousDurationNs = 0
  /** How many times runN has called the function. */
  runs = 0
  /** The skip or fatal signal thrown in this run that has not reached runN yet. */
  private unseenSignal: SkipSignal | FatalSignal | undefined = undefined
  private readonly cleanups: Array<() => void | Promise<void>> = []
  private warnedSyncParallel = false

  private timerOn = false
  private startNs = 0n
  private durationNs = 0
  private parallelism = 1
  private loopDone = false
  private children: Promise<unknown> = Promise.resolve()
  /** The B the running call of the function received. */
  private view: RunB | undefined

  constructor(
    name: string,
    private readonly fn: BenchmarkFunction,
    private readonly settings: RunSettings,
  ) {
    this.name = name
  }

  /** finished reports whether the benchmark failed or was skipped. */
  get finished(): boolean {
    return this.failure !== undefined || this.skipReason !== undefined
  }

  /** timedNs is the timed duration of the last runN, in nanoseconds. */
  get timedNs(): number {
    return this.durationNs
  }

  /**
   * runN calls the benchmark function once with b.N = n, after a full GC, with the timer running,
   * as Go's runN. Sub-benchmarks it started are awaited even when the function did not await them.
   */
  async runN(n: number): Promise<void> {
    // A result the sink still holds from the last run would die inside this run's window and
    // count as its allocations; clearing it first lets gc() free it.
    sink(undefined)
    if (typeof gc === 'function') {
      gc() // a comparable heap for every run, as Go's runtime.GC()
      this.meter.settle?.()
      // V8 takes in that GC's ArrayBuffer sweep (a large negative external-memory step) at the next
      // backing-store allocation once its background thread has finished it; doing that here keeps
      // it out of the timed window. A sweep still running lands in the window, which only the
      // external-memory meter cannot bear; its settle() finishes the sweep with a second GC.
      settledBuffer = new ArrayBuffer(8)
    }
    this.runs++
    this.N = n
    this.loopDone = false
    this.usedLoop = false
    this.parallelism = 1
    this.resetTimer()
    this.startTimer()
    try {
      const fn = this.fn // a plain call, so stacks say `at BenchmarkX`, not `at BenchB.BenchmarkX`
      this.view = new RunB(this, n)
      const returned = fn(this.view)
      if (returned !== undefined && typeof (returned as Promise<void>).then === 'function') await returned
    } catch (err) {
      if (err === this.unseenSignal) this.unseenSignal = undefined
      this.recordThrow(err)
    }
    this.stopTimer()
    await this.children
    if (this.unseenSignal !== undefined) {
      this.noteSwallowed(this.unseenSignal)
      this.unseenSignal = undefined
    }
    if (this.usedLoop && !this.loopDone && !this.finished) {
      this.failure = { message: 'benchmark function returned without B.loop() == false (break or return in loop?)' }
    }
    this.previousN = this.N
    this.previousDurationNs = this.durationNs
  }

  /**
   * raise ends the benchmark with a skip or failure signal. The outcome is recorded before the
   * throw, so a benchmark whose own try/catch swallows the signal still ends skipped or failed;
   * runN notes the swallowing (swallowedNote).
   */
  private raise(signal: SkipSignal | FatalSignal): never {
    this.recordThrow(signal)
    this.unseenSignal = signal
    throw signal
  }

  /** cleanup registers fn to run after this benchmark's last run in the process (runCleanups). */
  cleanup(fn: () => void | Promise<void>): void {
    this.cleanups.push(fn)
  }

  /**
   * runCleanups runs the functions b.cleanup registered, last registered first, each awaited,
   * all of them even when one throws; the first throw fails the benchmark unless it had already
   * ended. It returns that throw's failure, or undefined.
   */
  async runCleanups(): Promise<BenchFailure | undefined> {
    let failure: BenchFailure | undefined
    for (let fn = this.cleanups.pop(); fn !== undefined; fn = this.cleanups.pop()) {
      try {
        await fn()
      } catch (err) {
        if (failure !== undefined) continue
        const thrown = failureOf(err)
        failure = { ...thrown, message: `cleanup: ${thrown.message}` }
      }
    }
    if (failure !== undefined && !this.finished) this.failure = failure
    return failure
  }

  /** recordThrow turns what the benchmark threw into a skip or a failure. */
  recordThrow(err: unknown): void {
    if (this.finished) return
    if (err instanceof SkipSignal) this.skipReason = err.reason
    else this.failure = failureOf(err)
  }

  // noteSwallowed says, in the outcome, that the benchmark's own try/catch caught b.skip's or
  // b.fatal's signal: the function went on running, but the benchmark ends as the signal said.
  private noteSwallowed(signal: SkipSignal | FatalSignal): void {
    const what = signal instanceof SkipSignal ? 'b.skip' : 'b.fatal'
    const note = `(the benchmark's own try/catch caught ${what}'s signal and carried on; it ends ${signal instanceof SkipSignal ? 'skipped' : 'failed'} all the same: rethrow what you did not throw)`
    if (this.failure !== undefined && signal instanceof FatalSignal && this.failure.message === signal.message) {
      this.failure = { ...this.failure, message: `${this.failure.message}\n${note}` }
    } else if (this.skipReason !== undefined && signal instanceof SkipSignal) {
      this.skipReason = this.skipReason === '' ? note : `${this.skipReason}\n${note}`
    }
  }

  startTimer(): void {
    if (!this.timerOn) {
      this.meter.begin()
      this.startNs = process.hrtime.bigint()
      this.timerOn = true
    }
  }

  stopTimer(): void {
    if (this.timerOn) {
      this.durationNs += Number(process.hrtime.bigint() - this.startNs)
      this.meter.end()
      this.timerOn = false
    }
  }

  resetTimer(): void {
    if (this.timerOn) {
      this.meter.end()
      this.meter.reset()
      this.meter.begin()
      this.startNs = process.hrtime.bigint()
    } else {
      this.meter.reset()
    }
    this.durationNs = 0
    this.extra.clear()
  }

  elapsedNs(): number {
    return this.timerOn ? this.durationNs + Number(process.hrtime.bigint() - this.startNs) : this.durationNs
  }

  reportAllocs(): void {
    this.showAllocs = true
  }

  reportMetric(value: number, unit: string): void {
    if (unit === '') this.raise(new FatalSignal('reportMetric: metric unit must not be empty'))
    if (/\s/u.test(unit)) this.raise(new FatalSignal(`reportMetric: metric unit "${unit}" must not contain whitespace`))
    if (!Number.isFinite(value)) this.raise(new FatalSignal(`reportMetric: value ${value} for "${unit}" is not a finite number`))
    this.extra.set(unit, value)
  }

  setBytes(bytes: number): void {
    this.bytesPerOp = bytes
  }

  run(name: string, fn: BenchmarkFunction): Promise<boolean> {
    this.hasSub = true
    // The name is taken at call time so that un-awaited calls keep their order; the bodies run
    // one after another, never concurrently, as Go runs sub-benchmarks.
    const fullName = this.settings.uniqueName(this.name, rewriteName(name))
    const result = this.children.then(() => {
      // A parent is not measured: its timer and meter stop so the sub-benchmark owns the meters.
      this.stopTimer()
      this.meter = NO_METER
      return this.settings.onSub(this, fullName, fn)
    })
    this.children = result.catch(() => undefined)
    return result
  }

  setParallelism(parallelism: number): void {
    if (parallelism >= 1) this.parallelism = Math.trunc(parallelism)
  }

  async runParallel(body: (pb: PB) => void | Promise<void>): Promise<void> {
    if (this.N === 0) return // nothing to do inside a loop()-style probe
    let grain = 1
    if (this.previousN > 0 && this.previousDurationNs > 0) grain = Math.floor((PARALLEL_GRAIN_NS * this.previousN) / this.previousDurationNs)
    grain = Math.min(PARALLEL_MAX_GRAIN, Math.max(1, grain))
    const counter = { claimed: 0 }
    const bodies: Promise<void>[] = []
    const count = this.parallelism * this.settings.procs
    let synchronous = false
    for (let i = 0; i < count; i++)
      bodies.push(
        Promise.resolve().then(() => {
          const returned = body(new ParallelIterator(counter, grain, this.N))
          if (returned === undefined || typeof (returned as Promise<void>).then !== 'function') synchronous = true
          return returned
        }),
      )
    await Promise.all(bodies)
    if (synchronous && this.settings.procs > 1 && !this.warnedSyncParallel) {
      // One JavaScript thread: a body that never awaits runs all its iterations before the next
      // body starts, so -cpu adds nothing but names (docs/measurement.md, runParallel).
      this.warnedSyncParallel = true
      this.settings.warn?.(
        `${baseName(this.name, this.settings.procs)}: runParallel's body is synchronous, so with -cpu above 1 its bodies ran one after another on one thread, not in parallel on CPUs; runParallel is concurrent on one thread (for I/O): make the body await its I/O, or drop -cpu`,
      )
    }
    if (counter.claimed <= this.N) this.raise(new FatalSignal('runParallel: body exited without pb.next() == false'))
  }

  loop(): boolean {
    if (this.view === undefined) this.raise(new FatalSignal('B.loop called outside a run of the benchmark'))
    return this.view.loop()
  }

  /** loopStep is B.loop's slow path: the first call, and each time the view's fixed count runs out. */
  loopStep(view: RunB): boolean {
    if (!this.timerOn) this.raise(new FatalSignal('B.loop called with timer stopped'))
    if (view.loopN === 0) {
      // First call: setup before the loop is not timed; b.N is 0 inside the loop, as Go.
      this.usedLoop = true
      view.loopN = this.loopFixedIterations > 0 ? this.loopFixedIterations : 1
      this.N = 0
      view.N = 0
      this.resetTimer()
      view.loopI++
      return true
    }
    let more = false
    if (this.loopFixedIterations === 0) {
      // The ladder inside one call: N and the elapsed time are cumulative, as Go's b.Loop.
      const next = nextN(this.loopGoalNs, view.loopN, this.elapsedNs())
      if (next !== undefined) {
        view.loopN = next
        more = true
      }
    }
    if (!more) {
      this.stopTimer()
      this.N = view.loopN // reported N and time are cumulative over the ramp, as Go 1.24
      view.N = this.N
      this.loopDone = true
      return false
    }
    view.loopI++
    return true
  }

  skip(reason: string): never {
    return this.raise(new SkipSignal(reason))
  }

  fatal(message: string): never {
    return this.raise(new FatalSignal(message))
  }

  log(...args: unknown[]): void {
    this.logFrom(new Error(), args)
  }

  /** logFrom records a b.log line; `site` was made in the log method the benchmark called. */
  logFrom(site: Error, args: unknown[]): void {
    if (this.logging) this.logEntries.push({ site, text: format(...args) })
  }

  /** logLines returns what b.log recorded, each line prefixed with its `file.ts:line` as Go does. */
  get logLines(): string[] {
    const lines: string[] = []
    for (const { site, text } of this.logEntries) {
      const location = callerLocation(site.stack)
      for (const line of text.split('\n')) lines.push(location === undefined ? line : `${location}: ${line}`)
    }
    return lines
  }
}

// failureOf turns a throw other than a skip into a failure: a fatal's message, an Error's name,
// message and source-mapped stack, or anything else formatted.
function failureOf(err: unknown): BenchFailure {
  if (err instanceof FatalSignal) return { message: err.message }
  if (err instanceof Error) return { message: `${err.name}: ${err.message}`, ...(err.stack === undefined ? {} : { stack: userFrames(err.stack) }) }
  return { message: `thrown: ${format(err)}` }
}

// baseName is a benchmark's name without the -P suffix of -cpu=P, so one warning serves every P.
function baseName(name: string, procs: number): string {
  return procs > 1 && name.endsWith(`-${procs}`) ? name.slice(0, -`-${procs}`.length) : name
}

// userFrames drops the harness's own frames (everything from the first one in harness/run): the
// reader wants the benchmark's frames, as Go's panic output ends at the testing package.
function userFrames(stack: string): string {
  const lines = stack.split('\n').map(sourceMapFrame)
  const harness = lines.findIndex((line) => /^\s+at /.test(line) && /(?<![\\/]test)[\\/]harness[\\/]run[\\/]/.test(line))
  return harness === -1 ? stack : lines.slice(0, harness).join('\n')
}

// callerLocation returns `file.ts:line` of b.log's caller from its stack, source-mapped, as Go prefixes logs.
function callerLocation(stack: string | undefined): string | undefined {
  const line = stack?.split('\n')[2]
  const frame = line === undefined ? undefined : sourceMapFrame(line)
  const match = frame === undefined ? null : /([^/\\(\s]+):(\d+):\d+\)?$/.exec(frame)
  return match === null ? undefined : `${match[1]}:${match[2]}`
}

/**
 * RunB is the B that one call of a benchmark function receives: its N is set once, when it is
 * made, and everything else is the BenchB's. V8 keeps a field that is never written again as
 * constant, so TurboFan reads b.N once for the whole of `for (let i = 0; i < b.N; i++)` instead of
 * after every iteration's interrupt check, as it must for BenchB's N, which changes from run to
 * run (the map check of b stays). In one process, per iteration of an empty loop, median of 10
 * runs of 2e8: 1.00 ns with a reassigned field, 0.80 ns with a constant one, 0.69 ns with b.N
 * hoisted by hand. A loop()-style body writes N (0 inside the loop, as Go), which is harmless there.
 */
class RunB implements B {
  declare N: number
  // B.loop's fast path lives here, one field load and store per iteration as in the BenchB before:
  // iterations handed out, and how many may be before the BenchB is asked (loopStep).
  declare loopI: number
  declare loopN: number

  constructor(
    private readonly core: BenchB,
    n: number,
  ) {
    this.N = n
    this.loopI = 0
    this.loopN = 0
  }

  get name(): string {
    return this.core.name
  }

  resetTimer(): void {
    this.core.resetTimer()
  }

  stopTimer(): void {
    this.core.stopTimer()
  }

  startTimer(): void {
    this.core.startTimer()
  }

  reportAllocs(): void {
    this.core.reportAllocs()
  }

  reportMetric(value: number, unit: string): void {
    this.core.reportMetric(value, unit)
  }

  setBytes(bytes: number): void {
    this.core.setBytes(bytes)
  }

  run(name: string, fn: BenchmarkFunction): Promise<boolean> {
    return this.core.run(name, fn)
  }

  runParallel(body: (pb: PB) => void | Promise<void>): Promise<void> {
    return this.core.runParallel(body)
  }

  setParallelism(parallelism: number): void {
    this.core.setParallelism(parallelism)
  }

  loop(): boolean {
    if (this.loopI < this.loopN) {
      this.loopI++
      return true
    }
    return this.core.loopStep(this)
  }

  skip(reason: string): never {
    return this.core.skip(reason)
  }

  fatal(message: string): never {
    return this.core.fatal(message)
  }

  log(...args: unknown[]): void {
    this.core.logFrom(new Error(), args)
  }

  elapsedNs(): number {
    return this.core.elapsedNs()
  }

  cleanup(fn: () => void | Promise<void>): void {
    this.core.cleanup(fn)
  }
}

/** ParallelIterator is the PB of one runParallel body: it claims iterations from the shared counter in grains. */
class ParallelIterator implements PB {
  private cache = 0

  constructor(
    private readonly counter: { claimed: number },
    private readonly grain: number,
    private readonly total: number,
  ) {}

  next(): boolean {
    if (this.cache === 0) {
      const claimed = (this.counter.claimed += this.grain)
      if (claimed <= this.total) this.cache = this.grain
      else if (claimed < this.total + this.grain) this.cache = this.total + this.grain - claimed
      else return false
    }
    this.cache--
    return true
  }
}
