// `slurmbench self`'s engine: the harness measured against tinybench and mitata (and on request
// Go's testing package) on the same four workloads, in one invocation on one machine, each
// measurement a fresh process. The CLI parses flags, renders the report and maps exit codes.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { summarizeContention } from '../stats/contention.ts'
import { bundleDrivers, type DriverBundles, runDriver, runOurs } from './drivers.ts'
import { buildGoReference, type GoReference, runGo } from './go-reference.ts'
import { planJobs, summarise } from './statistics.ts'
import type { Job, JobFailure, Measurement, SelfEnvironment, SelfReport, SelfSettings } from './types.ts'

/** SelfHooks are what the CLI brings: the contention probe and a progress display. */
export interface SelfHooks {
  /**
   * probeNs measures the machine's contention just before each process starts (ns per load;
   * run/contention-probe.ts's probeLoadNs, passed in because self may not import run).
   */
  readonly probeNs: () => number
  /** onJobStart is called before each process starts: `done` of `total` jobs have ended. */
  readonly onJobStart?: (done: number, total: number, job: Job, elapsedMs: number) => void
}

/** SelfOutcome is the report, or why nothing could be measured (no Go toolchain, no dev dependencies). */
export type SelfOutcome = { readonly ok: true; readonly report: SelfReport } | { readonly ok: false; readonly message: string }

function environmentNow(loadAverageStart: readonly number[]): SelfEnvironment {
  return {
    node: process.version,
    v8: process.versions.v8,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    loadAverageStart,
    loadAverageEnd: os.loadavg(),
  }
}

/** runSelf runs every job of `settings` and summarises them; a job that fails is listed in the report, not thrown. */
export async function runSelf(settings: SelfSettings, hooks: SelfHooks): Promise<SelfOutcome> {
  const startedAt = new Date()
  const loadAverageStart = os.loadavg()
  const scratchDir = await mkdtemp(join(os.tmpdir(), 'slurmbench-self-'))
  const measurements: Measurement[] = []
  const failures: JobFailure[] = []
  try {
    const needsDrivers = settings.tools.some((t) => t === 'tinybench' || t === 'mitata')
    let drivers: DriverBundles = { tinybench: '', mitata: '' }
    if (needsDrivers) {
      try {
        drivers = await bundleDrivers(scratchDir)
      } catch (err) {
        // tinybench and mitata are dev dependencies: a production install (npm ci --omit=dev) lacks them.
        const reason = (err as { errors?: { text: string }[] }).errors?.[0]?.text ?? (err as Error).message
        return {
          ok: false,
          message: `cannot build the tinybench and mitata drivers (${reason}); install the dev dependencies with npm ci, or pass -tools=slurmbench`,
        }
      }
    }
    let goReference: GoReference | undefined
    if (settings.tools.includes('go')) {
      const built = await buildGoReference(scratchDir)
      if (typeof built === 'string') return { ok: false, message: built }
      goReference = built
    }
    const jobs = planJobs(settings.tools, settings.workloads, settings.invocations)
    const startMs = performance.now()
    for (const [done, job] of jobs.entries()) {
      hooks.onJobStart?.(done, jobs.length, job, performance.now() - startMs)
      // The probe blocks this process for 150 ms while no benchmark runs.
      const probeNs = hooks.probeNs()
      const outcome =
        job.tool === 'slurmbench'
          ? await runOurs(job, settings, scratchDir)
          : job.tool === 'go' && goReference !== undefined
            ? await runGo(job, settings, goReference)
            : await runDriver(job, settings, drivers)
      if (outcome.ok) measurements.push({ ...outcome.measurement, probeNs })
      else failures.push(outcome.failure)
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true })
  }
  const report: SelfReport = {
    kind: 'slurmbench.self',
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    environment: environmentNow(loadAverageStart),
    settings,
    measurements,
    failures,
    cells: summarise(measurements, settings.tools, settings.workloads),
    ...(measurements.length === 0 ? {} : { contention: summarizeContention(measurements.map((m) => m.probeNs as number)) }),
  }
  return { ok: true, report }
}
