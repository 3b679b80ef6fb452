// Every response of every served version validates against the real spec's component schema,
// and has the keys and value types of the real captures of the same version.
import { Value } from '@sinclair/typebox/value'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMockSlurm, type MockSlurm } from '../../../testbed/mock-slurm/index.ts'
import { JobStateResponse } from '../../../testbed/mock-slurm/job-state-schema.ts'
import { RESPONSE_COMPONENTS, SUPPORTED_VERSIONS, versionNumber } from '../../../testbed/mock-slurm/versions.ts'
import { SKIP_FIXTURE_TESTS, readSample, specValidator } from './fixtures.ts'

// Paths (with the version as V) and the response component each must satisfy.
const ENDPOINTS: Array<[string, keyof typeof RESPONSE_COMPONENTS]> = [
  ['/slurm/V/ping', 'ping'],
  ['/slurm/V/diag/', 'diag'],
  ['/slurm/V/jobs', 'jobs'],
  ['/slurm/V/job/1000001', 'jobs'],
  ['/slurm/V/nodes/', 'nodes'],
  ['/slurm/V/node/cn001', 'nodes'],
  ['/slurm/V/partitions', 'partitions'],
  ['/slurm/V/partition/gpu', 'partitions'],
  ['/slurm/V/reservations', 'reservations'],
  ['/slurm/V/licenses', 'licenses'],
  ['/slurm/V/shares', 'shares'],
  ['/slurmdb/V/ping', 'dbPing'],
  ['/slurmdb/V/diag', 'dbDiag'],
  ['/slurmdb/V/jobs/', 'dbJobs'],
  ['/slurmdb/V/job/1000001', 'dbJobs'],
  ['/slurmdb/V/qos', 'qos'],
  ['/slurmdb/V/accounts', 'accounts'],
  ['/slurmdb/V/users/', 'users'],
  ['/slurmdb/V/associations', 'associations'],
  ['/slurmdb/V/tres', 'tres'],
  ['/slurmdb/V/clusters', 'clusters'],
]

// The Slurm-web capture folder of each version.
const SAMPLE_DIRS: Record<string, string> = { 'v0.0.41': '24.05-v0.0.41', 'v0.0.42': '24.11-v0.0.42', 'v0.0.43': '25.05-v0.0.43', 'v0.0.44': '25.11-v0.0.44' }

let mock: MockSlurm

beforeAll(async () => {
  mock = await startMockSlurm({ preset: 'tiny', nodes: 40, jobs: 300, seed: 7, epochSec: 1_764_000_000, frozenClock: true, auth: false, json: 'compact' })
})
afterAll(() => mock?.close())

// biome-ignore lint/suspicious/noExplicitAny: bodies of every endpoint, checked by the spec validators
type Body = any

async function get(path: string): Promise<{ status: number; body: Body }> {
  const r = await fetch(mock.url + path)
  return { status: r.status, body: await r.json() }
}

describe.skipIf(SKIP_FIXTURE_TESTS)('responses validate against the real OpenAPI specs', () => {
  for (const version of SUPPORTED_VERSIONS) {
    it(`${version}: every endpoint`, async () => {
      for (const [template, kind] of ENDPOINTS) {
        if (versionNumber(version) < 42 && kind === 'dbPing') continue
        const { status, body } = await get(template.replace('V', version))
        expect(status, template).toBe(200)
        const validate = specValidator(version, RESPONSE_COMPONENTS[kind])
        const ok = validate(body)
        expect(ok ? [] : validate.errors?.slice(0, 3), `${version} ${template}`).toEqual([])
        expect(body.meta.plugin.data_parser).toBe(`data_parser/${version}`)
        expect(body.errors).toEqual([])
        expect(body.warnings).toEqual([])
      }
    })

    it(`${version}: jobs/state has the handler's runtime shape and a spec meta`, async () => {
      const { status, body } = await get(`/slurm/${version}/jobs/state`)
      expect(status).toBe(200)
      expect(Value.Check(JobStateResponse, body)).toBe(true)
      expect(body.jobs).toHaveLength(300)
      expect(specValidator(version, 'openapi_meta')(body.meta)).toBe(true)
    })
  }

  it('the validator accepts the real captures and rejects a broken one', () => {
    for (const [version, dir] of Object.entries(SAMPLE_DIRS)) {
      for (const [file, component] of [
        ['slurm-jobs.json', 'openapi_job_info_resp'],
        ['slurm-nodes.json', 'openapi_nodes_resp'],
        ['slurm-partitions.json', 'openapi_partition_resp'],
      ]) {
        const validate = specValidator(version, component!)
        expect(validate(readSample(dir, file!)), `${dir}/${file}`).toBe(true)
      }
    }
    const real = readSample('25.11-v0.0.44', 'slurm-jobs.json') as { jobs: Array<Record<string, unknown>> }
    const validate = specValidator('v0.0.44', 'openapi_job_info_resp')
    real.jobs[0]!.job_state = 'RUNNING'
    expect(validate(real)).toBe(false)
  })

  it('v0.0.40 and v0.0.41 have no slurmdbd ping, as their specs say', async () => {
    for (const version of ['v0.0.40', 'v0.0.41']) expect((await fetch(`${mock.url}/slurmdb/${version}/ping`)).status).toBe(404)
  })
})

