// The noise doctor's analysis, pure: given interleaved rounds of two identical arms (A/A) and
// optionally arms with an injected slowdown, it measures each metric's noise, the false-alarm
// rate of the gate on A/A comparisons, the share of injected slowdowns flagged, and the -count
// needed to detect 5% and 10% changes with 95% power on this machine. Comparisons can be judged
// as `ab` judges: first after `count` rounds a side, then `step` more at a time while any verdict
// is inconclusive, up to `maxCount`.
import type { ResultsDocument } from '../results/schema.ts'
import { type ContentionSummary, summarizeContention } from '../stats/contention.ts'
import { requiredCount } from '../stats/power.ts'
import { pairedRatio } from '../stats/signed-rank.ts'
import { medianInterval } from '../stats/quantile-ci.ts'
import type { Random } from '../../common/prng.ts'
import { spearman } from '../stats/rank-correlation.ts'
import { coefficientOfVariation } from '../stats/summary.ts'
import type { Beyond, Policy } from '../compare/policy.ts'
import { nextRoundTarget } from './rounds.ts'
import { type SampleSet, sampleSetFromResults } from '../compare/sample-set.ts'
import { type JudgeOptions, judge, type VerdictKind, type VerdictReport } from '../compare/verdict.ts'

/** DoctorArm is one arm's merged rounds; `factor` is the injected slowdown (1 for the A arms). */
export interface DoctorArm {
  readonly label: string
  readonly factor: number
  readonly doc: ResultsDocument
  /** The contention probe (ns per load, harness/run/contention-probe.ts) taken before each round's run. */
  readonly probesNs?: readonly number[]
  /**
   * Paired runs: the A side measured in the same workers as this (injected) arm, which it is
   * judged against. Absent for the two A arms, which are each other's pairs.
   */
  readonly base?: ResultsDocument
}

/** DoctorRun is everything the doctor measured: two A arms first, then injected arms. */
export interface DoctorRun {
  /** Rounds a side before the first judgement (the whole comparison when maxCount is absent). */
  readonly count: number
  readonly comparisons: number
  /** Most rounds a side (as ab -max-count); each comparison spans this many rounds. Absent: count. */
  readonly maxCount?: number
  /** Rounds added a side while verdicts are inconclusive (as ab -step). */
  readonly step?: number
  /** Each comparison's two sides were measured in the same workers (ab's default pair mode). */
  readonly paired?: boolean
  readonly arms: readonly DoctorArm[]
}

/** MetricNoise describes one metric's noise on this machine. */
export interface MetricNoise {
  readonly name: string
  readonly unit: string
  readonly samples: number
  readonly median: number
  /** Coefficient of variation of all A samples (sd / mean). */
  readonly cv: number
  /** Paired runs: coefficient of variation of the A′/A ratios of the pairs, the noise a paired verdict sees. */
  readonly pairCv?: number
  /**
   * Median over blocks of `count` rounds of the CI half-width, relative: of the median of one
   * side, or (paired runs) of the ratio A′/A.
   */
  readonly ciHalfWidth: number
  /** -count needed for 95% power against a 5% / 10% change; undefined beyond 50. */
  readonly countFor5: number | undefined
  readonly countFor10: number | undefined
}

/** RuleOutcome counts verdicts of one kind of comparison under one "beyond" rule. */
export interface RuleOutcome {
  readonly beyond: Beyond
  /** `A/A` or the injected factor such as `×1.05`. */
  readonly comparison: string
  readonly factor: number
  readonly metricComparisons: number
  readonly counts: Readonly<Record<VerdictKind, number>>
  /** Mean rounds a side at the final judgement (count when judging is not sequential). */
  readonly meanRounds: number
  /** The same counts split by metric, in the order the metrics first appear. */
  readonly byMetric: readonly MetricOutcome[]
}

/** MetricOutcome counts one metric's verdicts within a RuleOutcome. */
export interface MetricOutcome {
  readonly name: string
  readonly unit: string
  readonly counts: Readonly<Record<VerdictKind, number>>
}

/** TimeContention is how one benchmark's time per op moved with the contention probe. */
export interface TimeContention {
  readonly name: string
  readonly samples: number
  /** Spearman's ρ between ns/op and the probe taken before the sample's run; undefined without spread. */
  readonly rho: number | undefined
}

/** ContentionReport describes the machine's memory-hierarchy contention over the doctor's runs. */
export interface ContentionReport {
  readonly summary: ContentionSummary
  /** One entry per benchmark of the A arms. */
  readonly time: readonly TimeContention[]
}

/** DoctorReport is the doctor's result. */
export interface DoctorReport {
  readonly count: number
  readonly comparisons: number
  readonly noise: readonly MetricNoise[]
  readonly outcomes: readonly RuleOutcome[]
  /** Present when the run probed the machine before each run (files from older versions did not). */
  readonly contention?: ContentionReport
}

