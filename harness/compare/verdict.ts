// Verdicts per metric from two sample sets and the tolerance policy:
//   regressed    significant after Benjamini–Hochberg across the run's metrics AND worse beyond tolerance
//   improved     the same, better beyond tolerance
//   unchanged    the confidence interval of the change lies inside ±tolerance
//   inconclusive anything else (more rounds would tell), and always when a side has < minSamples
//   new/missing  only in head / only in base
// Exact metrics (counts, sizes) skip the statistics: any change beyond tolerance counts.
// Paired sides (sample k of both from one worker, ab's pair mode) are judged on the ratios of the
// pairs: Wilcoxon's signed-rank test and Tukey's interval instead of the U test and Moses'.
import { ZERO_WHEN_ABSENT } from '../results/sample-units.ts'
import type { Better } from '../results/schema.ts'
import { benjaminiHochberg } from '../stats/benjamini-hochberg.ts'
import { medianInterval } from '../stats/quantile-ci.ts'
import { ratioInterval } from '../stats/ratio-ci.ts'
import { pairedRatio } from '../stats/signed-rank.ts'
import { compareSamples, summarize } from '../stats/summary.ts'
import { type Beyond, type Policy, type ResolvedSettings, resolveSettings } from './policy.ts'
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

function benchmarkKey(s: MetricSeries): string {
  return `${s.config.pkg ?? ''}\u0000${s.name}`
}

function metricKey(s: MetricSeries): string {
  return `${benchmarkKey(s)}\u0000${s.unit}`
}

function collect(set: SampleSet): Map<string, MetricSeries> {
  const map = new Map<string, MetricSeries>()
  for (const s of set.series) {
    const key = metricKey(s)
    const prior = map.get(key)
    // The same metric under two configurations of one input (rare) pools its samples.
    map.set(key, prior === undefined ? s : { ...prior, values: prior.values.concat(s.values) })
  }
  return map
}

/**
 * fillZeroWhenAbsent gives a side that never printed a unit of ZERO_WHEN_ABSENT (no sample
 * measured off-heap bytes) a series of zeros, one per sample of that benchmark on that side, when
 * the other side has the unit: "read 0 every time" is a value to compare, not a missing metric.
 */
function fillZeroWhenAbsent(from: ReadonlyMap<string, MetricSeries>, into: Map<string, MetricSeries>): void {
  const samples = new Map<string, number>()
  for (const s of into.values()) {
    const bench = benchmarkKey(s)
    samples.set(bench, Math.max(samples.get(bench) ?? 0, s.values.length))
  }
  for (const [key, s] of from) {
    if (into.has(key) || !ZERO_WHEN_ABSENT.has(s.rawUnit)) continue
    const n = samples.get(benchmarkKey(s)) ?? 0
    if (n > 0) into.set(key, { ...s, values: new Array<number>(n).fill(0) })
  }
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

/** MetricInput is one metric to judge: its identity, resolved settings and each side's samples (absent: not measured there). */
export interface MetricInput {
  readonly name: string
  readonly pkg: string
  readonly unit: string
  readonly rawUnit: string
  readonly settings: ResolvedSettings
  readonly base?: readonly number[]
  readonly head?: readonly number[]
}

/** JudgeRules are the comparison-wide settings a metric is judged under. */
export interface JudgeRules {
  readonly alpha: number
  readonly confidence: number
  readonly minSamples: number
  readonly beyond: Beyond
  /** Sample k of both sides came from one worker: compare pair by pair. */
  readonly paired: boolean
}

/**
 * MetricAssessment is a metric after its own test, before the correction across metrics:
 * either final (new, missing, ignored, exact, too few samples) or tested, waiting for its q.
 */
export type MetricAssessment =
  | { readonly kind: 'final'; readonly verdict: MetricVerdict }
  | { readonly kind: 'tested'; readonly verdict: Omit<MetricVerdict, 'verdict' | 'q'> & { readonly p: number; readonly change: ChangeEstimate } }

/**
 * assessMetric judges one metric on its own: new/missing, ignored, exact metrics beyond
 * tolerance, too few samples; otherwise the test's p-value and the change's interval.
 */
export function assessMetric(input: MetricInput, rules: JudgeRules): MetricAssessment {
  const { settings } = input
  const common = {
    name: input.name,
    pkg: input.pkg,
    unit: input.unit,
    rawUnit: input.rawUnit,
    better: settings.better,
    exact: settings.exact,
    tolerancePct: settings.tolerancePct,
    origin: settings.origin,
    ...(settings.why !== undefined ? { why: settings.why } : {}),
  }
  const b = input.base
  const h = input.head
  if (b === undefined || h === undefined) {
    const only = (b ?? h) as readonly number[]
    const summary = side(only, settings.exact, rules.confidence)
    return {
      kind: 'final',
      verdict: { ...common, verdict: b === undefined ? 'new' : 'missing', ...(b === undefined ? { head: summary } : { base: summary }), warnings: [] },
    }
  }
  const baseSide = side(b, settings.exact, rules.confidence)
  const headSide = side(h, settings.exact, rules.confidence)
  const tolerance = settings.tolerancePct / 100
  const warnings: string[] = []
  if (settings.ignore) return { kind: 'final', verdict: { ...common, verdict: 'ignored', base: baseSide, head: headSide, warnings } }
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
    return { kind: 'final', verdict: { ...common, verdict, base: baseSide, head: headSide, change: { estimate: change, lo: change, hi: change }, warnings } }
  }
  const pairs = rules.paired ? pairedRatio(b, h, rules.confidence) : undefined
  if (rules.paired && pairs === undefined) {
    warnings.push(b.length === h.length ? 'values ≤ 0: compared unpaired' : `${b.length} base and ${h.length} head samples: compared unpaired`)
  }
  const p =
    pairs?.p ??
    compareSamples(
      [...b].sort((x, y) => x - y),
      [...h].sort((x, y) => x - y),
      'nothing',
      rules.alpha,
    ).p
  const ci = pairs ?? ratioInterval(b, h, rules.confidence)
  const change: ChangeEstimate = {
    estimate: (pairs?.estimate ?? ratioOfCentres) - 1,
    lo: ci === undefined ? -Infinity : ci.lo - 1,
    hi: ci === undefined ? Infinity : ci.hi - 1,
  }
  if (ci === undefined) warnings.push('values ≤ 0: no interval of the ratio')
  const paired = pairs !== undefined ? { paired: true } : {}
  if (b.length < rules.minSamples || h.length < rules.minSamples) {
    warnings.push(`need ≥ ${rules.minSamples} samples a side to judge, have ${b.length}+${h.length}; add -count`)
    return { kind: 'final', verdict: { ...common, verdict: 'inconclusive', base: baseSide, head: headSide, change, p, ...paired, warnings } }
  }
  // Every sample of both sides is one value (0 allocs/op, 2 B/op): the change is none at all, though
  // a ratio of zeros has no interval. Left inconclusive, such a metric kept ab adding rounds.
  const value = b[0]
  if (b.every((v) => v === value) && h.every((v) => v === value)) {
    const none = { estimate: 0, lo: 0, hi: 0 }
    return { kind: 'final', verdict: { ...common, verdict: 'unchanged', base: baseSide, head: headSide, change: none, p, ...paired, warnings: [] } }
  }
  return { kind: 'tested', verdict: { ...common, base: baseSide, head: headSide, change, p, ...paired, warnings } }
}

