// `slurmbench push --gateway URL results.json`: a run's results as Prometheus metrics to a
// Pushgateway, grouped by suite, machine class and commit.
import { InputError } from '../../common/input-error.ts'
import { fingerprintOf, machineClassOf } from '../baseline/fingerprint.ts'
import { PushError, pushMetrics, redactUrl } from '../publish/pushgateway.ts'
import { renderPrometheus, type VerdictLine } from '../report/prometheus-text.ts'
import { readComparison, verdictsOf } from '../results/comparison-schema.ts'
import { readResults } from '../results/json.ts'
import { isPartial, partialNote } from '../results/partial.ts'
import { type Command, EXIT_FAILED, EXIT_OK } from './command.ts'
import { type FlagSpecs, printUsage, parseArgs, UsageError } from './flags.ts'

/** GATEWAY_ENV names the Pushgateway when --gateway is not given. */
export const GATEWAY_ENV = 'SLURMBENCH_PUSHGATEWAY'
/** DEFAULT_JOB is the Pushgateway job every push uses unless --job says otherwise. */
export const DEFAULT_JOB = 'slurmbench'

const FLAGS: FlagSpecs = {
  gateway: { kind: 'string', valueName: 'url', help: `Pushgateway base URL (default $${GATEWAY_ENV}); user:password@ in it becomes basic auth, never printed` },
  comparison: { kind: 'string', valueName: 'file', help: 'also push the verdicts of this comparison JSON (compare/ab/baseline check -format json)' },
  job: { kind: 'string', valueName: 'name', help: `the Pushgateway job (default ${DEFAULT_JOB})` },
  suite: { kind: 'string', valueName: 'name', help: 'grouping label suite (default: bench, or load-<scenario> for a load test)' },
  'machine-class': { kind: 'string', valueName: 'class', help: 'grouping label machine_class (default: from the results fingerprint)' },
  'dry-run': { kind: 'boolean', help: 'print the metrics and the grouping key instead of pushing' },
}

const DESCRIPTION = `Pushes a results file (benchmarks or a load test) to a Prometheus Pushgateway as slurm_benchmark_* or
slurm_load_test_* series, replacing the previous push of the same suite, machine class and commit.
deploy/grafana/slurmbench.json is a Grafana dashboard over these series.
Exit status: 0 pushed, 1 the gateway did not take it, 2 bad flags or input.`

async function readVerdicts(path: string): Promise<VerdictLine[]> {
  return verdictsOf(await readComparison(path), path).map((v) => ({ name: v.name, unit: v.rawUnit, verdict: v.verdict, change: v.change }))
}

export const command: Command = {
  summary: 'push results (and verdicts) to a Prometheus Pushgateway',
  async run(argv) {
    const args = parseArgs(argv, FLAGS)
    if (args.help) return printUsage('slurmbench push --gateway URL [flags] RESULTS.json', DESCRIPTION, FLAGS)
    if (args.positionals.length !== 1) throw new UsageError('name exactly one results file')
    const gateway = (args.flags.gateway as string | undefined) ?? process.env[GATEWAY_ENV]
    const dryRun = args.flags['dry-run'] === true
    if (gateway === undefined && !dryRun) throw new UsageError(`no Pushgateway: give --gateway URL or set ${GATEWAY_ENV}`)
    const file = args.positionals[0] as string
    const doc = await readResults(file)
    if (isPartial(doc)) throw new InputError(`${file}: a partial run (${partialNote(doc)}); push takes only finished runs`)
    const comparison = args.flags.comparison as string | undefined
    const verdicts = comparison === undefined ? [] : await readVerdicts(comparison)
    const scenario = doc.config.settings?.scenario
    const grouping = {
      suite: (args.flags.suite as string | undefined) ?? (doc.config.producer === 'load' ? `load-${String(scenario ?? 'unknown')}` : 'bench'),
      machine_class: (args.flags['machine-class'] as string | undefined) ?? machineClassOf(fingerprintOf(doc.environment)),
      commit: doc.environment.commit ?? 'unknown',
    }
    const text = renderPrometheus(doc, verdicts)
    const job = (args.flags.job as string | undefined) ?? DEFAULT_JOB
    if (dryRun) {
      process.stdout.write(
        `# job=${job} ${Object.entries(grouping)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}\n${text}`,
      )
      return EXIT_OK
    }
    try {
      await pushMetrics(gateway as string, job, grouping, text)
    } catch (err) {
      if (err instanceof PushError) {
        process.stderr.write(`slurmbench push: ${err.message}\n`)
        return err.code === 'PUSH_BAD_URL' ? 2 : EXIT_FAILED
      }
      throw err
    }
    const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length
    process.stdout.write(
      `push: ${series} series of ${file} to ${redactUrl(new URL(gateway as string))} (job ${job}, suite ${grouping.suite}, machine class ${grouping.machine_class}, commit ${grouping.commit.slice(0, 12)})\n`,
    )
    return EXIT_OK
  },
}
