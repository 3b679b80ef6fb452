// Command line: `tsx testbed/real-slurm/cli.ts up` starts the real Slurm, prints how to reach it
// and keeps it running until Ctrl-C; `check` starts it, prints the timings and tears it down.
import { startRealSlurm } from './cluster.ts'
import { missingPrerequisites } from './root.ts'

const USAGE = `Usage: tsx testbed/real-slurm/cli.ts up|check

  up     start a real Slurm 24.11 with slurmrestd on 127.0.0.1 and keep it until Ctrl-C
  check  start it, print the bring-up and teardown times, stop it

The prepared root is cached in $SLURMBENCH_CACHE_DIR (default /var/cache/slurmbench).
Needs root and debootstrap.`

async function main(argv: string[]): Promise<number> {
  const command = argv[0]
  if (command !== 'up' && command !== 'check') {
    process.stderr.write(`${USAGE}\n`)
    return command === '-h' || command === '--help' ? 0 : 2
  }
  const missing = missingPrerequisites()
  if (missing.length > 0) {
    process.stderr.write(`real Slurm needs ${missing.join(', ')}\n`)
    return 1
  }
  const started = Date.now()
  const slurm = await startRealSlurm({
    log: (line) => process.stderr.write(`${line}\n`),
  })
  const t = slurm.timings
  process.stdout.write(
    `slurmrestd  ${slurm.url}\nchroot      ${slurm.root}\nkey file    ${slurm.keyFile}\njobs        ${JSON.stringify(slurm.jobs)}\n` +
      `bring-up    ${Date.now() - started} ms (root ${t.prepareRootMs} ms${t.fromCache ? ', cached' : ', built'}, daemons ${t.startMs} ms, jobs ${t.populateMs} ms)\n`,
  )
  if (command === 'up') {
    process.stdout.write(`token       SLURM_JWT=${slurm.token}\nCtrl-C stops it.\n`)
    // Signal listeners alone do not keep Node's event loop alive.
    const keepAlive = setInterval(() => {}, 60_000)
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve())
      process.once('SIGTERM', () => resolve())
    })
    clearInterval(keepAlive)
  }
  const report = await slurm.stop()
  process.stdout.write(`teardown    ${report.durationMs} ms, pids left [${report.leftPids.join(', ')}], mounts left [${report.leftMounts.join(', ')}]\n`)
  return report.leftPids.length === 0 && report.leftMounts.length === 0 ? 0 : 1
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`)
    process.exit(1)
  },
)
