// When each open-model request is due. The rate r(t) is piecewise linear (the stages), so the
// number of arrivals by time t is its integral N(t), and arrival k is due at the t where
// N(t) = k — the same construction k6's ramping-arrival-rate uses (`cal()` in
// lib/executor/ramping_arrival_rate.go): starts are spread evenly, never bunched per second.
import type { OpenPlan } from './plan.ts'

/**
 * ArrivalSchedule yields the due time (ns since the start) of arrival k = 0, 1, 2, … in order.
 * With a shard it yields only the arrivals whose index k satisfies k mod count = index − 1, so n
 * shards together send exactly the unsharded schedule, interleaved.
 */
export class ArrivalSchedule {
  #stage = 0
  #stageStartNs = 0
  #stageStartRate: number
  /** Arrivals (a real number) accumulated before the current stage. */
  #arrivedBeforeStage = 0
  #k: number
  readonly #step: number
  readonly #plan: OpenPlan

  constructor(plan: OpenPlan, shard: { index: number; count: number } = { index: 1, count: 1 }) {
    this.#plan = plan
    this.#stageStartRate = plan.startRate
    this.#k = shard.index - 1
    this.#step = shard.count
  }

  /** next returns the due time of the next arrival of this shard, or undefined when the plan is over. */
  next(): number | undefined {
    const k = this.#k
    const stages = this.#plan.stages
    while (this.#stage < stages.length) {
      const stage = stages[this.#stage] as (typeof stages)[number]
      const seconds = stage.durationNs / 1e9
      const r0 = this.#stageStartRate
      const r1 = stage.target
      const inStage = ((r0 + r1) / 2) * seconds
      const need = k - this.#arrivedBeforeStage
      // Arrivals exactly at a stage's end belong to the next stage (half-open intervals).
      if (need < inStage && seconds > 0) {
        const a = (r1 - r0) / (2 * seconds)
        // Solve a·u² + r0·u = need for u ≥ 0 in the form that stays exact when a → 0.
        const u = need === 0 ? 0 : (2 * need) / (r0 + Math.sqrt(r0 * r0 + 4 * a * need))
        this.#k += this.#step
        return this.#stageStartNs + u * 1e9
      }
      this.#arrivedBeforeStage += inStage
      this.#stageStartNs += stage.durationNs
      this.#stageStartRate = r1
      this.#stage++
    }
    return undefined
  }
}

/** expectedArrivals is the number of arrivals the whole (unsharded) plan schedules: ⌈∫r(t)dt⌉. */
export function expectedArrivals(plan: OpenPlan): number {
  let from = plan.startRate
  let total = 0
  for (const stage of plan.stages) {
    total += ((from + stage.target) / 2) * (stage.durationNs / 1e9)
    from = stage.target
  }
  return Math.ceil(total - 1e-9)
}
