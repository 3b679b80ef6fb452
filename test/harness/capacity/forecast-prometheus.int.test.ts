// The forecast against a real Prometheus (Debian `prometheus`): 90 days of synthetic history of
// known linear trends loaded with `promtool tsdb create-blocks-from openmetrics`, Prometheus
// started on 127.0.0.1 over that storage, and `slurmbench capacity forecast -prometheus` run on
// it: each projection must hold the true value in its interval and each flag must match the
// true growth. Also: a selector without series, and Prometheus down, exit 2 with a message.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliAsync } from '../../support/cli.ts'
import { freePort, requireTools, waitFor } from '../../support/tools.ts'
import { syntheticOpenMetrics, type TRENDS, trueValue } from './synthetic-history.ts'

const run = promisify(execFile)
const DAYS = 90

const tools = await requireTools(['prometheus', 'promtool'], 'Debian: apt-get install prometheus')

const cli = (args: readonly string[]) => runCliAsync(['capacity', ...args])

describe.skipIf(!tools)('capacity forecast against a real Prometheus', () => {
  let dir: string
  let prometheus: ChildProcess | undefined
  let url: string
  // The history ends on a whole hour so every 1 h query step lands on a sample.
  const endS = Math.floor(Date.now() / 1_000 / 3_600) * 3_600 - 3_600
  const endIso = new Date(endS * 1_000).toISOString()

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slurmbench-forecast-'))
    await writeFile(join(dir, 'history.om'), syntheticOpenMetrics(endS, DAYS))
    await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', join(dir, 'history.om'), join(dir, 'data')], { maxBuffer: 1 << 24 })
    await writeFile(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n')
    const port = await freePort()
    url = `http://127.0.0.1:${port}`
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        '--storage.tsdb.retention.time=3650d',
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    )
    await waitFor('prometheus did not become ready', 180_000, async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), 500)
  }, 900_000)

  afterAll(async () => {
    prometheus?.kill('SIGTERM')
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  it('projects each resource to its horizon: the true value lies in the interval and the flags match the true growth', async () => {
    const { code, stdout, stderr } = await cli(['forecast', '-prometheus', url, '-end', endIso, '-format', 'json'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as {
      resources: {
        resource: keyof typeof TRENDS | 'storage'
        horizonDays: number
        current: number
        projected: { value: number; lower: number; upper: number }
        flagged: boolean
        threshold: number
      }[]
    }
    const byName = new Map(report.resources.map((r) => [r.resource, r]))
    for (const kind of ['cpu', 'memory', 'series', 'requests'] as const) {
      const r = byName.get(kind)
      expect(r, kind).toBeDefined()
      if (r === undefined) continue
      const truth = trueValue(kind, DAYS + r.horizonDays)
      expect(r.projected.lower, kind).toBeLessThanOrEqual(truth * 1.005)
      expect(r.projected.upper, kind).toBeGreaterThanOrEqual(truth * 0.995)
      const trueGrowth = truth / trueValue(kind, DAYS) - 1
      expect(r.flagged, `${kind}: true growth ${trueGrowth}, threshold ${r.threshold}`).toBe(trueGrowth > r.threshold)
    }
    // The known trends put cpu (+21%) and series (+32%) over their thresholds, memory (+10%) and requests (0%) under.
    expect(byName.get('cpu')?.flagged).toBe(true)
    expect(byName.get('series')?.flagged).toBe(true)
    expect(byName.get('memory')?.flagged).toBe(false)
    expect(byName.get('requests')?.flagged).toBe(false)
  }, 120_000)

  it("Holt's method projects the same trends within its interval", async () => {
    const { code, stdout } = await cli(['forecast', '-prometheus', url, '-end', endIso, '-format', 'json', '-method', 'holt', '-resources', 'memory,series'])
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as { resources: { resource: 'memory' | 'series'; horizonDays: number; projected: { lower: number; upper: number } }[] }
    for (const r of report.resources) {
      const truth = trueValue(r.resource, DAYS + r.horizonDays)
      expect(r.projected.lower).toBeLessThanOrEqual(truth)
      expect(r.projected.upper).toBeGreaterThanOrEqual(truth)
    }
  }, 120_000)

  it('a selector without series exits 2 naming the query, and writes no forecast', async () => {
    const { code, stdout, stderr } = await cli(['forecast', '-prometheus', url, '-end', endIso, '-selector', '{job="no-such-exporter"}'])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/no data for cpu.*no-such-exporter|no-such-exporter.*no data for cpu/)
  }, 120_000)

  it('a history shorter than a day exits 2', async () => {
    const { code, stderr } = await cli(['forecast', '-prometheus', url, '-end', endIso, '-days', '0.2'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/history too short/)
  }, 120_000)
})

describe('capacity forecast with Prometheus down', () => {
  it('exits 2 saying Prometheus cannot be reached', async () => {
    const port = await freePort()
    const { code, stdout, stderr } = await cli(['forecast', '-prometheus', `http://127.0.0.1:${port}`])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/cannot reach Prometheus \(ECONNREFUSED\)/)
  }, 60_000)
})
