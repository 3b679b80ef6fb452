// Series: one benchmark × unit × machine class over time, one point per night (run). Records of
// two machine classes never meet in one series, so a faster runner cannot pass for a speed-up.
import { median } from '../../common/median.ts'
import type { Better } from '../results/schema.ts'
import { medianInterval } from '../stats/quantile-ci.ts'
import type { HistoryRecord } from './store.ts'

/** SeriesPoint is one night of a series: the median of its samples with a 95% interval. */
export interface SeriesPoint {
  readonly time: string
  readonly commit: string
  readonly n: number
  readonly centre: number
  /** Interval bounds; ±Infinity when too few samples for a 95% interval. */
  readonly lo: number
  readonly hi: number
}

/** Series is one benchmark × unit × machine class over time, oldest first. */
export interface Series {
  readonly key: string
  readonly machineClass: string
  readonly suite: string
  readonly name: string
  readonly unit: string
  readonly better: Better
  readonly points: SeriesPoint[]
}

/** seriesKey identifies a series. */
export function seriesKey(r: Pick<HistoryRecord, 'machineClass' | 'suite' | 'name' | 'unit'>): string {
  return `${r.machineClass}\u0000${r.suite}\u0000${r.name}\u0000${r.unit}`
}

/** seriesOf groups records into series; two records of one series and one run (time) pool their samples. */
export function seriesOf(records: readonly HistoryRecord[]): Series[] {
  const byKey = new Map<string, { record: HistoryRecord; nights: Map<string, { commit: string; values: number[] }> }>()
  for (const r of records) {
    const key = seriesKey(r)
    let entry = byKey.get(key)
    if (entry === undefined) {
      entry = { record: r, nights: new Map() }
      byKey.set(key, entry)
    }
    const night = entry.nights.get(r.time)
    if (night === undefined) entry.nights.set(r.time, { commit: r.commit, values: [...r.values] })
    else for (const v of r.values) night.values.push(v)
  }
  const out: Series[] = []
  for (const [key, { record, nights }] of byKey) {
    const points: SeriesPoint[] = []
    for (const [time, { commit, values }] of nights) {
      const sorted = [...values].sort((a, b) => a - b)
      const ci = medianInterval(sorted, 0.95)
      points.push({ time, commit, n: values.length, centre: median(sorted), lo: ci.lo, hi: ci.hi })
    }
    points.sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
    out.push({ key, machineClass: record.machineClass, suite: record.suite, name: record.name, unit: record.unit, better: record.better, points })
  }
  return out.sort((a, b) => a.key.localeCompare(b.key))
}
