// What `ab --profile` profiles once the rounds are judged: every benchmark with a regressed time
// metric (a CPU profile) or allocation metric (an allocation profile), each in one extra `bench`
// per side that selects that benchmark alone. The profiles never feed a verdict: they come after.
import type { MetricVerdict } from '../compare/verdict.ts'
import { parseDurationNs } from '../results/duration.ts'
import type { ResultsDocument } from '../results/schema.ts'

/** ProfileKind is the profile a regressed metric asks for. */
export type ProfileKind = 'cpu' | 'alloc'

/** ProfileTarget is one regressed benchmark to profile on both sides. */
export interface ProfileTarget {
  /** Full name as judged (`BenchmarkX/size=10-4`). */
  readonly name: string
  readonly pkg: string
  /** Source file relative to the repository root, from the head's results. */
  readonly file: string
  /** The -cpu value the benchmark ran with (its name carries `-P` when above 1). */
  readonly procs: number
  /** An anchored -bench pattern that selects this benchmark and no other. */
  readonly pattern: string
  /** Stem of its files in the profile folder, unique within one run. */
  readonly stem: string
  /** The regressed metrics (tidied units) per profile kind; a kind without metrics is not taken. */
  readonly units: Readonly<Partial<Record<ProfileKind, readonly string[]>>>
}

/** ProfileTargets are what to profile, and the regressions that cannot be (as warnings). */
export interface ProfileTargets {
  readonly targets: ProfileTarget[]
  readonly warnings: string[]
}

/** GROWN_FUNCTIONS_SHOWN is how many grown functions ab records per profile (the issue asks for three). */
export const GROWN_FUNCTIONS_SHOWN = 3

const MAX_STEM_CHARS = 160

// A unit's numerator (before the first `/`) holds a time token: sec/op, sec/scrape, p95-ms.
const TIME_TOKENS = new Set(['sec', 'ms', 'us', 'µs', 'ns'])

/** profileKindOf says which profile explains a regression of `unit` (tidied), or undefined when none does. */
export function profileKindOf(unit: string): ProfileKind | undefined {
  if (unit === 'B/op' || unit === 'allocs/op') return 'alloc'
  const numerator = unit.split('/')[0] ?? ''
  return numerator.split(/[-*\s]/).some((token) => TIME_TOKENS.has(token)) ? 'cpu' : undefined
}

/** allocSampleType is the sample type an allocation profile is compared by: bytes when B/op regressed, else objects. */
export function allocSampleType(units: readonly string[]): 'alloc_space' | 'alloc_objects' {
  return units.includes('B/op') || !units.includes('allocs/op') ? 'alloc_space' : 'alloc_objects'
}

// RE2's metacharacters; `/` needs no escape since each level is its own part.
const META = /[\\.+*?()|[\]{}^$]/g

/**
 * anchoredBenchPattern turns a full benchmark name into a -bench pattern matching it alone: each
 * level (split on `/`, as bench splits the pattern) quoted and anchored, `^X$/^size=10$`.
 */
export function anchoredBenchPattern(name: string): string {
  return name
    .split('/')
    .map((level) => `^${level.replace(META, (c) => `\\${c}`)}$`)
    .join('/')
}

/** nameWithoutProcs drops the `-P` suffix bench adds to a name when it ran with -cpu P above 1. */
export function nameWithoutProcs(name: string, procs: number): string {
  const suffix = `-${procs}`
  return procs > 1 && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name
}

/**
 * profileStem names a benchmark's files as bench names its profiles (characters outside
 * [A-Za-z0-9._=-] become `_`), cut to a length every file system takes, made unique with `_2`, `_3`….
 */
export function profileStem(name: string, used: Set<string>): string {
  const base = name
    .replace(/[^A-Za-z0-9._=-]/g, '_')
    .replace(/^[.]/, '_')
    .slice(0, MAX_STEM_CHARS)
  let stem = base
  for (let n = 2; used.has(stem); n++) stem = `${base}_${n}`
  used.add(stem)
  return stem
}

/**
 * profileTargets lists the benchmarks to profile: those with a regressed verdict on a time or an
 * allocation metric, in the order of the verdicts, each found in the head's results for its file
 * and -cpu value.
 */
