// One model for everything compare reads: every sample of every (benchmark, unit), tidied to
// base units (sec/op, B/s), with the unit's direction and assumption. Built from the Go
// benchmark format or from a results document, so both compare the same way.
import type { GoBenchFile, GoBenchResult, GoUnitMetadata } from '../results/gofmt-read.ts'
import { InputError } from '../../common/input-error.ts'
import type { Assume, BenchmarkResult, Better, Environment, ResultsDocument } from '../results/schema.ts'
import { addSampleValues, requiredUnits, ZERO_WHEN_ABSENT } from '../results/sample-units.ts'
import { defaultUnitInfo, tidyUnit } from './units.ts'

/** MetricSeries is every sample of one metric of one benchmark under one configuration. */
export interface MetricSeries {
  /** Full benchmark name, `Benchmark` prefix included. */
  readonly name: string
  /** Tidied unit (`sec/op`, `B/op`, `B/s`, custom). */
  readonly unit: string
  /** The unit as the producer wrote it (`ns/op`). */
  readonly rawUnit: string
  /** Values in the tidied unit, in the order they were measured. */
  readonly values: readonly number[]
  readonly better: Better
  readonly assume: Assume
  /** Configuration the samples were taken under (goos, pkg, cpu, …), in first-seen order. */
  readonly config: Readonly<Record<string, string>>
}

/** SampleSet is one input of a comparison: a file, a baseline or one side of an A/B run. */
export interface SampleSet {
  /** Column label: the file name, `label=` prefix, `base`/`head`. */
  readonly label: string
  readonly source: string
  readonly series: readonly MetricSeries[]
  /** The machine fingerprint when the input carried one (results JSON, baselines). */
  readonly environment?: Environment
  /** Problems worth telling the user that did not stop the read. */
  readonly warnings: readonly string[]
}

interface Accumulator {
  name: string
  unit: string
  rawUnit: string
  values: number[]
  config: Record<string, string>
}

function configKey(config: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(config))
}

/**
 * GoBenchSeriesBuilder groups Go benchmark results into series one result at a time, so a file
 * is never held whole; `Unit` metadata is applied at the end, as it covers the whole file.
 */
export class GoBenchSeriesBuilder {
  private readonly byKey = new Map<string, Accumulator>()
  private readonly unitsByBench = new Map<string, { units: string; line: number; lines: number; optional: Set<string> }>()
  // The last result's configuration object and its key: consecutive results share one object.
  private lastConfig: Readonly<Record<string, string>> | undefined
  private lastConfigKey = ''

  constructor(readonly source: string) {}

  /** add takes the next result line. */
  add(result: GoBenchResult): void {
    if (result.config !== this.lastConfig) {
      this.lastConfig = result.config
      this.lastConfigKey = configKey(result.config)
    }
    const benchKey = `${this.lastConfigKey}\u0000${result.name}`
    const unitList = requiredUnits(result.values.map((v) => v.unit))
    let prior = this.unitsByBench.get(benchKey)
    if (prior === undefined) {
      prior = { units: unitList, line: result.line, lines: 0, optional: new Set() }
      this.unitsByBench.set(benchKey, prior)
    } else if (prior.units !== unitList) {
      throw new InputError(
        `${this.source}:${result.line}: mismatched units for ${result.name}: found "${unitList}", expected "${prior.units}" as on line ${prior.line}`,
      )
    }
    // A unit a line may leave out (ext-B/op) reads 0 on the lines without it, before and after.
    for (const { value, unit } of result.values) {
      if (ZERO_WHEN_ABSENT.has(unit) && !prior.optional.has(unit)) {
        prior.optional.add(unit)
        for (let i = 0; i < prior.lines; i++) this.push(result, benchKey, unit, 0)
      }
      this.push(result, benchKey, unit, value)
    }
    for (const unit of prior.optional) if (!result.values.some((v) => v.unit === unit)) this.push(result, benchKey, unit, 0)
    prior.lines++
  }

  private push(result: GoBenchResult, benchKey: string, unit: string, value: number): void {
    // As benchfmt's reader: a value the tidy factor leaves unchanged (0 in practice) keeps its
    // unit as written, so stock benchstat puts zero `gc-pause-ns/op` samples in a table of their
    // own, apart from the `gc-pause-sec/op` ones. Text input follows it; JSON input keeps one series.
    const scaled = tidyUnit(unit)
    const tidy = value * scaled.factor === value ? { unit, factor: 1 } : scaled
    const key = `${benchKey}\u0000${tidy.unit}`
    let acc = this.byKey.get(key)
    if (acc === undefined) {
      acc = { name: result.name, unit: tidy.unit, rawUnit: unit, values: [], config: { ...result.config } }
      this.byKey.set(key, acc)
    }
    acc.values.push(value * tidy.factor)
  }

