// Prometheus's own linter on the exporter's output: `promtool check metrics` (Debian package
// `prometheus`). Skipped when promtool is not installed, unless SLURMBENCH_STRICT=1 (CI): then it fails.

import { spawnSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { request } from 'undici'
import { startExporter, type RunningExporter } from '../../../testbed/exporter/index.ts'
import { healthyAnswers, interceptSlurm, SLURM_ORIGIN } from './slurm-answers.ts'

const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0
const strict = process.env['SLURMBENCH_STRICT'] === '1'

if (!hasPromtool && !strict) console.warn('promtool check metrics: skipped, promtool is not installed (Debian package prometheus)')

const running: RunningExporter[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()))
})

describe.skipIf(!hasPromtool && !strict)('promtool check metrics', () => {
  it('needs promtool (SLURMBENCH_STRICT=1 makes its absence a failure)', () => {
    expect(hasPromtool, 'promtool is not installed (Debian package prometheus)').toBe(true)
  })

  it('accepts the whole exposition, per-job series and self-metrics included', async () => {
    // A warning from slurmrestd, so that the warnings counter has a sample too.
    const answers = healthyAnswers('v0.0.44')
    const shares = JSON.parse(answers['shares']!.body) as Record<string, unknown>
    shares['warnings'] = [{ description: 'Zero licenses to dump', source: 'x' }]
    answers['shares'] = { status: 200, body: JSON.stringify(shares) }
    const { agent } = interceptSlurm('v0.0.44', answers)
    const exporter = await startExporter({ slurmUrl: SLURM_ORIGIN, apiVersion: 'v0.0.44', dispatcher: agent, perJobSeries: true })
    running.push(exporter)
    const text = await (await request(`${exporter.url}/metrics`)).body.text()
    expect(text).toContain('slurm_job_info{')
    expect(text).toContain('# TYPE slurm_exporter_collection_age_seconds gauge\n')
    expect(text).toContain('slurm_exporter_collection_mode{mode="background"} 0\n')
    expect(text).toContain('slurm_exporter_slurmrestd_warnings_total{endpoint="shares"} 1\n')
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
    // promtool prints lint findings and exits 1 on any of them (3 on a parse error).
    expect(check.stdout + check.stderr).toBe('')
    expect(check.status).toBe(0)
  })
})
