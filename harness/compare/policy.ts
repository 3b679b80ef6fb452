// The tolerance policy: a human-edited JSON file (baselines/policy.json) saying, per metric, how
// much worse is tolerable, which direction is better and whether the metric is exact. Defaults
// per unit, then rules by name and unit pattern; the last matching rule wins, so specific rules
// go after general ones.
import { type Static, Type } from '@sinclair/typebox'
import { Value, type ValueError } from '@sinclair/typebox/value'
import { InputError } from '../../common/input-error.ts'
import { readInputText } from '../../common/read-input.ts'
import { Better } from '../results/schema.ts'
import { compilePattern, type NamePattern } from './name-pattern.ts'
import { NativeModuleError } from '../../common/re2.ts'

/** POLICY_SCHEMA_VERSION is bumped on incompatible changes to the policy file. */
export const POLICY_SCHEMA_VERSION = 1

/** Beyond is how "worse beyond tolerance" is judged: by the point estimate or by the interval's near bound. */
export const Beyond = Type.Union([Type.Literal('estimate'), Type.Literal('bound')])
export type Beyond = Static<typeof Beyond>

/** MetricSettings is what a default or a rule may set. */
export const MetricSettings = Type.Object(
  {
    /** Tolerated worsening in percent of the baseline's centre. */
    tolerancePct: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    better: Type.Optional(Better),
    /** Deterministic metric (counts, sizes): compared exactly, one sample suffices, no test. */
    exact: Type.Optional(Type.Boolean()),
    /** Not judged at all (still shown). */
    ignore: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type MetricSettings = Static<typeof MetricSettings>

/** PolicyRule applies settings to metrics whose benchmark name and unit match. */
export const PolicyRule = Type.Object(
  {
    /** Glob (`*` one level, `**` anything) or `/RE2 regexp/`, against the full name (`BenchmarkX/sub-4`). */
    name: Type.Optional(Type.String({ minLength: 1 })),
    /** Glob or `/regexp/` against the unit as written (`ns/op`) or tidied (`sec/op`). */
    unit: Type.Optional(Type.String({ minLength: 1 })),
    /** Why this rule exists: shown with the verdict. */
    why: Type.Optional(Type.String()),
    ...MetricSettings.properties,
  },
  { additionalProperties: false },
)
export type PolicyRule = Static<typeof PolicyRule>

/** PolicyDocument is the policy file. */
export const PolicyDocument = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    schemaVersion: Type.Literal(POLICY_SCHEMA_VERSION),
    kind: Type.Literal('slurmbench.policy'),
    /** Significance level after Benjamini–Hochberg (default 0.05). */
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
    /** Confidence level of intervals (default 0.95). */
    confidence: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
    /** Samples needed on each side before a metric can be judged (default 4, the fewest that can reach p ≤ 0.05). */
    minSamples: Type.Optional(Type.Integer({ minimum: 1 })),
    beyond: Type.Optional(Beyond),
    /** Settings by unit (`ns/op`, `B/op`, or `*` for every unit). */
    defaults: Type.Record(Type.String({ minLength: 1 }), MetricSettings),
    rules: Type.Array(PolicyRule),
  },
  { additionalProperties: false },
)
export type PolicyDocument = Static<typeof PolicyDocument>

/** DEFAULT_TOLERANCE_PCT applies when neither the defaults nor a rule set one. */
export const DEFAULT_TOLERANCE_PCT = 5
/** DEFAULT_MIN_SAMPLES is the fewest samples a side for a judgement: below 4 the U test cannot reach p ≤ 0.05. */
export const DEFAULT_MIN_SAMPLES = 4
/**
 * DEFAULT_BEYOND is the rule for "worse beyond tolerance": the interval's near bound must clear
 * the tolerance. Chosen by the slowdown-injection experiment (benchmarks/experiment/README.md):
 * with ab's adding of rounds while inconclusive, the point-estimate rule's A/A false alarms grow
 * past 1% once noise passes ~2% (2.3% at σ = 3%), the bound rule's stay at 0% while still
 * flagging ≥ 80% of 5% and ≥ 95% of 10% slowdowns up to σ = 3%.
 */
