// The SLA file (benchmarks/load/thresholds.json): named threshold profiles — the framework's
// defaults and the per-cluster-size targets — where a profile may extend another and may say
// which cluster sizes (node counts) it is for.
import { fileURLToPath } from 'node:url'
import { Type, type Static } from '@sinclair/typebox'
import { InputError } from '../../common/input-error.ts'
import { readInputText } from '../../common/read-input.ts'
import { ThresholdMap } from './scenario-schema.ts'
import { checkThresholdMap, layerRules, type ThresholdRule } from './thresholds.ts'
import { checkValue, parseJsonText } from './validate.ts'

/** DEFAULT_SLA_FILE is the thresholds file used unless --thresholds names another. */
export const DEFAULT_SLA_FILE = fileURLToPath(new URL('../../benchmarks/load/thresholds.json', import.meta.url))
/** DEFAULT_PROFILE is the profile used when neither flag, scenario nor cluster size picks one. */
export const DEFAULT_PROFILE = 'default'

/** SlaProfile is one named set of thresholds. */
export const SlaProfile = Type.Object(
  {
    description: Type.Optional(Type.String()),
    /** Profile whose thresholds this one starts from; its own replace same-metric, same-aggregation ones. */
    extends: Type.Optional(Type.String()),
    /** Cluster sizes (node counts, inclusive) this profile is for; picked automatically when the size is known. */
    nodes: Type.Optional(
      Type.Object({ min: Type.Optional(Type.Integer({ minimum: 0 })), max: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
    ),
    thresholds: ThresholdMap,
  },
  { additionalProperties: false },
)
export type SlaProfile = Static<typeof SlaProfile>

/** SlaFile is the whole thresholds file. */
export const SlaFile = Type.Object(
  { $schema: Type.Optional(Type.String()), description: Type.Optional(Type.String()), profiles: Type.Record(Type.String(), SlaProfile) },
  { additionalProperties: false },
)
export type SlaFile = Static<typeof SlaFile>

/** LoadedSla is a validated SLA file with each profile's rules resolved through `extends`. */
export interface LoadedSla {
  readonly path: string
  readonly file: SlaFile
  readonly rules: ReadonlyMap<string, readonly ThresholdRule[]>
}

/** parseSla validates an SLA file's text and resolves every profile. */
export function parseSla(text: string, path: string): LoadedSla {
  const value = parseJsonText(text, path)
  checkValue(SlaFile, value, path)
  const file = value as SlaFile
  const own = new Map<string, ThresholdRule[]>()
  for (const [name, profile] of Object.entries(file.profiles)) {
    own.set(name, checkThresholdMap(profile.thresholds, path, `/profiles/${name}/thresholds`, `profile ${name}`))
    if (profile.extends !== undefined && file.profiles[profile.extends] === undefined) {
      throw new InputError(`${path}: at /profiles/${name}/extends: no profile named "${profile.extends}"; profiles: ${Object.keys(file.profiles).join(', ')}`)
    }
  }
  const rules = new Map<string, ThresholdRule[]>()
  const resolve = (name: string, chain: string[]): ThresholdRule[] => {
    const done = rules.get(name)
    if (done !== undefined) return done
    if (chain.includes(name))
      throw new InputError(`${path}: at /profiles/${name}/extends: profiles extend each other in a cycle (${[...chain, name].join(' → ')})`)
    const profile = file.profiles[name] as SlaProfile
    const base = profile.extends === undefined ? [] : resolve(profile.extends, [...chain, name])
    const result = layerRules(base, own.get(name) ?? [])
    rules.set(name, result)
    return result
  }
  for (const name of Object.keys(file.profiles)) resolve(name, [])
  return { path, file, rules }
}

/** readSla reads an SLA file. */
export async function readSla(path = DEFAULT_SLA_FILE): Promise<LoadedSla> {
  return parseSla(await readInputText(path, { what: 'thresholds file' }), path)
}

/** profileForNodes names the first profile (in file order) whose node range holds `nodes`, if any. */
export function profileForNodes(sla: LoadedSla, nodes: number): string | undefined {
  for (const [name, profile] of Object.entries(sla.file.profiles)) {
    if (profile.nodes === undefined) continue
    if (nodes >= (profile.nodes.min ?? 0) && nodes <= (profile.nodes.max ?? Number.POSITIVE_INFINITY)) return name
  }
  return undefined
}

/** profileRules returns a profile's resolved rules, or an InputError naming the known profiles. */
export function profileRules(sla: LoadedSla, name: string, via: string): readonly ThresholdRule[] {
  const rules = sla.rules.get(name)
  if (rules === undefined) throw new InputError(`${via}: no SLA profile "${name}" in ${sla.path}; profiles: ${[...sla.rules.keys()].join(', ')}`)
  return rules
}
