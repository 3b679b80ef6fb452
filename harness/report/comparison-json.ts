// compare's JSON output: every table with its summaries and comparisons, and the verdicts.
import type { BenchTable } from '../compare/benchstat-table.ts'
import { cellKey } from '../compare/benchstat-table.ts'
import type { VerdictReport } from '../compare/verdict.ts'
import type { ComparisonMethod } from '../results/comparison-schema.ts'

/** COMPARISON_SCHEMA_VERSION versions the JSON output of compare, baseline check and ab. */
export const COMPARISON_SCHEMA_VERSION = 1

// JSON has no infinities: unbounded interval ends become null.
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null
}

/**
 * renderComparisonJson renders tables and the verdict reports (one per later input) as a JSON
 * document; `method` (ab's rounds, commits, machine, duration) feeds the PR comment's method line.
 * The shape is ComparisonDocument in results/comparison-schema.ts.
 */
export function renderComparisonJson(tables: readonly BenchTable[], reports: readonly VerdictReport[] = [], method?: ComparisonMethod): string {
  const doc = {
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    kind: 'slurmbench.comparison',
    tables: tables.map((t) => ({
      config: Object.fromEntries(t.config),
      unit: t.unit,
      better: t.better,
      assume: t.assume,
      columns: t.cols,
      rows: t.rows.map((row) => ({
        name: t.rowNames.get(row),
        cells: t.cols.flatMap((col) => {
          const cell = t.cells.get(cellKey(row, col))
          if (cell === undefined) return []
          return [
            {
              column: col,
              n: cell.values.length,
              center: cell.summary.center,
              lo: finite(cell.summary.lo),
              hi: finite(cell.summary.hi),
              confidence: cell.summary.confidence,
              warnings: cell.summary.warnings,
              ...(cell.comparison !== undefined && cell.baseline !== undefined
                ? {
                    vsBase: {
                      ratio: cell.baseline.summary.center === 0 ? null : cell.summary.center / cell.baseline.summary.center,
                      p: cell.comparison.p,
                      significant: !(cell.comparison.p > cell.comparison.alpha),
                      warnings: cell.comparison.warnings,
                    },
                  }
                : {}),
            },
          ]
        }),
      })),
      geomean: Object.fromEntries(
        t.cols.map((col) => {
          const s = t.summaries.get(col)
          return [col, { summary: s?.summary ?? null, ratio: s?.ratio ?? null, warnings: s?.warnings ?? [] }]
        }),
      ),
    })),
    ...(reports.length > 0
      ? {
          verdicts: reports.map((verdicts) => ({
            ...verdicts,
            verdicts: verdicts.verdicts.map((v) => ({
              ...v,
              ...(v.base ? { base: { ...v.base, lo: finite(v.base.lo), hi: finite(v.base.hi) } } : {}),
              ...(v.head ? { head: { ...v.head, lo: finite(v.head.lo), hi: finite(v.head.hi) } } : {}),
              ...(v.change ? { change: { estimate: finite(v.change.estimate), lo: finite(v.change.lo), hi: finite(v.change.hi) } } : {}),
            })),
          })),
        }
      : {}),
    ...(method !== undefined ? { method } : {}),
  }
  return `${JSON.stringify(doc, null, 2)}\n`
}
