// The API a benchmark author sees: `import { type B, sink } from 'slurmbench'`.
// It mirrors Go's testing.B (src/testing/benchmark.go); the machinery behind it lives in harness/run.

/** A benchmark function: `export function BenchmarkX(b: B)`. Async bodies are awaited. */
export type BenchmarkFunction = (b: B) => void | Promise<void>

/**
 * B is handed to every benchmark function, as Go's *testing.B.
 * The function runs its measured work `b.N` times; the harness calls it with growing N
 * until one run lasts `-benchtime`, and reports only that last run.
 */
export interface B {
  /** N is the number of iterations the body must run in this call. */
  readonly N: number
  /** Name is the full benchmark name, sub-benchmark parts included (`BenchmarkX/size=10`). */
  readonly name: string
  /** ResetTimer zeroes the elapsed time, memory counters and reported metrics; it does not stop the timer. */
  resetTimer(): void
  /** StopTimer pauses timing and memory accounting (for setup or cleanup inside the loop). */
  stopTimer(): void
  /** StartTimer resumes timing; it is called automatically before the function runs. */
  startTimer(): void
  /** ReportAllocs turns on B/op and allocs/op for this benchmark, as `-benchmem` does for all. */
  reportAllocs(): void
  /**
   * ReportMetric adds `value unit` to the result. Divide by b.N yourself for per-op figures; by
   * convention such units end in `/op`. It overrides a built-in metric of the same unit, and a
   * value of 0 for `ns/op` suppresses ns/op. The unit must be non-empty and contain no whitespace.
   */
  reportMetric(value: number, unit: string): void
  /** SetBytes records the bytes processed in one op; the result then shows MB/s (decimal MB). */
  setBytes(bytes: number): void
  /**
   * Run runs `fn` as a sub-benchmark named `parent/name`. A benchmark that calls run is not
   * measured itself. Resolves to false when the sub-benchmark failed (true when -bench filtered
   * it out, as Go). Calls that are not awaited still run, one after another, in call order.
   */
  run(name: string, fn: BenchmarkFunction): Promise<boolean>
  /**
   * RunParallel runs `body` in `parallelism × -cpu` concurrent async bodies that share the b.N
   * iterations through `pb.next()`. ns/op is the wall time of the whole, divided by N.
   *
   * The bodies are concurrent on ONE JavaScript thread, not parallel on CPUs as Go's goroutines
   * are: they overlap only while they await (I/O, timers), so runParallel measures code under
   * concurrent I/O load, never multi-core CPU scaling. A synchronous body runs all its
   * iterations before the next body starts; with -cpu above 1 the run warns about it once.
   */
  runParallel(body: (pb: PB) => void | Promise<void>): Promise<void>
  /** SetParallelism sets how many bodies runParallel starts per `-cpu` unit (default 1). */
  setParallelism(parallelism: number): void
  /**
   * Loop reports whether another iteration should run, Go 1.24 `b.Loop` style:
   * `while (b.loop()) { work() }`. The function is called once per sample, so setup before the
   * loop runs once; the timer starts at the first call and stops when loop returns false.
   */
  loop(): boolean
  /**
   * Skip marks the benchmark skipped with a reason and ends it by throwing a private signal.
   * A try/catch of your own around the call catches that signal: the benchmark is marked
   * skipped before the throw, so it still ends skipped (the outcome says the signal was caught),
   * but your code runs on until the function returns. Rethrow what you did not throw.
   */
  skip(reason: string): never
  /** Fatal marks the benchmark failed with a message and ends it; a try/catch of your own catches its signal as skip's. */
  fatal(message: string): never
  /** Log records a line that is printed under `--- BENCH:` with the result. */
  log(...args: unknown[]): void
  /** ElapsedNs returns the timed duration so far, in nanoseconds (Go's B.Elapsed). */
  elapsedNs(): number
  /**
   * Cleanup registers `fn` to run after this benchmark's last run in the worker process (the
   * timed runs and the memory passes), last registered first, each awaited; a throw fails the
   * benchmark. The function is called once per run, so start a shared resource (a server) on
   * the first call and register its cleanup then (see benchmarks/network/mock-ping.bench.ts);
   * for what one run opens and closes, use try/finally. Go's B.Cleanup runs after every run.
   */
  cleanup(fn: () => void | Promise<void>): void
}

/** PB is the iterator handed to each body of runParallel, as Go's *testing.PB. */
export interface PB {
  /** Next reports whether there are more iterations to execute, and claims one. */
  next(): boolean
}

// One slot, as mitata's do_not_optimize: a store V8 must keep, so the value's computation stays.
// A ring of 64 slots was tried and kept large results alive long enough to be promoted, which put
// their old-generation GC cost into the benchmark (fast-json-stringify of 100 nodes: 0.96 ms/op
// with 1 slot, 7.75 ms/op with 64).
// The slot is one object for the whole process, not a module variable: a pair worker loads a
// second copy of this module (the base side's bundle), and the harness empties the slot before
// every run. With a slot per copy only the head's was emptied, so the base ran each time with its
// last result still alive (a bigger live heap, hence later old-generation GCs), and an A/A pair of
// one bundle measured BenchmarkLabelRules/jobs=5000/engine=regexp +31% slower on the head.
const SINK_KEY = Symbol.for('slurmbench.sink')
const sinkSlot: { value: unknown } = ((globalThis as Record<symbol, { value: unknown } | undefined>)[SINK_KEY] ??= { value: undefined })

/**
 * Sink keeps `value` observable so that V8 cannot eliminate the computation that produced it.
 * Use it on the result of the measured work: `sink(JSON.parse(body))`. It holds only the latest
 * value, so results do not pile up in the heap.
 */
export function sink(value: unknown): void {
  sinkSlot.value = value
}

/**
 * Full reports whether the run was started with `-full` (`npm run bench:full`). Benchmarks use it
 * to add their largest sizes, as Go tests use testing.Short to leave theirs out.
 */
export function full(): boolean {
  return process.env.SLURMBENCH_FULL === '1'
}
