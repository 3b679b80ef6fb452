// State changes over time, so repeated scrapes see a moving cluster: jobs start and end, finished
// jobs age out and new ones are submitted in their slots, nodes drain, go down and come back.
// Events come from their own seeded stream, so the cluster after N events is deterministic.
import { allocateJob, releaseJob } from './allocate.ts'
import { type Cluster, JobReason, JobState, NodeFlag } from './model.ts'
import { deriveSeed, Prng } from '../../../common/prng.ts'

// Each event draws a random slot and retries this often to find one in the wanted state; on a
// cluster with no such job the event is skipped rather than scanning every slot.
const PROBES_PER_EVENT = 16
// Event mix: start a pending job, finish a running one, replace a finished one, a node event.
const EVENT_WEIGHTS = [38, 36, 22, 4]
const FINISH_STATES = [JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED, JobState.TIMEOUT, JobState.OUT_OF_MEMORY]
const FINISH_WEIGHTS = [85, 7, 4, 3, 1]

/** Evolver applies change events to a cluster at a fixed rate of the model's clock. */
export class Evolver {
  private readonly rng: Prng

  constructor(private readonly cluster: Cluster) {
    this.rng = new Prng(deriveSeed(cluster.seed, 100))
  }

  /** advance moves the model clock to `nowSec` and applies `events` events spread over the interval. */
  advance(nowSec: number, events: number): void {
    const c = this.cluster
    const fromSec = c.nowSec
    for (let e = 0; e < events; e++) {
      c.nowSec = Math.max(c.nowSec, Math.floor(fromSec + ((nowSec - fromSec) * (e + 1)) / events))
      this.step()
    }
    c.nowSec = Math.max(c.nowSec, Math.floor(nowSec))
  }

  private findJob(state: number): number {
    const j = this.cluster.jobs
    if (j.count === 0) return -1
    for (let p = 0; p < PROBES_PER_EVENT; p++) {
      const slot = Math.floor(this.rng.next() * j.count)
      if (j.state[slot] === state) return slot
    }
    return -1
  }

  private step(): void {
    const c = this.cluster
    const j = c.jobs
    const now = c.nowSec
    c.events++
    switch (this.rng.weighted(EVENT_WEIGHTS)) {
      case 0: {
        const slot = this.findJob(JobState.PENDING)
        // A held job waits for its release, not for resources.
        if (slot < 0 || j.reason[slot] === JobReason.JobHeldUser || j.reason[slot] === JobReason.JobHeldAdmin || !allocateJob(c, slot)) return
        j.state[slot] = JobState.RUNNING
        j.flags[slot] = 0
        j.reason[slot] = JobReason.None
        j.startSec[slot] = now
        j.endSec[slot] = now + j.timeLimitMin[slot]! * 60
        break
      }
      case 1: {
        const slot = this.findJob(JobState.RUNNING)
        if (slot < 0) return
        releaseJob(c, slot, now)
        const state = FINISH_STATES[this.rng.weighted(FINISH_WEIGHTS)]!
        j.state[slot] = state
        j.flags[slot] = 0
        j.endSec[slot] = now
        j.reason[slot] =
          state === JobState.TIMEOUT
            ? JobReason.TimeLimit
            : state === JobState.COMPLETED || state === JobState.CANCELLED
              ? JobReason.None
              : JobReason.NonZeroExitCode
        j.exitCode[slot] = state === JobState.FAILED ? 1 : state === JobState.OUT_OF_MEMORY ? 137 : 0
        c.nodesLastUpdateSec = now
        break
      }
      case 2: {
        // A finished job ages out (MinJobAge) and a new submission takes its slot.
        let slot = -1
        for (const s of FINISH_STATES) {
          slot = this.findJob(s)
          if (slot >= 0) break
        }
        if (slot < 0) return
        c.jobSlot.delete(j.id[slot]!)
        const id = c.nextJobId++
        j.id[slot] = id
        c.jobSlot.set(id, slot)
        j.state[slot] = JobState.PENDING
        j.flags[slot] = 0
        j.reason[slot] = JobReason.Priority
        j.submitSec[slot] = now
        j.startSec[slot] = 0
        j.endSec[slot] = 0
        j.exitCode[slot] = 0
        j.arrayJobId[slot] = 0
        j.arrayTaskId[slot] = -1
        break
      }
      default: {
        const n = Math.floor(this.rng.next() * c.nodes.count)
        const flags = c.nodes.flags[n]!
        if (flags & (NodeFlag.DOWN | NodeFlag.DRAIN)) {
          c.nodes.flags[n] = flags & ~(NodeFlag.DOWN | NodeFlag.DRAIN | NodeFlag.NOT_RESPONDING)
          c.nodes.reason[n] = 0
          c.nodes.reasonTimeSec[n] = 0
          if (flags & NodeFlag.DOWN) c.nodes.bootTimeSec[n] = now
        } else {
          c.nodes.flags[n] = flags | NodeFlag.DRAIN
          c.nodes.reason[n] = this.rng.pick([2, 3, 4, 5, 7])
          c.nodes.reasonTimeSec[n] = now
        }
        c.nodesLastUpdateSec = now
        c.partitionsLastUpdateSec = now
        return
      }
    }
    c.jobsLastUpdateSec = now
  }
}
