import { describe, expect, it } from 'vitest'
import { fitFigures, sweepPoints } from '../../../harness/capacity/fit.ts'
import { compareStep } from '../../../harness/capacity/simulate.ts'
import { runSweep } from '../../../harness/capacity/sweep.ts'
import { LAWS, sweepDoc } from './fixtures.ts'

const ENV = sweepDoc([1, 2, 3]).environment

describe('runSweep', () => {
  it('measures each size smallest first, prints a line per size with the time left, and records a failed size', async () => {
    const lines: string[] = []
    let clockMs = 0
    const doc = await runSweep({ sizes: [100, 200, 400], scrapes: 2, jobsPerNode: 10, target: 'reference' }, ENV, {
      nowMs: () => clockMs,
      progress: (line) => lines.push(line),
      async measure(shape) {
        clockMs += shape.nodes * 10
        if (shape.nodes === 200) throw new Error('collector jobs still failing')
        return {
          shape,
          durationsMs: [10, 30],
          cpuSecondsPerScrape: 0.1,
          peakRssBytes: 1e8,
          series: 5,
          responseBytes: 9,
          slurmrestdBytesPerScrape: 7,
          warmupMs: 1,
        }
      },
    })
    expect(lines).toEqual([
      'capacity sweep: size 1/3: 100 nodes, 1000 jobs',
      'capacity sweep: size 2/3: 200 nodes, 2000 jobs, about 6s left',
      'capacity sweep: size 3/3: 400 nodes, 4000 jobs, about 4s left',
    ])
    expect(doc.benchmarks.map((b) => [b.name, b.status])).toEqual([
      ['BenchmarkCapacity/nodes=100/jobs=1000', 'ok'],
      ['BenchmarkCapacity/nodes=200/jobs=2000', 'failed'],
      ['BenchmarkCapacity/nodes=400/jobs=4000', 'ok'],
    ])
    expect(doc.benchmarks[0]?.samples[0]?.metrics).toMatchObject({ 'p50-ms': 10, 'p95-ms': 30, 'cpu-s/scrape': 0.1, 'slurmrestd-B/scrape': 7 })
    expect(doc.warnings).toEqual(['BenchmarkCapacity/nodes=200/jobs=2000: collector jobs still failing'])
    expect(doc.config.settings).toMatchObject({ tool: 'capacity-sweep', sizes: [100, 200, 400] })
  })
})

describe('compareStep', () => {
  it('sets the measurement beside the prediction and says whether the interval holds it', () => {
    const fits = fitFigures(sweepPoints(sweepDoc([100, 300, 1_000, 3_000, 10_000], 0.01), 's.json'), 's.json')
    const truth = LAWS.peakRssBytes(20_000)
    const rows = compareStep({ horizonDays: 30, nodes: 20_000 }, fits, { 'peak-rss-B': truth, 'cpu-s/scrape': LAWS.cpuSecondsPerScrape(20_000) * 3 })
    const rss = rows.find((r) => r.figure === 'peak-rss-B')
    expect(Math.abs(rss?.error ?? 1)).toBeLessThan(0.05)
    expect(rss?.inside).toBe(true)
    const cpu = rows.find((r) => r.figure === 'cpu-s/scrape')
    expect(cpu?.inside).toBe(false)
    expect(cpu?.error).toBeCloseTo(-2 / 3, 1)
  })
})
