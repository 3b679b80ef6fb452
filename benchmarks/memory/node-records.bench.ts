// What holding per-node records costs in allocations: object literals, class instances, and
// typed-array columns, each built from the same slurmrestd nodes. B/op counts heap bytes; the
// columns' typed-array backing stores are off-heap and show under their own unit.
import { type B, full, sink } from 'slurmbench'
import { slurmNodes } from '../fixtures/slurm-nodes.ts'
import { toClasses, toColumns, toObjects } from '../fixtures/node-records.ts'

const LAYOUTS: ReadonlyArray<readonly [string, (nodes: ReturnType<typeof slurmNodes>) => unknown]> = [
  ['objects', toObjects],
  ['classes', toClasses],
  ['columns', toColumns],
]

function nodeCounts(): number[] {
  return full() ? [100, 1_000, 10_000] : [1_000]
}

/** BenchmarkNodeRecords builds one record per node in each layout; allocs/op shows per-node vs per-column allocation. */
export async function BenchmarkNodeRecords(b: B) {
  for (const [layout, build] of LAYOUTS) {
    for (const count of nodeCounts()) {
      await b.run(`layout=${layout}/nodes=${count}`, (b) => {
        const nodes = slurmNodes(count)
        b.reportAllocs()
        b.resetTimer()
        for (let i = 0; i < b.N; i++) sink(build(nodes))
      })
    }
  }
}
