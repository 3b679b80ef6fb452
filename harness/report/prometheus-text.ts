// Results as Prometheus metrics (text exposition 0.0.4), for a Pushgateway: the store for teams
// that already run Prometheus, and what the Grafana dashboard (deploy/grafana/) reads.
// Benchmarks become slurm_benchmark_* series labelled by benchmark and unit; a load test's
// summary becomes slurm_load_test_* series labelled by scenario; verdicts of a comparison become
// slurm_benchmark_verdict (1 for the verdict a benchmark × unit got). Grouping labels (suite,
// machine class, commit) travel in the push URL, not here.
import { median } from '../../common/median.ts'
import type { BenchmarkResult, ResultsDocument } from '../results/schema.ts'

/** VerdictLine is the part of a comparison's verdict the exposition needs. */
export interface VerdictLine {
  readonly name: string
  readonly unit: string
  readonly verdict: string
  readonly change?: { readonly estimate: number | null } | undefined
}

function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"')
}

function labels(pairs: Readonly<Record<string, string>>): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(pairs)) parts.push(`${k}="${escapeLabel(v)}"`)
  return `{${parts.join(',')}}`
}

// Prometheus prints floats in Go's shortest round-trip form; JavaScript's String() is the same
// for finite numbers, and the special values have their own spelling.
function num(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Number.POSITIVE_INFINITY) return '+Inf'
  if (value === Number.NEGATIVE_INFINITY) return '-Inf'
  return String(value)
}

class Exposition {
  private readonly families = new Map<string, { help: string; type: string; lines: string[] }>()

  add(name: string, help: string, type: 'gauge' | 'counter', labelPairs: Readonly<Record<string, string>>, value: number): void {
    let family = this.families.get(name)
    if (family === undefined) {
      family = { help, type, lines: [] }
      this.families.set(name, family)
    }
    family.lines.push(`${name}${labels(labelPairs)} ${num(value)}`)
  }

  text(): string {
    let out = ''
    for (const [name, { help, type, lines }] of this.families) {
      out += `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`
      for (const line of lines) out += `${line}\n`
    }
    return out
  }
}

function unitValues(bench: BenchmarkResult, unit: string): number[] {
  const values: number[] = []
  for (const s of bench.samples) {
    const v = s.metrics[unit]
    if (v !== undefined && Number.isFinite(v)) values.push(v)
  }
  return values
}

function units(bench: BenchmarkResult): string[] {
  const set = new Set<string>()
  for (const s of bench.samples) for (const u of Object.keys(s.metrics)) set.add(u)
  return [...set].sort()
}

// The load tester's units (harness/load) and the Prometheus series each becomes.
const LOAD_SERIES: ReadonlyArray<{ unit: string; name: string; help: string; divisor: number; labels?: Record<string, string> }> = [
  ...(['p50', 'p95', 'p99', 'max'] as const).map((stat) => ({
    unit: `${stat}-ns`,
    name: 'slurm_load_test_latency_seconds',
    help: 'Request latency of the load test (stat: p50, p95, p99, max).',
    divisor: 1e9,
    labels: { stat },
  })),
  { unit: 'req/s', name: 'slurm_load_test_requests_per_second', help: 'Completed requests per second of the load test.', divisor: 1 },
  { unit: 'error-ratio', name: 'slurm_load_test_error_ratio', help: 'Share of failed requests of the load test.', divisor: 1 },
  { unit: 'availability-ratio', name: 'slurm_load_test_availability_ratio', help: 'Share of successful requests of the load test.', divisor: 1 },
  { unit: 'dropped', name: 'slurm_load_test_dropped_iterations', help: 'Iterations an open-model load test could not start in time.', divisor: 1 },
  { unit: 'target-peak-B', name: 'slurm_load_test_target_memory_bytes', help: "Peak resident memory of the load test's target.", divisor: 1 },
  {
    unit: 'target-cpu-ratio',
    name: 'slurm_load_test_target_cpu_ratio',
    help: "CPU time of the load test's target per second of the run (1 = one core).",
    divisor: 1,
  },
  {
    unit: 'target-gc-ns',
    name: 'slurm_load_test_target_gc_seconds',
    help: "Time the load test's target spent in garbage collection during the run.",
    divisor: 1e9,
  },
  { unit: 'generator-peak-B', name: 'slurm_load_test_generator_memory_bytes', help: 'Peak resident memory of the load generator.', divisor: 1 },
]

/** renderPrometheus renders a results document (and optionally a comparison's verdicts) as Prometheus text. */
export function renderPrometheus(doc: ResultsDocument, verdicts: readonly VerdictLine[] = []): string {
  const out = new Exposition()
  const started = Date.parse(doc.startedAt)
  if (doc.config.producer === 'load') {
    const scenario = String(doc.config.settings?.scenario ?? 'unknown')
    for (const bench of doc.benchmarks) {
      for (const series of LOAD_SERIES) {
        const values = unitValues(bench, series.unit)
        if (values.length === 0) continue
        out.add(series.name, series.help, 'gauge', { scenario, ...series.labels }, median(values) / series.divisor)
      }
    }
    out.add('slurm_load_test_last_run_timestamp_seconds', 'When the load test started.', 'gauge', { scenario }, started / 1000)
  } else {
    for (const bench of doc.benchmarks) {
      out.add('slurm_benchmark_failed', 'Whether the benchmark failed (1) or ran (0).', 'gauge', { benchmark: bench.name }, bench.status === 'failed' ? 1 : 0)
      for (const unit of units(bench)) {
        const values = unitValues(bench, unit)
        if (values.length === 0) continue
        const l = { benchmark: bench.name, unit }
        out.add('slurm_benchmark_median', 'Median of the samples of a benchmark metric.', 'gauge', l, median(values))
        out.add('slurm_benchmark_samples', 'Samples (worker processes) behind the median.', 'gauge', l, values.length)
        let lo = values[0] as number
        let hi = lo
        for (const v of values) {
          lo = Math.min(lo, v)
          hi = Math.max(hi, v)
        }
        out.add('slurm_benchmark_min', 'Smallest sample of a benchmark metric.', 'gauge', l, lo)
        out.add('slurm_benchmark_max', 'Largest sample of a benchmark metric.', 'gauge', l, hi)
      }
    }
    out.add('slurm_benchmark_last_run_timestamp_seconds', 'When the benchmark run started.', 'gauge', {}, started / 1000)
    out.add('slurm_benchmark_run_duration_seconds', 'How long the benchmark run took.', 'gauge', {}, doc.durationMs / 1000)
  }
  for (const v of verdicts) {
    out.add(
      'slurm_benchmark_verdict',
      '1 for the verdict a benchmark metric got in the latest comparison.',
      'gauge',
      { benchmark: v.name, unit: v.unit, verdict: v.verdict },
      1,
    )
    if (v.change?.estimate !== null && v.change?.estimate !== undefined) {
      out.add(
        'slurm_benchmark_change_ratio',
        'Estimated head/base ratio minus 1 of the latest comparison.',
        'gauge',
        { benchmark: v.name, unit: v.unit },
        v.change.estimate,
      )
    }
  }
  return out.text()
}
