// The history's renderers for a terminal and for spreadsheets: the series list, the level shifts
// of the trend view, the weekly check, and every point as CSV.
import type { Series } from '../history/series.ts'
import type { Shift } from '../history/trend.ts'
import type { WeeklyRow } from '../history/weekly.ts'
import { classOf, scaleOne } from './scale.ts'
import { TextLayout } from './text-layout.ts'

function shortName(name: string): string {
  return name.replace(/^Benchmark/, '')
}

function pct(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : '−∞'
  return `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`
}

function day(time: string): string {
  return time.slice(0, 10)
}

/** renderSeriesList prints one line per series: nights, first and last night, the latest centre. */
export function renderSeriesList(all: readonly Series[]): string {
  if (all.length === 0) return 'no series\n'
  const layout = new TextLayout()
  layout.row().cell('machine class').cell('suite').cell('benchmark').cell('unit').cell('nights').cell('first').cell('last').cell('latest')
  for (const s of all) {
    const first = s.points[0]
    const last = s.points[s.points.length - 1]
    if (first === undefined || last === undefined) continue
    layout
      .row()
      .cell(s.machineClass)
      .cell(s.suite)
      .cell(shortName(s.name))
      .cell(s.unit)
      .cell(String(s.points.length), { align: 'right' })
      .cell(day(first.time))
      .cell(day(last.time))
      .cell(scaleOne(last.centre, classOf(s.unit)), { align: 'right' })
  }
  return layout.format()
}

/** renderShifts prints the level shifts, newest first, with what each means. */
export function renderShifts(shifts: readonly Shift[], seriesCount: number): string {
  if (shifts.length === 0) return `no level shifts in ${seriesCount} series\n`
  const layout = new TextLayout()
  layout.row().cell('night').cell('benchmark').cell('unit').cell('before').cell('after').cell('change').cell('p').cell('kind').cell('commits')
  const sorted = [...shifts].sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || a.series.key.localeCompare(b.series.key))
  for (const s of sorted) {
    const cls = classOf(s.series.unit)
    layout
      .row()
      .cell(day(s.time))
      .cell(shortName(s.series.name))
      .cell(s.series.unit)
      .cell(scaleOne(s.before, cls), { align: 'right' })
      .cell(scaleOne(s.after, cls), { align: 'right' })
      .cell(pct(s.change), { align: 'right' })
      .cell(s.p.toFixed(3))
      .cell(s.kind)
      .cell(`${s.previousCommit.slice(0, 12)}..${s.commit.slice(0, 12)}`)
  }
  return `${layout.format()}${shifts.length} level shift${shifts.length === 1 ? '' : 's'} in ${seriesCount} series (E-divisive means; a shift the canary shares is a machine change)\n`
}

/** renderWeekly prints this week against last week, the rows past the threshold first. */
export function renderWeekly(rows: readonly WeeklyRow[], threshold: number): string {
  if (rows.length === 0) return 'weekly: no series has nights in both this week and last week\n'
  const layout = new TextLayout()
  layout.row().cell('benchmark').cell('unit').cell('last week').cell('this week').cell('change').cell('nights').cell('')
  const sorted = [...rows].sort((a, b) => Number(b.exceeded) - Number(a.exceeded) || a.series.key.localeCompare(b.series.key))
  for (const r of sorted) {
    const cls = classOf(r.series.unit)
    const mark = r.exceeded
      ? r.machineChange
        ? 'past threshold (the canary moved too: machine change)'
        : `REGRESSED past ${Math.round(threshold * 100)}%`
      : ''
    layout
      .row()
      .cell(shortName(r.series.name))
      .cell(r.series.unit)
      .cell(scaleOne(r.lastWeek, cls), { align: 'right' })
      .cell(scaleOne(r.thisWeek, cls), { align: 'right' })
      .cell(pct(r.change), { align: 'right' })
      .cell(`${r.nightsLastWeek}/${r.nightsThisWeek}`)
      .cell(mark)
  }
  const flagged = rows.filter((r) => r.exceeded && !r.machineChange).length
  return `${layout.format()}weekly: ${flagged} of ${rows.length} series worse by more than ${Math.round(threshold * 100)}% week over week\n`
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** renderHistoryCsv writes every night of every series, one row each. */
export function renderHistoryCsv(all: readonly Series[]): string {
  const lines = ['machine_class,suite,benchmark,unit,better,time,commit,n,centre,lo,hi']
  for (const s of all) {
    for (const p of s.points) {
      lines.push(
        [
          s.machineClass,
          s.suite,
          s.name,
          s.unit,
          s.better,
          p.time,
          p.commit,
          String(p.n),
          String(p.centre),
          Number.isFinite(p.lo) ? String(p.lo) : '',
          Number.isFinite(p.hi) ? String(p.hi) : '',
        ]
          .map(csvField)
          .join(','),
      )
    }
  }
  return `${lines.join('\n')}\n`
}
