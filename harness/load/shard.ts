// Splitting one load test across n generators (`--shard i/n`, or a Kubernetes Indexed Job).
// Like k6's execution segments (k6-operator gives runner i the segment (i-1)/n:i/n), VUs are
// split so the shares of any whole number sum back to it exactly; arrival rates are split by
// index (see ArrivalSchedule), so n shards send exactly the unsharded schedule.
import { InputError } from '../../common/input-error.ts'
import type { ClosedPlan, LoadPlan, OpenPlan } from './plan.ts'

/** Shard is this generator's part: `index` of `count`, 1-based like Jest's and Playwright's `--shard`. */
export interface Shard {
  readonly index: number
  readonly count: number
}

/** NO_SHARD is the whole test on one generator. */
export const NO_SHARD: Shard = { index: 1, count: 1 }

/** JOB_COUNT_ENV names the variable a Job manifest sets to its `completions` (Kubernetes does not inject it). */
export const JOB_COUNT_ENV = 'JOB_COMPLETIONS'

/** parseShard reads `i/n` (1 ≤ i ≤ n); `flag` names the source in errors. */
export function parseShard(text: string, flag = '--shard'): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim())
  if (match === null) throw new InputError(`${flag}: expected i/n such as 2/4, found "${text}"`)
  const index = Number(match[1])
  const count = Number(match[2])
  if (count < 1 || index < 1 || index > count) throw new InputError(`${flag}: expected 1 ≤ i ≤ n, found "${text}"`)
  return { index, count }
}

/**
 * shardFromEnv reads a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (0-based) and the count
 * from JOB_COMPLETIONS; it returns undefined outside such a Job.
 */
export function shardFromEnv(env: NodeJS.ProcessEnv): Shard | undefined {
  const rawIndex = env.JOB_COMPLETION_INDEX
  if (rawIndex === undefined || rawIndex === '') return undefined
  const rawCount = env[JOB_COUNT_ENV]
  if (rawCount === undefined || rawCount === '') {
    throw new InputError(
      `JOB_COMPLETION_INDEX=${rawIndex} is set but ${JOB_COUNT_ENV} is not; set ${JOB_COUNT_ENV} to the Job's completions in its manifest, or pass --shard i/n`,
    )
  }
  if (!/^\d+$/.test(rawIndex) || !/^\d+$/.test(rawCount))
    throw new InputError(`JOB_COMPLETION_INDEX=${rawIndex} ${JOB_COUNT_ENV}=${rawCount}: expected whole numbers`)
  return parseShard(`${Number(rawIndex) + 1}/${Number(rawCount)}`, `JOB_COMPLETION_INDEX/${JOB_COUNT_ENV}`)
}

/** shareOf is shard's part of the whole number `total`: ⌊total·i/n⌋ − ⌊total·(i−1)/n⌋, so shares sum to total. */
export function shareOf(total: number, shard: Shard): number {
  return Math.floor((total * shard.index) / shard.count) - Math.floor((total * (shard.index - 1)) / shard.count)
}

/**
 * shardPlan returns the shard's plan. A closed plan gets its share of every VU target; an open
 * plan keeps the full rate (its ArrivalSchedule takes every n-th arrival) and gets a share of
 * the concurrency slots, at least one.
 */
export function shardPlan(plan: LoadPlan, shard: Shard): LoadPlan {
  if (shard.count === 1) return plan
  if (plan.model === 'closed') {
    const closed: ClosedPlan = {
      ...plan,
      startVUs: shareOf(plan.startVUs, shard),
      stages: plan.stages.map((stage) => ({ durationNs: stage.durationNs, target: shareOf(stage.target, shard) })),
    }
    return closed
  }
  const open: OpenPlan = {
    ...plan,
    preAllocatedVUs: Math.max(1, Math.ceil(plan.preAllocatedVUs / shard.count)),
    maxVUs: Math.max(1, Math.ceil(plan.maxVUs / shard.count)),
  }
  return open
}

/** formatShard prints `i/n`. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`
}
