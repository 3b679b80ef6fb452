// Label rules on the exporter's hot path, RE2 against RegExp: per-job series of a generated
// cluster pass keep/drop/replace rules on user, partition and job name. The pathological case
// shows why RE2 is the default: a backtracking pattern on a crafted label value.
import { type B, sink } from 'slurmbench'
import { JOB_FIELDS, JobAggregator, type SlurmJob } from '../../testbed/exporter/collectors/jobs.ts'
import { compilePattern, type RegexEngine } from '../../testbed/exporter/regex-engine.ts'
import { SeriesPolicy, SeriesSink, type LabelRule } from '../../testbed/exporter/series-policy.ts'
import { captureAnswers, parseList } from '../../testbed/rig/workloads.ts'

const RULES: LabelRule[] = [
  { action: 'drop', label: 'user', regex: '(svc|test|ci)[-_].*' },
  { action: 'keep', label: 'partition', regex: '[a-z][a-z0-9_-]*' },
  { action: 'replace', label: 'name', regex: '(.*)_(\\d+)', replacement: '$1' },
]

export async function BenchmarkLabelRules(b: B) {
  for (const engine of ['re2', 'regexp'] as RegexEngine[]) {
    await b.run(`jobs=5000/engine=${engine}`, async (b) => {
      const answers = await captureAnswers({ nodes: 500, jobs: 5_000 }, ['jobs'])
      const parsed = parseList<SlurmJob>(answers['jobs'] as Buffer, 'jobs', JOB_FIELDS)
      const policy = new SeriesPolicy({ labelRules: RULES, regexEngine: engine })
      b.resetTimer()
      for (let i = 0; i < b.N; i++) {
        const seriesSink = new SeriesSink(policy)
        const aggregator = new JobAggregator(seriesSink, { perJobSeries: true })
        for (const job of parsed) aggregator.add(job)
        aggregator.finish()
        sink(seriesSink)
      }
      b.reportMetric((parsed.length * b.N) / (b.elapsedNs() / 1e9), 'jobs/s')
    })
  }
}

/** PATHOLOGICAL_A_COUNT keeps RegExp's exponential backtracking in the milliseconds (2^20 steps). */
const PATHOLOGICAL_A_COUNT = 20

export async function BenchmarkPathologicalPattern(b: B) {
  const value = 'a'.repeat(PATHOLOGICAL_A_COUNT) + '!'
  for (const engine of ['re2', 'regexp'] as RegexEngine[]) {
    await b.run(`engine=${engine}`, (b) => {
      const pattern = compilePattern('(a+)+', engine)
      for (let i = 0; i < b.N; i++) sink(pattern.test(value))
    })
  }
}
