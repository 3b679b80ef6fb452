// Verdicts per metric from two sample sets and the tolerance policy:
//   regressed    significant after Benjamini–Hochberg across the run's metrics AND worse beyond tolerance
//   improved     the same, better beyond tolerance
//   unchanged    the confidence interval of the change lies inside ±tolerance
//   inconclusive anything else (more rounds would tell), and always when a side has < minSamples
//   new/missing  only in head / only in base
// Exact metrics (counts, sizes) skip the statistics: any change beyond tolerance counts.
// Paired sides (sample k of both from one worker, ab's pair mode) are judged on the ratios of the
// pairs: Wilcoxon's signed-rank test and Tukey's interval instead of the U test and Moses'.
import type { Better } from '../results/schema.ts'
import { benjaminiHochberg } from '../stats/benjamini-hochberg.ts'
import { medianInterval } from '../stats/quantile-ci.ts'
import { ratioInterval } from '../stats/ratio-ci.ts'
import { pairedRatio } from '../stats/signed-rank.ts'
import { compareSamples, summarize } from '../stats/summary.ts'
import { type Beyond, type Policy, resolveSettings } from './policy.ts'
import type { MetricSeries, SampleSet } from './sample-set.ts'

/** VerdictKind is the judgement of one metric. */
export type VerdictKind = 'regressed' | 'improved' | 'unchanged' | 'inconclusive' | 'new' | 'missing' | 'ignored'

/** VERDICT_KINDS lists the kinds in report order (worst first). */
export const VERDICT_KINDS: readonly VerdictKind[] = ['regressed', 'inconclusive', 'improved', 'unchanged', 'new', 'missing', 'ignored']

/** SideSummary is one side's centre and interval (median, or mode/min/max for exact metrics). */
export interface SideSummary {
  readonly n: number
  readonly center: number
  readonly lo: number
  readonly hi: number
}

/** ChangeEstimate is the relative change new/old − 1 with its interval (fractions: 0.05 = +5%). */
export interface ChangeEstimate {
  /** Ratio of the centres, as benchstat's delta. */
  readonly estimate: number
  readonly lo: number
  readonly hi: number
}

/** MetricVerdict is the judgement of one (benchmark, unit). */
export interface MetricVerdict {
  readonly name: string
  readonly pkg: string
  /** Tidied unit (`sec/op`). */
  readonly unit: string
  readonly rawUnit: string
  readonly verdict: VerdictKind
  readonly better: Better
  readonly exact: boolean
  readonly tolerancePct: number
  /** Which policy entry decided the settings, and its reason. */
  readonly origin: string
  readonly why?: string
  readonly base?: SideSummary
  readonly head?: SideSummary
  readonly change?: ChangeEstimate
  /** Raw two-sided p-value: Mann–Whitney, or Wilcoxon signed-rank when paired. */
  readonly p?: number
  /** The sides were compared pair by pair. */
  readonly paired?: boolean
  /** Benjamini–Hochberg adjusted p-value across the metrics of this comparison. */
  readonly q?: number
  readonly warnings: readonly string[]
}

/** VerdictReport is the whole judgement of head against base. */
export interface VerdictReport {
  readonly baseLabel: string
  readonly headLabel: string
  readonly verdicts: readonly MetricVerdict[]
  readonly counts: Readonly<Record<VerdictKind, number>>
  /** True when the environments differ and --allow-cross-env was not given: verdicts do not gate. */
  readonly informational: boolean
  readonly settings: { readonly alpha: number; readonly confidence: number; readonly beyond: Beyond; readonly minSamples: number; readonly policy: string }
  readonly warnings: readonly string[]
}

/** JudgeOptions tune a judgement beyond the policy file. */
export interface JudgeOptions {
  readonly informational?: boolean
  readonly warnings?: readonly string[]
  /** Overrides the policy's `beyond` (the experiment compares both). */
  readonly beyond?: Beyond
  /** Overrides every tolerance (the experiment sets 2%). */
  readonly tolerancePct?: number
  /** Sample k of base and head were measured together (ab's pair mode): compare pair by pair. */
  readonly paired?: boolean
}

