// The Pushgateway and the Grafana dashboard against the real thing: Debian's
// prometheus-pushgateway and prometheus on 127.0.0.1, results pushed with `slurmbench push`,
// Prometheus scraping the gateway, and every query of deploy/grafana/slurmbench.json run through
// Prometheus's HTTP API: each must parse and return data.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, requireTools, waitFor } from '../../support/tools.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const TESTDATA = join(import.meta.dirname, 'testdata')
const run = promisify(execFile)

const tools = await requireTools(['prometheus', 'prometheus-pushgateway'], 'Debian: apt-get install prometheus prometheus-pushgateway')

interface PromAnswer {
  status: string
  data?: { result: unknown[] }
  error?: string
}

async function query(promUrl: string, expr: string): Promise<PromAnswer> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)
  return (await res.json()) as PromAnswer
}

// Grafana's variables as a dashboard with "All" selected sends them, and label_values() as the
// PromQL it stands for.
function promql(expr: string): string {
  const labelValues = /^label_values\((\w+),\s*(\w+)\)$/.exec(expr)
  if (labelValues !== null) return `group by (${labelValues[2]}) (${labelValues[1]})`
  return expr.replaceAll('$machine_class', '.*').replaceAll('$benchmark', '.*')
}

describe.skipIf(!tools)('push to a real Pushgateway, scraped by a real Prometheus', () => {
  let dir: string
  const children: ChildProcess[] = []
  let gatewayUrl: string
  let promUrl: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slurmbench-prom-'))
    const gatewayPort = await freePort()
    const promPort = await freePort()
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`
    promUrl = `http://127.0.0.1:${promPort}`
    children.push(spawn('prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${gatewayPort}`], { stdio: 'ignore' }))
    await writeFile(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ['127.0.0.1:${gatewayPort}']\n`,
    )
    children.push(
      spawn(
        'prometheus',
        [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
        {
          stdio: 'ignore',
        },
      ),
    )
    await waitFor('the Pushgateway did not answer', 30_000, async () => ((await fetch(`${gatewayUrl}/-/ready`)).ok ? true : undefined))
    await waitFor('Prometheus did not answer', 60_000, async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined))
  })

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
    }
    await rm(dir, { recursive: true, force: true })
  })

  it('pushes benchmark and load results with verdicts, and every dashboard query returns data', async () => {
    const cli = join(ROOT, 'bin', 'slurmbench.js')
    const bench = await run(process.execPath, [
      cli,
      'push',
      '--gateway',
      gatewayUrl,
      '--comparison',
      join(TESTDATA, 'comparison.json'),
      join(TESTDATA, 'bench-results.json'),
    ])
    expect(bench.stdout).toMatch(/^push: \d+ series of .*bench-results\.json to http:\/\/127\.0\.0\.1:\d+\/ \(job slurmbench, suite bench, machine class /)
    await run(process.execPath, [cli, 'push', '--gateway', gatewayUrl, join(TESTDATA, 'load-results.json')])

    // The gateway holds both groups.
    const gateway = await (await fetch(`${gatewayUrl}/metrics`)).text()
    expect(gateway).toMatch(
      /slurm_benchmark_median\{benchmark="BenchmarkObject4",commit="[0-9a-f]+",instance="",job="slurmbench",machine_class="[^"]+",suite="bench",unit="B\/op"\}/,
    )
    expect(gateway).toMatch(/slurm_load_test_requests_per_second\{.*suite="load-baseline".*\}/)

    await waitFor('Prometheus did not scrape the pushed series', 60_000, async () => {
      const a = await query(promUrl, 'slurm_load_test_requests_per_second')
      return (a.data?.result.length ?? 0) > 0 ? true : undefined
    })
    const dashboard = JSON.parse(await readFile(join(ROOT, 'deploy', 'grafana', 'slurmbench.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[]
      templating: { list: { name: string; type: string; query?: { query: string } }[] }
    }
    const queries: [string, string][] = []
    for (const panel of dashboard.panels) for (const t of panel.targets) queries.push([panel.title, t.expr])
    for (const v of dashboard.templating.list) if (v.type === 'query' && v.query !== undefined) queries.push([`variable ${v.name}`, v.query.query])
    expect(queries.length).toBeGreaterThanOrEqual(12)
    const answers: string[] = []
    for (const [title, expr] of queries) {
      const answer = await query(promUrl, promql(expr))
      answers.push(`${title}: ${answer.status} ${answer.error ?? `${answer.data?.result.length ?? 0} series`}`)
    }
    expect(answers.filter((a) => !/: success [1-9]\d* series$/.test(a))).toEqual([])
  })

  it('a gateway that is down is one line and exit 1; a bad URL is exit 2', async () => {
    const cli = join(ROOT, 'bin', 'slurmbench.js')
    const down = await run(process.execPath, [
      cli,
      'push',
      '--gateway',
      `http://user:secret@127.0.0.1:${await freePort()}`,
      join(TESTDATA, 'bench-results.json'),
    ]).catch((e) => e)
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(/^slurmbench push: push to http:\/\/\*\*\*@127\.0\.0\.1:\d+\/ failed: /)
    expect(down.stderr).not.toContain('secret')
    const bad = await run(process.execPath, [cli, 'push', '--gateway', 'nonsense', join(TESTDATA, 'bench-results.json')]).catch((e) => e)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--gateway: "nonsense" is not a URL')
  })
})
