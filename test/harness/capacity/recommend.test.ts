import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../../harness/capacity/config.ts'
import { fitFigures, holdoutCheck, sweepPoints } from '../../../harness/capacity/fit.ts'
import { type Recommendation, recommend } from '../../../harness/capacity/recommend.ts'
import { renderKustomizePatch } from '../../../harness/report/capacity-kustomize.ts'
import { renderRecommendHtml, renderRecommendMarkdown } from '../../../harness/report/capacity-markdown.ts'
import { LAWS, sweepDoc } from './fixtures.ts'

const SIZES = [100, 300, 1_000, 3_000, 10_000]

function build(projected: number, noise = 0) {
  const fits = fitFigures(sweepPoints(sweepDoc(SIZES, noise), 'sweep.json'), 'sweep.json')
  return recommend({
    fits,
    sweepSource: 'sweep.json',
    config: DEFAULT_CONFIG,
    currentNodes: 1_000,
    projectedNodes: () => ({ nodes: projected, origin: `-nodes ${projected}` }),
    scrapesPerSecond: 1 / 30,
  })
}

function entry(recs: readonly Recommendation[], resource: string): Recommendation {
  const found = recs.find((r) => r.resource === resource)
  if (found === undefined) throw new Error(`no ${resource}`)
  return found
}

describe('recommend', () => {
  it('rounds memory up to 512Mi steps from 1Gi with headroom, and says where it came from', () => {
    const report = build(20_000)
    const memory = entry(report.recommendations, 'memory')
    const needed = LAWS.peakRssBytes(20_000) * 1.3 // 140 MB × 1.3 = 182 MB → below the 1Gi minimum
    expect(needed).toBeLessThan(2 ** 30)
    expect(memory.recommended).toBe(2 ** 30)
    expect(memory.kubernetes).toEqual({ requests: '1Gi', limits: '1Gi' })
    expect(memory.trace.join(' ')).toMatch(/BenchmarkCapacity\/nodes=10000\/jobs=100000/)
    expect(memory.trace.join(' ')).toMatch(/-nodes 20000/)
  })
  it('caps memory at 8Gi and says the cap is not enough', () => {
    const report = build(3_000_000)
    const memory = entry(report.recommendations, 'memory')
    expect(memory.recommended).toBe(8 * 2 ** 30)
    expect(memory.capped).toBe(true)
    expect(memory.why).toMatch(/CAPPED at 8Gi.*not enough/)
  })
  it('sizes CPU for the scrape to finish within the timeout, in 500m steps', () => {
    const report = build(50_000)
    const cpu = entry(report.recommendations, 'cpu')
    // 30 CPU-s per scrape in a 24 s budget = 1.25 cores, × 1.3 = 1625m → 2000m.
    expect(cpu.recommended).toBe(2_000)
    expect(cpu.kubernetes?.limits).toBe('2000m')
  })
  it('keeps at least 3 replicas and lengthens the scrape interval when the timeout does not fit', () => {
    const report = build(100_000)
    expect(entry(report.recommendations, 'replicas').recommended).toBe(3)
    const timeout = entry(report.recommendations, 'scrape-timeout').recommended as number
    expect(timeout).toBeGreaterThan(40) // p95 ≈ 40 s at 100k nodes, + headroom
    const interval = entry(report.recommendations, 'scrape-interval')
    expect(interval.recommended as number).toBeGreaterThanOrEqual(timeout / 0.8)
    expect(interval.why).toMatch(/lengthen the interval/)
  })
  it('sizes the TSDB for the projected series over the retention', () => {
    const storage = entry(build(20_000).recommendations, 'storage')
    const bytes = LAWS.series(20_000) * ((15 * 86_400) / 30) * 2
    expect(storage.projected).toBeCloseTo(bytes, -3)
    expect(storage.recommended).toBe(Math.ceil((bytes * 1.3) / 2 ** 30) * 2 ** 30)
  })
  it('gives no number for a figure no model fits well', () => {
    const report = build(20_000, 0.5)
    const cpu = entry(report.recommendations, 'cpu')
    expect(cpu.recommended).toBeNull()
    expect(cpu.why).toMatch(/^no recommendation: no model fits well/)
    expect(entry(report.recommendations, 'replicas').recommended).toBeNull()
  })
  it('renders Markdown, HTML and a kustomize patch with the numbers of the JSON', () => {
    const report = build(20_000)
    expect(renderRecommendMarkdown(report)).toMatch(/\| memory \| bytes \|.*\| 1Gi \|/)
    expect(renderRecommendHtml(report)).toMatch(/<td>1Gi<\/td>/)
    const patch = renderKustomizePatch(report, { deployment: 'slurm-exporter', container: 'exporter', namespace: 'monitoring' })
    expect(patch).toContain('kind: Deployment')
    expect(patch).toMatch(/replicas: 3/)
    expect(patch).toMatch(/name: exporter\n\s+resources:\n\s+requests:\n\s+cpu: 1000m\n\s+memory: 1Gi/)
    expect(patch).toContain('namespace: monitoring')
  })
})

describe('holdoutCheck', () => {
  it('predicts the held-out size from the smaller ones', () => {
    const points = sweepPoints(sweepDoc([...SIZES, 50_000]), 'sweep.json')
    const rows = holdoutCheck(points, 'sweep.json', 10_000)
    const cpu = rows.find((r) => r.figure === 'cpu-s/scrape')
    expect(cpu?.nodes).toBe(50_000)
    expect(Math.abs(cpu?.error ?? 1)).toBeLessThan(1e-6)
    expect(cpu?.note).toMatch(/within the 15% goal/)
  })
  it('refuses a fit on fewer than 3 sizes', () => {
    expect(() => fitFigures(sweepPoints(sweepDoc([100, 1_000]), 's.json'), 's.json')).toThrow(/2 measured sizes; a fit needs at least 3/)
  })
  it('refuses a results document that is not a sweep', () => {
    const doc = sweepDoc(SIZES)
    expect(() => sweepPoints({ ...doc, config: { producer: 'bench' } }, 'r.json')).toThrow(/not a capacity sweep/)
  })
})
