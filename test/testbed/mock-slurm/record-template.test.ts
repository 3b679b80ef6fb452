// The streamed /jobs and /nodes are written with record templates; a client must not be able to
// tell: every record prints exactly as the whole-object serializer prints it, in every version.
import { describe, expect, it } from 'vitest'
import { Evolver } from '../../../testbed/mock-slurm/cluster/evolve.ts'
import { generateCluster } from '../../../testbed/mock-slurm/cluster/generate.ts'
import { buildJob, JOB_CONSTANTS, jobVariables } from '../../../testbed/mock-slurm/records/job.ts'
import { buildNode, NODE_CONSTANTS, nodeVariables } from '../../../testbed/mock-slurm/records/node.ts'
import { RecordTemplate } from '../../../testbed/mock-slurm/record-template.ts'
import { num } from '../../../testbed/mock-slurm/records/values.ts'
import { ResponseSerializers } from '../../../testbed/mock-slurm/serialize.ts'
import { SUPPORTED_VERSIONS } from '../../../testbed/mock-slurm/versions.ts'

// Enough records to fill and then overflow the per-slot caches (1,024 values each).
const cluster = generateCluster({ nodes: 1_200, jobs: 1_200, users: 120, seed: 3, clusterName: 'tmpl', epochSec: 1_764_000_000 })

describe('record templates', () => {
  for (const version of SUPPORTED_VERSIONS) {
    it(`print every job and node as the whole-object serializer does (${version})`, () => {
      const serializers = new ResponseSerializers(version)
      const job = serializers.item('jobs', 'jobs')
      const jobTemplate = serializers.template('jobs', 'jobs', JOB_CONSTANTS, Object.keys(jobVariables(cluster, 0)))
      for (let slot = 0; slot < cluster.jobs.count; slot++) {
        const text = jobTemplate.serialize(jobVariables(cluster, slot))
        if (text !== job(buildJob(cluster, slot))) expect(text, `job slot ${slot}`).toBe(job(buildJob(cluster, slot)))
      }
      const node = serializers.item('nodes', 'nodes')
      const nodeTemplate = serializers.template('nodes', 'nodes', NODE_CONSTANTS, Object.keys(nodeVariables(cluster, 0, '25.11.0')))
      for (let n = 0; n < cluster.nodes.count; n++) {
        const text = nodeTemplate.serialize(nodeVariables(cluster, n, '25.11.0'))
        if (text !== node(buildNode(cluster, n, '25.11.0'))) expect(text, `node ${n}`).toBe(node(buildNode(cluster, n, '25.11.0')))
      }
    })
  }

  it('keeps printing the current values after the cluster changed (no stale cached text)', () => {
    const c = generateCluster({ nodes: 100, jobs: 400, users: 20, seed: 9, clusterName: 'tmpl', epochSec: 1_764_000_000 })
    const serializers = new ResponseSerializers('v0.0.44')
    const job = serializers.item('jobs', 'jobs')
    const template = serializers.template('jobs', 'jobs', JOB_CONSTANTS, Object.keys(jobVariables(c, 0)))
    const before = Array.from({ length: c.jobs.count }, (_, s) => template.serialize(jobVariables(c, s)))
    new Evolver(c).advance(c.nowSec + 600, 600)
    const after = Array.from({ length: c.jobs.count }, (_, s) => template.serialize(jobVariables(c, s)))
    expect(after).not.toEqual(before)
    for (let s = 0; s < c.jobs.count; s++) expect(after[s]).toBe(job(buildJob(c, s)))
  })

  it('prints number objects as fast-json-stringify does, odd ones and past its text cache too', () => {
    const serializers = new ResponseSerializers('v0.0.44')
    const node = serializers.item('nodes', 'nodes')
    const variables = nodeVariables(cluster, 0, '25.11.0')
    const template = serializers.template('nodes', 'nodes', NODE_CONSTANTS, Object.keys(variables))
    const odd = [
      num(0),
      num(2 ** 40),
      { set: true, infinite: false, number: -7 },
      { set: true, infinite: false, number: 1.5 },
      { set: false, infinite: true, number: 0 },
      { set: true, infinite: false, number: 12n },
      { set: true, number: 3 },
    ]
    // More distinct timestamps than the cache of number texts keeps (65,536), then some again.
    const values = [...odd, ...Array.from({ length: 140_000 }, (_, i) => num(1_700_000_000 + i)), num(1_700_000_000)]
    for (let i = 0; i < values.length; i++) {
      const v = { ...variables, boot_time: values[i], free_mem: values[values.length - 1 - i] }
      // Checking every record would take the whole-object serializer seconds; the odd ones and a sample do.
      if (i < odd.length || i % 997 === 0 || i === values.length - 1) expect(template.serialize(v), `value ${i}`).toBe(node({ ...NODE_CONSTANTS, ...v }))
      else template.serialize(v)
    }
  })

  it('prints equal and different values of slots sharing a serializer, cached or not', () => {
    const quote = (v: unknown) => JSON.stringify(v)
    const template = new RecordTemplate(['a', 'b', 'c'], {}, ['a', 'b', 'c'], () => quote)
    // Past 2 × 1,024 distinct values the slots stop caching and serialize each record's values.
    for (let i = 0; i < 3_000; i++) {
      const r = { a: `n${i}`, b: `n${i}`, c: i % 3 === 0 ? `n${i}` : `m${i}` }
      expect(template.serialize(r)).toBe(JSON.stringify(r))
    }
  })

  it('refuses a record missing a varying property rather than printing it without its key', () => {
    const template = new RecordTemplate(['a', 'b', 'c'], { a: 1 }, ['b', 'c'], () => (v) => JSON.stringify(v))
    expect(template.serialize({ b: 'x', c: [2] })).toBe('{"a":1,"b":"x","c":[2]}')
    expect(() => template.serialize({ b: 'x' })).toThrow(/property c is undefined/)
  })
})
