// Comparison documents for the renderer tests, written as ab -json would write them (through
// renderComparisonJson) and read back through the schema, as report and comment read them.
import type { MetricVerdict, VerdictKind, VerdictReport } from '../../../harness/compare/verdict.ts'
import type { ComparisonDocument, ComparisonMethod, ComparisonProfiles } from '../../../harness/results/comparison-schema.ts'
import { parseComparison } from '../../../harness/results/comparison-schema.ts'
import { verdictReportsOf } from '../../../harness/report/comparison-document.ts'
import { renderComparisonJson } from '../../../harness/report/comparison-json.ts'

/** METHOD is the metadata of a paired ab run. */
export const METHOD: ComparisonMethod = {
  command: 'ab',
  paired: true,
  roundsPerSide: 6,
  base: { ref: 'origin/main', commit: '0123456789abcdef0123456789abcdef01234567' },
  head: { commit: 'fedcba9876543210fedcba9876543210fedcba98', dirty: false },
  machine: { class: 'linux-x64-amd-epyc-7b13-2c-node20', cpuModel: 'AMD EPYC 7B13', cores: 2, nodeMajor: 20, os: 'linux', arch: 'x64' },
  durationMs: 192_400,
  failOn: 'regressed',
  benchArgs: ['-count=1', '-benchtime=200ms'],
}

/** metric builds one verdict: base centre, change (fraction) and its interval. */
export function metric(
  name: string,
  unit: string,
  verdict: VerdictKind,
  baseCenter: number,
  change: number,
  half = 0.02,
  extra: Partial<MetricVerdict> = {},
): MetricVerdict {
  const head = baseCenter * (1 + change)
  const lowerBetter = unit !== 'MB/s'
  const sides =
    verdict === 'new'
      ? { head: { n: 6, center: head, lo: head * 0.98, hi: head * 1.02 } }
      : verdict === 'missing'
        ? { base: { n: 6, center: baseCenter, lo: baseCenter * 0.98, hi: baseCenter * 1.02 } }
        : {
            base: { n: 6, center: baseCenter, lo: baseCenter * 0.98, hi: baseCenter * 1.02 },
            head: { n: 6, center: head, lo: head * 0.97, hi: head * 1.03 },
            change: { estimate: change, lo: change - half, hi: change + half },
            p: 0.03125,
            q: 0.0625,
            paired: true,
          }
  return {
    name,
    pkg: '',
    unit,
    rawUnit: unit === 'sec/op' ? 'ns/op' : unit,
    verdict,
    better: lowerBetter ? 'lower' : 'higher',
    exact: false,
    tolerancePct: 10,
    origin: 'default',
    warnings: [],
    ...sides,
    ...extra,
  }
}

/** report wraps verdicts into a VerdictReport with counts. */
export function report(verdicts: MetricVerdict[], extra: Partial<VerdictReport> = {}): VerdictReport {
  const counts = { regressed: 0, improved: 0, unchanged: 0, inconclusive: 0, new: 0, missing: 0, ignored: 0 }
  for (const v of verdicts) counts[v.verdict]++
  return {
    baseLabel: 'base@0123456789ab',
    headLabel: 'head@fedcba987654',
    verdicts,
    counts,
    informational: false,
    settings: { alpha: 0.05, confidence: 0.95, beyond: 'bound', minSamples: 6, policy: 'baselines/policy.json' },
    warnings: [],
    ...extra,
  }
}

/** roundTrip writes the reports as ab's JSON and reads them back through the schema. */
export function roundTrip(
  reports: VerdictReport[],
  method: ComparisonMethod | undefined = METHOD,
): { reports: VerdictReport[]; method: ComparisonMethod | undefined; json: string } {
  const json = renderComparisonJson([], reports, method)
  const doc = parseComparison(json, 'fixture.json')
  return { reports: verdictReportsOf(doc), method: doc.method, json }
}

/** PROFILES is what ab --profile writes for a CPU and an allocation regression of one benchmark. */
export const PROFILES: ComparisonProfiles = {
  dir: 'comparison.json.profiles',
  findings: [
    {
      name: 'BenchmarkScrape/jobs=1000',
      pkg: '',
      units: ['sec/op'],
      profile: 'cpu',
      sampleType: 'cpu',
      files: { base: 'BenchmarkScrape_jobs=1000.base.pb.gz', head: 'BenchmarkScrape_jobs=1000.head.pb.gz', diff: 'BenchmarkScrape_jobs=1000.diff.html' },
      grown: [
        { name: 'renderJobs', file: 'testbed/exporter/render.ts', line: 41, baseFlat: 0.312, headFlat: 0.447 },
        { name: 'escapeLabel', file: 'testbed/exporter/labels.ts', line: 12, baseFlat: 0.05, headFlat: 0.071 },
        { name: '(garbage collector)', file: '', line: 0, baseFlat: 0.02, headFlat: 0.026 },
      ],
    },
    {
      name: 'BenchmarkScrape/jobs=1000',
      pkg: '',
      units: ['B/op'],
      profile: 'alloc',
      sampleType: 'alloc_space',
      files: {
        base: 'BenchmarkScrape_jobs=1000.base.alloc.pb.gz',
        head: 'BenchmarkScrape_jobs=1000.head.alloc.pb.gz',
        diff: 'BenchmarkScrape_jobs=1000.alloc.diff.html',
      },
      grown: [],
    },
  ],
  warnings: ['BenchmarkParse/size=2: not profiled: bench in /tmp/slurmbench-ab-1/base exited with 2: unknown flag -cpuprofile'],
}

/** withProfiles adds `profiles` to a comparison document as ab --profile writes it, and reads it back through the schema. */
export function withProfiles(json: string, profiles: ComparisonProfiles = PROFILES): ComparisonDocument {
  return parseComparison(`${JSON.stringify({ ...JSON.parse(json), profiles }, null, 2)}\n`, 'fixture.json')
}
