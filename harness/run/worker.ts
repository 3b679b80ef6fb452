// The worker process: bundled together with one benchmark file (bundle.ts), it runs one
// top-level benchmark function per process, as the parent's job says, and sends one report.
// This file dispatches the job: discovery probes (Go's run1 with N=1), descending by b.run to a
// measure job's leaf, and pair jobs (pair.ts). Measuring a leaf, Go's ladder then the memory
// passes, is measure-leaf.ts.
import type { BenchmarkFunction } from '../api.ts'
import { BenchB, type RunSettings } from './b.ts'
import { BenchMatcher } from './match.ts'
import { LeafMeasurer } from './measure-leaf.ts'
import { NameRegistry, procsName } from './names.ts'
import { type PairWorker, runPair, type Side, SideEnvironment } from './pair.ts'
import { WORKER_JOB_ENV, type LeafOutcome, type ProbedNode, type WorkerJob, type WorkerReport } from './worker-protocol.ts'

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

/** Worker runs one job; pair mode reaches it through PairWorker. */
class Worker implements PairWorker {
  private readonly registry = new NameRegistry()
  readonly baseOutcomes: LeafOutcome[] = []
  readonly environment = new SideEnvironment()
  readonly leaves: LeafMeasurer
  private matcherInstance: BenchMatcher | undefined
  private readonly probed: ProbedNode[] = []
  private readonly outcomes: LeafOutcome[] = []
  private readonly warnings: string[] = []
  private readonly settings: RunSettings
  /** The B running when an error escaped the benchmark's own promise chain. */
  private current: BenchB | undefined

  constructor(private readonly job: WorkerJob) {
    this.settings = {
      procs: job.procs,
      uniqueName: (parent, sub) => this.registry.unique(parent, sub),
      // Measure and pair jobs descend to their target with a side's own settings (reachLeaf).
      onSub: (_parent, fullName, fn) => this.discoverSub(fullName, fn),
      warn: (message) => this.warn(message),
    }
    this.leaves = new LeafMeasurer(
      job,
      (message) => this.warn(message),
      (b) => this.running(b),
    )
    // A rejection nobody awaited (an un-awaited runParallel, a stray timer) fails the running benchmark.
    process.on('unhandledRejection', (reason) => this.current?.recordThrow(reason))
  }

  private get matcher(): BenchMatcher {
    this.matcherInstance ??= new BenchMatcher(this.job.pattern)
    return this.matcherInstance
  }

  /** warn adds a warning to the report, once: later samples of a leaf often repeat it. */
  private warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message)
  }

  /**
   * finish runs b's cleanups once b will not run again in this process; when one throws and b's
   * outcome in `into` was a sample, that outcome becomes the failure.
   */
  private async finish(b: BenchB, into: LeafOutcome[]): Promise<void> {
    const failure = await b.runCleanups()
    if (failure === undefined) return
    const name = procsName(b.name, this.job.procs)
    const index = into.findIndex((o) => o.name === name)
    const log = index === -1 ? [] : (into[index] as LeafOutcome).log
    if (index === -1) into.push({ status: 'failed', name, failure, log })
    else if ((into[index] as LeafOutcome).status === 'ok') into[index] = { status: 'failed', name, failure, log }
  }

  /** running notes the B about to run, which an escaped rejection fails. */
  running(b: BenchB): void {
    this.current = b
  }

  async run(module: Readonly<Record<string, unknown>>): Promise<WorkerReport> {
    if (typeof (globalThis as { gc?: unknown }).gc !== 'function') throw new Error('the worker needs node --expose-gc')
    const fn = module[this.job.topLevel]
    if (typeof fn !== 'function') {
      this.outcomes.push({ status: 'failed', name: this.job.topLevel, failure: { message: `export ${this.job.topLevel} is not a function` }, log: [] })
      return this.report()
    }
    const top = this.job.topLevel
    if (this.job.mode === 'pair') {
      if (this.job.pair === undefined || this.job.target === undefined) throw new Error('a pair job needs its target and base side')
      await runPair(this, module, this.job.pair)
    } else if (this.job.mode === 'discover') {
      this.probed.push({ name: top, kind: 'leaf' })
      const b = await this.probe(top, fn as BenchmarkFunction)
      const kind = b.hasSub ? 'parent' : this.job.topPartial ? 'partial' : 'leaf'
      this.probed[0] = { name: top, kind }
      if (b.finished) this.outcomes.push(this.leaves.finishedOutcome(b))
      else if (kind === 'leaf' && this.job.probeOnly !== true) await this.leaves.measure(b, this.outcomes)
      await this.finish(b, this.outcomes)
      return this.report()
    } else if (this.job.mode === 'memory') {
      const iterations = new Map((this.job.memoryTargets ?? []).map((t) => [t.name, t.iterations]))
      // A target that was not reached has no outcome here; the parent reads that as the side's failure.
      await this.reachLeaf(this.ownSide(module), (b) => this.leaves.measureMemory(b, iterations.get(b.name) ?? 1, this.outcomes))
      return this.report()
    } else await this.reachLeaf(this.ownSide(module), (b) => this.leaves.measure(b, this.outcomes))
    this.failIfNotFound()
    return this.report()
  }

  /** ownSide is this bundle's side: the process's environment, the report's outcomes. */
  ownSide(module: Readonly<Record<string, unknown>>): Side {
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
    this.outcomes.push(this.leaves.finishedOutcome(b))
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
    if (this.job.benchmem) b.meter = this.leaves.heapMeter // the probe of a leaf is its first run, as Go's run1
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
    // A leaf found here is measured in a worker of its own: this was its last run in this one.
    await b.runCleanups()
    if (b.finished) this.outcomes.push(this.leaves.finishedOutcome(b))
    return b.failure === undefined
  }

  /**
   * reachLeaf probes the side's top-level function and descends by b.run to the job's target (a
   * memory job's targets, one after another), then calls onLeaf with the target's B while its
   * parents wait in b.run. It returns whether a target was reached; a failure or skip on the way
   * is the side's outcome.
   */
  async reachLeaf(side: Side, onLeaf: (b: BenchB) => Promise<void>): Promise<boolean> {
    const top = this.job.topLevel
    const targets = this.job.mode === 'memory' ? (this.job.memoryTargets ?? []).map((t) => t.name) : [this.job.target as string]
    const isTarget = (name: string): boolean => targets.includes(name)
    const onPath = (name: string): boolean => targets.some((target) => target === name || target.startsWith(`${name}/`))
    const fn = side.module[top]
    if (typeof fn !== 'function') return false
    let reached = false
    const arrive = async (b: BenchB, atTarget: boolean): Promise<void> => {
      if (b.finished) {
        // A memory job keeps each failure under its own name; the parent matches them to its targets.
        if (this.job.mode === 'memory') side.outcomes.push(this.leaves.finishedOutcome(b))
        else if (side.outcomes.length === 0) side.outcomes.push({ ...this.leaves.finishedOutcome(b), name: this.targetName() })
      } else if (atTarget) {
        if (b.hasSub)
          side.outcomes.push({
            status: 'failed',
            name: procsName(b.name, this.job.procs),
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
        if (!onPath(fullName)) return true
        this.environment.enter(side)
        const b = await this.probe(fullName, subFn, settings)
        await arrive(b, isTarget(fullName))
        await this.finish(b, side.outcomes)
        return b.failure === undefined
      },
      warn: (message) => this.warn(message),
    }
    this.environment.enter(side)
    const topB = await this.probe(top, fn as BenchmarkFunction, settings)
    await arrive(topB, isTarget(top))
    await this.finish(topB, side.outcomes)
    return reached
  }
}
