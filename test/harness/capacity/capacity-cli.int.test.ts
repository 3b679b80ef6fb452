// The capacity command end to end: a real sweep at three small sizes (the reference exporter and
// the mock in child processes) fitted and turned into a recommendation, and bad input — one
// size, an empty history, a results file that is not a sweep, no projected size — each exiting 2
// with a message and no output.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliAsync } from '../../support/cli.ts'
import { resultsDoc } from '../../support/results.ts'

const cli = (args: readonly string[]) => runCliAsync(['capacity', ...args])

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slurmbench-capacity-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('capacity sweep → fit → recommend', () => {
  it('measures three sizes with a progress line each and recommends from them', async () => {
    const sweep = join(dir, 'sweep.json')
    const swept = await cli(['sweep', '-sizes', '20,40,80', '-scrapes', '2', '-o', sweep])
    expect(swept.stderr).toMatch(/size 1\/3: 20 nodes, 200 jobs\n/)
    expect(swept.stderr).toMatch(/size 3\/3: 80 nodes, 800 jobs, about \d+s left\n/)
    expect(swept.code).toBe(0)
    const doc = JSON.parse(await readFile(sweep, 'utf8')) as {
      config: { settings: { tool: string } }
      benchmarks: { name: string; status: string; samples: { metrics: Record<string, number> }[] }[]
    }
    expect(doc.config.settings.tool).toBe('capacity-sweep')
    expect(doc.benchmarks.map((b) => b.name)).toEqual([
      'BenchmarkCapacity/nodes=20/jobs=200',
      'BenchmarkCapacity/nodes=40/jobs=400',
      'BenchmarkCapacity/nodes=80/jobs=800',
    ])
    for (const b of doc.benchmarks) {
      expect(b.status).toBe('ok')
      const m = b.samples[0]?.metrics ?? {}
      for (const unit of ['p50-ms', 'p95-ms', 'series', 'response-B', 'cpu-s/scrape', 'peak-rss-B', 'slurmrestd-B/scrape'])
        expect(m[unit], unit).toBeGreaterThan(0)
    }
    // More nodes, more series and more bytes from slurmrestd.
    const series = doc.benchmarks.map((b) => b.samples[0]?.metrics.series ?? 0)
    expect(series[2]).toBeGreaterThan(series[0] as number)
    const fit = await cli(['fit', sweep, '-format', 'json'])
    expect(fit.code).toBe(0)
    expect((JSON.parse(fit.stdout) as { figures: { figure: string }[] }).figures.map((f) => f.figure)).toContain('series')
    const rec = await cli(['recommend', '-sweep', sweep, '-nodes', '100', '-current-nodes', '80'])
    expect(rec.code).toBe(0)
    const report = JSON.parse(rec.stdout) as { recommendations: { resource: string; why: string }[] }
    expect(report.recommendations.map((r) => r.resource)).toEqual(['cpu', 'memory', 'replicas', 'series', 'storage', 'scrape-timeout', 'scrape-interval'])
  }, 300_000)
})

describe('capacity bad input', () => {
  it('a sweep with one size exits 2 before starting anything', async () => {
    const r = await cli(['sweep', '-sizes', '1000'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/found 1 distinct size \(1000\); a sweep needs at least 3/)
  })
  it('an empty history exits 2 naming the file', async () => {
    const file = join(dir, 'empty.csv')
    await writeFile(file, '')
    const r = await cli(['forecast', '-csv', file])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`${file}: empty`)
  })
  it('a results file that is not a sweep gives no recommendation', async () => {
    const file = join(dir, 'other.json')
    // A valid results document without a capacity sweep's benchmarks.
    const doc = resultsDoc({})
    await writeFile(file, JSON.stringify(doc))
    const r = await cli(['recommend', '-sweep', file, '-nodes', '1000', '-current-nodes', '10'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/not a capacity sweep/)
  })
  it('recommend without a projected size exits 2', async () => {
    const r = await cli(['recommend'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/-sweep is required/)
  })
})