// shape maps each JSON path (arrays as []) to the set of value types seen there.
function shape(value: unknown, path = '', out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value
  if (!out.has(path)) out.set(path, new Set())
  out.get(path)!.add(type)
  if (Array.isArray(value)) for (const v of value) shape(v, `${path}[]`, out)
  else if (type === 'object') for (const [k, v] of Object.entries(value as object)) shape(v, `${path}.${k}`, out)
  return out
}

// Captures and the mock path with the same payload. Paths the capture's data leaves empty are
// the only ones the mock may add (e.g. a capture whose nodes have no features).
// A capture of one job is compared with the mock's jobs in the same state.
const SAMPLE_ENDPOINTS: Array<[string, string, string?]> = [
  ['slurm-jobs.json', '/slurm/V/jobs'],
  ['slurm-nodes.json', '/slurm/V/nodes'],
  ['slurm-partitions.json', '/slurm/V/partitions'],
  ['slurm-ping.json', '/slurm/V/ping'],
  ['slurm-qos.json', '/slurmdb/V/qos'],
  ['slurm-accounts.json', '/slurmdb/V/accounts'],
  ['slurmdb-associations.json', '/slurmdb/V/associations'],
  ['slurm-reservations.json', '/slurm/V/reservations'],
  ['slurmdb-job-running.json', '/slurmdb/V/jobs?state=RUNNING'],
  ['slurm-job-running.json', '/slurm/V/jobs', 'RUNNING'],
  ['slurm-job-pending.json', '/slurm/V/jobs', 'PENDING'],
]

describe.skipIf(SKIP_FIXTURE_TESTS)('key sets and value types match the real captures', () => {
  // Slurm-web has no v0.0.40 captures; v0.0.40 is checked against its spec above.
  for (const version of SUPPORTED_VERSIONS.filter((v) => v in SAMPLE_DIRS)) {
    it(version, async () => {
      const dir = SAMPLE_DIRS[version]!
      let compared = 0
      for (const [file, template, state] of SAMPLE_ENDPOINTS) {
        let sample: unknown
        try {
          sample = readSample(dir, file)
        } catch {
          continue // not every release has every capture
        }
        compared++
        const real = shape(sample)
        const body = (await get(template.replace('V', version))).body
        if (state !== undefined) body.jobs = body.jobs.filter((j: { job_state: string[] }) => j.job_state.includes(state))
        const ours = shape(body)
        const missing = [...real.keys()].filter((k) => !ours.has(k))
        expect(missing, `${version} ${file}: keys the mock lacks`).toEqual([])
        const typeMismatch = [...real.keys()].filter((k) => ![...real.get(k)!].some((t) => ours.get(k)!.has(t)))
        expect(typeMismatch, `${version} ${file}: keys of another type`).toEqual([])
        // Extra keys are allowed only below an array the capture has but never filled.
        const unexplained = [...ours.keys()]
          .filter((k) => !real.has(k))
          .filter((k) => {
            for (let p = k; p.includes('[]'); ) {
              p = p.slice(0, p.lastIndexOf('[]'))
              if (real.has(p) && !real.has(`${p}[]`)) return false
            }
            return true
          })
        expect(unexplained, `${version} ${file}: keys the capture does not have`).toEqual([])
        expect(real.size, file).toBeGreaterThan(10)
      }
      expect(compared).toBeGreaterThanOrEqual(4)
    })
  }
})
