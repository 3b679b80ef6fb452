// The results document: one JSON file per run, shared by the runner, load tests, compare,
// baselines and reports. Validated with TypeBox on every read.
import { Type, type Static } from '@sinclair/typebox'

/** RESULTS_SCHEMA_VERSION is bumped on any incompatible change; readers migrate older versions. */
export const RESULTS_SCHEMA_VERSION = 1

/** Direction says which way a metric improves. */
export const Better = Type.Union([Type.Literal('lower'), Type.Literal('higher')])
export type Better = Static<typeof Better>

/** Assumption mirrors benchstat's unit metadata: `exact` metrics compare without statistics. */
export const Assume = Type.Union([Type.Literal('nothing'), Type.Literal('exact')])
export type Assume = Static<typeof Assume>

/** UnitInfo is the metadata of one unit, printed as a Go `Unit` line when not the default. */
export const UnitInfo = Type.Object({
  better: Better,
  assume: Assume,
})
export type UnitInfo = Static<typeof UnitInfo>

/** Environment is the fingerprint of the machine and runtime that produced a result. */
export const Environment = Type.Object({
  /** Go-style OS name (`linux`, `darwin`, `windows`). */
  goos: Type.String(),
  /** Go-style architecture (`amd64`, `arm64`). */
  goarch: Type.String(),
  cpuModel: Type.String(),
  cores: Type.Integer({ minimum: 1 }),
  totalMemoryBytes: Type.Number({ minimum: 0 }),
  osRelease: Type.String(),
  node: Type.String(),
  v8: Type.String(),
  /** Flags every measuring worker was started with. */
  execArgv: Type.Array(Type.String()),
  /** 1, 5 and 15 minute load averages when the run started. */
  loadAverage: Type.Array(Type.Number(), { minItems: 3, maxItems: 3 }),
  hostname: Type.String(),
  commit: Type.Optional(Type.String()),
  /** True when the work tree had uncommitted changes. */
  dirty: Type.Optional(Type.Boolean()),
})
export type Environment = Static<typeof Environment>

/** Sample is one measurement of one benchmark: one `-count` round, one fresh worker process. */
export const Sample = Type.Object({
  /** Round index, 0-based, in the order the rounds were interleaved. */
  round: Type.Integer({ minimum: 0 }),
  /** Iterations (b.N) of the reported run. */
  iterations: Type.Integer({ minimum: 0 }),
  /** Metric values by unit: `ns/op`, `B/op`, `allocs/op`, `MB/s`, custom units. */
  metrics: Type.Record(Type.String(), Type.Number()),
})
export type Sample = Static<typeof Sample>

export const Failure = Type.Object({
  message: Type.String(),
  stack: Type.Optional(Type.String()),
  /** Why it ended: threw, exceeded -timeout, ran out of memory, or the worker died. */
  kind: Type.Union([Type.Literal('error'), Type.Literal('timeout'), Type.Literal('out-of-memory'), Type.Literal('crash')]),
})
export type Failure = Static<typeof Failure>

/** BenchmarkResult holds every sample of one benchmark (a leaf in the sub-benchmark tree). */
export const BenchmarkResult = Type.Object({
  /** Full Go-style name: `BenchmarkX/sub=val-4` (the `-P` suffix when parallelism is above 1). */
  name: Type.String({ pattern: '^Benchmark' }),
  /** Package the benchmark belongs to (its folder, as Go's `pkg:` line). */
  pkg: Type.String(),
  /** Source file, relative to the repository root. */
  file: Type.String(),
  /** The `-cpu` value the samples were taken with. */
  procs: Type.Integer({ minimum: 1 }),
  status: Type.Union([Type.Literal('ok'), Type.Literal('failed'), Type.Literal('skipped')]),
  samples: Type.Array(Sample),
  /** Metadata of units whose direction or assumption differs from the default. */
  units: Type.Optional(Type.Record(Type.String(), UnitInfo)),
  failure: Type.Optional(Failure),
  skipReason: Type.Optional(Type.String()),
  /** Lines the benchmark logged with b.log. */
  log: Type.Optional(Type.Array(Type.String())),
  /** Producer-specific data (load tests keep encoded HDR histograms here for exact merging). */
  extra: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
})
export type BenchmarkResult = Static<typeof BenchmarkResult>

/** RunConfig records the settings the run was made with. */
export const RunConfig = Type.Object({
  /** Which producer made the document: the benchmark runner or the load tester. */
  producer: Type.Union([Type.Literal('bench'), Type.Literal('load')]),
  bench: Type.Optional(Type.String()),
  benchtime: Type.Optional(Type.String()),
  count: Type.Optional(Type.Integer({ minimum: 1 })),
  cpu: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }))),
  benchmem: Type.Optional(Type.Boolean()),
  timeoutMs: Type.Optional(Type.Number({ minimum: 0 })),
  /** Anything else the producer wants recorded (scenario name, target URL, shard). */
  settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
})
export type RunConfig = Static<typeof RunConfig>

/** ResultsDocument is the whole JSON results file. */
export const ResultsDocument = Type.Object({
  schemaVersion: Type.Literal(RESULTS_SCHEMA_VERSION),
  kind: Type.Literal('slurmbench.results'),
  /** ISO 8601 start time of the run. */
  startedAt: Type.String(),
  durationMs: Type.Number({ minimum: 0 }),
  environment: Environment,
  config: RunConfig,
  benchmarks: Type.Array(BenchmarkResult),
  /** Warnings about the run as a whole (noisy machine, nothing matched, …). */
  warnings: Type.Array(Type.String()),
})
export type ResultsDocument = Static<typeof ResultsDocument>

/** DEFAULT_UNITS holds the direction of the built-in units; anything else defaults to lower. */
export const DEFAULT_UNITS: Readonly<Record<string, UnitInfo>> = {
  'ns/op': { better: 'lower', assume: 'nothing' },
  'B/op': { better: 'lower', assume: 'nothing' },
  'allocs/op': { better: 'lower', assume: 'nothing' },
  'MB/s': { better: 'higher', assume: 'nothing' },
}
