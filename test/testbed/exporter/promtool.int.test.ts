// Prometheus's own linter on the exporter's output: `promtool check metrics` (Debian package
// `prometheus`). Skipped when promtool is not installed.

import { spawnSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { request } from 'undici'
import { startExporter, type RunningExporter } from '../../../testbed/exporter/index.ts'
import { healthyAnswers, interceptSlurm, SLURM_ORIGIN } from './slurm-answers.ts'

const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0

const running: RunningExporter[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()))
})

describe.skipIf(!hasPromtool)('promtool check metrics', () => {
  it('accepts the whole exposition, per-job series and self-metrics included', async () => {
    const { agent } = interceptSlurm('v0.0.44', healthyAnswers('v0.0.44'))
    const exporter = await startExporter({ slurmUrl: SLURM_ORIGIN, dispatcher: agent, perJobSeries: true })
    running.push(exporter)
    const text = await (await request(`${exporter.url}/metrics`)).body.text()
    expect(text).toContain('slurm_job_info{')
    expect(text).toContain('# TYPE slurm_exporter_collection_age_seconds gauge\n')
    expect(text).toContain('slurm_exporter_collection_mode{mode="background"} 0\n')
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
    // promtool prints lint findings and exits 1 on any of them (3 on a parse error).
    expect(check.stdout + check.stderr).toBe('')
    expect(check.status).toBe(0)
  })
})