export function profileTargets(verdicts: readonly MetricVerdict[], head: ResultsDocument): ProfileTargets {
  const byKey = new Map<string, { name: string; pkg: string; units: Partial<Record<ProfileKind, string[]>> }>()
  for (const v of verdicts) {
    if (v.verdict !== 'regressed') continue
    const kind = profileKindOf(v.unit)
    if (kind === undefined) continue
    const key = `${v.pkg}\u0000${v.name}`
    let entry = byKey.get(key)
    if (entry === undefined) {
      entry = { name: v.name, pkg: v.pkg, units: {} }
      byKey.set(key, entry)
    }
    const units = (entry.units[kind] ??= [])
    if (!units.includes(v.unit)) units.push(v.unit)
  }
  const targets: ProfileTarget[] = []
  const warnings: string[] = []
  const used = new Set<string>()
  for (const { name, pkg, units } of byKey.values()) {
    const bench = head.benchmarks.find((b) => b.name === name && b.pkg === pkg)
    if (bench === undefined || bench.file === '') {
      warnings.push(`${name}: not profiled: its source file is not in the head's results`)
      continue
    }
    targets.push({
      name,
      pkg,
      file: bench.file,
      procs: bench.procs,
      pattern: anchoredBenchPattern(nameWithoutProcs(name, bench.procs)),
      stem: profileStem(name, used),
      units,
    })
  }
  return { targets, warnings }
}

/**
 * MIN_PROFILE_BENCHTIME_NS is the shortest -benchtime of a profiling run. V8 samples at 1 kHz, so
 * a 100ms run gives about 100 samples, and a function's share of them varies by ±5 points from
 * run to run (±7 between two runs): as much as a 30% slowdown of one of two equal functions moves
 * it (50% → 61.5%). One second, ~1000 samples, cuts the noise to ±2 points between two runs.
 */
export const MIN_PROFILE_BENCHTIME_NS = 1e9

/** profileBenchTime is the -benchtime of a profiling run: ab's, but at least one second; a count (`20x`) stays. */
export function profileBenchTime(benchtime: string | undefined): string {
  if (benchtime === undefined || benchtime.endsWith('x')) return benchtime ?? '1s'
  const ns = parseDurationNs(benchtime)
  return ns !== undefined && ns >= MIN_PROFILE_BENCHTIME_NS ? benchtime : '1s'
}

/** ProfilePassthrough are the ab flags a profiling run keeps (the selection is its own). */
export interface ProfilePassthrough {
  readonly benchtime?: string
  readonly timeout?: string
  readonly full?: boolean
}

/**
 * profileBenchArgs are the arguments after `bench` for one side's profiling run of `target`: one
 * sample (so bench writes each profile to the path as given), ab's -benchtime but at least one
 * second (profileBenchTime), its file only.
 */
export function profileBenchArgs(target: ProfileTarget, passthrough: ProfilePassthrough, outputs: { cpu?: string; mem?: string }): string[] {
  const args = ['-count=1', `-bench=${target.pattern}`, `-benchtime=${profileBenchTime(passthrough.benchtime)}`]
  if (passthrough.timeout !== undefined) args.push(`-timeout=${passthrough.timeout}`)
  if (passthrough.full === true) args.push('-full')
  if (target.procs > 1) args.push(`-cpu=${target.procs}`)
  if (outputs.cpu !== undefined) args.push(`-cpuprofile=${outputs.cpu}`)
  if (outputs.mem !== undefined) args.push(`-memprofile=${outputs.mem}`)
  args.push(target.file)
  return args
}

/** ProfileFiles are the names of one profile's files in the profile folder. */
export interface ProfileFiles {
  readonly base: string
  readonly head: string
  readonly diff: string
}

/** profileFileNames names a target's files: `<stem>.base.pb.gz`, `.head.pb.gz`, `.diff.html` (allocations: `.alloc` before them). */
export function profileFileNames(stem: string, kind: ProfileKind): ProfileFiles {
  const infix = kind === 'cpu' ? '' : '.alloc'
  return { base: `${stem}.base${infix}.pb.gz`, head: `${stem}.head${infix}.pb.gz`, diff: `${stem}${infix}.diff.html` }
}
