// Plan and threshold builders for the load tests: the shapes buildPlan produces, written
// directly, and a typical SLA's threshold rules.
import type { ClosedPlan, OpenPlan, PlanRequest } from '../../../harness/load/plan.ts'
import type { ThresholdMap } from '../../../harness/load/scenario-schema.ts'
import { checkThresholdMap, type ThresholdRule } from '../../../harness/load/thresholds.ts'

/** REQUEST is a GET with a 2 s timeout. */
export const REQUEST: PlanRequest = { path: undefined, method: 'GET', timeoutNs: 2e9, headers: {} }

/** closedPlan is a closed-model plan: `stages` as [durationMs, target] pairs. */
export function closedPlan(startVUs: number, stages: ReadonlyArray<readonly [number, number]>, extra: Partial<ClosedPlan> = {}): ClosedPlan {
  return {
    name: 'test',
    executor: 'ramping-vus',
    model: 'closed',
    startVUs,
    stages: stages.map(([ms, target]) => ({ durationNs: ms * 1e6, target })),
    gracefulStopNs: 2e9,
    gracefulRampDownNs: 2e9,
    thinkTimeMinNs: 0,
    thinkTimeMaxNs: 0,
    request: REQUEST,
    ...extra,
  }
}

/** openPlan is an open-model plan: rates in requests per second, `stages` as [durationMs, rate] pairs. */
export function openPlan(startRate: number, stages: ReadonlyArray<readonly [number, number]>, extra: Partial<OpenPlan> = {}): OpenPlan {
  return {
    name: 'test',
    executor: 'ramping-arrival-rate',
    model: 'open',
    startRate,
    stages: stages.map(([ms, target]) => ({ durationNs: ms * 1e6, target })),
    gracefulStopNs: 2e9,
    preAllocatedVUs: 10,
    maxVUs: 100,
    request: REQUEST,
    ...extra,
  }
}

/** slaRules are an SLA's threshold rules: `duration`'s latency rules, then failures, availability, throughput and target memory. */
export function slaRules(duration: ThresholdMap[string]): ThresholdRule[] {
  return checkThresholdMap(
    {
      http_req_duration: duration,
      http_req_failed: ['rate<0.01'],
      checks: ['rate>0.999'],
      http_reqs: ['rate>45'],
      target_memory_bytes: ['value<512MiB'],
    },
    'test',
    '',
    'test',
  )
}
