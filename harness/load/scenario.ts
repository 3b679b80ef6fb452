// Finding, reading and validating scenario files, and applying command-line overrides to them
// before they become a plan.
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseDurationNs } from '../results/duration.ts'
import { InputError } from '../../common/input-error.ts'
import { readInputText } from '../../common/read-input.ts'
import { EXECUTOR_SCHEMAS, type ExecutorName, type ScenarioFile } from './scenario-schema.ts'
import { checkValue, parseJsonText } from './validate.ts'

/** SCENARIO_DIR is where named scenarios live (`load baseline` reads benchmarks/load/baseline.json). */
export const SCENARIO_DIR = fileURLToPath(new URL('../../benchmarks/load/', import.meta.url))

/** NON_SCENARIO_FILES are JSON files in SCENARIO_DIR that are not scenarios. */
const NON_SCENARIO_FILES = new Set(['thresholds.json'])

/** listScenarios returns the names of the scenario files in `dir`. */
export async function listScenarios(dir = SCENARIO_DIR): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  return names
    .filter((name) => name.endsWith('.json') && !NON_SCENARIO_FILES.has(name))
    .map((name) => name.slice(0, -'.json'.length))
    .sort()
}

/** resolveScenarioPath maps a scenario name (`baseline`) or a file path to a file path. */
export async function resolveScenarioPath(nameOrPath: string, dir = SCENARIO_DIR): Promise<string> {
  if (nameOrPath.endsWith('.json') || nameOrPath.includes('/')) return resolve(nameOrPath)
  const path = join(dir, `${nameOrPath}.json`)
  if (existsSync(path)) return path
  const known = await listScenarios(dir)
  throw new InputError(`unknown scenario "${nameOrPath}"; expected one of ${known.join(', ')} or a path to a .json scenario file`)
}

