// RegExp (V8's backtracking irregexp) against RE2 (linear time, what Prometheus itself uses) for
// the allow/deny filters an exporter applies to its series, and for the pathological pattern that
// makes a backtracking engine take exponential time while RE2 stays linear.
import RE2 from 're2'
import { type B, full, sink } from 'slurmbench'
import { metricSeries } from '../fixtures/metric-series.ts'

interface Matcher<T = string> {
  test(text: T): boolean
}

type Engine = readonly [name: string, compile: (pattern: string) => Matcher]

const ENGINES: readonly Engine[] = [
  ['RegExp', (pattern) => new RegExp(pattern)],
  ['RE2', (pattern) => new RE2(pattern)],
]

// Filters in the style of metric_relabel_configs and exporter collector flags: keep the Slurm
// node/partition/job families, drop histogram internals, and keep only some nodes and states.
const ALLOW_PATTERNS = ['^slurm_(node|partition|job)_[a-z_]+\\{', 'node="(cn|gpu)0[0-4][0-9]{2}"']
const DENY_PATTERNS = ['_(bucket|created|sum|count)\\{', 'state="[a-z+]*(down|drain)[a-z+]*"']

function seriesCounts(): number[] {
  return full() ? [100, 1_000, 10_000] : [1_000]
}

function countKept<T>(series: readonly T[], allow: readonly Matcher<T>[], deny: readonly Matcher<T>[]): number {
  let kept = 0
  for (const line of series) {
    if (allow.every((m) => m.test(line)) && !deny.some((m) => m.test(line))) kept++
  }
  return kept
}

/** BenchmarkMetricFilter runs every series of a scrape through two allow and two deny patterns. */
export async function BenchmarkMetricFilter(b: B) {
  for (const [engine, compile] of ENGINES) {
    for (const count of seriesCounts()) {
      await b.run(`engine=${engine}/series=${count}`, (b) => {
        const series = metricSeries(count)
        const allow = ALLOW_PATTERNS.map(compile)
        const deny = DENY_PATTERNS.map(compile)
        const regexpAllow = ALLOW_PATTERNS.map((p) => new RegExp(p))
        const regexpDeny = DENY_PATTERNS.map((p) => new RegExp(p))
        // Both engines must keep the same series, or the comparison is of different work.
        const kept = countKept(series, allow, deny)
        if (kept !== countKept(series, regexpAllow, regexpDeny)) b.fatal(`${engine} kept ${kept} series, RegExp a different number`)
        if (kept === 0 || kept === series.length) b.fatal(`the filters keep ${kept} of ${series.length} series; they should keep some and drop some`)
        b.resetTimer()
        for (let i = 0; i < b.N; i++) sink(countKept(series, allow, deny))
        b.reportMetric(b.elapsedNs() / b.N / series.length, 'ns/series')
      })
    }
  }
  // RE2 matches UTF-8: handed a JS string, it first encodes it, and for short series that costs
  // more than the match (~3 µs vs ~0.3 µs per test here). Series kept as Buffers skip the encoding.
  for (const count of seriesCounts()) {
    await b.run(`engine=RE2-buffer/series=${count}`, (b) => {
      const series = metricSeries(count)
      const buffers = series.map((line) => Buffer.from(line))
      const allow = ALLOW_PATTERNS.map((p) => new RE2(p))
      const deny = DENY_PATTERNS.map((p) => new RE2(p))
      const kept = countKept(buffers, allow, deny)
      if (
        kept !==
        countKept(
          series,
          ALLOW_PATTERNS.map((p) => new RegExp(p)),
          DENY_PATTERNS.map((p) => new RegExp(p)),
        )
      )
        b.fatal(`RE2 on Buffers kept ${kept} series, RegExp a different number`)
      b.resetTimer()
      for (let i = 0; i < b.N; i++) sink(countKept(buffers, allow, deny))
      b.reportMetric(b.elapsedNs() / b.N / buffers.length, 'ns/series')
    })
  }
}

// `^(a+)+$` against a run of a's followed by a non-match: a backtracking engine tries every way to
// split the run between the two loops, 2^n of them. Measured here: n=20 ≈ 14 ms, n=24 ≈ 200 ms.
const PATHOLOGICAL_PATTERN = '^(a+)+$'

// Each step doubles RegExp's time; the largest must still finish inside the default 1 s benchtime.
// The default run keeps two lengths, enough to show the growth (each leaf costs a worker).
function backtrackingLengths(): number[] {
  return full() ? [8, 12, 16, 20, 24] : [10, 20]
}

// Lengths only RE2 can take: at n=1,000 RegExp would need ~2^1000 steps.
function linearOnlyLengths(): number[] {
  return full() ? [1_000, 10_000, 100_000] : [100_000]
}

/**
 * BenchmarkBacktracking shows RegExp's exponential growth on a pathological pattern beside RE2's
 * linear growth; ns/char makes the shape visible in one column.
 */
export async function BenchmarkBacktracking(b: B) {
  for (const [engine, compile] of ENGINES) {
    const lengths = engine === 'RE2' ? [...backtrackingLengths(), ...linearOnlyLengths()] : backtrackingLengths()
    for (const n of lengths) {
      await b.run(`engine=${engine}/n=${n}`, (b) => {
        const matcher = compile(PATHOLOGICAL_PATTERN)
        const subject = `${'a'.repeat(n)}!`
        if (matcher.test(subject)) b.fatal(`${engine} matched ${PATHOLOGICAL_PATTERN} against a string ending in "!"`)
        b.resetTimer()
        for (let i = 0; i < b.N; i++) sink(matcher.test(subject))
        b.reportMetric(b.elapsedNs() / b.N / subject.length, 'ns/char')
      })
    }
  }
}
