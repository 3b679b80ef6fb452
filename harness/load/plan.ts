// The load plan: a scenario file reduced to what the executors need, in nanoseconds and
// requests per second. Building it parses every duration (naming the JSON path on error);
// scaling and sharding are pure transformations of it.
import { parseDurationNs } from '../results/duration.ts'
import { InputError } from '../../common/input-error.ts'
import type { ExecutorName, ScenarioFile, ThinkTime } from './scenario-schema.ts'

/** DEFAULT_GRACEFUL_STOP_NS is k6's gracefulStop default (30 s). */
export const DEFAULT_GRACEFUL_STOP_NS = 30e9
/** DEFAULT_REQUEST_TIMEOUT_NS is the whole-request timeout when a scenario sets none (30 s, below the 5 s/10 s SLAs ×3). */
export const DEFAULT_REQUEST_TIMEOUT_NS = 30e9
/** DEFAULT_TIME_UNIT_NS is k6's timeUnit default for arrival rates (1 s). */
export const DEFAULT_TIME_UNIT_NS = 1e9

/** PlanStage is one linear segment: the target (VUs, or requests per second) reached at its end. */
export interface PlanStage {
  readonly durationNs: number
  readonly target: number
}

/** PlanRequest is what every iteration sends. */
export interface PlanRequest {
  /** Path from the scenario; undefined lets the target choose (`/metrics`, the ping endpoint). */
  readonly path: string | undefined
  readonly method: 'GET' | 'HEAD'
  readonly timeoutNs: number
  readonly headers: Readonly<Record<string, string>>
}

interface PlanCommon {
  readonly name: string
  readonly executor: ExecutorName
  readonly stages: readonly PlanStage[]
  readonly gracefulStopNs: number
  readonly request: PlanRequest
}

/** ClosedPlan drives looping VUs (constant-vus, ramping-vus): each VU waits for its response. */
export interface ClosedPlan extends PlanCommon {
  readonly model: 'closed'
  readonly startVUs: number
  readonly gracefulRampDownNs: number
  readonly thinkTimeMinNs: number
  readonly thinkTimeMaxNs: number
}

/** OpenPlan drives arrivals at a rate (per second) that does not wait for responses. */
export interface OpenPlan extends PlanCommon {
  readonly model: 'open'
  /** Requests per second at t = 0; stage targets are requests per second too. */
  readonly startRate: number
  readonly preAllocatedVUs: number
  /** Most requests in flight; an arrival that finds them all busy is dropped. */
  readonly maxVUs: number
}

/** LoadPlan is a closed- or open-model plan. */
export type LoadPlan = ClosedPlan | OpenPlan

function durationAt(text: string, source: string, path: string): number {
  const ns = parseDurationNs(text)
  if (ns === undefined || ns < 0) throw new InputError(`${source}: at ${path}: expected a Go duration such as "10m" or "1.5s", found ${JSON.stringify(text)}`)
  return ns
}

function thinkTimeNs(think: ThinkTime | undefined, source: string): [number, number] {
  if (think === undefined) return [0, 0]
  if (typeof think === 'string') {
    const ns = durationAt(think, source, '/thinkTime')
    return [ns, ns]
  }
  const min = durationAt(think.min, source, '/thinkTime/min')
  const max = durationAt(think.max, source, '/thinkTime/max')
  if (max < min) throw new InputError(`${source}: at /thinkTime: max (${think.max}) is below min (${think.min})`)
  return [min, max]
}

