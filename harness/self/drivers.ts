// The JavaScript tools' drivers: ours through the real CLI (bin/slurmbench.js, as our users run
// it), tinybench and mitata through the drivers in benchmarks/self/compare-libs, bundled first.
import { join } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { build } from 'esbuild'
import { parseDurationNs } from '../results/duration.ts'
import { readResults } from '../results/json.ts'
import type { ResultsDocument } from '../results/schema.ts'
import { describeExit, REPO_ROOT, runProcess } from './processes.ts'
import { median } from './statistics.ts'
import { failed, SELF_WORKLOADS, type Job, type JobOutcome, type SelfSettings } from './types.ts'

const CLI_PATH = join(REPO_ROOT, 'bin', 'slurmbench.js')
const WORKLOADS_FILE = 'benchmarks/self/workloads.bench.ts'
const DRIVERS_DIR = join(REPO_ROOT, 'benchmarks', 'self', 'compare-libs')

/** runOurs runs one workload through `slurmbench bench` and reads the median ns/op of its JSON results. */
export async function runOurs(job: Job, settings: SelfSettings, scratchDir: string): Promise<JobOutcome> {
  const benchName = SELF_WORKLOADS[job.workload]
  const jsonPath = join(scratchDir, `slurmbench-${job.workload}-${job.invocation}.json`)
  const args = [CLI_PATH, 'bench', '-bench', `^${benchName}$`, '-json', jsonPath]
  if (settings.benchtime !== undefined) args.push('-benchtime', settings.benchtime)
  if (settings.count !== undefined) args.push('-count', String(settings.count))
  args.push(WORKLOADS_FILE)
  const outcome = await runProcess(args)
  if (outcome.code !== 0) return failed(job, `slurmbench bench: ${describeExit(outcome)}`)
  let doc: ResultsDocument
  try {
    doc = await readResults(jsonPath)
  } catch (err) {
    return failed(job, `slurmbench bench: ${(err as Error).message}`)
  }
  const result = doc.benchmarks.find((b) => b.name === benchName)
  if (result === undefined) return failed(job, `slurmbench bench: ${benchName} missing from ${jsonPath}`)
  if (result.status !== 'ok') return failed(job, `slurmbench bench: ${benchName} ${result.status}: ${result.failure?.message ?? result.skipReason ?? ''}`)
  const nsPerOp = result.samples.map((s) => s.metrics['ns/op']).filter((v): v is number => v !== undefined)
  const centreNs = median(nsPerOp)
  if (centreNs === undefined) return failed(job, `slurmbench bench: ${benchName} has no ns/op sample`)
  return { ok: true, measurement: { ...job, centreNs, wallMs: outcome.wallMs, samples: nsPerOp.length } }
}

const DriverReportSchema = Type.Object({
  tool: Type.Union([Type.Literal('tinybench'), Type.Literal('mitata')]),
  workload: Type.String(),
  centreNs: Type.Number({ minimum: 0 }),
  medianNs: Type.Number(),
  samples: Type.Integer({ minimum: 1 }),
})
type DriverReport = Static<typeof DriverReportSchema>

function parseDriverReport(stdout: string, job: Job): DriverReport | string {
  const line = stdout.trim().split('\n').at(-1) ?? ''
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return `expected one JSON line on stdout, found ${JSON.stringify(line.slice(0, 80))}`
  }
  const first = Value.Errors(DriverReportSchema, value).First()
  if (first !== undefined) return `report at ${first.path || '(line)'}: ${first.message}`
  const report = value as DriverReport
  if (report.tool !== job.tool || report.workload !== job.workload) return `reported ${report.tool} ${report.workload}, expected ${job.tool} ${job.workload}`
  return report
}

/** DriverBundles are the bundled tinybench and mitata drivers. */
export interface DriverBundles {
  readonly tinybench: string
  readonly mitata: string
}

/** runDriver runs one workload through the tinybench or mitata driver and reads its JSON line. */
export async function runDriver(job: Job, settings: SelfSettings, drivers: DriverBundles): Promise<JobOutcome> {
  const driver = job.tool === 'mitata' ? drivers.mitata : drivers.tinybench
  const args = [driver, job.workload]
  const budgetNs = settings.benchtime === undefined ? undefined : parseDurationNs(settings.benchtime)
  if (budgetNs !== undefined) args.push(String(budgetNs))
  const outcome = await runProcess(args)
  if (outcome.code !== 0) return failed(job, `${job.tool}: ${describeExit(outcome)}`)
  const report = parseDriverReport(outcome.stdout, job)
  if (typeof report === 'string') return failed(job, `${job.tool}: ${report}`)
  return { ok: true, measurement: { ...job, centreNs: report.centreNs, wallMs: outcome.wallMs, samples: report.samples } }
}

/**
 * bundleDrivers compiles the TypeScript drivers into self-contained .mjs files, so that the
 * libraries' processes start as a user's plain `node bench.mjs` would: no TypeScript loader in
 * their wall time. Ours goes through bin/slurmbench.js and tsx, which is what our users run.
 */
export async function bundleDrivers(outDir: string): Promise<DriverBundles> {
  await build({
    entryPoints: { tinybench: join(DRIVERS_DIR, 'tinybench.ts'), mitata: join(DRIVERS_DIR, 'mitata.ts') },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    // mitata probes for its optional native counters and for Bun at run time; neither is bundled.
    external: ['@mitata/counters', 'bun:jsc'],
    logLevel: 'silent',
  })
  return { tinybench: join(outDir, 'tinybench.mjs'), mitata: join(outDir, 'mitata.mjs') }
}
