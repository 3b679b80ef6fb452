// Vitest globalSetup of the real-slurm project: brings up a real Slurm 24.11 with slurmrestd
// once for all *.real.test.ts files and tears it down afterwards, also on Ctrl-C or SIGTERM.
import type { TestProject } from 'vitest/node'
import { type RealSlurmInfo, startRealSlurm } from '../../testbed/real-slurm/cluster.ts'
import { missingPrerequisites, prerequisiteVerdict } from '../../testbed/real-slurm/root.ts'

/** RealSlurmContext is what the tests receive through inject('realSlurm'). */
export type RealSlurmContext = { ok: true; info: RealSlurmInfo } | { ok: false; skipReason: string }

declare module 'vitest' {
  export interface ProvidedContext {
    realSlurm: RealSlurmContext
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (line: string): void => {
    process.stderr.write(`real-slurm: ${line}\n`)
  }
  const verdict = prerequisiteVerdict(missingPrerequisites(), process.env.SLURMBENCH_STRICT === '1')
  if (verdict.kind === 'fail') throw new Error(verdict.message)
  if (verdict.kind === 'skip') {
    log(`skipping: ${verdict.message}`)
    project.provide('realSlurm', { ok: false, skipReason: verdict.message })
    return async () => {}
  }
  const started = Date.now()
  const slurm = await startRealSlurm({ log })
  const t = slurm.timings
  log(
    `up in ${Date.now() - started} ms (root ${t.fromCache ? 'from cache' : 'built'} ${t.prepareRootMs} ms, daemons ${t.startMs} ms, jobs ${t.populateMs} ms): ${slurm.url}, chroot ${slurm.root}`,
  )
  const onSignal = (signal: NodeJS.Signals): void => {
    slurm.stopNow()
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1))
  }
  for (const signal of SIGNALS) process.once(signal, onSignal)
  const { stop, stopNow, timings, ...info } = slurm
  project.provide('realSlurm', { ok: true, info })
  return async () => {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal)
    const report = await stop()
    log(`torn down in ${report.durationMs} ms`)
    if (report.leftPids.length > 0 || report.leftMounts.length > 0) {
      throw new Error(`real-slurm teardown left processes [${report.leftPids.join(', ')}] and mounts [${report.leftMounts.join(', ')}]`)
    }
  }
}
