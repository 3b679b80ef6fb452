// The cluster generator: deterministic, sized as asked, internally consistent, and changing.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Evolver } from '../../../testbed/mock-slurm/cluster/evolve.ts'
import { generateCluster, type GenerateOptions } from '../../../testbed/mock-slurm/cluster/generate.ts'
import { hostlistRange, hostlistRanges } from '../../../testbed/mock-slurm/cluster/hostlist.ts'
import { type Cluster, JOB_REASONS, JobState, nodeCpus } from '../../../testbed/mock-slurm/cluster/model.ts'
import { PRESETS } from '../../../testbed/mock-slurm/cluster/presets.ts'
import { jobStateArray } from '../../../testbed/mock-slurm/records/job.ts'
import { nodeStateArray } from '../../../testbed/mock-slurm/records/node.ts'

const BASE: GenerateOptions = { ...PRESETS.small, seed: 11, clusterName: 'c', epochSec: 1_764_000_000 }

function digest(c: Cluster): string {
  const h = createHash('sha256')
  for (const table of [c.nodes, c.jobs]) {
    for (const v of Object.values(table)) if (ArrayBuffer.isView(v)) h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
  }
  h.update(JSON.stringify([c.users, c.accounts, c.partitions, c.licenses, c.reservations]))
  return h.digest('hex')
}

function checkAllocations(c: Cluster): void {
  const expected = new Uint32Array(c.nodes.count)
  const j = c.jobs
  for (let s = 0; s < j.count; s++) {
    const first = j.allocNode[s]!
    expect(first >= 0, `job slot ${s} state ${j.state[s]}`).toBe(j.state[s] === JobState.RUNNING)
    if (first < 0) continue
    const n = j.nodeCount[s]!
    for (let k = first; k < first + n; k++) expected[k] = expected[k]! + (n === 1 ? j.cpus[s]! : nodeCpus(c, k))
  }
  for (let n = 0; n < c.nodes.count; n++) {
    expect(c.nodes.allocCpus[n], `node ${n}`).toBe(expected[n])
    expect(c.nodes.allocCpus[n]!).toBeLessThanOrEqual(nodeCpus(c, n))
  }
}

describe('generateCluster', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(digest(generateCluster(BASE))).toBe(digest(generateCluster(BASE)))
    expect(digest(generateCluster(BASE))).not.toBe(digest(generateCluster({ ...BASE, seed: 12 })))
  })

  it('has the requested size and users with accounts', () => {
    const c = generateCluster(BASE)
    expect(c.nodes.count).toBe(500)
    expect(c.jobs.count).toBe(5_000)
    expect(c.users).toHaveLength(200)
    expect(new Set(c.users.map((u) => u.name)).size).toBe(200)
    for (const u of c.users) expect(u.accounts.length).toBeGreaterThan(0)
    expect(c.qos.length).toBeGreaterThanOrEqual(5)
    expect(() => generateCluster({ ...BASE, users: 5_001 })).toThrow(/users must be/)
  })

  it('has realistic node states, GPU nodes, job arrays and running jobs on real allocations', () => {
    const c = generateCluster(BASE)
    const states = new Set<string>()
    for (let n = 0; n < c.nodes.count; n++) states.add(nodeStateArray(c, n, nodeCpus(c, n)).join('+'))
    for (const s of ['IDLE', 'MIXED', 'ALLOCATED', 'DOWN', 'IDLE+DRAIN']) expect(states, s).toContain(s)
    expect(c.classes.some((cls) => cls.gpus > 0 && cls.count > 0)).toBe(true)
    const j = c.jobs
    let running = 0,
      pending = 0,
      arrays = 0
    for (let s = 0; s < j.count; s++) {
      if (j.state[s] === JobState.RUNNING) running++
      if (j.state[s] === JobState.PENDING) pending++
      if (j.arrayTaskId[s]! > 0) arrays++
    }
    expect(pending / j.count).toBeGreaterThan(0.5)
    expect(running / j.count).toBeGreaterThan(0.05)
    expect(arrays).toBeGreaterThan(0)
    checkAllocations(c)
  })

  it('has what real clusters have: cloud nodes powered down and powering up, held, requeued, configuring and failed jobs', () => {
    for (const options of [BASE, { ...PRESETS.tiny, seed: 2, clusterName: 'c', epochSec: 1_764_000_000 }]) {
      const c = generateCluster(options)
      const nodeStates = new Set<string>()
      for (let n = 0; n < c.nodes.count; n++) nodeStates.add(nodeStateArray(c, n, nodeCpus(c, n)).join('+'))
      const want = ['IDLE+CLOUD+POWERED_DOWN', 'DOWN+NOT_RESPONDING']
      if (options === BASE) want.push('IDLE+CLOUD+DRAIN+POWERED_DOWN', 'MIXED+DRAIN')
      for (const s of want) expect(nodeStates, `${options.nodes} nodes: ${s}`).toContain(s)
      expect(
        [...nodeStates].some((s) => /^(MIXED|ALLOCATED)\+CLOUD\+NOT_RESPONDING\+POWERING_UP$/.test(s)),
        [...nodeStates].join(' '),
      ).toBe(true)
      const jobStates = new Set<string>()
      const reasons = new Set<string>()
      const failedExitCodes = new Set<number>()
      for (let s = 0; s < c.jobs.count; s++) {
        jobStates.add(jobStateArray(c, s).join('+'))
        if (c.jobs.state[s] === JobState.PENDING) reasons.add(JOB_REASONS[c.jobs.reason[s]!]!)
        if (c.jobs.state[s] === JobState.FAILED) failedExitCodes.add(c.jobs.exitCode[s]!)
      }
      expect(jobStates).toContain('RUNNING+CONFIGURING+POWER_UP_NODE')
      if (options !== BASE) continue
      for (const s of ['PENDING+REQUEUED', 'FAILED', 'COMPLETED', 'CANCELLED', 'TIMEOUT']) expect(jobStates, s).toContain(s)
      for (const r of ['JobHeldUser', 'Dependency', 'Resources', 'Priority', 'BeginTime']) expect(reasons, r).toContain(r)
      expect(failedExitCodes.has(0)).toBe(false)
      expect(failedExitCodes.size).toBeGreaterThan(1)
      checkAllocations(c)
    }
  })

  it('changes deterministically over time and stays consistent', () => {
    const a = generateCluster(BASE)
    const b = generateCluster(BASE)
    const before = digest(a)
    new Evolver(a).advance(a.epochSec + 60, 3_000)
    new Evolver(b).advance(b.epochSec + 60, 3_000)
    expect(digest(a)).not.toBe(before)
    expect(digest(a)).toBe(digest(b))
    expect(a.nowSec).toBe(a.epochSec + 60)
    expect(a.jobsLastUpdateSec).toBeGreaterThan(a.epochSec)
    checkAllocations(a)
    for (const [id, slot] of a.jobSlot) expect(a.jobs.id[slot]).toBe(id)
  })
})

describe('hostlist', () => {
  it.each([
    [['cn', 1, 1, 3], 'cn001'],
    [['cn', 1, 64, 5], 'cn[00001-00064]'],
    [['gpu', 9, 12, 2], 'gpu[09-12]'],
  ] as const)('%j → %s', ([prefix, a, b, d], expected) => {
    expect(hostlistRange(prefix, a, b, d)).toBe(expected)
  })
  it('joins ranges', () => {
    expect(
      hostlistRanges(
        'cn',
        [
          [1, 4],
          [9, 9],
          [12, 13],
        ],
        1,
      ),
    ).toBe('cn[1-4,9,12-13]')
  })
})
