// The self-benchmark's four workloads as Go-style benchmarks. `slurmbench self` runs each of them
// through the real CLI, one invocation per workload, beside the same bodies run by tinybench and
// mitata; the bodies live in benchmarks/fixtures/self-workloads.ts.
import { type B, sink } from 'slurmbench'
import { SELF_WORKLOADS } from '../fixtures/self-workloads.ts'

/** BenchmarkEmpty is an empty b.N loop: its ns/op is the harness's own cost per op. */
export function BenchmarkEmpty(b: B) {
  const empty = SELF_WORKLOADS.empty
  b.resetTimer()
  // The body returns nothing, so there is nothing to sink: the loop is all that is left.
  for (let i = 0; i < b.N; i++) empty()
}

/** BenchmarkJSONParse parses a 10 KB slurmrestd nodes response. */
export function BenchmarkJSONParse(b: B) {
  const parse = SELF_WORKLOADS.json
  b.resetTimer()
  for (let i = 0; i < b.N; i++) sink(parse())
}

/** BenchmarkRegExpTest tests one metric name against a short filter. */
export function BenchmarkRegExpTest(b: B) {
  const test = SELF_WORKLOADS.regex
  b.resetTimer()
  for (let i = 0; i < b.N; i++) sink(test())
}

/** BenchmarkAlloc builds an array of 100 small objects. */
export function BenchmarkAlloc(b: B) {
  const alloc = SELF_WORKLOADS.alloc
  b.resetTimer()
  for (let i = 0; i < b.N; i++) sink(alloc())
}
