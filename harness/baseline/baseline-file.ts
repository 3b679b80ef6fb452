// Baseline files: `baselines/<machine class>/<name>.json`, every sample of every metric of a
// run, with the fingerprint, commit and date, so that a check later compares full samples
// (not one number) and knows whether the machine is the same. Versioned: readers migrate
// older schema versions step by step and refuse newer ones.
import { join } from 'node:path'
import { type Static, Type } from '@sinclair/typebox'
import { writeFileAtomic } from '../results/atomic-file.ts'
import { checkSchema } from '../results/schema-check.ts'
import { InputError } from '../../common/input-error.ts'
import { readInputText } from '../../common/read-input.ts'
import { Environment, type ResultsDocument, RunConfig, UnitInfo } from '../results/schema.ts'
import { type Fingerprint, fingerprintOf, machineClassOf } from './fingerprint.ts'
import { type MetricSeries, type SampleSet, metricSeriesOf } from '../compare/sample-set.ts'

/** BASELINE_SCHEMA_VERSION is the version this code writes. */
export const BASELINE_SCHEMA_VERSION = 1

/** BaselineBenchmark holds every sample of every metric of one benchmark, by unit as written. */
export const BaselineBenchmark = Type.Object(
  {
    name: Type.String({ pattern: '^Benchmark' }),
    pkg: Type.String(),
    /** Samples per unit, in measurement order; all arrays have the same length. */
    metrics: Type.Record(Type.String({ minLength: 1 }), Type.Array(Type.Number(), { minItems: 1 })),
    units: Type.Optional(Type.Record(Type.String(), UnitInfo)),
  },
  { additionalProperties: false },
)
export type BaselineBenchmark = Static<typeof BaselineBenchmark>

/** BaselineDocument is the file. */
export const BaselineDocument = Type.Object(
  {
    schemaVersion: Type.Literal(BASELINE_SCHEMA_VERSION),
    kind: Type.Literal('slurmbench.baseline'),
    name: Type.String({ minLength: 1 }),
    machineClass: Type.String({ minLength: 1 }),
    /** ISO 8601 time the baseline was recorded. */
    createdAt: Type.String(),
    commit: Type.Optional(Type.String()),
    dirty: Type.Optional(Type.Boolean()),
    fingerprint: Type.Object({
      cpuModel: Type.String(),
      cores: Type.Integer({ minimum: 1 }),
      nodeMajor: Type.Integer(),
      os: Type.String(),
      arch: Type.String(),
    }),
    environment: Environment,
    config: RunConfig,
    benchmarks: Type.Array(BaselineBenchmark),
  },
  { additionalProperties: false },
)
export type BaselineDocument = Static<typeof BaselineDocument>

/**
 * MIGRATIONS[v] turns a version-v document into version v+1. To change the format: bump
 * BASELINE_SCHEMA_VERSION, add the step here, and committed baselines keep working.
 */
const MIGRATIONS: Readonly<Record<number, (doc: Record<string, unknown>) => Record<string, unknown>>> = {}

/** migrateBaseline brings an older document up to BASELINE_SCHEMA_VERSION; errors name `source`. */
export function migrateBaseline(value: Record<string, unknown>, source: string): Record<string, unknown> {
  let doc = value
  const version: unknown = doc.schemaVersion
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new InputError(`${source}: at /schemaVersion: expected a positive integer, found ${JSON.stringify(version)}`)
  }
  let current: number = version
  if (current > BASELINE_SCHEMA_VERSION) {
    throw new InputError(
      `${source}: at /schemaVersion: baseline version ${current} is newer than this slurmbench reads (${BASELINE_SCHEMA_VERSION}); upgrade slurmbench`,
    )
  }
  while (current < BASELINE_SCHEMA_VERSION) {
    const step = MIGRATIONS[current]
    if (step === undefined)
      throw new InputError(`${source}: at /schemaVersion: no migration from baseline version ${current}; re-record it with 'slurmbench baseline update'`)
    doc = step(doc)
    current = doc.schemaVersion as number
  }
  return doc
}

