// The exporter's processing of parsed slurmrestd objects into exposition text: aggregation,
// label policy and serialization, as one scrape does after the network. Reports metrics/s
// (series written per second); the goal is ≥ 1,000,000.
import { type B, full, sink } from 'slurmbench'
import type { ListAggregator } from '../../testbed/exporter/collector.ts'
import { JOB_FIELDS, JobAggregator, type SlurmJob } from '../../testbed/exporter/collectors/jobs.ts'
import { NodeAggregator, type SlurmNode } from '../../testbed/exporter/collectors/nodes.ts'
import { serializeFamilies } from '../../testbed/exporter/exposition.ts'
import { SeriesPolicy, SeriesSink } from '../../testbed/exporter/series-policy.ts'
import { captureAnswers, parseList } from '../../testbed/rig/workloads.ts'

function seriesOf(sink: SeriesSink): number {
  let series = 0
  for (const writer of sink.familyWriters) series += writer.family.values.length
  return series
}

// Each iteration is one scrape's processing: a fresh sink and aggregator take every item, then
// the families are serialized. Reports the series written per second and per scrape.
function measureProcessing<T>(b: B, items: readonly T[], newAggregator: (sink: SeriesSink) => ListAggregator<T>): void {
  const policy = new SeriesPolicy()
  let series = 0
  b.resetTimer()
  for (let i = 0; i < b.N; i++) {
    const seriesSink = new SeriesSink(policy)
    const aggregator = newAggregator(seriesSink)
    for (const item of items) aggregator.add(item)
    aggregator.finish()
    sink(
      serializeFamilies(
        seriesSink.familyWriters.map((w) => w.family),
        'text',
      ),
    )
    series += seriesOf(seriesSink)
  }
  b.reportMetric(series / (b.elapsedNs() / 1e9), 'metrics/s')
  b.reportMetric(series / b.N, 'series/op')
}

export async function BenchmarkProcessJobs(b: B) {
  for (const jobs of full() ? [5_000, 50_000] : [5_000]) {
    for (const perJob of [false, true]) {
      await b.run(`jobs=${jobs}/per-job=${perJob}`, async (b) => {
        const answers = await captureAnswers({ nodes: Math.max(16, jobs / 10), jobs }, ['jobs'])
        // Jobs as the collector receives them: only the members it reads (JOB_FIELDS).
        const parsed = parseList<SlurmJob>(answers['jobs'] as Buffer, 'jobs', JOB_FIELDS)
        measureProcessing(b, parsed, (seriesSink) => new JobAggregator(seriesSink, { perJobSeries: perJob }))
      })
    }
  }
}

export async function BenchmarkProcessNodes(b: B) {
  for (const nodes of full() ? [1_000, 50_000] : [1_000]) {
    await b.run(`nodes=${nodes}`, async (b) => {
      const answers = await captureAnswers({ nodes, jobs: nodes }, ['nodes'])
      const parsed = parseList<SlurmNode>(answers['nodes'] as Buffer, 'nodes')
      measureProcessing(b, parsed, (seriesSink) => new NodeAggregator(seriesSink, { perNodeSeries: true }))
    })
  }
}
