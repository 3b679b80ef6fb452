// The contract between two HTTP answers of slurmrestd look-alikes: status code, media type, the
// key paths of a JSON body with their JSON types, and a few values a client branches on.
// Values in general are data (times, ids, counts) and are not compared.

/** Answer is one HTTP answer as a client saw it. */
export interface Answer {
  status: number
  /** contentType is the Content-Type header as sent (parameters included), or '' when absent. */
  contentType: string
  body: string
}

/** JsonType is a JSON value's type; numbers are one type (slurmrestd prints 5 and 5.0 alike). */
export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array'

/** DifferenceKind says which part of the contract differs. */
export type DifferenceKind = 'status' | 'content-type' | 'body-format' | 'text' | 'missing' | 'extra' | 'type' | 'value'

/** Difference is one way `actual` breaks the contract of `expected` (expected: the real daemon). */
export interface Difference {
  kind: DifferenceKind
  /** path is a key path like `jobs[].job_state[]`, or '' for the answer as a whole. */
  path: string
  expected: string
  actual: string
}

/** VALUE_PATHS are key paths whose values are part of the contract: clients branch on them. */
export const VALUE_PATHS: readonly string[] = ['errors[].error_number', 'errors[].error', 'meta.plugin.data_parser', 'meta.plugin.type']

/** mediaType returns the Content-Type without parameters, lower case. */
export function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase()
}

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  const t = typeof value
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object'
}

/** Shape maps each key path of a JSON value to the set of types seen there, plus the values at VALUE_PATHS. */
export interface Shape {
  types: Map<string, Set<JsonType>>
  /** nonEmptyArrays are the array paths that had at least one element. */
  nonEmptyArrays: Set<string>
  values: Map<string, Set<string>>
}

/**
 * shapeOf walks a parsed JSON value; the elements of an array share one path (`list[]`), their keys
 * merged. Objects keyed by numbers (v0.0.40's `sockets.0.cores.7`, socket and core indexes) are maps,
 * not records: their keys share one path segment `{n}`, so which cores a job got is data, not contract.
 */
export function shapeOf(value: unknown, valuePaths: readonly string[] = VALUE_PATHS): Shape {
  const shape: Shape = {
    types: new Map(),
    nonEmptyArrays: new Set(),
    values: new Map(),
  }
  const wanted = new Set(valuePaths)
  const walk = (v: unknown, path: string): void => {
    const type = jsonType(v)
    let types = shape.types.get(path)
    if (types === undefined) {
      types = new Set()
      shape.types.set(path, types)
    }
    types.add(type)
    if (wanted.has(path) && type !== 'object' && type !== 'array') {
      let values = shape.values.get(path)
      if (values === undefined) {
        values = new Set()
        shape.values.set(path, values)
      }
      values.add(JSON.stringify(v))
    }
    if (type === 'array') {
      const list = v as unknown[]
      if (list.length > 0) shape.nonEmptyArrays.add(path)
      for (const item of list) walk(item, `${path}[]`)
    } else if (type === 'object') {
      for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
        const segment = /^\d+$/.test(key) ? '{n}' : key
        walk(item, path === '' ? segment : `${path}.${segment}`)
      }
    }
  }
  walk(value, '')
  return shape
}

// The array path a key path lies under, innermost first: `a[].b[].c` → [`a[].b`, `a`].
function enclosingArrays(path: string): string[] {
  const found: string[] = []
  let i = path.lastIndexOf('[]')
  while (i >= 0) {
    found.push(path.slice(0, i))
    i = path.lastIndexOf('[]', i - 1)
  }
  return found
}

function sorted(set: Set<string> | undefined): string {
  return set === undefined ? '' : [...set].sort().join('|')
}

/**
 * diffShapes compares key paths and types. A path under an array that is empty on either side is
 * not compared: an empty list is data (no licenses configured), not a different contract.
 */
export function diffShapes(expected: Shape, actual: Shape): Difference[] {
  const differences: Difference[] = []
  const comparable = (path: string): boolean => enclosingArrays(path).every((array) => expected.nonEmptyArrays.has(array) && actual.nonEmptyArrays.has(array))
  const paths = new Set([...expected.types.keys(), ...actual.types.keys()])
  for (const path of [...paths].sort()) {
    if (!comparable(path)) continue
    const e = expected.types.get(path)
    const a = actual.types.get(path)
    if (a === undefined)
      differences.push({
        kind: 'missing',
        path,
        expected: sorted(e as Set<string>),
        actual: '',
      })
    else if (e === undefined)
      differences.push({
        kind: 'extra',
        path,
        expected: '',
        actual: sorted(a as Set<string>),
      })
    // null beside another type means "unset" in some elements: compare the other types.
    else if (sorted(withoutNull(e)) !== sorted(withoutNull(a)))
      differences.push({
        kind: 'type',
        path,
        expected: sorted(e as Set<string>),
        actual: sorted(a as Set<string>),
      })
  }
  const valuePaths = new Set([...expected.values.keys(), ...actual.values.keys()])
  for (const path of [...valuePaths].sort()) {
    if (!comparable(path)) continue
    const e = sorted(expected.values.get(path))
    const a = sorted(actual.values.get(path))
    if (e !== a) differences.push({ kind: 'value', path, expected: e, actual: a })
  }
  return differences
}

