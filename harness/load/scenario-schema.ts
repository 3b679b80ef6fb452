// The scenario file format (benchmarks/load/*.json), validated with TypeBox. It mirrors k6's
// `options.scenarios` entries (executor names and option names), one scenario per file, so a
// reader who knows k6 can read it and `--export-k6` can write it back out unchanged.
import { Type, type Static } from '@sinclair/typebox'

/** GoDuration is a Go duration string such as `10m`, `1.5s` or `250ms`. */
const GoDuration = Type.String({ minLength: 1, description: 'Go duration, e.g. "10m", "1.5s", "250ms"' })

/** ThinkTime is the pause a closed-model VU takes between iterations: fixed, or uniform in [min, max]. */
export const ThinkTime = Type.Union([GoDuration, Type.Object({ min: GoDuration, max: GoDuration }, { additionalProperties: false })], {
  description: 'a Go duration such as "100ms", or {"min": "50ms", "max": "150ms"}',
})
export type ThinkTime = Static<typeof ThinkTime>

/** RequestSpec says what each iteration requests; the target's origin comes from the command line. */
export const RequestSpec = Type.Object(
  {
    /** Path and query; default: `/metrics` for an exporter, the ping endpoint for `--slurm`. */
    path: Type.Optional(Type.String({ pattern: '^/' })),
    method: Type.Optional(Type.Union([Type.Literal('GET'), Type.Literal('HEAD')])),
    /** Whole-request timeout (headers and body), Go duration; default 30s. */
    timeout: Type.Optional(GoDuration),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
)
export type RequestSpec = Static<typeof RequestSpec>

/** ThresholdObject is k6's long threshold form. */
export const ThresholdObject = Type.Object(
  {
    threshold: Type.String(),
    abortOnFail: Type.Optional(Type.Boolean()),
    /** Grace period before an abortOnFail threshold may stop the run, Go duration. */
    delayAbortEval: Type.Optional(GoDuration),
  },
  { additionalProperties: false },
)
export type ThresholdObject = Static<typeof ThresholdObject>

/** ThresholdMap maps a metric name to its threshold expressions, as k6's `options.thresholds`. */
export const ThresholdMap = Type.Record(
  Type.String(),
  Type.Array(
    Type.Union([Type.String(), ThresholdObject], {
      description: 'a k6 threshold such as "p(95)<5000", or {"threshold": "p(95)<5000", "abortOnFail": true}',
    }),
    { description: 'an array of threshold expressions' },
  ),
)
export type ThresholdMap = Static<typeof ThresholdMap>

/** Stage is one linear segment of a ramp: reach `target` (VUs or iterations per timeUnit) over `duration`. */
export const Stage = Type.Object({ duration: GoDuration, target: Type.Number({ minimum: 0 }) }, { additionalProperties: false })
export type Stage = Static<typeof Stage>

const common = {
  $schema: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  request: Type.Optional(RequestSpec),
  /** After the last stage, in-flight iterations get this long before they are interrupted (k6 default 30s). */
  gracefulStop: Type.Optional(GoDuration),
  /** Threshold profile in the thresholds file (`default`, `small`, `medium`, `large`). */
  sla: Type.Optional(Type.String()),
  /** Thresholds that replace the profile's expression with the same metric and aggregation. */
  thresholds: Type.Optional(ThresholdMap),
}

/** ConstantVus is k6's `constant-vus`: a fixed number of looping VUs for a duration (closed model). */
export const ConstantVus = Type.Object(
  {
    ...common,
    executor: Type.Literal('constant-vus'),
    vus: Type.Integer({ minimum: 1 }),
    duration: GoDuration,
    thinkTime: Type.Optional(ThinkTime),
  },
  { additionalProperties: false },
)
export type ConstantVus = Static<typeof ConstantVus>

/** RampingVus is k6's `ramping-vus`: VU count follows linear stages (closed model). */
export const RampingVus = Type.Object(
  {
    ...common,
    executor: Type.Literal('ramping-vus'),
    startVUs: Type.Optional(Type.Integer({ minimum: 0 })),
    stages: Type.Array(Stage, { minItems: 1 }),
    /** VUs removed by a ramp-down may finish their iteration for this long (k6 default 30s). */
    gracefulRampDown: Type.Optional(GoDuration),
    thinkTime: Type.Optional(ThinkTime),
  },
  { additionalProperties: false },
)
export type RampingVus = Static<typeof RampingVus>

const openCommon = {
  /** The unit `rate` is counted per (k6 default 1s). */
  timeUnit: Type.Optional(GoDuration),
  /** Concurrency slots ready at the start. */
  preAllocatedVUs: Type.Integer({ minimum: 1 }),
  /** Most requests in flight at once; an arrival finding all busy is dropped and counted. */
  maxVUs: Type.Optional(Type.Integer({ minimum: 1 })),
}

/** ConstantArrivalRate is k6's `constant-arrival-rate`: `rate` iterations per timeUnit, whatever the latency (open model). */
export const ConstantArrivalRate = Type.Object(
  {
    ...common,
    ...openCommon,
    executor: Type.Literal('constant-arrival-rate'),
    rate: Type.Number({ exclusiveMinimum: 0 }),
    duration: GoDuration,
  },
  { additionalProperties: false },
)
export type ConstantArrivalRate = Static<typeof ConstantArrivalRate>

/** RampingArrivalRate is k6's `ramping-arrival-rate`: the arrival rate follows linear stages (open model). */
export const RampingArrivalRate = Type.Object(
  {
    ...common,
    ...openCommon,
    executor: Type.Literal('ramping-arrival-rate'),
    startRate: Type.Optional(Type.Number({ minimum: 0 })),
    stages: Type.Array(Stage, { minItems: 1 }),
  },
  { additionalProperties: false },
)
export type RampingArrivalRate = Static<typeof RampingArrivalRate>

/** EXECUTOR_SCHEMAS maps each supported executor name to its schema. */
export const EXECUTOR_SCHEMAS = {
  'constant-vus': ConstantVus,
  'ramping-vus': RampingVus,
  'constant-arrival-rate': ConstantArrivalRate,
  'ramping-arrival-rate': RampingArrivalRate,
} as const

/** ExecutorName is one of the supported k6 executor names. */
export type ExecutorName = keyof typeof EXECUTOR_SCHEMAS

/** ScenarioFile is a validated scenario file, discriminated by `executor`. */
export type ScenarioFile = ConstantVus | RampingVus | ConstantArrivalRate | RampingArrivalRate
