// The trend view of the history: level shifts of every series (E-divisive means), each labelled
// by direction and by whether the canary shifted on the same nights. A canary is a benchmark
// whose code never changes; when it moves, the machine moved (new runner hardware, a kernel, a
// noisy neighbour for weeks), and a shift it shares is the machine's, not the code's. Shifts are
// trends, not verdicts: the nightly verdict that alerts is the paired run (see nightly.ts).
import { mulberry32 } from '../../common/prng.ts'
import { type ChangePoint, changePoints } from '../stats/change-points.ts'
import type { Series } from './series.ts'

/** DEFAULT_CANARY matches the canary benchmark every nightly run includes. */
export const DEFAULT_CANARY = /^BenchmarkCanary(\/|$)/

/** CANARY_WINDOW_NIGHTS: a canary shift this many nights from a series' shift explains it. */
export const CANARY_WINDOW_NIGHTS = 1

/** ShiftKind says what a level shift means for a reader. */
export type ShiftKind = 'regression' | 'improvement' | 'machine change'

/** Shift is one level shift of one series. */
export interface Shift extends ChangePoint {
  readonly series: Series
  readonly kind: ShiftKind
  readonly time: string
  readonly commit: string
  /** The commit of the last night before the shift: the range to look at is (previousCommit, commit]. */
  readonly previousCommit: string
}

/** TrendOptions set the search and the canary. */
export interface TrendOptions {
  readonly canary?: RegExp
  readonly seed?: number
  readonly alpha?: number
  readonly minSegment?: number
}

function isCanary(series: Series, canary: RegExp): boolean {
  return canary.test(series.name)
}

/** findShifts runs change-point detection on every series and labels each shift. */
export function findShifts(all: readonly Series[], options: TrendOptions = {}): Shift[] {
  const canary = options.canary ?? DEFAULT_CANARY
  const seed = options.seed ?? 1
  const detect = (s: Series): ChangePoint[] =>
    changePoints(
      s.points.map((p) => p.centre),
      {
        random: mulberry32(seed),
        ...(options.alpha === undefined ? {} : { alpha: options.alpha }),
        ...(options.minSegment === undefined ? {} : { minSegment: options.minSegment }),
      },
    )
  // Each series' shifts once (a permutation test per segment is the costly part); the canary's
  // shift times per machine class.
  const found = all.map(detect)
  const canaryTimes = new Map<string, number[]>()
  all.forEach((s, i) => {
    if (!isCanary(s, canary)) return
    const list = canaryTimes.get(s.machineClass) ?? []
    for (const cp of found[i] as ChangePoint[]) list.push(Date.parse((s.points[cp.index] as { time: string }).time))
    canaryTimes.set(s.machineClass, list)
  })
  const shifts: Shift[] = []
  for (const [i, s] of all.entries()) {
    const nightTimes = s.points.map((p) => Date.parse(p.time))
    for (const cp of found[i] as ChangePoint[]) {
      const point = s.points[cp.index] as { time: string; commit: string }
      const previous = s.points[cp.index - 1] as { commit: string }
      const worse = s.better === 'lower' ? cp.after > cp.before : cp.after < cp.before
      // A canary shift within CANARY_WINDOW_NIGHTS nights of this one (counted on this series' nights).
      const lo = nightTimes[Math.max(0, cp.index - CANARY_WINDOW_NIGHTS)] as number
      const hi = nightTimes[Math.min(nightTimes.length - 1, cp.index + CANARY_WINDOW_NIGHTS)] as number
      const shared = !isCanary(s, canary) && (canaryTimes.get(s.machineClass) ?? []).some((t) => t >= lo && t <= hi)
      shifts.push({
        ...cp,
        series: s,
        kind: shared || isCanary(s, canary) ? 'machine change' : worse ? 'regression' : 'improvement',
        time: point.time,
        commit: point.commit,
        previousCommit: previous.commit,
      })
    }
  }
  return shifts
}