/** buildPlan turns a validated scenario file into a plan; `source` names the file in errors. */
export function buildPlan(scenario: ScenarioFile, source: string, fallbackName: string): LoadPlan {
  const request: PlanRequest = {
    path: scenario.request?.path,
    method: scenario.request?.method ?? 'GET',
    timeoutNs: scenario.request?.timeout === undefined ? DEFAULT_REQUEST_TIMEOUT_NS : durationAt(scenario.request.timeout, source, '/request/timeout'),
    headers: scenario.request?.headers ?? {},
  }
  if (request.timeoutNs <= 0) throw new InputError(`${source}: at /request/timeout: must be above zero`)
  const gracefulStopNs = scenario.gracefulStop === undefined ? DEFAULT_GRACEFUL_STOP_NS : durationAt(scenario.gracefulStop, source, '/gracefulStop')
  const common = { name: scenario.name ?? fallbackName, executor: scenario.executor, gracefulStopNs, request }
  const stagesOf = (stages: ReadonlyArray<{ duration: string; target: number }>, perUnit: number): PlanStage[] =>
    stages.map((stage, i) => ({ durationNs: durationAt(stage.duration, source, `/stages/${i}/duration`), target: stage.target * perUnit }))
  let plan: LoadPlan
  switch (scenario.executor) {
    case 'constant-vus': {
      const [thinkTimeMinNs, thinkTimeMaxNs] = thinkTimeNs(scenario.thinkTime, source)
      const durationNs = durationAt(scenario.duration, source, '/duration')
      plan = {
        ...common,
        model: 'closed',
        startVUs: scenario.vus,
        stages: [{ durationNs, target: scenario.vus }],
        gracefulRampDownNs: gracefulStopNs,
        thinkTimeMinNs,
        thinkTimeMaxNs,
      }
      break
    }
    case 'ramping-vus': {
      const [thinkTimeMinNs, thinkTimeMaxNs] = thinkTimeNs(scenario.thinkTime, source)
      for (const [i, stage] of scenario.stages.entries()) {
        if (!Number.isInteger(stage.target)) throw new InputError(`${source}: at /stages/${i}/target: VU targets are whole numbers, found ${stage.target}`)
      }
      const gracefulRampDownNs =
        scenario.gracefulRampDown === undefined ? DEFAULT_GRACEFUL_STOP_NS : durationAt(scenario.gracefulRampDown, source, '/gracefulRampDown')
      plan = {
        ...common,
        model: 'closed',
        startVUs: scenario.startVUs ?? 0,
        stages: stagesOf(scenario.stages, 1),
        gracefulRampDownNs,
        thinkTimeMinNs,
        thinkTimeMaxNs,
      }
      break
    }
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const timeUnitNs = scenario.timeUnit === undefined ? DEFAULT_TIME_UNIT_NS : durationAt(scenario.timeUnit, source, '/timeUnit')
      if (timeUnitNs <= 0) throw new InputError(`${source}: at /timeUnit: must be above zero`)
      const perSecond = 1e9 / timeUnitNs
      const maxVUs = scenario.maxVUs ?? scenario.preAllocatedVUs
      if (maxVUs < scenario.preAllocatedVUs) throw new InputError(`${source}: at /maxVUs: ${maxVUs} is below preAllocatedVUs (${scenario.preAllocatedVUs})`)
      const open = { ...common, model: 'open' as const, preAllocatedVUs: scenario.preAllocatedVUs, maxVUs }
      plan =
        scenario.executor === 'constant-arrival-rate'
          ? {
              ...open,
              startRate: scenario.rate * perSecond,
              stages: [{ durationNs: durationAt(scenario.duration, source, '/duration'), target: scenario.rate * perSecond }],
            }
          : { ...open, startRate: (scenario.startRate ?? 0) * perSecond, stages: stagesOf(scenario.stages, perSecond) }
      break
    }
  }
  if (planDurationNs(plan) <= 0) throw new InputError(`${source}: the scenario lasts 0s; give it a duration or stages longer than zero`)
  return plan
}

/** planDurationNs is the scheduled length of the plan, graceful stop excluded. */
export function planDurationNs(plan: LoadPlan): number {
  let total = 0
  for (const stage of plan.stages) total += stage.durationNs
  return total
}

/** planStartValue is the VUs or rate at t = 0. */
export function planStartValue(plan: LoadPlan): number {
  return plan.model === 'closed' ? plan.startVUs : plan.startRate
}

/** targetAt is the linearly interpolated VUs or rate at `tNs` since the start (the last target after the end). */
export function targetAt(plan: LoadPlan, tNs: number): number {
  let from = planStartValue(plan)
  let startNs = 0
  for (const stage of plan.stages) {
    const endNs = startNs + stage.durationNs
    if (tNs < endNs) return from + ((stage.target - from) * (tNs - startNs)) / stage.durationNs
    from = stage.target
    startNs = endNs
  }
  return from
}

/** stageIndexAt is the index of the stage running at `tNs` (the last stage after the end). */
export function stageIndexAt(plan: LoadPlan, tNs: number): number {
  let startNs = 0
  for (const [i, stage] of plan.stages.entries()) {
    startNs += stage.durationNs
    if (tNs < startNs) return i
  }
  return plan.stages.length - 1
}

/** peakTarget is the highest VU count (closed) or rate (open) the plan reaches. */
export function peakTarget(plan: LoadPlan): number {
  return plan.stages.reduce((most, stage) => Math.max(most, stage.target), planStartValue(plan))
}

/**
 * scalePlan multiplies every stage duration by `scale` (`--duration-scale 0.01` turns 10m into
 * 6s). Think time, timeouts and graceful stops are properties of a request, not of the run's
 * length, so they stay as written.
 */
export function scalePlan<P extends LoadPlan>(plan: P, scale: number): P {
  if (scale === 1) return plan
  return { ...plan, stages: plan.stages.map((stage) => ({ durationNs: Math.round(stage.durationNs * scale), target: stage.target })) }
}
