// github-action-benchmark's custom formats: a JSON array of { name, unit, value, range, extra }
// read with `tool: customSmallerIsBetter` or `customBiggerIsBetter` (its README, "Examples").
// One file has one direction, so the export takes the metrics of one direction: lower-is-better
// (times, bytes, allocations) by default, higher-is-better (throughput) on request.
import type { VerdictReport } from '../compare/verdict.ts'
import type { Better } from '../results/schema.ts'
import { percent } from './verdict-cells.ts'

/** GithubActionBenchmarkEntry is one entry of the custom format. */
export interface GithubActionBenchmarkEntry {
  name: string
  unit: string
  value: number
  range?: string
  extra?: string
}

/** githubActionBenchmarkTool names the `tool:` input that reads an export of the given direction. */
export function githubActionBenchmarkTool(better: Better): string {
  return better === 'lower' ? 'customSmallerIsBetter' : 'customBiggerIsBetter'
}

/** renderGithubActionBenchmark exports the head side of the metrics whose better direction is `better`. */
export function renderGithubActionBenchmark(reports: readonly VerdictReport[], better: Better = 'lower'): { readonly json: string; readonly skipped: number } {
  const entries: GithubActionBenchmarkEntry[] = []
  let skipped = 0
  for (const report of reports) {
    for (const v of report.verdicts) {
      if (v.head === undefined || !Number.isFinite(v.head.center)) continue
      if (v.better !== better) {
        skipped++
        continue
      }
      const name = `${v.pkg === '' ? v.name : `${v.pkg}/${v.name}`} - ${v.unit}`
      const entry: GithubActionBenchmarkEntry = { name, unit: v.unit, value: v.head.center }
      const h = v.head
      if (Number.isFinite(h.lo) && Number.isFinite(h.hi) && h.center !== 0) entry.range = `${percent(h.lo / h.center - 1)} … ${percent(h.hi / h.center - 1)}`
      const vs = v.change !== undefined ? `, ${percent(v.change.estimate)} vs base` : ''
      entry.extra = `n=${h.n}, verdict ${v.verdict}${vs}`
      entries.push(entry)
    }
  }
  return { json: `${JSON.stringify(entries, null, 2)}\n`, skipped }
}
