// The statistics and the schedule of `slurmbench self` (pure): the CV is taken across
// invocations, each a fresh process, and the order of the processes rotates.
import { median as medianOrNaN } from '../../common/median.ts'
import { spearman } from '../stats/rank-correlation.ts'
import { coefficientOfVariation } from '../stats/summary.ts'
import type { Cell, Job, Measurement, SelfTool, SelfWorkload } from './types.ts'

/** median returns the middle of `values` (the mean of the two middles), undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : medianOrNaN(values)
}

/** summarise folds the measurements into one cell per tool and workload, in the given order. */
export function summarise(measurements: readonly Measurement[], tools: readonly SelfTool[], workloads: readonly SelfWorkload[]): Cell[] {
  const cells: Cell[] = []
  for (const tool of tools) {
    for (const workload of workloads) {
      const mine = measurements.filter((m) => m.tool === tool && m.workload === workload)
      const centres = mine.map((m) => m.centreNs)
      const probed = mine.filter((m) => m.probeNs !== undefined)
      cells.push({
        tool,
        workload,
        centreNs: median(centres),
        cvRatio: coefficientOfVariation(centres),
        wallMs: median(mine.map((m) => m.wallMs)),
        invocations: mine.length,
        probeRho:
          probed.length < 3
            ? undefined
            : spearman(
                probed.map((m) => m.centreNs),
                probed.map((m) => m.probeNs as number),
              ),
      })
    }
  }
  return cells
}

/**
 * planJobs lists every process to start, invocation by invocation. Within an invocation the
 * order rotates, so that no tool or workload always runs first (after a quiet spell) or last:
 * drift on a shared machine then spreads over all of them, as the runner's interleaved rounds do.
 */
export function planJobs(tools: readonly SelfTool[], workloads: readonly SelfWorkload[], invocations: number): Job[] {
  const pairs = workloads.flatMap((workload) => tools.map((tool) => ({ tool, workload })))
  const jobs: Job[] = []
  for (let invocation = 0; invocation < invocations; invocation++) {
    const shift = pairs.length === 0 ? 0 : invocation % pairs.length
    for (const pair of [...pairs.slice(shift), ...pairs.slice(0, shift)]) jobs.push({ ...pair, invocation })
  }
  return jobs
}
