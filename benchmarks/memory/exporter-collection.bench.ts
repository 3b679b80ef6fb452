// Memory of one collection: heap allocated per scrape (B/op with -benchmem) and the heap a held
// snapshot keeps per series (what the exporter carries between scrapes and while serving).
import { type B, full, sink } from 'slurmbench'
import { JOB_FIELDS, JobAggregator } from '../../testbed/exporter/collectors/jobs.ts'
import { NodeAggregator } from '../../testbed/exporter/collectors/nodes.ts'
import { serializeFamilies } from '../../testbed/exporter/exposition.ts'
import { JsonListStream } from '../../testbed/exporter/json-list-stream.ts'
import { SeriesPolicy, SeriesSink } from '../../testbed/exporter/series-policy.ts'
import type { SlurmJob } from '../../testbed/exporter/collectors/jobs.ts'
import type { SlurmNode } from '../../testbed/exporter/collectors/nodes.ts'
import { captureAnswers } from '../../testbed/rig/workloads.ts'

declare const gc: (() => void) | undefined

/** CHUNK_BYTES matches undici's body chunks. */
const CHUNK_BYTES = 64 * 1024

// One collection from raw bodies: streamed parse, aggregation, serialization.
function collect(bodies: Record<string, Buffer>, policy: SeriesPolicy, perJobSeries: boolean): { sink: SeriesSink; chunks: Buffer[] } {
  const seriesSink = new SeriesSink(policy)
  const nodes = new NodeAggregator(seriesSink, { perNodeSeries: true })
  const jobs = new JobAggregator(seriesSink, { perJobSeries })
  for (const [key, add, fields] of [
    ['nodes', (item: unknown) => nodes.add(item as SlurmNode), undefined],
    ['jobs', (item: unknown) => jobs.add(item as SlurmJob), JOB_FIELDS],
  ] as const) {
    const body = bodies[key] as Buffer
    // The collectors' readers: jobs keep only the members the aggregator reads.
    const reader = new JsonListStream(key, add, fields)
    for (let i = 0; i < body.length; i += CHUNK_BYTES) reader.write(body.subarray(i, i + CHUNK_BYTES))
    reader.end()
  }
  nodes.finish()
  jobs.finish()
  return {
    sink: seriesSink,
    chunks: serializeFamilies(
      seriesSink.familyWriters.map((w) => w.family),
      'text',
    ),
  }
}

function heapAfterGc(): number {
  gc?.()
  return process.memoryUsage().heapUsed
}

export async function BenchmarkCollectionMemory(b: B) {
  for (const jobs of full() ? [5_000, 50_000] : [5_000]) {
    // Per-job series are the high-cardinality case; the aggregate-only collection is its subset
    // (same parse, fewer families) and runs with -full.
    for (const perJob of full() ? [false, true] : [true]) {
      await b.run(`jobs=${jobs}/per-job=${perJob}`, async (b) => {
        const bodies = await captureAnswers({ nodes: Math.max(16, jobs / 10), jobs }, ['nodes', 'jobs'])
        const policy = new SeriesPolicy()
        b.reportAllocs()
        b.resetTimer()
        for (let i = 0; i < b.N; i++) sink(collect(bodies, policy, perJob))
        b.stopTimer()
        if (typeof gc === 'function') {
          // Retained heap of one held collection (families and exposition text), per series.
          const before = heapAfterGc()
          const held = collect(bodies, policy, perJob)
          const after = heapAfterGc()
          let series = 0
          for (const writer of held.sink.familyWriters) series += writer.family.values.length
          b.reportMetric((after - before) / series, 'retained-B/series')
          b.reportMetric(series, 'series')
          sink(held)
        }
      })
    }
  }
}
