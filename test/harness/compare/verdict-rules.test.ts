// The verdict rules one by one, as tables: the per-metric assessment (new/missing, ignored, exact,
// too few samples, paired or unpaired), the decision on a tested metric (tolerance, α after
// Benjamini–Hochberg, the estimate and bound rules) and the correction across metrics.
import { describe, expect, it } from 'vitest'
import type { ResolvedSettings } from '../../../harness/compare/policy.ts'
import {
  assessMetric,
  type ChangeEstimate,
  decideTested,
  type JudgeRules,
  type MetricAssessment,
  type MetricInput,
  settleVerdicts,
  type VerdictKind,
} from '../../../harness/compare/verdict.ts'

const SETTINGS: ResolvedSettings = { tolerancePct: 5, better: 'lower', exact: false, ignore: false, origin: 'default' }
const RULES: JudgeRules = { alpha: 0.05, confidence: 0.95, minSamples: 4, beyond: 'bound', paired: false }

function input(base: readonly number[] | undefined, head: readonly number[] | undefined, settings: Partial<ResolvedSettings> = {}): MetricInput {
  return {
    name: 'BenchmarkX',
    pkg: 'p',
    unit: 'sec/op',
    rawUnit: 'ns/op',
    settings: { ...SETTINGS, ...settings },
    ...(base !== undefined ? { base } : {}),
    ...(head !== undefined ? { head } : {}),
  }
}

// Ten samples spread ±1% around a centre, the same spread on each side.
const around = (center: number, n = 10): number[] => Array.from({ length: n }, (_, i) => center * (1 + (i - (n - 1) / 2) * 0.002))

function kindOf(a: MetricAssessment): string {
  return a.kind === 'final' ? a.verdict.verdict : 'tested'
}

describe('assessMetric: the rules applied to one metric alone', () => {
  const cases: ReadonlyArray<{ rule: string; input: MetricInput; rules?: Partial<JudgeRules>; expected: string; warning?: string }> = [
    { rule: 'only in head: new', input: input(undefined, around(100)), expected: 'new' },
    { rule: 'only in base: missing', input: input(around(100), undefined), expected: 'missing' },
    { rule: 'ignored by the policy, however large the change', input: input(around(100), around(300), { ignore: true }), expected: 'ignored' },
    { rule: 'exact, +10% against 5%: regressed without a test', input: input([100], [110], { exact: true }), expected: 'regressed' },
    { rule: 'exact, −10% against 5%: improved', input: input([100], [90], { exact: true }), expected: 'improved' },
    { rule: 'exact, +4% against 5%: unchanged', input: input([100], [104], { exact: true }), expected: 'unchanged' },
    { rule: 'exact, +10% of a higher-is-better metric: improved', input: input([100], [110], { exact: true, better: 'higher' }), expected: 'improved' },
    {
      rule: 'exact with varying samples: the most common value, with a warning',
      input: input([100, 100, 101], [100], { exact: true }),
      expected: 'unchanged',
      warning: 'base: exact metric varies from 100 to 101',
    },
    {
      rule: 'three samples a side: inconclusive however clear',
      input: input([100, 101, 99], [200, 201, 199]),
      expected: 'inconclusive',
      warning: 'need ≥ 4 samples a side to judge, have 3+3',
    },
    { rule: 'minSamples 3 lets three samples a side be tested', input: input([100, 101, 99], [200, 201, 199]), rules: { minSamples: 3 }, expected: 'tested' },
    { rule: 'enough samples: tested, waiting for its q', input: input(around(100), around(120)), expected: 'tested' },
    {
      rule: 'paired with unequal lengths: compared unpaired, with a warning',
      input: input(around(100, 10), around(100, 8)),
      rules: { paired: true },
      expected: 'tested',
      warning: '10 base and 8 head samples: compared unpaired',
    },
  ]
  it.each(cases)('$rule', ({ input: metric, rules, expected, warning }) => {
    const a = assessMetric(metric, { ...RULES, ...rules })
    expect(kindOf(a)).toBe(expected)
    if (warning !== undefined) expect(a.verdict.warnings.join('\n')).toContain(warning)
    else expect(a.verdict.warnings).toEqual([])
  })

  it('paired sides are tested pair by pair (signed-rank), unpaired by the U test: different p-values', () => {
    // Each head sample is its base partner +3%, while the sides overlap as wholes.
    const base = Array.from({ length: 10 }, (_, i) => 100 + i * 5)
    const head = base.map((v) => v * 1.03)
    const paired = assessMetric(input(base, head), { ...RULES, paired: true })
    const unpaired = assessMetric(input(base, head), RULES)
    if (paired.kind !== 'tested' || unpaired.kind !== 'tested') throw new Error('expected both tested')
    expect(paired.verdict.paired).toBe(true)
    expect(unpaired.verdict.paired).toBeUndefined()
    expect(paired.verdict.p).toBeLessThan(0.01)
    expect(unpaired.verdict.p).toBeGreaterThan(0.3)
    expect(paired.verdict.change.estimate).toBeCloseTo(0.03, 6)
  })
})

