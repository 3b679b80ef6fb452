// The plain-text report of `slurmbench self`: overhead, stability and time to result of each
// tool side by side, our figures judged against the goals, the machine's contention beside them.
import type { Cell, SelfReport, SelfTool, SelfWorkload } from '../self/types.ts'
import { describeContention } from './contention.ts'

/** OVERHEAD_GOAL_NS is the goal for an empty b.N loop (mitata with do_not_optimize: 0.66 ns). */
export const OVERHEAD_GOAL_NS = 0.5
/** STABILITY_GOAL_CV is the goal for the CV of the centre across invocations (the libraries: 4–28%). */
export const STABILITY_GOAL_CV = 0.02
/** TIME_TO_RESULT_GOAL_MS is the goal for wall time per benchmark (mitata: ~5 s). */
export const TIME_TO_RESULT_GOAL_MS = 1500
// Above half a runnable process per core, the neighbours' work shows in every wall-clock figure:
// at a load of 10–17 on 2 cores every tool read 2–5× slow with CVs of 20–60%.
const BUSY_LOAD_PER_CORE = 0.5

/** CENTRE_NAMES says which statistic each tool reports first, and so which one is compared. */
export const CENTRE_NAMES: Readonly<Record<SelfTool, string>> = {
  slurmbench: 'median ns/op',
  tinybench: 'latency mean',
  mitata: 'avg',
  go: 'median ns/op',
}

/** formatNs prints ns/op with about three significant digits (0.421, 5.23, 58.3, 75,412). */
export function formatNs(ns: number): string {
  if (ns < 1) return ns.toFixed(3)
  if (ns < 10) return ns.toFixed(2)
  if (ns < 100) return ns.toFixed(1)
  return Math.round(ns).toLocaleString('en-US')
}