  /** finish returns the series, with the file's `Unit` metadata or the unit's defaults. */
  finish(units: Readonly<Record<string, GoUnitMetadata>>, label: string): SampleSet {
    const series: MetricSeries[] = []
    for (const acc of this.byKey.values()) {
      const meta = units[acc.rawUnit] ?? units[acc.unit] ?? {}
      const defaults = defaultUnitInfo(acc.unit)
      series.push({
        name: acc.name,
        unit: acc.unit,
        rawUnit: acc.rawUnit,
        values: acc.values,
        better: meta.better ?? defaults.better,
        assume: meta.assume ?? defaults.assume,
        config: acc.config,
      })
    }
    return { label, source: this.source, series, warnings: [] }
  }
}

/** sampleSetFromGoBench groups a parsed Go benchmark file into series. */
export function sampleSetFromGoBench(file: GoBenchFile, label: string): SampleSet {
  const builder = new GoBenchSeriesBuilder(file.source)
  for (const result of file.results) builder.add(result)
  return builder.finish(file.units, label)
}

/**
 * goConfigOf returns the configuration a results document's benchmark prints under in the Go
 * format (the runner's header: goos, goarch, pkg, cpu, node, v8), so that a run's JSON and its
 * text land in the same benchstat table. `commit` is left out: compare ignores it by default.
 */
export function goConfigOf(env: Environment, pkg: string): Record<string, string> {
  return { goos: env.goos, goarch: env.goarch, pkg, cpu: env.cpuModel, node: env.node, v8: env.v8 }
}

/**
 * metricSeriesOf makes one series from a benchmark's values of one unit, in benchstat's tidied
 * unit (ns/op → sec/op, MB/s → B/s) and with the unit's declared or default direction.
 */
export function metricSeriesOf(
  bench: { readonly name: string; readonly pkg: string; readonly units?: Readonly<Record<string, { better: Better; assume: Assume }>> | undefined },
  unit: string,
  values: readonly number[],
  environment: Environment,
): MetricSeries {
  const tidy = tidyUnit(unit)
  const declared = bench.units?.[unit]
  const defaults = defaultUnitInfo(tidy.unit)
  return {
    name: bench.name,
    unit: tidy.unit,
    rawUnit: unit,
    values: values.map((v) => v * tidy.factor),
    better: declared?.better ?? defaults.better,
    assume: declared?.assume ?? defaults.assume,
    config: goConfigOf(environment, bench.pkg),
  }
}

/** BenchmarkEntry is a benchmark of a results document without its samples, which arrive as values per unit. */
export type BenchmarkEntry = Omit<BenchmarkResult, 'samples'>

/**
 * ResultsSeriesBuilder groups a results document into series one benchmark at a time, so a
 * streamed document is never held whole; failed benchmarks are skipped with a warning.
 */
export class ResultsSeriesBuilder {
  private readonly entries: Array<{ bench: BenchmarkEntry; unit: string; values: readonly number[] }> = []
  private readonly warnings: string[] = []
  private readonly seen = new Map<string, number>()

  constructor(readonly source: string) {}

  /** add takes benchmark `index` with its sample values by unit (units as written, in first-sample order). */
  add(bench: BenchmarkEntry, index: number, valuesByUnit: ReadonlyMap<string, readonly number[]>): void {
    const id = `${bench.pkg}\u0000${bench.name}`
    const prior = this.seen.get(id)
    if (prior !== undefined)
      throw new InputError(
        `${this.source}: at /benchmarks/${index}/name: duplicate benchmark ${bench.name} in ${bench.pkg} (also at /benchmarks/${prior}); expected each name once`,
      )
    this.seen.set(id, index)
    if (bench.status !== 'ok') {
      this.warnings.push(`${bench.name}: ${bench.status}${bench.failure ? ` (${bench.failure.message})` : ''}; not compared`)
      return
    }
    for (const [unit, values] of valuesByUnit) if (values.length > 0) this.entries.push({ bench, unit, values })
  }

  /** finish returns the sample set; the environment gives each series its Go-format configuration. */
  finish(environment: Environment, documentWarnings: readonly string[], label: string): SampleSet {
    const series = this.entries.map((e) => metricSeriesOf(e.bench, e.unit, e.values, environment))
    return { label, source: this.source, series, environment, warnings: documentWarnings.concat(this.warnings) }
  }
}

/** sampleSetFromResults groups a results document into series; failed benchmarks are skipped with a warning. */
export function sampleSetFromResults(doc: ResultsDocument, source: string, label: string): SampleSet {
  const builder = new ResultsSeriesBuilder(source)
  for (const [i, bench] of doc.benchmarks.entries()) {
    if (bench.status !== 'ok') {
      builder.add(bench, i, new Map())
      continue
    }
    const firstUnits = requiredUnits(Object.keys(bench.samples[0]?.metrics ?? {}).sort())
    const byUnit = new Map<string, number[]>()
    for (const [j, sample] of bench.samples.entries()) {
      const units = requiredUnits(Object.keys(sample.metrics).sort())
      if (units !== firstUnits) {
        throw new InputError(
          `${source}: at /benchmarks/${i}/samples/${j}/metrics: mismatched units for ${bench.name}: found "${units}", expected "${firstUnits}" as in sample 0`,
        )
      }
      addSampleValues(byUnit, sample.metrics, j)
    }
    builder.add(bench, i, byUnit)
  }
  return builder.finish(doc.environment, doc.warnings, label)
}
