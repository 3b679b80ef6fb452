// Pair mode: one worker measures the same leaf of two bundles (base and head), taking turns run
// by run, so both sides see the same moments of the machine (benchmarks/experiment/README.md).
import { pathToFileURL } from 'node:url'
import { median } from '../../common/median.ts'
import type { BenchB } from './b.ts'
import { climbLadder } from './calibrate.ts'
import type { LeafMeasurer } from './measure-leaf.ts'
import { NameRegistry } from './names.ts'
import type { LeafOutcome, PairJob } from './worker-protocol.ts'

// Pair mode's longest turn. At -benchtime=1s (1.2 s turns) a paired ab run left a 5% slowdown
// inconclusive at 20 rounds, +5.0% [+2.6%, +10.2%]: the host's contention spells last seconds, so
// turns that long no longer see the same spell. At 100 ms turns it was flagged in 8 rounds.
const PAIR_TURN_NS = 100e6

/** Side is one bundle of a worker: its module, the environment it runs in, where its outcomes go. */
export interface Side {
  readonly module: Readonly<Record<string, unknown>>
  readonly env: Readonly<Record<string, string>>
  readonly outcomes: LeafOutcome[]
  readonly registry: NameRegistry
}

/** SideEnvironment switches process.env between the sides of a pair job; for one side it does nothing. */
export class SideEnvironment {
  /** Environment values before a pair job changed them, restored when the head side runs. */
  private readonly before = new Map<string, string | undefined>()

  /** remember notes the process's values of the keys the base side sets. */
  remember(keys: readonly string[]): void {
    for (const key of keys) this.before.set(key, process.env[key])
  }

  /** enter sets the side's environment variables, or restores the values the base side changed. */
  enter(side: Side): void {
    for (const [key, before] of this.before) {
      const value = side.env[key] ?? before
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

/** PairWorker is what pair mode uses of the worker: descending to the leaf, measuring, the outcomes. */
export interface PairWorker {
  readonly leaves: LeafMeasurer
  readonly environment: SideEnvironment
  readonly baseOutcomes: LeafOutcome[]
  /** ownSide is the head: this bundle, the process's environment, the report's outcomes. */
  ownSide(module: Readonly<Record<string, unknown>>): Side
  /** reachLeaf descends the side to the job's target and calls onLeaf with its B; it returns whether it got there. */
  reachLeaf(side: Side, onLeaf: (b: BenchB) => Promise<void>): Promise<boolean>
  /** running notes the B about to run. */
  running(b: BenchB): void
}

/**
 * runPair measures the job's leaf of the head (this bundle) and of the base bundle in one
 * process. When the base lacks the leaf (a new benchmark) the head is measured alone and the base
 * has no outcome; when the head lacks it, the base is measured alone.
 */
export async function runPair(worker: PairWorker, headModule: Readonly<Record<string, unknown>>, pair: PairJob): Promise<void> {
  // The query makes a second module instance even when both sides are one bundle (A/A), so the
  // sides never share functions, feedback or optimised code.
  const baseModule = (await import(`${pathToFileURL(pair.baseBundle).href}?side=base`)) as Record<string, unknown>
  const base: Side = { module: baseModule, env: pair.baseEnv, outcomes: worker.baseOutcomes, registry: new NameRegistry() }
  // The head keeps the process's environment; entering it restores what the base side changed.
  const head = worker.ownSide(headModule)
  worker.environment.remember(Object.keys(pair.baseEnv))
  const baseReached = await worker.reachLeaf(base, async (baseB) => {
    const headReached = await worker.reachLeaf(head, (headB) => measurePair(worker, pair, [base, baseB], [head, headB]))
    if (!headReached) await measureSide(worker, base, baseB)
  })
  if (!baseReached) await worker.reachLeaf(head, (headB) => measureSide(worker, head, headB))
}

/** measureSide measures one side alone, as a measure job would. */
async function measureSide(worker: PairWorker, side: Side, b: BenchB): Promise<void> {
  worker.environment.enter(side)
  await worker.leaves.measure(b, side.outcomes)
}

/**
 * measurePair runs the calibration ladder on both sides in turns (N predicted from the base),
 * then `runs` timed runs a side at the final N (each split into turns of at most 100 ms), the
 * order alternating every turn (base head, head base, …). Each side's sample is the median of
 * its turns, reported at the calibrated N. Both sides see the same moments of the machine: on a
 * host whose cache contention comes and goes in spells of seconds, the ratio of the two is
 * steady while either side alone is not (benchmarks/experiment/README.md).
 */
async function measurePair(worker: PairWorker, pair: PairJob, [baseSide, baseB]: [Side, BenchB], [headSide, headB]: [Side, BenchB]): Promise<void> {
  const leaves = worker.leaves
  const goalNs = leaves.goalNs
  const sides = [
    { side: baseSide, b: baseB, nsPerOp: [] as number[] },
    { side: headSide, b: headB, nsPerOp: [] as number[] },
  ]
  for (const { b } of sides) leaves.prepare(b)
  let turn = 0
  const runTurn = async (n: number): Promise<boolean> => {
    const baseFirst = (turn++ % 2 === 0) === pair.baseFirst
    for (const s of baseFirst ? sides : [...sides].reverse()) {
      worker.environment.enter(s.side)
      worker.running(s.b)
      s.b.loopFixedIterations = n
      await s.b.runN(n)
      if (s.b.finished) return false
    }
    return true
  }
  const benchTime = leaves.benchTime
  let n = benchTime.kind === 'count' ? benchTime.iterations : 1
  let ok = true
  if (benchTime.kind === 'count') ok = await runTurn(n)
  else {
    // The ladder predicts from the base side's runs, so both sides run the same N.
    const last = await climbLadder(goalNs, { n: 1, ns: baseB.timedNs }, async (next) => ((await runTurn(next)) ? { n: next, ns: baseB.timedNs } : undefined))
    ok = last !== undefined
    if (last !== undefined) n = last.n
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
  // When the probes alone reach the goal (one op lasts longer than -benchtime) no turn has run:
  // the probes are not a pair (the base's always runs first, the colder of the two:
  // ParseJobs/jobs=200/parser=stream-json read the base 8-11 % slower against itself), so every
  // recorded run is then a turn of its own.
  const lastTurnIsPair = turn > 0
  if (ok && split === 1 && lastTurnIsPair) record()
  for (let run = split === 1 && lastTurnIsPair ? 1 : 0; ok && run < pair.runs * split; run++) {
    ok = await runTurn(turnN)
    if (ok) record()
  }
  if (!ok) {
    // One side failed or was skipped: that is its outcome; the other is measured alone.
    for (const s of sides) {
      if (s.b.finished) s.side.outcomes.push(leaves.finishedOutcome(s.b))
      else await measureSide(worker, s.side, s.b)
    }
    return
  }
  // The memory passes run in a worker of each side's own (schedule.ts), not here: a side's passes
  // see what the other side left behind. In an A/A pair of one bundle,
  // BenchmarkBacktracking/engine=RegExp/n=20 read 3 B/op on whichever side's passes went first and
  // ~1,200 on the other, which the gate called a regression. Memory figures do not move with the
  // machine's noise, so they need no pairing.
  for (const s of sides) await leaves.recordLeaf(s.b, n, median(s.nsPerOp) * n, undefined, s.side.outcomes, 'elsewhere')
}