describe('decideTested: the decision once q is known', () => {
  const change = (estimate: number, lo: number, hi: number): ChangeEstimate => ({ estimate, lo, hi })
  const cases: ReadonlyArray<{
    rule: string
    change: ChangeEstimate
    q: number
    beyond?: 'bound' | 'estimate'
    better?: 'lower' | 'higher'
    expected: VerdictKind
  }> = [
    { rule: 'significant, whole interval worse than +5%: regressed', change: change(0.2, 0.15, 0.25), q: 0.001, expected: 'regressed' },
    { rule: 'significant, whole interval better than −5%: improved', change: change(-0.2, -0.25, -0.15), q: 0.001, expected: 'improved' },
    { rule: 'not significant (q > α), clearly worse: inconclusive', change: change(0.2, 0.15, 0.25), q: 0.06, expected: 'inconclusive' },
    { rule: 'q exactly α counts as significant', change: change(0.2, 0.15, 0.25), q: 0.05, expected: 'regressed' },
    { rule: 'interval inside ±5%: unchanged even when significant', change: change(0.02, 0.01, 0.03), q: 0.001, expected: 'unchanged' },
    { rule: 'interval touching +5% exactly is inside: unchanged', change: change(0.02, -0.05, 0.05), q: 0.5, expected: 'unchanged' },
    { rule: 'bound rule: estimate +8% but near bound +3%: inconclusive', change: change(0.08, 0.03, 0.13), q: 0.001, expected: 'inconclusive' },
    {
      rule: 'estimate rule: estimate +8% beyond 5% suffices: regressed',
      change: change(0.08, 0.03, 0.13),
      q: 0.001,
      beyond: 'estimate',
      expected: 'regressed',
    },
    {
      rule: 'estimate rule: estimate +4% inside tolerance, interval not: inconclusive',
      change: change(0.04, 0.01, 0.07),
      q: 0.001,
      beyond: 'estimate',
      expected: 'inconclusive',
    },
    { rule: 'higher is better: a −20% drop regressed', change: change(-0.2, -0.25, -0.15), q: 0.001, better: 'higher', expected: 'regressed' },
    { rule: 'higher is better: a +20% rise improved', change: change(0.2, 0.15, 0.25), q: 0.001, better: 'higher', expected: 'improved' },
    { rule: 'no interval (values ≤ 0): never unchanged', change: change(0, -Infinity, Infinity), q: 0.5, expected: 'inconclusive' },
  ]
  it.each(cases)('$rule', ({ change: c, q, beyond, better, expected }) => {
    expect(decideTested({ change: c, better: better ?? 'lower', tolerancePct: 5, q, alpha: 0.05, beyond: beyond ?? 'bound' })).toBe(expected)
  })

  it.each([
    { tolerancePct: 0, expected: 'regressed' },
    { tolerancePct: 2, expected: 'regressed' },
    { tolerancePct: 3, expected: 'inconclusive' },
    { tolerancePct: 10, expected: 'unchanged' },
  ] as const)('tolerance $tolerancePct% on a change of +4% [+2.5%, +6%]: $expected', ({ tolerancePct, expected }) => {
    expect(decideTested({ change: change(0.04, 0.025, 0.06), better: 'lower', tolerancePct, q: 0.001, alpha: 0.05, beyond: 'bound' })).toBe(expected)
  })
})

describe('settleVerdicts: Benjamini–Hochberg across the tested metrics', () => {
  function tested(name: string, p: number): MetricAssessment {
    return {
      kind: 'tested',
      verdict: {
        name,
        pkg: 'p',
        unit: 'sec/op',
        rawUnit: 'ns/op',
        better: 'lower',
        exact: false,
        tolerancePct: 5,
        origin: 'default',
        change: { estimate: 0.2, lo: 0.15, hi: 0.25 },
        p,
        warnings: [],
      },
    }
  }
  const final = assessMetric(input(undefined, around(100)), RULES)

  it.each([
    { rule: 'one metric at p = 0.04: q = p, regressed', ps: [0.04], qs: [0.04], verdicts: ['regressed'] },
    { rule: 'two at p = 0.04: q = 0.04 each, both regressed', ps: [0.04, 0.04], qs: [0.04, 0.04], verdicts: ['regressed', 'regressed'] },
    {
      rule: 'one at p = 0.04 among four quiet ones: q = 0.2, inconclusive',
      ps: [0.04, 0.9, 0.9, 0.9, 0.9],
      qs: [0.2, 0.9, 0.9, 0.9, 0.9],
      verdicts: ['inconclusive', 'inconclusive', 'inconclusive', 'inconclusive', 'inconclusive'],
    },
    {
      rule: 'step-up: p = 0.01 and 0.03 of two give q = 0.02 and 0.03',
      ps: [0.01, 0.03],
      qs: [0.02, 0.03],
      verdicts: ['regressed', 'regressed'],
    },
  ])('$rule', ({ ps, qs, verdicts }) => {
    const settled = settleVerdicts(
      ps.map((p, i) => tested(`BenchmarkM${i}`, p)),
      { alpha: 0.05, beyond: 'bound' },
    )
    expect(settled.map((v) => v.q)).toEqual(qs.map((q) => expect.closeTo(q, 12)))
    expect(settled.map((v) => v.verdict)).toEqual(verdicts)
  })

  it('final verdicts take no part in the correction and keep no q', () => {
    const settled = settleVerdicts([final, tested('BenchmarkA', 0.04), final], { alpha: 0.05, beyond: 'bound' })
    expect(settled.map((v) => v.verdict)).toEqual(['new', 'regressed', 'new'])
    expect(settled[1]?.q).toBeCloseTo(0.04, 12)
    expect(settled[0]?.q).toBeUndefined()
  })
})