function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`
}

/** renderTable aligns rows into columns: the first `leftColumns` left-aligned (names), the rest right-aligned (numbers). */
export function renderTable(rows: readonly (readonly string[])[], leftColumns = 1): string {
  const widths: number[] = []
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length)
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

function cellOf(report: SelfReport, tool: SelfTool, workload: SelfWorkload): Cell | undefined {
  return report.cells.find((c) => c.tool === tool && c.workload === workload)
}

function verdict(met: boolean): string {
  return met ? 'met' : 'MISSED'
}

function renderHeader(report: SelfReport): string {
  const { environment: env, settings } = report
  const load = (values: readonly number[]) => values.map((v) => v.toFixed(2)).join(' ')
  const chosen = (names: readonly SelfTool[]) => names.filter((t) => settings.tools.includes(t)).join(' and ')
  const goStyle = chosen(['slurmbench', 'go'])
  const budgeted = chosen(['tinybench', 'mitata'])
  const how =
    settings.benchtime === undefined
      ? "each tool's default settings"
      : [
          goStyle === '' ? undefined : `-benchtime=${settings.benchtime} for ${goStyle}`,
          budgeted === '' ? undefined : `the same time budget for ${budgeted} (not their defaults)`,
        ]
          .filter((part) => part !== undefined)
          .join('; ')
  const busiest = Math.max(env.loadAverageStart[0] ?? 0, env.loadAverageEnd[0] ?? 0)
  const busy =
    busiest > BUSY_LOAD_PER_CORE * env.cores
      ? [
          `warning: the machine was busy (1-minute load ${busiest.toFixed(2)} on ${env.cores} cores): times are inflated and the CVs measure the load as much as the tools`,
        ]
      : []
  return [
    `slurmbench self: ${settings.invocations} invocations of each tool per workload, each a fresh process`,
    `node ${env.node} (v8 ${env.v8}), ${env.cpuModel}, ${env.cores} cores, load average ${load(env.loadAverageStart)} at start, ${load(env.loadAverageEnd)} at end`,
    `settings: ${how}${settings.count === undefined ? '' : `; -count=${settings.count} for ${goStyle}`}`,
    ...busy,
  ].join('\n')
}

function renderOverhead(report: SelfReport): string | undefined {
  if (!report.settings.workloads.includes('empty')) return undefined
  const rows: string[][] = [['tool', 'ns/op', `goal ≤ ${OVERHEAD_GOAL_NS} ns`]]
  for (const tool of report.settings.tools) {
    const ns = cellOf(report, tool, 'empty')?.centreNs
    rows.push([tool, ns === undefined ? 'failed' : formatNs(ns), tool === 'slurmbench' && ns !== undefined ? verdict(ns <= OVERHEAD_GOAL_NS) : ''])
  }
  return `Overhead: an empty loop, ns/op (median of the invocations)\n${renderTable(rows)}`
}

function renderStability(report: SelfReport): string {
  const { tools, workloads } = report.settings
  const rows: string[][] = [['tool', 'centre', ...workloads, `goal ≤ ${STABILITY_GOAL_CV * 100}%`]]
  for (const tool of tools) {
    const cvs = workloads.map((w) => cellOf(report, tool, w)?.cvRatio)
    const known = cvs.filter((cv): cv is number => cv !== undefined)
    const goal = tool !== 'slurmbench' || known.length === 0 ? '' : verdict(known.every((cv) => cv <= STABILITY_GOAL_CV))
    rows.push([tool, CENTRE_NAMES[tool], ...cvs.map((cv) => (cv === undefined ? '–' : formatPercent(cv))), goal])
  }
  return `Stability: coefficient of variation of the reported centre across invocations\n${renderTable(rows, 2)}`
}

function renderCentres(report: SelfReport): string {
  const { tools, workloads } = report.settings
  const rows: string[][] = [['tool', ...workloads]]
  for (const tool of tools) {
    rows.push([
      tool,
      ...workloads.map((w) => {
        const ns = cellOf(report, tool, w)?.centreNs
        return ns === undefined ? 'failed' : formatNs(ns)
      }),
    ])
  }
  return `Reported centre, ns/op (median of the invocations)\n${renderTable(rows)}`
}

function renderTimeToResult(report: SelfReport): string {
  const { tools, workloads } = report.settings
  const rows: string[][] = [['tool', ...workloads, `goal ≤ ${TIME_TO_RESULT_GOAL_MS / 1000} s`]]
  for (const tool of tools) {
    const walls = workloads.map((w) => cellOf(report, tool, w)?.wallMs)
    const known = walls.filter((ms): ms is number => ms !== undefined)
    const goal = tool !== 'slurmbench' || known.length === 0 ? '' : verdict(known.every((ms) => ms <= TIME_TO_RESULT_GOAL_MS))
    rows.push([tool, ...walls.map((ms) => (ms === undefined ? 'failed' : formatSeconds(ms))), goal])
  }
  return `Time to result: wall time per benchmark, process start to exit (median of the invocations)\n${renderTable(rows)}`
}

function renderContention(report: SelfReport): string | undefined {
  const c = report.contention
  if (c === undefined) return undefined
  const { tools, workloads } = report.settings
  const rows: string[][] = [['tool', ...workloads]]
  for (const tool of tools)
    rows.push([
      tool,
      ...workloads.map((w) => {
        const rho = cellOf(report, tool, w)?.probeRho
        return rho === undefined ? '–' : rho.toFixed(2)
      }),
    ])
  return [
    `Machine contention: ${describeContention(c, 'process')}`,
    "Spearman ρ between the centre and that probe, across invocations (near +1: the spread is the machine's, not the tool's):",
    renderTable(rows),
  ].join('\n')
}

function renderFailures(report: SelfReport): string | undefined {
  if (report.failures.length === 0) return undefined
  const lines = report.failures.map((f) => `  ${f.tool} ${f.workload} (invocation ${f.invocation + 1}): ${f.message}`)
  return `Failed invocations (left out of the figures above)\n${lines.join('\n')}`
}

/** renderSelfReport renders the side-by-side comparison as plain text for stdout. */
export function renderSelfReport(report: SelfReport): string {
  const sections = [
    renderHeader(report),
    renderOverhead(report),
    renderStability(report),
    renderCentres(report),
    renderTimeToResult(report),
    renderContention(report),
    renderFailures(report),
  ]
  return `${sections.filter((s): s is string => s !== undefined).join('\n\n')}\n`
}