export const DEFAULT_BEYOND: Beyond = 'bound'

/** Policy is a parsed policy with compiled patterns. */
export interface Policy {
  readonly source: string
  readonly alpha: number
  readonly confidence: number
  readonly minSamples: number
  readonly beyond: Beyond
  readonly defaults: Readonly<Record<string, MetricSettings>>
  readonly rules: ReadonlyArray<{ readonly rule: PolicyRule; readonly index: number; readonly name?: NamePattern; readonly unit?: NamePattern }>
}

/** ResolvedSettings is what applies to one metric, and where it came from. */
export interface ResolvedSettings {
  readonly tolerancePct: number
  readonly better: Better
  readonly exact: boolean
  readonly ignore: boolean
  /** `default`, `defaults["B/op"]`, `rules[2]`: the last source that set anything. */
  readonly origin: string
  readonly why?: string
}

/** fieldName turns a JSON pointer (`/defaults/ns~1op/better`) into the field as a person writes it (`defaults["ns/op"].better`). */
export function fieldName(pointer: string): string {
  if (pointer === '') return '(document)'
  let out = ''
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (/^\d+$/.test(key)) out += `[${key}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`
    else out += `[${JSON.stringify(key)}]`
  }
  return out
}

function found(value: unknown): string {
  if (typeof value === 'number') return String(value)
  return (JSON.stringify(value) ?? String(value)).slice(0, 60)
}

/**
 * describeSchemaError says what is wrong with one field in plain words: its name without JSON
 * pointer escapes, what was found, and the allowed values when the schema lists them.
 */
export function describeSchemaError(error: ValueError): string {
  const schema = error.schema as {
    anyOf?: Array<{ const?: unknown }>
    const?: unknown
    properties?: Record<string, unknown>
    minimum?: number
    maximum?: number
    exclusiveMinimum?: number
    exclusiveMaximum?: number
    type?: string
  }
  if (error.message === 'Unexpected property') {
    const cut = error.path.lastIndexOf('/')
    const parent = error.path.slice(0, cut)
    const key = error.path
      .slice(cut + 1)
      .replaceAll('~1', '/')
      .replaceAll('~0', '~')
    const allowed = Object.keys(schema.properties ?? {})
    return `${parent === '' ? 'the document' : `field ${fieldName(parent)}`} has an unknown field ${JSON.stringify(key)}; expected one of ${allowed.join(', ')}`
  }
  const field = `field ${fieldName(error.path)}`
  if (error.message === 'Expected required property') return `${field} is missing; it is required`
  const choices = schema.anyOf?.every((s) => s.const !== undefined) === true ? schema.anyOf.map((s) => JSON.stringify(s.const)) : undefined
  if (choices !== undefined) return `${field}: found ${found(error.value)}; expected one of ${choices.join(', ')}`
  if (schema.const !== undefined) return `${field}: found ${found(error.value)}; expected ${JSON.stringify(schema.const)}`
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.type === 'number' || schema.type === 'integer') {
    const kind = schema.type === 'integer' ? 'a whole number' : 'a number'
    const range =
      schema.minimum !== undefined && schema.maximum !== undefined
        ? ` from ${schema.minimum} to ${schema.maximum}`
        : schema.minimum !== undefined
          ? ` ≥ ${schema.minimum}`
          : schema.exclusiveMinimum !== undefined
            ? ` between ${schema.exclusiveMinimum} and ${schema.exclusiveMaximum ?? '∞'} (exclusive)`
            : ''
    return `${field}: found ${found(error.value)}; expected ${kind}${range}`
  }
  return `${field}: ${error.message.replace(/^Expected/, 'expected')} (found ${found(error.value)})`
}

