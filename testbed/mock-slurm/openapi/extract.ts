// Extract writes the serializer schemas the mock compiles with fast-json-stringify: for each data
// parser version, the response components the mock serves and every component they reference,
// taken from the real spec in openapi/spec/<version>.json (see spec/SOURCE.md), reduced to the keywords a
// serializer needs. Run it again when a spec changes:
//   npx tsx testbed/mock-slurm/openapi/extract.ts [path/to/spec-folder]
// Why not hand-written schemas: the real output's key order is the spec's property order (checked
// against every Slurm-web capture), and the version deltas are then exact by construction.
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RESPONSE_COMPONENTS, SUPPORTED_VERSIONS } from '../versions.ts'

type Schema = Record<string, unknown>

// Keywords fast-json-stringify reads. `required` is dropped on purpose: fast-json-stringify
// writes required properties first, which would break the spec's (= the daemon's) key order, and
// the spec's nested `required` entries such as "nodes/count" are not JSON Schema anyway.
const KEPT_KEYWORDS = new Set(['type', 'format', 'properties', 'items', '$ref', 'additionalProperties', 'nullable'])

function reduce(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(reduce)
  if (node === null || typeof node !== 'object') return node
  const out: Schema = {}
  for (const [key, value] of Object.entries(node as Schema)) {
    if (!KEPT_KEYWORDS.has(key)) continue
    if (key === 'properties') {
      const props: Schema = {}
      for (const [name, sub] of Object.entries(value as Schema)) props[name] = reduce(sub)
      out[key] = props
    } else {
      out[key] = reduce(value)
    }
  }
  return out
}

function collectRefs(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, into)
    return
  }
  if (node === null || typeof node !== 'object') return
  for (const [key, value] of Object.entries(node as Schema)) {
    if (key === '$ref' && typeof value === 'string') into.add(value.replace('#/components/schemas/', ''))
    else collectRefs(value, into)
  }
}

/** extractComponents returns the reduced closure of `roots` within `spec`'s components. */
export function extractComponents(spec: { components: { schemas: Record<string, unknown> } }, roots: string[]): Record<string, unknown> {
  const all = spec.components.schemas
  const out: Record<string, unknown> = {}
  const queue = [...roots]
  while (queue.length > 0) {
    const name = queue.pop()!
    if (name in out) continue
    const schema = all[name]
    if (schema === undefined) throw new Error(`component ${name} is not in the spec`)
    out[name] = reduce(schema)
    const refs = new Set<string>()
    collectRefs(schema, refs)
    queue.push(...refs)
  }
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((k) => [k, out[k]]),
  )
}

/**
 * applyRuntimeQuirks makes the serializer schemas say what the daemon really prints where that
 * differs from its spec. Every Slurm-web capture from v0.0.42 on prints `"job_resources": null`
 * for pending jobs, and so does 24.11 at v0.0.41 (24.05 prints `{}` there), though the spec types
 * it as an object.
 */
export function applyRuntimeQuirks(version: string, schemas: Record<string, unknown>): void {
  const jobRes = schemas[`${version}_job_res`] as Record<string, unknown> | undefined
  if (jobRes !== undefined && Number(version.slice(version.lastIndexOf('.') + 1)) >= 41) jobRes.nullable = true
}

/** specDocument returns the serializer schema document extract.ts writes for `version` from its full `spec`. */
export function specDocument(
  version: string,
  spec: { info?: { version?: string }; components: { schemas: Record<string, unknown> } },
): Record<string, unknown> {
  const roots = Object.values(RESPONSE_COMPONENTS)
    .map((suffix) => `${version}_${suffix}`)
    .filter((name) => name in spec.components.schemas)
  const schemas = structuredClone(spec.components.schemas)
  applyRuntimeQuirks(version, schemas)
  return {
    $id: version,
    info: { source: `slurm-openapi/${version}.json`, version: spec.info?.version },
    components: { schemas: extractComponents({ components: { schemas } }, roots) },
  }
}

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url))
  const specDir = resolve(process.argv[2] ?? join(here, 'spec'))
  for (const version of SUPPORTED_VERSIONS) {
    const doc = specDocument(version, JSON.parse(readFileSync(join(specDir, `${version}.json`), 'utf8')))
    // Temp file + rename: a reader never sees half a schema file.
    const path = join(here, `${version}.json`)
    writeFileSync(`${path}.tmp`, JSON.stringify(doc) + '\n')
    renameSync(`${path}.tmp`, path)
    process.stderr.write(`wrote ${version}.json (${Object.keys((doc.components as { schemas: object }).schemas).length} components)\n`)
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
