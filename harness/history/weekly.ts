// The weekly check of the framework slurmbench replaces (Sundays 01:00): this week against last
// week, per series, flagged past a threshold (20% by default) in the worse direction. It compares
// absolute figures across time on a shared host, so it is a trend check: a change the canary
// shares is labelled as the machine's.
import { median } from '../../common/median.ts'
import type { Series } from './series.ts'
import { DEFAULT_CANARY } from './trend.ts'

/** WEEK_MS is seven days. */
export const WEEK_MS = 7 * 24 * 3600 * 1000
/** DEFAULT_WEEKLY_THRESHOLD is the seed's 20%. */
export const DEFAULT_WEEKLY_THRESHOLD = 0.2

/** WeeklyRow is one series' week over week. */
export interface WeeklyRow {
  readonly series: Series
  readonly lastWeek: number
  readonly thisWeek: number
  readonly nightsLastWeek: number
  readonly nightsThisWeek: number
  /** thisWeek / lastWeek − 1. */
  readonly change: number
  /** Worse by more than the threshold. */
  readonly exceeded: boolean
  /** The canary of the same machine class moved past the threshold too. */
  readonly machineChange: boolean
}

/** WeeklyOptions choose the week and the threshold. */
export interface WeeklyOptions {
  /** The end of "this week" (default: the newest night in the history). */
  readonly now?: number
  readonly threshold?: number
  readonly canary?: RegExp
}

function weekMedians(series: Series, now: number): { last: number[]; current: number[] } {
  const last: number[] = []
  const current: number[] = []
  for (const p of series.points) {
    const t = Date.parse(p.time)
    if (t > now - WEEK_MS && t <= now) current.push(p.centre)
    else if (t > now - 2 * WEEK_MS && t <= now - WEEK_MS) last.push(p.centre)
  }
  return { last, current }
}

/** weeklyCheck compares the medians of the nightly centres of this week and last week, per series. */
export function weeklyCheck(all: readonly Series[], options: WeeklyOptions = {}): WeeklyRow[] {
  const threshold = options.threshold ?? DEFAULT_WEEKLY_THRESHOLD
  const canary = options.canary ?? DEFAULT_CANARY
  let now = options.now
  if (now === undefined) {
    now = Number.NEGATIVE_INFINITY
    for (const s of all) for (const p of s.points) now = Math.max(now, Date.parse(p.time))
  }
  const rows: Omit<WeeklyRow, 'machineChange'>[] = []
  for (const s of all) {
    const { last, current } = weekMedians(s, now)
    if (last.length === 0 || current.length === 0) continue
    const lastWeek = median(last)
    const thisWeek = median(current)
    const change = lastWeek === 0 ? (thisWeek === 0 ? 0 : Number.POSITIVE_INFINITY) : thisWeek / lastWeek - 1
    const worse = s.better === 'lower' ? change : -change
    rows.push({ series: s, lastWeek, thisWeek, nightsLastWeek: last.length, nightsThisWeek: current.length, change, exceeded: worse > threshold })
  }
  const canaryMoved = new Set<string>()
  for (const r of rows) if (canary.test(r.series.name) && Math.abs(r.change) > threshold) canaryMoved.add(r.series.machineClass)
  return rows.map((r) => ({ ...r, machineChange: canaryMoved.has(r.series.machineClass) }))
}
