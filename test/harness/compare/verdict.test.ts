// Verdicts: what the gate says for clear regressions, noise, small samples, exact metrics,
// new/missing metrics and different environments.
import { describe, expect, it } from 'vitest'
import { builtinPolicy, parsePolicy } from '../../../harness/compare/policy.ts'
import type { MetricSeries, SampleSet } from '../../../harness/compare/sample-set.ts'
import { gateExitCode, judge } from '../../../harness/compare/verdict.ts'
import { mulberry32 } from '../../../common/prng.ts'

function series(name: string, values: readonly number[], over: Partial<MetricSeries> = {}): MetricSeries {
  return { name, unit: 'sec/op', rawUnit: 'ns/op', values, better: 'lower', assume: 'nothing', config: { pkg: 'p' }, ...over }
}
function set(label: string, ...s: MetricSeries[]): SampleSet {
  return { label, source: label, series: s, warnings: [] }
}
const random = mulberry32(42)
const noisy = (center: number, n: number, spread = 0.01): number[] => Array.from({ length: n }, () => center * (1 + (random() - 0.5) * 2 * spread))
const policy = builtinPolicy()

describe('judge', () => {
  it('flags a clear 20% slowdown as regressed and fails the gate', () => {
    const r = judge(set('base', series('BenchmarkA', noisy(100, 10))), set('head', series('BenchmarkA', noisy(120, 10))), policy)
    expect(r.verdicts[0]?.verdict).toBe('regressed')
    expect(r.verdicts[0]?.q).toBeLessThan(0.05)
    expect(gateExitCode(r, 'regressed')).toBe(1)
  })

  it('calls a 20% speed-up improved, and a higher-is-better drop regressed', () => {
    const faster = judge(set('b', series('BenchmarkA', noisy(100, 10))), set('h', series('BenchmarkA', noisy(80, 10))), policy)
    expect(faster.verdicts[0]?.verdict).toBe('improved')
    const slower = judge(
      set('b', series('BenchmarkT', noisy(1000, 10), { unit: 'metrics/s', rawUnit: 'metrics/s', better: 'higher' })),
      set('h', series('BenchmarkT', noisy(800, 10), { unit: 'metrics/s', rawUnit: 'metrics/s', better: 'higher' })),
      policy,
    )
    expect(slower.verdicts[0]?.verdict).toBe('regressed')
  })

  it('calls identical quiet code unchanged: the change interval lies inside ±tolerance', () => {
    const r = judge(set('b', series('BenchmarkA', noisy(100, 12, 0.005))), set('h', series('BenchmarkA', noisy(100, 12, 0.005))), policy)
    expect(r.verdicts[0]?.verdict).toBe('unchanged')
    expect(gateExitCode(r, 'inconclusive')).toBe(0)
  })

  it('never regresses with fewer than 4 samples a side: inconclusive with a warning', () => {
    const r = judge(set('b', series('BenchmarkA', [100, 100.1, 99.9])), set('h', series('BenchmarkA', [200, 200.1, 199.9])), policy)
    expect(r.verdicts[0]?.verdict).toBe('inconclusive')
    expect(r.verdicts[0]?.warnings.join()).toContain('need ≥ 4 samples a side')
    expect(gateExitCode(r, 'regressed')).toBe(0)
    expect(gateExitCode(r, 'inconclusive')).toBe(1)
  })

  it('calls a metric unchanged when every sample of both sides is one value, zero included', () => {
    const allocs = { unit: 'allocs/op', rawUnit: 'allocs/op' }
    for (const paired of [false, true]) {
      const zeros = judge(set('b', series('BenchmarkZ', [0, 0, 0, 0, 0, 0], allocs)), set('h', series('BenchmarkZ', [0, 0, 0, 0, 0, 0], allocs)), policy, {
        paired,
      })
      expect(zeros.verdicts[0]).toMatchObject({ verdict: 'unchanged', change: { estimate: 0, lo: 0, hi: 0 }, warnings: [] })
      const twos = judge(set('b', series('BenchmarkZ', [2, 2, 2, 2, 2, 2], allocs)), set('h', series('BenchmarkZ', [2, 2, 2, 2, 2, 2], allocs)), policy, {
        paired,
      })
      expect(twos.verdicts[0]?.verdict).toBe('unchanged')
      // One head sample off the common value, or fewer than 4 a side: judged as before.
      const oneOff = judge(set('b', series('BenchmarkZ', [0, 0, 0, 0, 0, 0], allocs)), set('h', series('BenchmarkZ', [0, 0, 0, 0, 0, 1], allocs)), policy, {
        paired,
      })
      expect(oneOff.verdicts[0]?.verdict).toBe('inconclusive')
      const few = judge(set('b', series('BenchmarkZ', [0, 0, 0], allocs)), set('h', series('BenchmarkZ', [0, 0, 0], allocs)), policy, { paired })
      expect(few.verdicts[0]?.verdict).toBe('inconclusive')
    }
  })

  it('a noisy metric whose interval straddles the tolerance is inconclusive', () => {
    const r = judge(set('b', series('BenchmarkA', noisy(100, 6, 0.3))), set('h', series('BenchmarkA', noisy(104, 6, 0.3))), policy)
    expect(r.verdicts[0]?.verdict).toBe('inconclusive')
  })

  it('compares exact metrics exactly, one sample enough', () => {
    const exact = { unit: 'series', rawUnit: 'series', assume: 'exact' as const }
    const same = judge(set('b', series('BenchmarkS', [1200], exact)), set('h', series('BenchmarkS', [1200], exact)), policy)
    expect(same.verdicts[0]).toMatchObject({ verdict: 'unchanged', exact: true })
    const more = judge(
      set('b', series('BenchmarkS', [1200], exact)),
      set('h', series('BenchmarkS', [1201], exact)),
      parsePolicy(JSON.stringify({ schemaVersion: 1, kind: 'slurmbench.policy', defaults: { series: { tolerancePct: 0 } }, rules: [] }), 'p'),
    )
    expect(more.verdicts[0]?.verdict).toBe('regressed')
  })

  it('reports metrics only in head as new and only in base as missing', () => {
    const r = judge(set('b', series('BenchmarkOld', noisy(1, 5))), set('h', series('BenchmarkNew', noisy(1, 5))), policy)
    expect(r.verdicts.map((v) => [v.name, v.verdict])).toEqual([
      ['BenchmarkOld', 'missing'],
      ['BenchmarkNew', 'new'],
    ])
  })

  it('compares an ext-B/op one side never printed as zeros, one per sample of that benchmark', () => {
    // A sample leaves ext-B/op out when it measured no off-heap bytes: a side without the unit in
    // any sample read 0 each time (an A/A of NodeRecords/layout=columns, 2026-12-07).
    const ext = { unit: 'ext-B/op', rawUnit: 'ext-B/op' }
    const base = set('b', series('BenchmarkN', noisy(100, 6)), series('BenchmarkN', [0, 3, 0, 0, 5, 0], ext))
    const head = set('h', series('BenchmarkN', noisy(100, 6)))
    const r = judge(base, head, policy, { paired: true })
    const v = r.verdicts.find((x) => x.unit === 'ext-B/op')
    expect(v?.verdict).not.toBe('missing')
    expect(v?.head).toMatchObject({ n: 6, center: 0 })
    // Both sides without a sample of it: nothing to compare. Only in one side's other benchmark,
    // or for a unit that is not left out when 0: missing as before.
    const other = judge(base, set('h', series('BenchmarkOther', noisy(100, 6))), policy)
    expect(other.verdicts.filter((x) => x.verdict === 'missing').map((x) => x.unit)).toEqual(['sec/op', 'ext-B/op'])
    const allocs = { unit: 'allocs/op', rawUnit: 'allocs/op' }
    const notOptional = judge(set('b', series('BenchmarkN', noisy(100, 6)), series('BenchmarkN', [1, 1, 1, 1, 1, 1], allocs)), head, policy)
    expect(notOptional.verdicts.find((x) => x.unit === 'allocs/op')?.verdict).toBe('missing')
  })

  it('Benjamini–Hochberg keeps one borderline metric among many unchanged ones from regressing', () => {
    const base: MetricSeries[] = []
    const head: MetricSeries[] = []
    for (let i = 0; i < 20; i++) {
      const values = noisy(100, 8, 0.02)
      base.push(series(`BenchmarkM${i}`, values))
      head.push(series(`BenchmarkM${i}`, [...values]))
    }
    // A borderline metric: p ≈ 0.03 on its own, far from significant after 21 comparisons.
    base.push(series('BenchmarkEdge', [100, 101, 102, 103, 104, 105, 106, 107]))
    head.push(series('BenchmarkEdge', [103, 104, 105, 106, 107, 108, 109, 110]))
    const r = judge(
      set('b', ...base),
      set('h', ...head),
      parsePolicy(JSON.stringify({ schemaVersion: 1, kind: 'slurmbench.policy', defaults: { '*': { tolerancePct: 1 } }, rules: [] }), 'p'),
    )
    const edge = r.verdicts.find((v) => v.name === 'BenchmarkEdge')
    expect(edge?.p).toBeLessThan(0.05)
    expect(edge?.q).toBeGreaterThan(0.05)
    expect(edge?.verdict).not.toBe('regressed')
  })

  it('informational reports never fail the gate', () => {
    const r = judge(set('b', series('BenchmarkA', noisy(100, 10))), set('h', series('BenchmarkA', noisy(150, 10))), policy, { informational: true })
    expect(r.counts.regressed).toBe(1)
    expect(gateExitCode(r, 'inconclusive')).toBe(0)
  })

  it('the bound rule needs the whole interval beyond tolerance, the estimate rule only the centre', () => {
    // A 3% slowdown judged at 2%: clearly significant, but the interval reaches below 2%.
    const base = [100, 102, 98, 104, 96, 101, 99, 103, 97, 100.5, 99.5, 101.5]
    const head = base.map((v, i) => v * 1.03 + (i % 3 === 0 ? 1.5 : -0.7))
    const estimate = judge(set('b', series('BenchmarkA', base)), set('h', series('BenchmarkA', head)), policy, { tolerancePct: 2, beyond: 'estimate' })
    const bound = judge(set('b', series('BenchmarkA', base)), set('h', series('BenchmarkA', head)), policy, { tolerancePct: 2, beyond: 'bound' })
    expect(estimate.verdicts[0]?.verdict).toBe('regressed')
    expect(bound.verdicts[0]?.verdict).toBe('inconclusive')
  })
})

