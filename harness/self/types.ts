// The shapes of `slurmbench self`: the tools and workloads it compares, one measurement per
// process, the summary per tool and workload, and the report that -json writes and the
// renderer (harness/report/self-report.ts) prints.
import type { ContentionSummary } from '../stats/contention.ts'

/** SELF_TOOLS are the tools compared, ours first; `go` is Go's testing package, the method's reference. */
export const SELF_TOOLS = ['slurmbench', 'tinybench', 'mitata', 'go'] as const
/** SelfTool names one tool. */
export type SelfTool = (typeof SELF_TOOLS)[number]
/** DEFAULT_TOOLS run without -tools: Go only on request, since it needs a Go toolchain. */
export const DEFAULT_TOOLS: readonly SelfTool[] = ['slurmbench', 'tinybench', 'mitata']

/**
 * SELF_WORKLOADS maps each workload to the benchmark in benchmarks/self/workloads.bench.ts that
 * runs it; the drivers in benchmarks/self/compare-libs know the same ids and reject others.
 */
export const SELF_WORKLOADS = {
  empty: 'BenchmarkEmpty',
  json: 'BenchmarkJSONParse',
  regex: 'BenchmarkRegExpTest',
  alloc: 'BenchmarkAlloc',
} as const
/** SelfWorkload names one workload. */
export type SelfWorkload = keyof typeof SELF_WORKLOADS
/** WORKLOAD_IDS lists the workloads in the order they are reported. */
export const WORKLOAD_IDS = Object.keys(SELF_WORKLOADS) as SelfWorkload[]

/** Measurement is one invocation of one tool on one workload. */
export interface Measurement {
  readonly tool: SelfTool
  readonly workload: SelfWorkload
  /** 0-based invocation index. */
  readonly invocation: number
  /** The centre the tool reported, ns/op (see CENTRE_NAMES in the renderer). */
  readonly centreNs: number
  /** Wall time from spawning the process to its exit, start-up included. */
  readonly wallMs: number
  /** Samples behind the centre: -count rounds for ours, timed samples for the libraries. */
  readonly samples: number
  /** The machine-contention probe taken just before the process started, ns per load. */
  readonly probeNs?: number
}

/** JobFailure is an invocation that produced no figure, with the reason. */
export interface JobFailure {
  readonly tool: SelfTool
  readonly workload: SelfWorkload
  readonly invocation: number
  readonly message: string
}

/** Cell summarises one tool on one workload over all invocations. */
export interface Cell {
  readonly tool: SelfTool
  readonly workload: SelfWorkload
  /** Median across invocations of the reported centre, ns/op; undefined when all failed. */
  readonly centreNs: number | undefined
  /** Coefficient of variation of the centre across invocations (ratio); undefined below 2 values. */
  readonly cvRatio: number | undefined
  /** Median wall time per invocation. */
  readonly wallMs: number | undefined
  readonly invocations: number
  /** Spearman's ρ between the centre and the contention probe across invocations; undefined without probes or spread. */
  readonly probeRho: number | undefined
}

/** SelfEnvironment records where the comparison ran; load matters because the CV depends on it. */
export interface SelfEnvironment {
  readonly node: string
  readonly v8: string
  readonly cpuModel: string
  readonly cores: number
  readonly loadAverageStart: readonly number[]
  readonly loadAverageEnd: readonly number[]
}

/** SelfSettings are the flags the comparison ran with. */
export interface SelfSettings {
  readonly invocations: number
  /** -benchtime given to ours (and as a budget to the libraries); undefined: every tool's defaults. */
  readonly benchtime: string | undefined
  readonly count: number | undefined
  readonly tools: readonly SelfTool[]
  readonly workloads: readonly SelfWorkload[]
}

/** SelfReport is everything `self` measured: what -json writes and what the table renders. */
export interface SelfReport {
  readonly kind: 'slurmbench.self'
  readonly startedAt: string
  readonly durationMs: number
  readonly environment: SelfEnvironment
  readonly settings: SelfSettings
  readonly measurements: readonly Measurement[]
  readonly failures: readonly JobFailure[]
  readonly cells: readonly Cell[]
  /** Every probe of the run summarised; undefined when none was taken. */
  readonly contention?: ContentionSummary
}

/** Job is one process to start. */
export interface Job {
  readonly tool: SelfTool
  readonly workload: SelfWorkload
  readonly invocation: number
}

/** JobOutcome is a job's measurement, or why it produced none. */
export type JobOutcome = { readonly ok: true; readonly measurement: Measurement } | { readonly ok: false; readonly failure: JobFailure }

/** failed is the outcome of a job that produced no figure. */
export function failed(job: Job, message: string): JobOutcome {
  return { ok: false, failure: { ...job, message } }
}