/** parseBaseline validates (after migrating) a baseline document. */
export function parseBaseline(text: string, source: string): BaselineDocument {
  if (text.trim() === '') throw new InputError(`${source}: empty file; expected a slurmbench baseline JSON document`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new InputError(`${source}: not valid JSON (${(err as Error).message}); the file may be truncated`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${source}: at (document): expected a JSON object`)
  const migrated = migrateBaseline(value as Record<string, unknown>, source)
  checkSchema(BaselineDocument, migrated, source)
  const doc = migrated as BaselineDocument
  const seen = new Map<string, number>()
  for (const [i, bench] of doc.benchmarks.entries()) {
    const id = `${bench.pkg}\u0000${bench.name}`
    const prior = seen.get(id)
    if (prior !== undefined)
      throw new InputError(`${source}: at /benchmarks/${i}/name: duplicate benchmark ${bench.name} (also at /benchmarks/${prior}); expected each name once`)
    seen.set(id, i)
    let length: number | undefined
    for (const [unit, values] of Object.entries(bench.metrics)) {
      if (length !== undefined && values.length !== length) {
        throw new InputError(
          `${source}: at /benchmarks/${i}/metrics/${unit}: ${values.length} samples, expected ${length} like the other units of ${bench.name}`,
        )
      }
      length = values.length
      for (const [j, v] of values.entries()) {
        if (!Number.isFinite(v)) throw new InputError(`${source}: at /benchmarks/${i}/metrics/${unit}/${j}: expected a finite number, found ${v}`)
        if (v < 0 && /(^|[-*])(ns|us|µs|ms|sec)($|[-*/])/.test(unit))
          throw new InputError(`${source}: at /benchmarks/${i}/metrics/${unit}/${j}: negative duration ${v}`)
      }
    }
  }
  return doc
}

/** readBaseline reads a baseline file. */
export async function readBaseline(path: string): Promise<BaselineDocument> {
  return parseBaseline(await readInputText(path, { what: 'baseline', ifMissing: "; record one with 'slurmbench baseline update'" }), path)
}

/** baselineFromResults turns a run into a baseline document (failed benchmarks are left out). */
export function baselineFromResults(doc: ResultsDocument, name: string, machineClass: string | undefined, now: Date): BaselineDocument {
  const fp: Fingerprint = fingerprintOf(doc.environment)
  const benchmarks: BaselineBenchmark[] = []
  for (const bench of doc.benchmarks) {
    if (bench.status !== 'ok' || bench.samples.length === 0) continue
    const metrics: Record<string, number[]> = {}
    for (const sample of bench.samples) for (const [unit, v] of Object.entries(sample.metrics)) (metrics[unit] ??= []).push(v)
    benchmarks.push({ name: bench.name, pkg: bench.pkg, metrics, ...(bench.units !== undefined ? { units: bench.units } : {}) })
  }
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    kind: 'slurmbench.baseline',
    name,
    machineClass: machineClass ?? machineClassOf(fp),
    createdAt: now.toISOString(),
    ...(doc.environment.commit !== undefined ? { commit: doc.environment.commit } : {}),
    ...(doc.environment.dirty !== undefined ? { dirty: doc.environment.dirty } : {}),
    fingerprint: fp,
    environment: doc.environment,
    config: doc.config,
    benchmarks,
  }
}

/** sampleSetFromBaseline turns a baseline into the common comparison model. */
export function sampleSetFromBaseline(doc: BaselineDocument, source: string, label = 'baseline'): SampleSet {
  const series: MetricSeries[] = []
  for (const bench of doc.benchmarks) {
    for (const [unit, values] of Object.entries(bench.metrics)) series.push(metricSeriesOf(bench, unit, values, doc.environment))
  }
  return { label, source, series, environment: doc.environment, warnings: [] }
}

/** baselinePath is where a baseline lives: `<root>/<machine class>/<name>.json`. */
export function baselinePath(root: string, machineClass: string, name: string): string {
  return join(root, machineClass, `${name}.json`)
}

/** writeBaseline writes atomically (temp file, fsync, rename): a crash leaves the old file or the new one. */
export async function writeBaseline(path: string, doc: BaselineDocument): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(doc, null, 2)}\n`)
}
