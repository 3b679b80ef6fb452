// What the parent sends a worker (in the SLURMBENCH_WORKER_JOB environment variable) and what the
// worker sends back (one IPC message). One worker runs one top-level benchmark function; in pair
// mode it also runs the same benchmark of a second bundle (the base side), alternating with it.
import type { BenchTime } from './calibrate.ts'
import type { BenchFailure } from './b.ts'
import type { CapturedProfiles, ProfileRequest } from './measure/profile-meter.ts'

/** WORKER_JOB_ENV names the environment variable that carries the job; without it the bundle does nothing. */
export const WORKER_JOB_ENV = 'SLURMBENCH_WORKER_JOB'

/** WorkerJob tells a worker which benchmark to run and how. */
export interface WorkerJob {
  /** The exported top-level benchmark function. */
  readonly topLevel: string
  /**
   * discover: probe topLevel with N=1, list its sub-benchmarks that match `pattern`, and measure
   * topLevel itself if it turns out to be a matching leaf. measure: measure the leaf `target`.
   * pair: measure the leaf `target` of this bundle (head) and of `pair.baseBundle` (base) in turns.
   * memory: the memory figures of each of `memoryTargets`, for a pair job's side (schedule.ts).
   */
  readonly mode: 'discover' | 'measure' | 'pair' | 'memory'
  /** Full name of the leaf to measure (measure mode), without the -P suffix. */
  readonly target?: string
  readonly pattern: string
  /**
   * Whether topLevel matched -bench only partly (the parent has matched it already), so that the
   * worker of a top-level leaf does not load re2 to match it again.
   */
  readonly topPartial: boolean
  /** Discover mode: only probe; a top-level leaf is not measured here (pair mode measures it in pair jobs). */
  readonly probeOnly?: true
  readonly benchTime: BenchTime
  readonly procs: number
  readonly benchmem: boolean
  /** bench -cpuprofile/-memprofile: profile a pass after the reported run (profile-pass.ts). */
  readonly profile?: ProfileRequest
  /** Pair mode's base side. */
  readonly pair?: PairJob
  /** Memory mode: the leaves to measure, each at the N its pair job ran. */
  readonly memoryTargets?: readonly MemoryTarget[]
}

/** MemoryTarget is a leaf whose memory figures a memory job measures, and the N its timed runs used. */
export interface MemoryTarget {
  /** Full name without the -P suffix. */
  readonly name: string
  readonly iterations: number
}

/** PairJob is the base side of a paired measurement and how the two sides take turns. */
export interface PairJob {
  /** The base side's bundle; the head's own bundle again for an A/A pair (loaded as a second instance). */
  readonly baseBundle: string
  /** Environment variables set while the base side's code runs (the experiment's SLURMBENCH_SLOWDOWN); the head keeps the process's. */
  readonly baseEnv: Readonly<Record<string, string>>
  /** Timed runs a side at the calibrated N, the last calibration run included. */
  readonly runs: number
  /** Whether base runs first in the first turn; the order alternates from turn to turn. */
  readonly baseFirst: boolean
}

/** ProbedNode is a (sub-)benchmark the discovery probe ran, in the order it was probed. */
export interface ProbedNode {
  readonly name: string
  /** parent: it calls b.run; leaf: measure it; partial: a leaf that only partly matches -bench (not measured). */
  readonly kind: 'parent' | 'leaf' | 'partial'
}

/** LeafOutcome is the end of one leaf in one worker: a sample, a skip or a failure. */
export type LeafOutcome =
  | {
      readonly status: 'ok'
      readonly name: string
      readonly iterations: number
      readonly metrics: Readonly<Record<string, number>>
      readonly log: readonly string[]
      /** The profiled pass's raw V8 profiles, when the job asked for them. */
      readonly profiles?: CapturedProfiles
      /**
       * Pair mode: the leaf wants memory figures (-benchmem or reportAllocs), which the pair worker
       * does not measure; the parent runs a memory job of each side's own for them (schedule.ts).
       */
      readonly memoryElsewhere?: true
    }
  | { readonly status: 'skipped'; readonly name: string; readonly reason: string; readonly log: readonly string[] }
  | { readonly status: 'failed'; readonly name: string; readonly failure: BenchFailure; readonly log: readonly string[] }

/** WorkerReport is the single message a worker sends before it exits. */
export interface WorkerReport {
  readonly type: 'slurmbench.report'
  /** Discover mode: every node probed, in order (the top-level first). */
  readonly probed: readonly ProbedNode[]
  /** Outcomes in the order they happened: failed or skipped sub-benchmarks, and the measured leaf. */
  readonly outcomes: readonly LeafOutcome[]
  /** Pair mode: the base side's outcomes (`outcomes` are the head's). */
  readonly baseOutcomes?: readonly LeafOutcome[]
  /** Warnings about the measurement (no GC-free batch for ext-B/op, …). */
  readonly warnings: readonly string[]
}
