// First-fit allocation of jobs to nodes, so node alloc_cpus/alloc_memory/gres_used agree with the
// running jobs. Single-node jobs share nodes; multi-node jobs take whole, fully idle nodes.
import { type Cluster, type Partition, isNodeUsable, nodeCpus } from './model.ts'

// A job that finds no room within this many nodes of the partition's cursor stays pending: an
// unbounded scan per attempt made generating xl (110,000 start attempts on 50,000 mostly full
// nodes) take 10 s; with these bounds it takes about 1 s and still fills ~95% of the nodes.
const MAX_SCAN_NODES_SINGLE = 256
const MAX_SCAN_NODES_MULTI = 1_024

/** allocateJob places job `slot` on nodes of its partition and returns whether it fit. */
export function allocateJob(cluster: Cluster, slot: number): boolean {
  const jobs = cluster.jobs
  const part = cluster.partitions[jobs.partition[slot]!] as Partition
  const size = part.nodeEnd - part.nodeStart
  if (size === 0) return false
  const nodeCount = jobs.nodeCount[slot]!
  const nodes = cluster.nodes
  if (nodeCount === 1) {
    const cpus = jobs.cpus[slot]!
    const mem = cpus * jobs.memPerCpuMb[slot]!
    const gpus = jobs.gpusPerNode[slot]!
    const cls = cluster.classes[nodes.classOf[part.nodeStart]!]!
    const scan = Math.min(size, MAX_SCAN_NODES_SINGLE)
    for (let i = 0; i < scan; i++) {
      const n = part.nodeStart + ((part.cursor - part.nodeStart + i) % size)
      if (!isNodeUsable(cluster, n)) continue
      if (nodes.allocCpus[n]! + cpus > nodeCpus(cluster, n)) continue
      if (nodes.allocMemMb[n]! + mem > cls.realMemoryMb) continue
      if (nodes.allocGpus[n]! + gpus > cls.gpus) continue
      jobs.allocNode[slot] = n
      jobs.coreOffset[slot] = nodes.allocCpus[n]!
      nodes.allocCpus[n] = nodes.allocCpus[n]! + cpus
      nodes.allocMemMb[n] = nodes.allocMemMb[n]! + mem
      nodes.allocGpus[n] = nodes.allocGpus[n]! + gpus
      part.cursor = n
      return true
    }
    return false
  }
  const scan = Math.min(size, MAX_SCAN_NODES_MULTI)
  let run = 0
  for (let i = 0; i < scan + nodeCount; i++) {
    const n = part.nodeStart + ((part.cursor - part.nodeStart + i) % size)
    // A run may not wrap around the end of the partition: allocations are contiguous index ranges.
    if (n === part.nodeStart) run = 0
    if (isNodeUsable(cluster, n) && nodes.allocCpus[n] === 0) run++
    else run = 0
    if (run === nodeCount) {
      const first = n - nodeCount + 1
      const cls = cluster.classes[nodes.classOf[first]!]!
      for (let m = first; m <= n; m++) {
        nodes.allocCpus[m] = nodeCpus(cluster, m)
        nodes.allocMemMb[m] = Math.min(cls.realMemoryMb, Math.ceil(jobs.cpus[slot]! / nodeCount) * jobs.memPerCpuMb[slot]!)
        nodes.allocGpus[m] = jobs.gpusPerNode[slot]!
      }
      jobs.allocNode[slot] = first
      jobs.coreOffset[slot] = 0
      part.cursor = n
      return true
    }
  }
  return false
}

/** releaseJob returns job `slot`'s resources to its nodes. */
export function releaseJob(cluster: Cluster, slot: number, nowSec: number): void {
  const jobs = cluster.jobs
  const first = jobs.allocNode[slot]!
  if (first < 0) return
  const nodes = cluster.nodes
  const nodeCount = jobs.nodeCount[slot]!
  for (let n = first; n < first + nodeCount; n++) {
    if (nodeCount === 1) {
      nodes.allocCpus[n] = Math.max(0, nodes.allocCpus[n]! - jobs.cpus[slot]!)
      nodes.allocMemMb[n] = Math.max(0, nodes.allocMemMb[n]! - jobs.cpus[slot]! * jobs.memPerCpuMb[slot]!)
      nodes.allocGpus[n] = Math.max(0, nodes.allocGpus[n]! - jobs.gpusPerNode[slot]!)
    } else {
      nodes.allocCpus[n] = 0
      nodes.allocMemMb[n] = 0
      nodes.allocGpus[n] = 0
    }
    nodes.lastBusySec[n] = nowSec
  }
  jobs.allocNode[slot] = -1
}

/**
 * allocateOn places single-node job `slot` on node `n` whatever its state (slurmctld powering a
 * cloud node up for it) and returns whether the node has room.
 */
export function allocateOn(cluster: Cluster, slot: number, n: number): boolean {
  const jobs = cluster.jobs
  const nodes = cluster.nodes
  const cls = cluster.classes[nodes.classOf[n]!]!
  const cpus = jobs.cpus[slot]!
  const mem = cpus * jobs.memPerCpuMb[slot]!
  const gpus = jobs.gpusPerNode[slot]!
  if (
    jobs.nodeCount[slot] !== 1 ||
    nodes.allocCpus[n]! + cpus > nodeCpus(cluster, n) ||
    nodes.allocMemMb[n]! + mem > cls.realMemoryMb ||
    nodes.allocGpus[n]! + gpus > cls.gpus
  )
    return false
  jobs.allocNode[slot] = n
  jobs.coreOffset[slot] = nodes.allocCpus[n]!
  nodes.allocCpus[n] = nodes.allocCpus[n]! + cpus
  nodes.allocMemMb[n] = nodes.allocMemMb[n]! + mem
  nodes.allocGpus[n] = nodes.allocGpus[n]! + gpus
  return true
}