/** AnalysisOptions configure the analysis. */
export interface AnalysisOptions {
  readonly policy: Policy
  /** Overrides every tolerance (percent), as the experiment's 2%. */
  readonly tolerancePct?: number
  readonly powerTrials: number
  readonly random: Random
}

/** roundsOf keeps the samples of rounds [lo, hi) of a merged document. */
export function roundsOf(doc: ResultsDocument, lo: number, hi: number, label: string): SampleSet {
  const sliced: ResultsDocument = { ...doc, benchmarks: doc.benchmarks.map((b) => ({ ...b, samples: b.samples.filter((s) => s.round >= lo && s.round < hi) })) }
  return sampleSetFromResults(sliced, label, label)
}

/** judgedCount is how many of `counts` were judged, that is neither new, missing nor ignored. */
export function judgedCount(counts: Readonly<Record<VerdictKind, number>>): number {
  return counts.regressed + counts.improved + counts.unchanged + counts.inconclusive
}

function emptyCounts(): Record<VerdictKind, number> {
  return { regressed: 0, improved: 0, unchanged: 0, inconclusive: 0, new: 0, missing: 0, ignored: 0 }
}

/** windowOf returns the rounds a comparison spans: maxCount when judging is sequential, else count. */
export function windowOf(run: Pick<DoctorRun, 'count' | 'maxCount'>): number {
  return Math.max(run.count, run.maxCount ?? run.count)
}

/**
 * judgeAsAb judges comparison `k` (rounds [k·window, (k+1)·window)) as ab does: after `count`
 * rounds a side, then after each further `step` while any verdict is inconclusive, up to the
 * window. Returns the final report and the rounds a side it used.
 */
export function judgeAsAb(
  base: DoctorArm,
  head: DoctorArm,
  k: number,
  run: DoctorRun,
  policy: Policy,
  judgeOptions: JudgeOptions,
): { report: VerdictReport; rounds: number } {
  const window = windowOf(run)
  const lo = k * window
  const baseDoc = head.base ?? base.doc
  const options = { ...judgeOptions, paired: run.paired === true }
  let rounds = run.count
  for (;;) {
    const report = judge(roundsOf(baseDoc, lo, lo + rounds, base.label), roundsOf(head.doc, lo, lo + rounds, head.label), policy, options)
    const next = nextRoundTarget(rounds, report.counts.inconclusive, window, Math.max(1, run.step ?? 1))
    if (next === undefined) return { report, rounds }
    rounds = next
  }
}

/** analyseDoctorRun computes the DoctorReport. */
export function analyseDoctorRun(run: DoctorRun, options: AnalysisOptions): DoctorReport {
  const [a1, a2, ...injected] = run.arms
  if (a1 === undefined || a2 === undefined) throw new Error('analyseDoctorRun: needs two A arms')
  // Noise: pool both A arms per metric; the interval width is that of `count` consecutive rounds.
  const noiseBlocks = Math.floor((run.comparisons * windowOf(run)) / run.count)
  const blocksOf = (arm: DoctorArm): SampleSet[] =>
    Array.from({ length: noiseBlocks }, (_, k) => roundsOf(arm.doc, k * run.count, (k + 1) * run.count, arm.label))
  const pools = new Map<string, { name: string; unit: string; values: number[]; halfWidths: number[] }>()
  for (const set of [...blocksOf(a1), ...blocksOf(a2)]) {
    for (const s of set.series) {
      const key = `${s.name}\u0000${s.unit}`
      const entry = pools.get(key) ?? { name: s.name, unit: s.unit, values: [], halfWidths: [] }
      for (const v of s.values) entry.values.push(v)
      const sorted = [...s.values].sort((x, y) => x - y)
      const ci = medianInterval(sorted, options.policy.confidence)
      if (Number.isFinite(ci.lo) && Number.isFinite(ci.hi) && ci.median !== 0) entry.halfWidths.push(Math.max(ci.hi / ci.median - 1, 1 - ci.lo / ci.median))
      pools.set(key, entry)
    }
  }
  const powerOptions = { alpha: options.policy.alpha, power: 0.95, trials: options.powerTrials, random: options.random }
  const pairs = run.paired === true ? pairRatios(a1, a2, run.count * noiseBlocks, options.policy.confidence, run.count) : undefined
  const middle = (xs: readonly number[]): number => {
    const sorted = [...xs].sort((x, y) => x - y)
    return sorted.length === 0 ? Infinity : (sorted[Math.floor((sorted.length - 1) / 2)] as number)
  }
  const noise: MetricNoise[] = [...pools.values()].map((p) => {
    const sorted = [...p.values].sort((x, y) => x - y)
    const paired = pairs?.get(`${p.name}\u0000${p.unit}`)
    const pool = paired?.ratios ?? p.values
    const power = { ...powerOptions, paired: paired !== undefined }
    return {
      name: p.name,
      unit: p.unit,
      samples: p.values.length,
      median: medianInterval(sorted, 0.95).median,
      // A metric that is always zero has no spread.
      cv: coefficientOfVariation(p.values) ?? 0,
      ...(paired !== undefined ? { pairCv: coefficientOfVariation(paired.ratios) ?? 0 } : {}),
      ciHalfWidth: middle(paired?.halfWidths ?? p.halfWidths),
      countFor5: requiredCount(pool, 0.05, power),
      countFor10: requiredCount(pool, 0.1, power),
    }
  })
  const outcomes: RuleOutcome[] = []
  for (const beyond of ['estimate', 'bound'] as const) {
    const judgeOptions = { beyond, ...(options.tolerancePct !== undefined ? { tolerancePct: options.tolerancePct } : {}) }
    const tally = (comparison: string, head: DoctorArm): void => {
      const counts = emptyCounts()
      const byMetric = new Map<string, { name: string; unit: string; counts: Record<VerdictKind, number> }>()
      let rounds = 0
      for (let k = 0; k < run.comparisons; k++) {
        const judged = judgeAsAb(a1, head, k, run, options.policy, judgeOptions)
        rounds += judged.rounds
        const report = judged.report
        for (const v of report.verdicts) {
          counts[v.verdict]++
          const key = `${v.name}\u0000${v.unit}`
          const metric = byMetric.get(key) ?? { name: v.name, unit: v.unit, counts: emptyCounts() }
          metric.counts[v.verdict]++
          byMetric.set(key, metric)
        }
      }
      outcomes.push({
        beyond,
        comparison,
        factor: head.factor,
        metricComparisons: judgedCount(counts),
        counts,
        meanRounds: rounds / run.comparisons,
        byMetric: [...byMetric.values()],
      })
    }
    tally('A/A', a2)
    for (const arm of injected) tally(`×${arm.factor}`, arm)
  }
  const contention = contentionOf(run.arms)
  return { count: run.count, comparisons: run.comparisons, noise, outcomes, ...(contention !== undefined ? { contention } : {}) }
}