describe('judge, paired (pair mode: sample k of both sides from one worker)', () => {
  // Each round's worker runs at its own speed, ×1 to ×1.5 (as this host's cache contention);
  // within a worker both sides see the same speed.
  const jitter = mulberry32(7)
  const base = Array.from({ length: 12 }, () => 100 * (1 + 0.5 * jitter()) * (1 + (jitter() - 0.5) * 0.01))
  const head = (change: number) => base.map((b) => b * change * (1 + (jitter() - 0.5) * 0.01))

  it('flags a 5% slowdown that the unpaired test cannot see through the modes', () => {
    const t = { tolerancePct: 2 }
    const paired = judge(set('b', series('BenchmarkA', base)), set('h', series('BenchmarkA', head(1.05))), policy, { ...t, paired: true })
    expect(paired.verdicts[0]).toMatchObject({ verdict: 'regressed', paired: true })
    expect(paired.verdicts[0]?.change?.lo).toBeGreaterThan(0.02)
    const unpaired = judge(set('b', series('BenchmarkA', base)), set('h', series('BenchmarkA', head(1.05))), policy, t)
    expect(unpaired.verdicts[0]?.verdict).toBe('inconclusive')
    expect(unpaired.verdicts[0]?.paired).toBeUndefined()
  })

  it('calls A/A unchanged, and falls back to unpaired with a warning when the sides differ in length', () => {
    const aa = judge(set('b', series('BenchmarkA', base)), set('h', series('BenchmarkA', head(1))), policy, { tolerancePct: 2, paired: true })
    expect(aa.verdicts[0]?.verdict).toBe('unchanged')
    const short = judge(set('b', series('BenchmarkA', base)), set('h', series('BenchmarkA', head(1).slice(1))), policy, { tolerancePct: 2, paired: true })
    expect(short.verdicts[0]?.paired).toBeUndefined()
    expect(short.verdicts[0]?.warnings).toContain('12 base and 11 head samples: compared unpaired')
  })
})