/** validateScenario checks `value` against the schema of its executor. */
export function validateScenario(value: unknown, source: string): ScenarioFile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${source}: expected a JSON object describing one scenario`)
  const executor = (value as { executor?: unknown }).executor
  if (typeof executor !== 'string' || !Object.hasOwn(EXECUTOR_SCHEMAS, executor)) {
    throw new InputError(`${source}: at /executor: expected one of ${Object.keys(EXECUTOR_SCHEMAS).join(', ')}, found ${JSON.stringify(executor) ?? 'nothing'}`)
  }
  checkValue(EXECUTOR_SCHEMAS[executor as ExecutorName], value, source)
  return value as ScenarioFile
}

/** readScenario reads and validates one scenario file. */
export async function readScenario(path: string): Promise<ScenarioFile> {
  const text = await readInputText(path, { what: 'scenario' })
  return validateScenario(parseJsonText(text, path), path)
}

/** scenarioName is the scenario's own name, or its file name without `.json`. */
export function scenarioName(scenario: ScenarioFile, path: string): string {
  return scenario.name ?? basename(path, '.json')
}

function parseSetValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * applySets applies `--set key.path=value` overrides (`stages.1.target=300`,
 * `request.timeout=5s`) to a copy of the scenario; values are JSON when they parse as JSON,
 * strings otherwise. The result is validated again, naming the --set flag on error.
 */
export function applySets(scenario: ScenarioFile, sets: readonly string[]): ScenarioFile {
  if (sets.length === 0) return scenario
  const copy = structuredClone(scenario) as unknown as Record<string, unknown>
  for (const set of sets) {
    const eq = set.indexOf('=')
    if (eq <= 0) throw new InputError(`--set ${set}: expected key.path=value, e.g. --set stages.1.target=300`)
    const keys = set.slice(0, eq).split('.')
    let node: Record<string, unknown> = copy
    for (const [i, key] of keys.entries()) {
      if (i === keys.length - 1) {
        node[key] = parseSetValue(set.slice(eq + 1))
        break
      }
      const next = node[key]
      if (next === undefined) node[key] = {}
      else if (typeof next !== 'object' || next === null)
        throw new InputError(`--set ${set}: ${keys.slice(0, i + 1).join('.')} is ${JSON.stringify(next)}, not an object or array`)
      node = node[key] as Record<string, unknown>
    }
  }
  return validateScenario(copy, `--set ${sets.join(' --set ')}`)
}

/** FlagOverrides are the common overrides with their own flags. */
export interface FlagOverrides {
  /** constant-vus: the VU count; ramping-vus: stage targets scaled so the peak is this. */
  readonly vus?: number
  /** Arrival rate (per timeUnit): constant rate, or ramping stages scaled so the peak is this. */
  readonly rate?: number
  /** Go duration: constant executors' duration; ramping stages scaled to total this. */
  readonly duration?: string
  readonly thinkTime?: string
  readonly timeout?: string
  readonly path?: string
}

function scaleStages(stages: ReadonlyArray<{ duration: string; target: number }>, targetScale: number, round: boolean) {
  return stages.map((stage) => ({ ...stage, target: round ? Math.round(stage.target * targetScale) : stage.target * targetScale }))
}

function durationFlag(flag: string, text: string): number {
  const ns = parseDurationNs(text)
  if (ns === undefined || ns <= 0) throw new InputError(`${flag}: expected a Go duration above zero such as "5m" or "30s", found "${text}"`)
  return ns
}

/** applyFlagOverrides applies --vus, --rate, --duration, --think-time, --timeout and --path. */
export function applyFlagOverrides(scenario: ScenarioFile, overrides: FlagOverrides): ScenarioFile {
  let s: ScenarioFile = structuredClone(scenario)
  if (overrides.vus !== undefined) {
    const vus = overrides.vus
    if (s.executor === 'constant-vus') s = { ...s, vus }
    else if (s.executor === 'ramping-vus') {
      const peak = s.stages.reduce((most, stage) => Math.max(most, stage.target), s.startVUs ?? 0)
      const factor = peak === 0 ? 0 : vus / peak
      s = { ...s, startVUs: Math.round((s.startVUs ?? 0) * factor), stages: scaleStages(s.stages, factor, true) }
    } else {
      s = { ...s, maxVUs: vus, preAllocatedVUs: Math.min(s.preAllocatedVUs, vus) }
    }
  }
  if (overrides.rate !== undefined) {
    if (s.executor === 'constant-arrival-rate') s = { ...s, rate: overrides.rate }
    else if (s.executor === 'ramping-arrival-rate') {
      const peak = s.stages.reduce((most, stage) => Math.max(most, stage.target), s.startRate ?? 0)
      const factor = peak === 0 ? 0 : overrides.rate / peak
      s = { ...s, startRate: (s.startRate ?? 0) * factor, stages: scaleStages(s.stages, factor, false) }
    } else throw new InputError(`--rate: scenario uses ${s.executor} (closed model, VUs); --rate applies to arrival-rate scenarios, use --vus`)
  }
  if (overrides.duration !== undefined) {
    const wantedNs = durationFlag('--duration', overrides.duration)
    if (s.executor === 'constant-vus' || s.executor === 'constant-arrival-rate') s = { ...s, duration: overrides.duration }
    else {
      const stageNs = s.stages.map((stage, i) => durationFlag(`stages.${i}.duration`, stage.duration))
      const totalNs = stageNs.reduce((a, b) => a + b, 0)
      s = { ...s, stages: s.stages.map((stage, i) => ({ ...stage, duration: `${Math.round(((stageNs[i] as number) * wantedNs) / totalNs / 1e6)}ms` })) }
    }
  }
  if (overrides.thinkTime !== undefined) {
    const thinkNs = parseDurationNs(overrides.thinkTime)
    if (thinkNs === undefined || thinkNs < 0) throw new InputError(`--think-time: expected a Go duration such as "100ms" or 0, found "${overrides.thinkTime}"`)
    if (s.executor !== 'constant-vus' && s.executor !== 'ramping-vus')
      throw new InputError(`--think-time: scenario uses ${s.executor} (open model); think time applies to VU scenarios`)
    s = { ...s, thinkTime: overrides.thinkTime }
  }
  if (overrides.timeout !== undefined) {
    durationFlag('--timeout', overrides.timeout)
    s = { ...s, request: { ...s.request, timeout: overrides.timeout } }
  }
  if (overrides.path !== undefined) s = { ...s, request: { ...s.request, path: overrides.path } }
  return validateScenario(s, 'command-line overrides')
}
