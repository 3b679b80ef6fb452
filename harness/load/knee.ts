// Finding the knee of a capacity ramp: the load level past which adding VUs (or offered rate)
// no longer buys proportionally more throughput, or latency/errors break the SLA. Each stage is
// one level; the stages that hold a level steady are preferred, since ramps mix two levels.

/**
 * KNEE_EFFICIENCY: past the knee, a level's extra throughput per extra unit of load is below this
 * share of the first level's throughput per unit — and stays below it at every higher level.
 */
export const KNEE_EFFICIENCY = 0.5

/** StageLevel is one stage's load level and what it achieved. */
export interface StageLevel {
  readonly index: number
  /** Mean VUs (closed) or offered requests/s (open) during the stage. */
  readonly load: number
  /** True when the stage holds its load constant. */
  readonly steady: boolean
  readonly throughputPerSecond: number
  readonly p95Ms: number
  readonly errorRatio: number
}

/** Knee is where the ramp stopped scaling: the last good level and the first bad one with why. */
export interface Knee {
  /** The highest level that still scaled and met the limits (undefined when even the first did not). */
  readonly lastGood: StageLevel | undefined
  readonly firstBad: StageLevel
  readonly reason: string
}

/** KneeLimits are the SLA limits a level must meet (from the run's thresholds, when it has them). */
export interface KneeLimits {
  readonly p95Ms: number | undefined
  readonly errorRatio: number | undefined
}

/**
 * findKnee returns the first level (in increasing load) that failed to scale or broke a limit;
 * undefined when every level was fine, or there are fewer than two levels to compare.
 */
export function findKnee(stages: readonly StageLevel[], limits: KneeLimits): Knee | undefined {
  const anySteady = stages.some((stage) => stage.steady && stage.load > 0)
  const levels = stages.filter((stage) => stage.load > 0 && (!anySteady || stage.steady))
  if (levels.length < 2) return undefined
  const first = levels[0] as StageLevel
  const perUnit = first.throughputPerSecond / first.load
  const efficiency = (from: StageLevel, to: StageLevel): number => (to.throughputPerSecond - from.throughputPerSecond) / (to.load - from.load) / perUnit
  let previous: StageLevel | undefined
  for (const [i, level] of levels.entries()) {
    if (limits.p95Ms !== undefined && level.p95Ms >= limits.p95Ms)
      return { lastGood: previous, firstBad: level, reason: `p95 ${level.p95Ms.toFixed(1)} ms reached the ${limits.p95Ms} ms limit` }
    if (limits.errorRatio !== undefined && level.errorRatio >= limits.errorRatio)
      return {
        lastGood: previous,
        firstBad: level,
        reason: `error rate ${(level.errorRatio * 100).toFixed(2)}% reached the ${(limits.errorRatio * 100).toFixed(2)}% limit`,
      }
    if (previous !== undefined && level.load > previous.load && perUnit > 0 && efficiency(previous, level) < KNEE_EFFICIENCY) {
      // A dip that later levels make up for is noise, not a knee: every higher level must also fall short.
      const from = previous
      const later = levels.slice(i).filter((l) => l.load > from.load)
      if (later.every((l) => efficiency(from, l) < KNEE_EFFICIENCY)) {
        return {
          lastGood: previous,
          firstBad: level,
          reason: `throughput rose only ${(efficiency(previous, level) * 100).toFixed(0)}% as fast as the load (${previous.throughputPerSecond.toFixed(1)} → ${level.throughputPerSecond.toFixed(1)} req/s)`,
        }
      }
    }
    previous = level
  }
  return undefined
}