function metricKey(s: MetricSeries): string {
  return `${s.config.pkg ?? ''}\u0000${s.name}\u0000${s.unit}`
}

function collect(set: SampleSet): Map<string, MetricSeries> {
  const map = new Map<string, MetricSeries>()
  for (const s of set.series) {
    const key = metricKey(s)
    const prior = map.get(key)
    // The same metric under two configurations of one input (rare) pools its samples.
    map.set(key, prior === undefined ? s : { ...prior, values: [...prior.values, ...s.values] })
  }
  return map
}

function side(values: readonly number[], exact: boolean, confidence: number): SideSummary {
  const sorted = [...values].sort((a, b) => a - b)
  if (exact) {
    const s = summarize(sorted, 'exact', confidence)
    return { n: sorted.length, center: s.center, lo: s.lo, hi: s.hi }
  }
  const m = medianInterval(sorted, confidence)
  return { n: sorted.length, center: m.median, lo: m.lo, hi: m.hi }
}

// worse returns how much worse a relative change is for the metric's direction (positive = worse).
function worse(change: number, better: Better): number {
  return better === 'lower' ? change : -change
}

interface Pending {
  readonly verdict: Omit<MetricVerdict, 'verdict' | 'q'> & { verdict?: VerdictKind }
  readonly testable: boolean
}

