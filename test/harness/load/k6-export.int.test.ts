// --export-k6: the script is valid JavaScript whose options are k6's scenario and thresholds.
import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { exportK6Script, k6TimeUnit } from '../../../harness/load/k6-export.ts'
import type { LoadPlan } from '../../../harness/load/plan.ts'
import { closedPlan, openPlan, slaRules } from './plans.ts'

const execFileAsync = promisify(execFile)

const RULES = slaRules(['p(95)<5s', { threshold: 'p(99)<10000', abortOnFail: true, delayAbortEval: '30s' }])

/** loadOptions evaluates the script with k6's modules stubbed and returns its `options` and default function's calls. */
async function loadScript(script: string): Promise<{ options: Record<string, unknown>; calls: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'k6-export-'))
  const stubbed = script
    .replace(
      "import http from 'k6/http'",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source text for the stub, template literals included
      'const calls = []; const http = { get: (u, p) => { calls.push(`get ${u} ${JSON.stringify(p)}`); return { status: 200 } }, head: (u) => { calls.push(`head ${u}`); return { status: 200 } } }',
    )
    .replace(
      "import { check, sleep } from 'k6'",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source text for the stub, template literals included
      'const check = (r, c) => { for (const f of Object.values(c)) calls.push(`check ${f(r)}`) }; const sleep = (s) => calls.push(`sleep ${s >= 0}`); const __ENV = {}; export { calls }',
    )
  const path = join(dir, 'script.mjs')
  await writeFile(path, stubbed)
  const module = (await import(pathToFileURL(path).href)) as { options: Record<string, unknown>; default: () => void; calls: string[] }
  module.default()
  return { options: module.options, calls: module.calls }
}

describe('exportK6Script', () => {
  it('writes a ramping-vus scenario with thresholds in k6 form, and skips what k6 cannot measure', async () => {
    const plan: LoadPlan = closedPlan(
      0,
      [
        [120_000, 100],
        [660_000, 100],
        [120_000, 0],
      ],
      { name: 'stress', thinkTimeMinNs: 50e6, thinkTimeMaxNs: 150e6, gracefulRampDownNs: 30e9, gracefulStopNs: 30e9 },
    )
    const script = exportK6Script(plan, RULES, 'http://127.0.0.1:9341/metrics', 'benchmarks/load/stress.json')
    expect(script).toContain('//   target_memory_bytes: value<512MiB')
    const { options, calls } = await loadScript(script)
    expect(options).toEqual({
      scenarios: {
        stress: {
          executor: 'ramping-vus',
          startVUs: 0,
          stages: [
            { duration: '2m0s', target: 100 },
            { duration: '11m0s', target: 100 },
            { duration: '2m0s', target: 0 },
          ],
          gracefulRampDown: '30s',
          gracefulStop: '30s',
        },
      },
      thresholds: {
        http_req_duration: ['p(95)<5000', { threshold: 'p(99)<10000', abortOnFail: true, delayAbortEval: '30s' }],
        http_req_failed: ['rate<0.01'],
        checks: ['rate>0.999'],
        http_reqs: ['rate>45'],
      },
    })
    expect(calls).toEqual(['get http://127.0.0.1:9341/metrics {"timeout":"2s","headers":{}}', 'check true', 'sleep true'])
  })

  it('writes arrival-rate scenarios with whole-number rates', async () => {
    const plan: LoadPlan = openPlan(
      0.5,
      [
        [60_000, 2.5],
        [60_000, 2.5],
      ],
      { name: 'open-ramping', preAllocatedVUs: 5, maxVUs: 50 },
    )
    const { options } = await loadScript(exportK6Script(plan, [], 'http://x/metrics', 'f.json'))
    expect(options.scenarios).toEqual({
      'open-ramping': {
        executor: 'ramping-arrival-rate',
        startRate: 5,
        timeUnit: '10s',
        preAllocatedVUs: 5,
        maxVUs: 50,
        gracefulStop: '2s',
        stages: [
          { duration: '1m0s', target: 25 },
          { duration: '1m0s', target: 25 },
        ],
      },
    })
    expect(k6TimeUnit([50, 120])).toBe(1)
    expect(k6TimeUnit([1 / 60])).toBe(60)
  })

  it('passes node --check as an ES module', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k6-check-'))
    const path = join(dir, 'script.mjs')
    await writeFile(
      path,
      exportK6Script(openPlan(50, [[600_000, 50]], { executor: 'constant-arrival-rate', name: 'open constant' }), RULES, 'http://x/metrics', 'f.json'),
    )
    await expect(execFileAsync(process.execPath, ['--check', path])).resolves.toBeDefined()
  })
})
