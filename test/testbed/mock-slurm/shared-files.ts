// Locates ../shared (the specs and real captures) beside the repository, as in CI, and builds
// JSON-schema validators from the real OpenAPI specs.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import AjvModule, { type ValidateFunction } from 'ajv'

/** SHARED_DIR is <repo>/../shared. */
export const SHARED_DIR = resolve(fileURLToPath(new URL('../../../', import.meta.url)), '../shared')
/** SPECS_DIR holds v0.0.4x.json. */
export const SPECS_DIR = join(SHARED_DIR, 'slurm-openapi')
/** SAMPLES_DIR holds the real captures. */
export const SAMPLES_DIR = join(SHARED_DIR, 'slurm-samples')
/** HAVE_SHARED is false on a machine without ../shared; the tests that need it skip. */
export const HAVE_SHARED = existsSync(join(SPECS_DIR, 'v0.0.44.json')) && existsSync(SAMPLES_DIR)

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
    // `"job_resources": null` (every capture from v0.0.42 on) or `{}` (v0.0.41). The validator
    // accepts exactly that, and nothing else beyond the spec.
    const schemas = (spec.components as { schemas: Json }).schemas
    const jobRes = `${version}_job_res`
    const unallocated = version >= 'v0.0.42' ? { type: 'null' } : { type: 'object', maxProperties: 0 }
    if (schemas[jobRes] !== undefined) schemas[jobRes] = { anyOf: [schemas[jobRes], unallocated] }
    ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false })
    ajv.addSchema({ ...spec, $id: `slurm-${version}` })
    ajvByVersion.set(version, ajv)
  }
  return ajv.compile({ $ref: `slurm-${version}#/components/schemas/${version}_${name}` })
}

/** readSample parses one capture, e.g. readSample('25.11-v0.0.44', 'slurm-jobs.json'). */
export function readSample(dir: string, file: string): unknown {
  return JSON.parse(readFileSync(join(SAMPLES_DIR, 'slurm-web', dir, file), 'utf8'))
}

/** readSampleText returns a capture's raw text. */
export function readSampleText(dir: string, file: string): string {
  return readFileSync(join(SAMPLES_DIR, 'slurm-web', dir, file), 'utf8')
}
