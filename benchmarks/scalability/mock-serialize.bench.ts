// Per-record serialization, fast-json-stringify (the mock's choice, compiled from the spec's
// schema) against JSON.stringify on the same objects: the reason the mock uses the former. The
// record template (what the streamed /jobs and /nodes use: the shared properties serialized once,
// the varying ones by per-property fast-json-stringify serializers) prints the same bytes.
import { type B, sink } from 'slurmbench'
import { generateCluster } from '../../testbed/mock-slurm/cluster/generate.ts'
import { buildJob, JOB_CONSTANTS, jobVariables } from '../../testbed/mock-slurm/records/job.ts'
import { buildNode, NODE_CONSTANTS, nodeVariables } from '../../testbed/mock-slurm/records/node.ts'
import { ResponseSerializers } from '../../testbed/mock-slurm/serialize.ts'

// 1,000 records per op: the mix of pending and running jobs of a generated cluster.
const RECORDS = 1_000

/** BenchmarkMockSerialize serializes RECORDS job or node records per op. */
export async function BenchmarkMockSerialize(b: B) {
  const cluster = generateCluster({ nodes: 1_000, jobs: RECORDS, users: 100, seed: 1, clusterName: 'bench', epochSec: 1_764_000_000 })
  const serializers = new ResponseSerializers('v0.0.44')
  const kinds = {
    job: {
      records: Array.from({ length: RECORDS }, (_, i) => buildJob(cluster, i)),
      fjs: serializers.item('jobs', 'jobs'),
      variables: Array.from({ length: RECORDS }, (_, i) => jobVariables(cluster, i)),
      template: serializers.template('jobs', 'jobs', JOB_CONSTANTS, Object.keys(jobVariables(cluster, 0))),
    },
    node: {
      records: Array.from({ length: RECORDS }, (_, i) => buildNode(cluster, i, '25.11.0')),
      fjs: serializers.item('nodes', 'nodes'),
      variables: Array.from({ length: RECORDS }, (_, i) => nodeVariables(cluster, i, '25.11.0')),
      template: serializers.template('nodes', 'nodes', NODE_CONSTANTS, Object.keys(nodeVariables(cluster, 0, '25.11.0'))),
    },
  }
  for (const [kind, { records, fjs, variables, template }] of Object.entries(kinds)) {
    for (const [name, serialize] of [
      ['fast-json-stringify', fjs],
      ['JSON.stringify', JSON.stringify],
    ] as const) {
      await b.run(`record=${kind}/serializer=${name}`, (b) => {
        let bytes = 0
        for (const r of records) bytes += serialize(r).length
        b.setBytes(bytes)
        b.resetTimer()
        for (let i = 0; i < b.N; i++) {
          for (const r of records) sink(serialize(r))
        }
      })
    }
    await b.run(`record=${kind}/serializer=record-template`, (b) => {
      let bytes = 0
      for (const v of variables) bytes += template.serialize(v).length
      b.setBytes(bytes)
      b.resetTimer()
      for (let i = 0; i < b.N; i++) {
        for (const v of variables) sink(template.serialize(v))
      }
    })
  }
  // Building the records is part of every streamed response too.
  await b.run('record=job/build', (b) => {
    for (let i = 0; i < b.N; i++) for (let s = 0; s < RECORDS; s++) sink(buildJob(cluster, s))
  })
}
