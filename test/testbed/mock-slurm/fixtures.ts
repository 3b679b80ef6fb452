// The files the mock's conformance tests read, all in the repository: the real OpenAPI specs
// (testbed/mock-slurm/openapi/spec/) and real answers (testdata/, see testdata/SOURCE.md). A
// missing file skips its tests with a message, or fails them when SLURMBENCH_STRICT=1 (CI).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import AjvModule, { type ValidateFunction } from 'ajv'

/** SPECS_DIR holds the full specs v0.0.40.json … v0.0.44.json. */
export const SPECS_DIR = fileURLToPath(new URL('../../../testbed/mock-slurm/openapi/spec/', import.meta.url))
/** SAMPLES_DIR holds the real captures, by source (slurm-web/<release>-<version>/). */
export const SAMPLES_DIR = fileURLToPath(new URL('./testdata/', import.meta.url))
/** STRICT is set in CI: a missing fixture fails its tests instead of skipping them. */
export const STRICT = process.env.SLURMBENCH_STRICT === '1'

const REQUIRED = [
  ...['v0.0.40', 'v0.0.41', 'v0.0.42', 'v0.0.43', 'v0.0.44'].map((v) => join(SPECS_DIR, `${v}.json`)),
  join(SAMPLES_DIR, 'slurm-web', '25.11-v0.0.44', 'slurm-jobs.json'),
  join(SAMPLES_DIR, 'slurm-web', '24.11-v0.0.42', 'slurm-jobs.json'),
]

/** MISSING_FIXTURES lists the required fixture files that are not on disk. */
export const MISSING_FIXTURES = REQUIRED.filter((p) => !existsSync(p))

/**
 * SKIP_FIXTURE_TESTS is true only when a fixture is missing and SLURMBENCH_STRICT is not set;
 * under SLURMBENCH_STRICT=1 the tests run and fail on the missing file, naming it.
 */
export const SKIP_FIXTURE_TESTS = MISSING_FIXTURES.length > 0 && !STRICT
if (SKIP_FIXTURE_TESTS) process.stderr.write(`mock-slurm fixture tests skipped: missing ${MISSING_FIXTURES.join(', ')}\n`)

type Json = Record<string, unknown>

// The specs list nested paths such as "nodes/count" in `required`; JSON Schema reads them as
// literal property names, which no real response has (every capture would fail), so they go.
function dropNestedRequired(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropNestedRequired)
  if (node === null || typeof node !== 'object') return node
  const out: Json = {}
  for (const [k, v] of Object.entries(node as Json)) {
    out[k] = k === 'required' && Array.isArray(v) ? v.filter((name) => typeof name === 'string' && !name.includes('/')) : dropNestedRequired(v)
  }
  return out
}

// ajv is CommonJS; under NodeNext its default export is the module object.
const Ajv = AjvModule.default
const ajvByVersion = new Map<string, InstanceType<typeof Ajv>>()

/** specValidator compiles a validator for component `name` (without the version prefix) of `version`. */
export function specValidator(version: string, name: string): ValidateFunction {
  let ajv = ajvByVersion.get(version)
  if (ajv === undefined) {
    const spec = dropNestedRequired(JSON.parse(readFileSync(join(SPECS_DIR, `${version}.json`), 'utf8'))) as Json
    // strict: false because the specs carry OpenAPI keywords (e.g. `deprecated`, `format: int64`)
    // that are not JSON Schema vocabulary; formats are not checked for the same reason.
    // The one place the daemon contradicts its spec: a job without an allocation has
    // `"job_resources": null` (every capture from v0.0.42 on, and 24.11 at v0.0.41) or `{}`
    // (v0.0.40, and 24.05 at v0.0.41). The validator accepts exactly that, and nothing else beyond the spec.
    const schemas = (spec.components as { schemas: Json }).schemas
    const jobRes = `${version}_job_res`
    const empty = { type: 'object', maxProperties: 0 }
    const unallocated = version >= 'v0.0.42' ? { type: 'null' } : version === 'v0.0.41' ? { anyOf: [{ type: 'null' }, empty] } : empty
    if (schemas[jobRes] !== undefined) schemas[jobRes] = { anyOf: [schemas[jobRes], unallocated] }
    ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false })
    ajv.addSchema({ ...spec, $id: `slurm-${version}` })
    ajvByVersion.set(version, ajv)
  }
  return ajv.compile({ $ref: `slurm-${version}#/components/schemas/${version}_${name}` })
}

/** readSample parses one capture, e.g. readSample('25.11-v0.0.44', 'slurm-jobs.json'). */
export function readSample(dir: string, file: string): unknown {
  return JSON.parse(readSampleText(dir, file))
}

/** readSampleText returns a capture's raw text. */
export function readSampleText(dir: string, file: string): string {
  return readFileSync(join(SAMPLES_DIR, 'slurm-web', dir, file), 'utf8')
}