/** TestedRule is what decides a tested metric's verdict once its q-value is known. */
export interface TestedRule {
  readonly change: ChangeEstimate
  readonly better: Better
  readonly tolerancePct: number
  /** Benjamini–Hochberg adjusted p-value. */
  readonly q: number
  readonly alpha: number
  readonly beyond: Beyond
}

/**
 * decideTested is the rule for a tested metric: regressed (improved) when q ≤ α and the change is
 * worse (better) beyond tolerance, by the estimate or by the interval's near bound; unchanged when
 * the whole interval lies inside ±tolerance; inconclusive otherwise.
 */
export function decideTested(rule: TestedRule): VerdictKind {
  const { change, better } = rule
  const tolerance = rule.tolerancePct / 100
  const significant = rule.q <= rule.alpha
  // The change's interval as "worse" amounts: [best case, worst case].
  const worseEstimate = worse(change.estimate, better)
  const worseBest = better === 'lower' ? change.lo : -change.hi
  const worseWorst = better === 'lower' ? change.hi : -change.lo
  const beyondWorse = rule.beyond === 'estimate' ? worseEstimate > tolerance : worseBest > tolerance
  const beyondBetter = rule.beyond === 'estimate' ? -worseEstimate > tolerance : -worseWorst > tolerance
  if (significant && beyondWorse) return 'regressed'
  if (significant && beyondBetter) return 'improved'
  if (change.lo >= -tolerance && change.hi <= tolerance) return 'unchanged'
  return 'inconclusive'
}

/** settleVerdicts applies Benjamini–Hochberg across the tested metrics and decides each of them. */
export function settleVerdicts(assessments: readonly MetricAssessment[], rules: Pick<JudgeRules, 'alpha' | 'beyond'>): MetricVerdict[] {
  const ps: number[] = []
  for (const a of assessments) if (a.kind === 'tested') ps.push(a.verdict.p)
  const qs = benjaminiHochberg(ps)
  let next = 0
  return assessments.map((a) => {
    if (a.kind === 'final') return a.verdict
    const q = qs[next++] as number
    const v = a.verdict
    const verdict = decideTested({ change: v.change, better: v.better, tolerancePct: v.tolerancePct, q, alpha: rules.alpha, beyond: rules.beyond })
    return { ...v, verdict, q }
  })
}

/** judge compares head with base metric by metric. */
export function judge(base: SampleSet, head: SampleSet, policy: Policy, options: JudgeOptions = {}): VerdictReport {
  const beyond = options.beyond ?? policy.beyond
  const rules: JudgeRules = { alpha: policy.alpha, confidence: policy.confidence, minSamples: policy.minSamples, beyond, paired: options.paired === true }
  const baseMap = collect(base)
  const headMap = collect(head)
  fillZeroWhenAbsent(baseMap, headMap)
  fillZeroWhenAbsent(headMap, baseMap)
  const keys = new Set(baseMap.keys())
  for (const key of headMap.keys()) keys.add(key)
  const assessments: MetricAssessment[] = []
  for (const key of keys) {
    const b = baseMap.get(key)
    const h = headMap.get(key)
    const any = (b ?? h) as MetricSeries
    const resolved = resolveSettings(policy, { name: any.name, unit: any.unit, rawUnit: any.rawUnit, better: any.better, exact: any.assume === 'exact' })
    const settings = options.tolerancePct === undefined ? resolved : { ...resolved, tolerancePct: options.tolerancePct }
    assessments.push(
      assessMetric(
        {
          name: any.name,
          pkg: any.config.pkg ?? '',
          unit: any.unit,
          rawUnit: any.rawUnit,
          settings,
          ...(b !== undefined ? { base: b.values } : {}),
          ...(h !== undefined ? { head: h.values } : {}),
        },
        rules,
      ),
    )
  }
  const verdicts = settleVerdicts(assessments, rules)
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
