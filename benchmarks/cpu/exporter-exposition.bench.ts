// Serialization alone: real families (per-job series from a generated cluster) written as text
// 0.0.4 and as OpenMetrics 1.0. metrics/s and MB/s of output.
import { type B, full, sink } from 'slurmbench'
import { JOB_FIELDS, JobAggregator, type SlurmJob } from '../../testbed/exporter/collectors/jobs.ts'
import { serializeFamilies, type ExpositionFormat } from '../../testbed/exporter/exposition.ts'
import { SeriesPolicy, SeriesSink } from '../../testbed/exporter/series-policy.ts'
import { captureAnswers, parseList } from '../../testbed/rig/workloads.ts'

export async function BenchmarkExposition(b: B) {
  for (const jobs of full() ? [5_000, 50_000] : [5_000]) {
    for (const format of ['text', 'openmetrics'] as ExpositionFormat[]) {
      await b.run(`jobs=${jobs}/format=${format}`, async (b) => {
        const answers = await captureAnswers({ nodes: Math.max(16, jobs / 10), jobs }, ['jobs'], 'v0.0.44')
        const seriesSink = new SeriesSink(new SeriesPolicy())
        const aggregator = new JobAggregator(seriesSink, { perJobSeries: true })
        for (const job of parseList<SlurmJob>(answers['jobs'] as Buffer, 'jobs', JOB_FIELDS)) aggregator.add(job)
        aggregator.finish()
        const families = seriesSink.familyWriters.map((w) => w.family)
        const series = families.reduce((sum, f) => sum + f.values.length, 0)
        b.setBytes(serializeFamilies(families, format).reduce((sum, chunk) => sum + chunk.length, 0))
        b.resetTimer()
        for (let i = 0; i < b.N; i++) sink(serializeFamilies(families, format))
        b.reportMetric((series * b.N) / (b.elapsedNs() / 1e9), 'metrics/s')
      })
    }
  }
}