function withoutNull(types: Set<JsonType>): Set<string> {
  const rest = new Set<string>(types)
  if (rest.size > 1) rest.delete('null')
  return rest
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) }
  } catch {
    return { ok: false }
  }
}

/**
 * diffAnswers returns every way `actual` differs from `expected` in status, media type and body
 * contract. JSON bodies are compared by shape; other bodies by their trimmed text.
 */
export function diffAnswers(expected: Answer, actual: Answer): Difference[] {
  const differences: Difference[] = []
  if (expected.status !== actual.status)
    differences.push({
      kind: 'status',
      path: '',
      expected: String(expected.status),
      actual: String(actual.status),
    })
  const eType = mediaType(expected.contentType)
  const aType = mediaType(actual.contentType)
  if (eType !== aType)
    differences.push({
      kind: 'content-type',
      path: '',
      expected: eType,
      actual: aType,
    })
  const eJson = parseJson(expected.body)
  const aJson = parseJson(actual.body)
  if (eJson.ok && aJson.ok) return [...differences, ...diffShapes(shapeOf(eJson.value), shapeOf(aJson.value))]
  if (eJson.ok !== aJson.ok) {
    differences.push({
      kind: 'body-format',
      path: '',
      expected: eJson.ok ? 'JSON' : 'text',
      actual: aJson.ok ? 'JSON' : 'text',
    })
    return differences
  }
  if (expected.body.trim() !== actual.body.trim())
    differences.push({
      kind: 'text',
      path: '',
      expected: expected.body.trim(),
      actual: actual.body.trim(),
    })
  return differences
}

/**
 * AllowEntry excuses differences: every field must match, exactly or, ending in `*`, as a prefix.
 * The first matching entry excuses a difference, so specific entries go before broad ones.
 */
export interface AllowEntry {
  version: string
  case: string
  kind: DifferenceKind | '*'
  path: string
  reason: string
}

/** CaseDifference is a difference found in one case of one version. */
export interface CaseDifference extends Difference {
  version: string
  case: string
}

// glob matches `pattern` exactly, or as a prefix when it ends in `*` (a lone `*` matches anything).
function glob(pattern: string, value: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern === value
}

function matches(entry: AllowEntry, d: CaseDifference): boolean {
  return glob(entry.version, d.version) && glob(entry.case, d.case) && glob(entry.kind, d.kind) && glob(entry.path, d.path)
}

/** Judgement splits differences into allowed and unlisted, and names the allow-list entries that excused nothing. */
export interface Judgement {
  allowed: CaseDifference[]
  unlisted: CaseDifference[]
  stale: AllowEntry[]
}

/** judge applies an allow-list to the differences found. */
export function judge(differences: readonly CaseDifference[], allow: readonly AllowEntry[]): Judgement {
  const used = new Set<AllowEntry>()
  const allowed: CaseDifference[] = []
  const unlisted: CaseDifference[] = []
  for (const d of differences) {
    const entry = allow.find((e) => matches(e, d))
    if (entry === undefined) unlisted.push(d)
    else {
      used.add(entry)
      allowed.push(d)
    }
  }
  return { allowed, unlisted, stale: allow.filter((e) => !used.has(e)) }
}

/** formatDifference renders one difference on one line, for reports and test failures. */
export function formatDifference(d: CaseDifference): string {
  const what = d.path === '' ? d.kind : `${d.kind} ${d.path}`
  const clip = (s: string): string => (s.length > 120 ? `${s.slice(0, 117)}...` : s)
  return `${d.version} ${d.case}: ${what}: real ${JSON.stringify(clip(d.expected))}, mock ${JSON.stringify(clip(d.actual))}`
}

/** parseAllowList validates the allow-list file's JSON and returns its entries, or throws naming the bad entry. */
export function parseAllowList(text: string, file: string): AllowEntry[] {
  const data = JSON.parse(text) as { entries?: unknown }
  if (!Array.isArray(data.entries)) throw new Error(`${file}: expected an object with an "entries" array`)
  const kinds = new Set<string>(['*', 'status', 'content-type', 'body-format', 'text', 'missing', 'extra', 'type', 'value'])
  return data.entries.map((raw, i) => {
    const e = raw as Partial<AllowEntry>
    for (const key of ['version', 'case', 'kind', 'path', 'reason'] as const) {
      if (typeof e[key] !== 'string') throw new Error(`${file}: entries[${i}].${key} must be a string`)
    }
    if (!kinds.has(e.kind as string)) throw new Error(`${file}: entries[${i}].kind is ${JSON.stringify(e.kind)}, expected one of ${[...kinds].join(', ')}`)
    if ((e.reason as string).trim() === '') throw new Error(`${file}: entries[${i}].reason is empty: every allowed difference needs a reason`)
    return e as AllowEntry
  })
}