/** parsePolicy validates the policy text; errors name the JSON path. */
export function parsePolicy(text: string, source: string): Policy {
  if (text.trim() === '') throw new InputError(`${source}: empty file; expected a slurmbench policy JSON document (see baselines/policy.json)`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new InputError(`${source}: not valid JSON (${(err as Error).message}); the file may be truncated`)
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const version = (value as { schemaVersion?: unknown }).schemaVersion
    if (typeof version === 'number' && version > POLICY_SCHEMA_VERSION) {
      throw new InputError(
        `${source}: field schemaVersion: policy version ${version} is newer than this slurmbench reads (${POLICY_SCHEMA_VERSION}); upgrade slurmbench`,
      )
    }
  }
  const first = Value.Errors(PolicyDocument, value).First()
  if (first !== undefined) throw new InputError(`${source}: ${describeSchemaError(first)}`)
  const doc = value as PolicyDocument
  for (const [index, rule] of doc.rules.entries()) {
    if (rule.name === undefined && rule.unit === undefined) {
      throw new InputError(
        `${source}: field rules[${index}]: a rule needs "name" or "unit" (or both) to say which metrics it applies to; to change every metric, use defaults["*"]`,
      )
    }
  }
  const rules = doc.rules.map((rule, index) => {
    const compile = (field: 'name' | 'unit'): NamePattern | undefined => {
      const pattern = rule[field]
      if (pattern === undefined) return undefined
      try {
        return compilePattern(pattern)
      } catch (err) {
        if (err instanceof NativeModuleError) throw err // the addon, not the pattern
        throw new InputError(
          `${source}: field rules[${index}].${field}: invalid pattern ${JSON.stringify(pattern)} (${(err as Error).message}); expected a glob or /RE2 regexp/`,
        )
      }
    }
    const name = compile('name')
    const unit = compile('unit')
    return { rule, index, ...(name ? { name } : {}), ...(unit ? { unit } : {}) }
  })
  return {
    source,
    alpha: doc.alpha ?? 0.05,
    confidence: doc.confidence ?? 0.95,
    minSamples: doc.minSamples ?? DEFAULT_MIN_SAMPLES,
    beyond: doc.beyond ?? DEFAULT_BEYOND,
    defaults: doc.defaults,
    rules,
  }
}

/** readPolicy reads and parses a policy file. */
export async function readPolicy(path: string): Promise<Policy> {
  return parsePolicy(await readInputText(path, { what: 'policy' }), path)
}

/** builtinPolicy is used when no policy file exists: every default, no rules. */
export function builtinPolicy(): Policy {
  return { source: '(built-in)', alpha: 0.05, confidence: 0.95, minSamples: DEFAULT_MIN_SAMPLES, beyond: DEFAULT_BEYOND, defaults: {}, rules: [] }
}

/** MetricIdentity names the metric a policy is resolved for. */
export interface MetricIdentity {
  readonly name: string
  /** Unit as written (`ns/op`). */
  readonly rawUnit: string
  /** Tidied unit (`sec/op`). */
  readonly unit: string
  /** Direction the producer declared. */
  readonly better: Better
  readonly exact: boolean
}

/** resolveSettings applies defaults["*"], defaults[unit], then every matching rule in order. */
export function resolveSettings(policy: Policy, metric: MetricIdentity): ResolvedSettings {
  let settings: { tolerancePct: number; better: Better; exact: boolean; ignore: boolean; origin: string; why?: string } = {
    tolerancePct: DEFAULT_TOLERANCE_PCT,
    better: metric.better,
    exact: metric.exact,
    ignore: false,
    origin: 'default',
  }
  const apply = (s: MetricSettings, origin: string, why?: string): void => {
    settings = {
      tolerancePct: s.tolerancePct ?? settings.tolerancePct,
      better: s.better ?? settings.better,
      exact: s.exact ?? settings.exact,
      ignore: s.ignore ?? settings.ignore,
      origin,
      ...(why !== undefined ? { why } : settings.why !== undefined ? { why: settings.why } : {}),
    }
  }
  const star = policy.defaults['*']
  if (star !== undefined) apply(star, 'defaults["*"]')
  for (const unit of [metric.unit, metric.rawUnit]) {
    const d = policy.defaults[unit]
    if (d !== undefined) {
      apply(d, `defaults[${JSON.stringify(unit)}]`)
      break
    }
  }
  for (const { rule, index, name, unit } of policy.rules) {
    if (name !== undefined && !name.test(metric.name)) continue
    if (unit !== undefined && !unit.test(metric.unit) && !unit.test(metric.rawUnit)) continue
    apply(rule, `rules[${index}]`, rule.why)
  }
  return settings
}