/**
 * pairRatios returns, per metric, the A′/A ratio of every pair in rounds [0, rounds) (round k of
 * both arms came from one worker) and the relative half-width of the paired interval over each
 * block of `block` rounds.
 */
function pairRatios(a: DoctorArm, b: DoctorArm, rounds: number, confidence: number, block: number): Map<string, { ratios: number[]; halfWidths: number[] }> {
  const out = new Map<string, { ratios: number[]; halfWidths: number[] }>()
  const head = new Map<string, readonly number[]>(roundsOf(b.doc, 0, rounds, b.label).series.map((s) => [`${s.name}\u0000${s.unit}`, s.values]))
  for (const s of roundsOf(a.doc, 0, rounds, a.label).series) {
    const key = `${s.name}\u0000${s.unit}`
    const other = head.get(key)
    if (other === undefined || other.length !== s.values.length || s.values.some((v) => !(v > 0))) continue
    const ratios = other.map((v, k) => v / (s.values[k] as number))
    const halfWidths: number[] = []
    for (let lo = 0; lo + block <= ratios.length; lo += block) {
      const ci = pairedRatio(s.values.slice(lo, lo + block), other.slice(lo, lo + block), confidence)
      if (ci !== undefined && Number.isFinite(ci.lo) && Number.isFinite(ci.hi) && ci.lo > 0) halfWidths.push((ci.hi - ci.lo) / 2 / ci.estimate)
    }
    out.set(key, { ratios, halfWidths })
  }
  return out
}

// Pairs each A sample's ns/op with the probe taken before its run: a strong positive ρ says the
// benchmark's noise is the machine's, not the code's.
function contentionOf(arms: readonly DoctorArm[]): ContentionReport | undefined {
  const probes = arms.flatMap((a) => a.probesNs ?? [])
  if (probes.length === 0) return undefined
  const pairs = new Map<string, { times: number[]; probes: number[] }>()
  for (const arm of arms.slice(0, 2)) {
    const armProbes = arm.probesNs
    if (armProbes === undefined) continue
    for (const bench of arm.doc.benchmarks) {
      const entry = pairs.get(bench.name) ?? { times: [], probes: [] }
      for (const sample of bench.samples) {
        const ns = sample.metrics['ns/op']
        const probe = armProbes[sample.round]
        if (ns === undefined || probe === undefined) continue
        entry.times.push(ns)
        entry.probes.push(probe)
      }
      pairs.set(bench.name, entry)
    }
  }
  const time = [...pairs.entries()].map(([name, p]) => ({ name, samples: p.times.length, rho: spearman(p.times, p.probes) }))
  return { summary: summarizeContention(probes), time }
}
