// The doctor's report for a terminal: each metric's noise, the machine's contention, and the
// gate's outcomes per rule and per benchmark (false alarms on A/A, detections on injected arms).
import { type DoctorReport, type DoctorRun, judgedCount, windowOf } from '../ab/doctor-analysis.ts'
import type { Beyond } from '../compare/policy.ts'
import { POWER_CANDIDATE_COUNTS } from '../stats/power.ts'
import { describeContention } from './contention.ts'
import { classOf, scaleOne, toFixedGo } from './scale.ts'
import { TextLayout } from './text-layout.ts'

function pct(x: number): string {
  return Number.isFinite(x) ? `${toFixedGo(x * 100, 1)}%` : '∞'
}

function renderContention(c: NonNullable<DoctorReport['contention']>): string {
  let out = `\nmachine contention: ${describeContention(c.summary, 'run')}\n`
  const rhos = c.time.filter((t) => t.rho !== undefined)
  if (rhos.length > 0) {
    out += `time per op against the probe (Spearman ρ over the A samples): ${rhos.map((t) => `${t.name.replace(/^Benchmark/, '')} ${(t.rho as number).toFixed(2)}`).join(', ')}\n`
    out +=
      'A ρ near +1 means the noise comes from outside the benchmark (other tenants, SMT siblings, the host): more -count or a quieter machine lowers it, not a code change.\n'
  }
  return out
}

// Splits the outcomes by metric: which benchmarks this machine can gate, and which only ever
// come out inconclusive. The policy's rule comes first.
function renderPerMetric(report: DoctorReport, policyBeyond: Beyond): string {
  const rules = [policyBeyond, ...(['estimate', 'bound'] as const).filter((b) => b !== policyBeyond)]
  const byRule = rules.map((beyond) => ({ beyond, outcomes: report.outcomes.filter((o) => o.beyond === beyond) }))
  const first = byRule[0]?.outcomes
  if (first === undefined || first.length === 0 || (first[0]?.byMetric.length ?? 0) < 2) return ''
  const layout = new TextLayout()
  layout.row().cell('rule').cell('benchmark').cell('unit')
  for (const o of first) layout.cell(o.factor === 1 ? `${o.comparison} false alarms` : `${o.comparison} flagged`)
  for (const { beyond, outcomes } of byRule) {
    for (const m of outcomes[0]?.byMetric ?? []) {
      layout
        .row()
        .cell(beyond === policyBeyond ? `${beyond} (policy)` : beyond)
        .cell(m.name.replace(/^Benchmark/, ''))
        .cell(m.unit)
      for (const o of outcomes) {
        const counts = o.byMetric.find((x) => x.name === m.name && x.unit === m.unit)?.counts
        const judged = counts === undefined ? 0 : judgedCount(counts)
        if (counts === undefined || judged === 0) {
          layout.cell('–')
          continue
        }
        const hits = o.factor === 1 ? counts.regressed + counts.improved : counts.regressed
        layout.cell(`${hits}/${judged} (${pct(hits / judged)})`)
      }
    }
  }
  return `\nper benchmark:\n${layout.format()}`
}

/** renderDoctorText renders the report for a terminal. */
export function renderDoctorText(report: DoctorReport, run: DoctorRun, trials: number, seed: number, tolerancePct: number | undefined, beyond: Beyond): string {
  const env = run.arms[0]?.doc.environment
  const judging =
    windowOf(run) > run.count
      ? `judged as ab: ${run.count} rounds a side, +${run.step ?? 1} while inconclusive, up to ${windowOf(run)}`
      : `${run.count} samples a side`
  let out = `doctor: ${run.comparisons} A/A comparisons, ${judging}${
    run.arms.length > 2
      ? ` (+ injected ${run.arms
          .slice(2)
          .map((a) => `×${a.factor}`)
          .join(', ')})`
      : ''
  }, ${run.paired === true ? 'paired rounds (both sides in each worker)' : 'interleaved rounds'}`
  if (env !== undefined)
    out += ` on ${env.cpuModel} (${env.cores} cores), Node ${env.node}, load average ${env.loadAverage.map((l) => l.toFixed(2)).join(' ')} at start`
  out += '\n\nnoise per benchmark (all A samples):\n'
  const noise = new TextLayout()
  const paired = run.paired === true
  noise.row().cell('benchmark').cell('unit').cell('n').cell('median').cell('CV')
  if (paired) noise.cell('pair CV')
  noise.cell(`CI ± at n=${run.count}`).cell('-count for 5%').cell('-count for 10%')
  const largest = POWER_CANDIDATE_COUNTS[POWER_CANDIDATE_COUNTS.length - 1]
  for (const m of report.noise) {
    noise
      .row()
      .cell(m.name.replace(/^Benchmark/, ''))
      .cell(m.unit)
      .cell(String(m.samples))
      .cell(scaleOne(m.median, classOf(m.unit)))
      .cell(pct(m.cv))
    if (paired) noise.cell(m.pairCv === undefined ? '–' : pct(m.pairCv))
    noise
      .cell(pct(m.ciHalfWidth))
      .cell(m.countFor5 === undefined ? `> ${largest}` : String(m.countFor5))
      .cell(m.countFor10 === undefined ? `> ${largest}` : String(m.countFor10))
  }
  out += noise.format()
  if (report.contention !== undefined) out += renderContention(report.contention)
  out += `\ngate outcomes per metric comparison (tolerance: ${tolerancePct === undefined ? 'from the policy' : `${tolerancePct}% for every metric`}):\n`
  const gate = new TextLayout()
  gate.row().cell('rule').cell('comparison').cell('metrics').cell('regressed').cell('improved').cell('unchanged').cell('inconclusive').cell('rounds a side')
  for (const o of report.outcomes) {
    const share = (n: number): string => `${n} (${o.metricComparisons === 0 ? '–' : pct(n / o.metricComparisons)})`
    gate
      .row()
      .cell(o.beyond)
      .cell(o.comparison)
      .cell(String(o.metricComparisons))
      .cell(share(o.counts.regressed))
      .cell(share(o.counts.improved))
      .cell(share(o.counts.unchanged))
      .cell(share(o.counts.inconclusive))
      .cell(toFixedGo(o.meanRounds, 1))
  }
  out += gate.format()
  out += renderPerMetric(report, beyond)
  out += `\nA/A: every regressed or improved is a false alarm; ×f: regressed is a detection. Power: ${trials} resampling trials per -count, seed ${seed}, ${paired ? "signed-rank test on resampled A/A pair ratios (pair CV: the ratios' spread, what a paired verdict sees)" : 'two-sided U test'} at the policy's α, 95% power.\n`
  return out
}
