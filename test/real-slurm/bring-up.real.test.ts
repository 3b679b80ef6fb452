// A bring-up step that cannot succeed fails at once with the daemon's log, and leaves nothing
// behind. Uses its own run over the cached root, beside the suite's cluster.
import { existsSync } from 'node:fs'
import { expect, test } from 'vitest'
import { BringUpError, startRealSlurm } from '../../testbed/real-slurm/cluster.ts'
import { pidsInRoot } from '../../testbed/real-slurm/processes.ts'
import { mountsUnder } from '../../testbed/real-slurm/mounts.ts'
import { realSlurm } from './real-slurm.ts'

const { info, skipReason } = realSlurm()

test.skipIf(info === undefined)(
  'a slurm.conf slurmctld cannot parse fails the bring-up with slurmctld log, and leaves no process or mount',
  async () => {
    const started = Date.now()
    const failure = await startRealSlurm({ extraSlurmConf: 'NoSuchSlurmOption=1' }).then(
      async (slurm) => {
        await slurm.stop()
        return undefined
      },
      (error: unknown) => error,
    )
    const durationMs = Date.now() - started
    expect(failure).toBeInstanceOf(BringUpError)
    const message = (failure as Error).message
    expect(message).toContain('slurmctld answers scontrol ping failed')
    expect(message).toMatch(/slurmctld \(pid \d+\) exited/)
    // The daemon's own words, so a user sees why without digging for the log.
    expect(message).toContain('NoSuchSlurmOption')
    // The step stops waiting when the daemon exits, long before its 30 s limit.
    process.stdout.write(`bring-up: a broken slurm.conf failed after ${durationMs} ms\n`)
    expect(durationMs).toBeLessThan(30_000)
    const root = /\(chroot (\S+)\)/.exec(message)?.[1]
    expect(root).toBeDefined()
    for (const dir of root === undefined ? [] : [root]) {
      expect(pidsInRoot(dir)).toEqual([])
      expect(mountsUnder(dir)).toEqual([])
      expect(existsSync(dir)).toBe(false)
    }
  },
  120_000,
)

if (skipReason !== undefined) test.skip(`bring-up failure: ${skipReason}`, () => {})