/** judge compares head with base metric by metric. */
export function judge(base: SampleSet, head: SampleSet, policy: Policy, options: JudgeOptions = {}): VerdictReport {
  const beyond = options.beyond ?? policy.beyond
  const baseMap = collect(base)
  const headMap = collect(head)
  const keys = [...new Set([...baseMap.keys(), ...headMap.keys()])]
  const pending: Pending[] = []
  for (const key of keys) {
    const b = baseMap.get(key)
    const h = headMap.get(key)
    const any = (b ?? h) as MetricSeries
    const settings = resolveSettings(policy, { name: any.name, unit: any.unit, rawUnit: any.rawUnit, better: any.better, exact: any.assume === 'exact' })
    const tolerancePct = options.tolerancePct ?? settings.tolerancePct
    const common = {
      name: any.name,
      pkg: any.config.pkg ?? '',
      unit: any.unit,
      rawUnit: any.rawUnit,
      better: settings.better,
      exact: settings.exact,
      tolerancePct,
      origin: settings.origin,
      ...(settings.why !== undefined ? { why: settings.why } : {}),
    }
    if (b === undefined || h === undefined) {
      const only = (b ?? h) as MetricSeries
      const summary = side(only.values, settings.exact, policy.confidence)
      pending.push({
        verdict: { ...common, verdict: b === undefined ? 'new' : 'missing', ...(b === undefined ? { head: summary } : { base: summary }), warnings: [] },
        testable: false,
      })
      continue
    }
    const baseSide = side(b.values, settings.exact, policy.confidence)
    const headSide = side(h.values, settings.exact, policy.confidence)
    const tolerance = tolerancePct / 100
    const warnings: string[] = []
    if (settings.ignore) {
      pending.push({ verdict: { ...common, verdict: 'ignored', base: baseSide, head: headSide, warnings }, testable: false })
      continue
    }
    const ratioOfCentres = baseSide.center === headSide.center ? 1 : baseSide.center === 0 ? Infinity : headSide.center / baseSide.center
    if (settings.exact) {
      for (const [label, s] of [
        ['base', baseSide],
        ['head', headSide],
      ] as const) {
        if (s.lo !== s.hi) warnings.push(`${label}: exact metric varies from ${s.lo} to ${s.hi}; comparing the most common value`)
      }
      const change = ratioOfCentres - 1
      const w = worse(change, settings.better)
      const verdict: VerdictKind = w > tolerance ? 'regressed' : -w > tolerance ? 'improved' : 'unchanged'
      pending.push({
        verdict: { ...common, verdict, base: baseSide, head: headSide, change: { estimate: change, lo: change, hi: change }, warnings },
        testable: false,
      })
      continue
    }
    const pairs = options.paired === true ? pairedRatio(b.values, h.values, policy.confidence) : undefined
    if (options.paired === true && pairs === undefined) {
      warnings.push(
        b.values.length === h.values.length
          ? 'values ≤ 0: compared unpaired'
          : `${b.values.length} base and ${h.values.length} head samples: compared unpaired`,
      )
    }
    const p =
      pairs?.p ??
      compareSamples(
        [...b.values].sort((x, y) => x - y),
        [...h.values].sort((x, y) => x - y),
        'nothing',
        policy.alpha,
      ).p
    const ci = pairs ?? ratioInterval(b.values, h.values, policy.confidence)
    const change: ChangeEstimate = {
      estimate: (pairs?.estimate ?? ratioOfCentres) - 1,
      lo: ci === undefined ? -Infinity : ci.lo - 1,
      hi: ci === undefined ? Infinity : ci.hi - 1,
    }
    if (ci === undefined) warnings.push('values ≤ 0: no interval of the ratio')
    const paired = pairs !== undefined ? { paired: true } : {}
    if (b.values.length < policy.minSamples || h.values.length < policy.minSamples) {
      warnings.push(`need ≥ ${policy.minSamples} samples a side to judge, have ${b.values.length}+${h.values.length}; add -count`)
      pending.push({ verdict: { ...common, verdict: 'inconclusive', base: baseSide, head: headSide, change, p, ...paired, warnings }, testable: false })
      continue
    }
    pending.push({ verdict: { ...common, base: baseSide, head: headSide, change, p, ...paired, warnings }, testable: true })
  }
  // Benjamini–Hochberg over every metric that was tested.
  const tested = pending.filter((x) => x.testable)
  const qs = benjaminiHochberg(tested.map((x) => x.verdict.p as number))
  const qByPending = new Map<Pending, number>()
  tested.forEach((x, i) => qByPending.set(x, qs[i] as number))
  const verdicts: MetricVerdict[] = pending.map((x) => {
    if (!x.testable) return x.verdict as MetricVerdict
    const v = x.verdict
    const q = qByPending.get(x) as number
    const change = v.change as ChangeEstimate
    const tolerance = v.tolerancePct / 100
    const significant = q <= policy.alpha
    // The change's interval as "worse" amounts: [best case, worst case].
    const worseEstimate = worse(change.estimate, v.better)
    const worseBest = v.better === 'lower' ? change.lo : -change.hi
    const worseWorst = v.better === 'lower' ? change.hi : -change.lo
    const beyondWorse = beyond === 'estimate' ? worseEstimate > tolerance : worseBest > tolerance
    const beyondBetter = beyond === 'estimate' ? -worseEstimate > tolerance : -worseWorst > tolerance
    let verdict: VerdictKind
    if (significant && beyondWorse) verdict = 'regressed'
    else if (significant && beyondBetter) verdict = 'improved'
    else if (change.lo >= -tolerance && change.hi <= tolerance) verdict = 'unchanged'
    else verdict = 'inconclusive'
    return { ...(v as MetricVerdict), verdict, q }
  })
  const counts = Object.fromEntries(VERDICT_KINDS.map((k) => [k, 0])) as Record<VerdictKind, number>
  for (const v of verdicts) counts[v.verdict]++
  return {
    baseLabel: base.label,
    headLabel: head.label,
    verdicts,
    counts,
    informational: options.informational ?? false,
    settings: { alpha: policy.alpha, confidence: policy.confidence, beyond, minSamples: policy.minSamples, policy: policy.source },
    warnings: [...(options.warnings ?? []), ...base.warnings.map((w) => `${base.label}: ${w}`), ...head.warnings.map((w) => `${head.label}: ${w}`)],
  }
}

/** FailOn says which verdicts fail the gate besides regressions. */
export type FailOn = 'regressed' | 'inconclusive'

/** gateExitCode is 1 when a regression (or, with failOn inconclusive, an inconclusive verdict) gates, else 0. */
export function gateExitCode(report: VerdictReport, failOn: FailOn): number {
  if (report.informational) return 0
  if (report.counts.regressed > 0) return 1
  if (failOn === 'inconclusive' && report.counts.inconclusive > 0) return 1
  return 0
}
