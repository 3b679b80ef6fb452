// The cost of garbage collection by object lifetime. Short-lived records die young and a scavenge
// frees them almost for free; retained records survive scavenges, are copied and promoted, and
// fill the old generation until mark-compact runs, which grows with the live heap. The same work
// per op in every case, so the difference in ns/op and in the GC figures is the collector's.
import { type B, full, sink } from 'slurmbench'
import { slurmNodes } from '../fixtures/slurm-nodes.ts'
import { toObjects } from '../fixtures/node-records.ts'

// 1,000 records per op: about 100 KB of small objects, the records of one mid-sized cluster scrape.
const NODES_PER_OP = 1_000

// How many past ops' records stay alive. Each op's batch is ~100 KB, so 64 ≈ 6 MB and 512 ≈ 50 MB
// of live heap: enough to survive every scavenge and to make old-generation marking visible.
function retainedBatches(): number[] {
  return full() ? [64, 512, 2_048] : [512]
}

/** BenchmarkGCPressure allocates the same records per op and keeps none, or the last k ops' worth. */
export async function BenchmarkGCPressure(b: B) {
  const nodes = slurmNodes(NODES_PER_OP)
  await b.run('lifetime=short', (b) => {
    // Only the latest batch stays reachable. sink() is not used inside the loop: it keeps its
    // last 64 values alive, which would make this the same as lifetime=retained/batches=64.
    let latest: unknown
    b.reportAllocs()
    b.resetTimer()
    for (let i = 0; i < b.N; i++) latest = toObjects(nodes)
    b.stopTimer()
    sink(latest)
  })
  for (const batches of retainedBatches()) {
    await b.run(`lifetime=retained/batches=${batches}`, (b) => {
      const live = new Array<unknown>(batches).fill(undefined)
      b.reportAllocs()
      b.resetTimer()
      for (let i = 0; i < b.N; i++) live[i % batches] = toObjects(nodes)
      b.stopTimer()
      sink(live)
    })
  }
}
