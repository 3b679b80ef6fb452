// The capacity configuration: per-resource forecast horizons and growth thresholds, the
// Kubernetes steps recommendations are rounded to, headroom, growth scenarios and Prometheus
// settings. benchmarks/capacity/capacity.json holds the defaults; a user's file overrides them.
import { InputError } from '../../common/input-error.ts'
import { readInputText } from '../../common/read-input.ts'

/** RESOURCES are the forecast resources, in report order. */
export const RESOURCES = ['cpu', 'memory', 'series', 'requests', 'storage'] as const
/** Resource is one forecast resource. */
export type Resource = (typeof RESOURCES)[number]

/** SCENARIOS are the growth scenarios `capacity simulate` runs. */
export const SCENARIOS = ['conservative', 'expected', 'aggressive'] as const
/** ScenarioName is one growth scenario. */
export type ScenarioName = (typeof SCENARIOS)[number]

/** ResourcePolicy is how far ahead a resource is projected and what growth flags it. */
export interface ResourcePolicy {
  readonly horizonDays: number
  /** growthThreshold is the projected growth ratio (0.15 = 15%) above which the resource is flagged. */
  readonly growthThreshold: number
}

/** CapacityConfig is the whole capacity configuration. */
export interface CapacityConfig {
  readonly resources: Readonly<Record<Resource, ResourcePolicy>>
  readonly kubernetes: {
    readonly cpu: { readonly minMillicores: number; readonly stepMillicores: number; readonly maxMillicores: number }
    readonly memory: { readonly minBytes: number; readonly stepBytes: number; readonly maxBytes: number }
    readonly replicas: { readonly min: number; readonly max: number; readonly hardMax: number }
  }
  /** headroom is the share added over the predicted figure (0.3 = 30%). */
  readonly headroom: number
  /** jobsPerNode scales jobs with nodes in sweeps and simulations. */
  readonly jobsPerNode: number
  readonly scenarios: Readonly<Record<ScenarioName, { readonly monthlyNodeGrowth: number }>>
  readonly prometheus: {
    readonly scrapeIntervalS: number
    readonly retentionDays: number
    /** bytesPerSample is the TSDB's compressed size of one sample (Prometheus docs: 1–2 bytes). */
    readonly bytesPerSample: number
    /** timeoutShareOfInterval bounds the advised scrape timeout below the interval. */
    readonly timeoutShareOfInterval: number
  }
}

/** DEFAULT_CONFIG_PATH is the repository's default configuration, relative to its root. */
export const DEFAULT_CONFIG_PATH = 'benchmarks/capacity/capacity.json'

/** DEFAULT_CONFIG mirrors benchmarks/capacity/capacity.json (a unit test keeps them equal). */
export const DEFAULT_CONFIG: CapacityConfig = {
  resources: {
    cpu: { horizonDays: 30, growthThreshold: 0.15 },
    memory: { horizonDays: 30, growthThreshold: 0.2 },
    series: { horizonDays: 60, growthThreshold: 0.25 },
    requests: { horizonDays: 45, growthThreshold: 0.3 },
    storage: { horizonDays: 90, growthThreshold: 0.1 },
  },
  kubernetes: {
    cpu: { minMillicores: 1000, stepMillicores: 500, maxMillicores: 4000 },
    memory: { minBytes: 2 ** 30, stepBytes: 2 ** 29, maxBytes: 8 * 2 ** 30 },
    replicas: { min: 3, max: 10, hardMax: 20 },
  },
  headroom: 0.3,
  jobsPerNode: 10,
  scenarios: {
    conservative: { monthlyNodeGrowth: 0.02 },
    expected: { monthlyNodeGrowth: 0.05 },
    aggressive: { monthlyNodeGrowth: 0.15 },
  },
  prometheus: { scrapeIntervalS: 30, retentionDays: 15, bytesPerSample: 2, timeoutShareOfInterval: 0.8 },
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// Merges `over` into `base` field by field; every leaf must be a finite non-negative number.
function merge(base: Json, over: unknown, path: string, source: string, problems: string[]): Json {
  if (over === undefined) return base
  if (!isObject(over)) {
    problems.push(`${source}: ${path || '/'}: found ${JSON.stringify(over)}, expected an object`)
    return base
  }
  const out: Json = { ...base }
  for (const [key, value] of Object.entries(over)) {
    if (key === '$comment') continue
    const here = `${path}/${key}`
    const known = base[key]
    if (known === undefined) {
      problems.push(`${source}: ${here}: unknown field; expected one of ${Object.keys(base).join(', ')}`)
    } else if (isObject(known)) {
      out[key] = merge(known, value, here, source, problems)
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`${source}: ${here}: found ${JSON.stringify(value)}, expected a non-negative number`)
    } else {
      out[key] = value
    }
  }
  return out
}

/** parseCapacityConfig reads a configuration over the defaults; every problem is reported at once. */
export function parseCapacityConfig(text: string, source: string): CapacityConfig {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new InputError(`${source}: not JSON (${(err as Error).message})`)
  }
  const problems: string[] = []
  const config = merge(DEFAULT_CONFIG as unknown as Json, raw, '', source, problems) as unknown as CapacityConfig
  const { cpu, memory, replicas } = config.kubernetes
  if (cpu.stepMillicores === 0 || memory.stepBytes === 0) problems.push(`${source}: /kubernetes: steps must be above 0`)
  if (cpu.minMillicores > cpu.maxMillicores || memory.minBytes > memory.maxBytes) problems.push(`${source}: /kubernetes: a minimum is above its maximum`)
  if (replicas.min > replicas.max || replicas.max > replicas.hardMax) problems.push(`${source}: /kubernetes/replicas: expected min ≤ max ≤ hardMax`)
  if (config.prometheus.timeoutShareOfInterval > 1) problems.push(`${source}: /prometheus/timeoutShareOfInterval: expected at most 1`)
  if (problems.length > 0) throw new InputError(problems.join('\n'))
  return config
}

/** readCapacityConfig reads `path`, or returns the defaults when no path is given. */
export async function readCapacityConfig(path: string | undefined): Promise<CapacityConfig> {
  if (path === undefined) return DEFAULT_CONFIG
  return parseCapacityConfig(await readInputText(path, { label: `--config ${path}` }), path)
}

/** clusterShapeFor scales jobs and users with nodes as the mock's presets do (users capped at 5,000). */
export function clusterShapeFor(nodes: number, jobsPerNode: number): { nodes: number; jobs: number; users: number } {
  return { nodes, jobs: Math.round(nodes * jobsPerNode), users: Math.max(8, Math.min(5_000, Math.ceil(nodes * 0.3))) }
}
