// Every data_parser version the exporter reads (v0.0.40–v0.0.44) has every member its collectors
// read, with a type they read: checked against the members extracted from slurmrestd's OpenAPI
// specs (fixtures/openapi-members.json; fixtures/extract-openapi-members.mjs writes it).

import { describe, expect, it } from 'vitest'
import { JOB_FIELDS, type SlurmJob } from '../../../testbed/exporter/collectors/jobs.ts'
import type { SlurmNode } from '../../../testbed/exporter/collectors/nodes.ts'
import type { SlurmReservation } from '../../../testbed/exporter/collectors/reservations.ts'
import type { SlurmShare } from '../../../testbed/exporter/collectors/shares.ts'
import { SLURM_API_VERSIONS } from '../../../testbed/exporter/slurm-client.ts'
import { fixture } from './slurm-answers.ts'

type Members = Record<string, Record<string, string>> & { paths: string[] }
const specs = JSON.parse(fixture('openapi-members.json')) as Record<string, Members>

// How each member is read: noVal takes a plain number or a {set, infinite, number} object.
const NUMBER = ['integer', 'number', 'no_val']
const TEXT = ['string']
const STATES = ['array<string>']
const readers: Record<string, Record<string, readonly string[]>> = {
  node: {
    name: TEXT,
    state: STATES,
    cpus: ['integer'],
    alloc_cpus: ['integer'],
    alloc_idle_cpus: ['integer'],
    cpu_load: ['integer'],
    real_memory: ['integer'],
    alloc_memory: ['integer'],
    free_mem: NUMBER,
    gres: TEXT,
    gres_used: TEXT,
    partitions: STATES,
  } satisfies Record<keyof SlurmNode, readonly string[]>,
  job_info: {
    job_id: ['integer'],
    name: TEXT,
    user_name: TEXT,
    account: TEXT,
    partition: TEXT,
    qos: TEXT,
    job_state: STATES,
    state_reason: TEXT,
    cpus: NUMBER,
    node_count: NUMBER,
    memory_per_node: NUMBER,
    memory_per_cpu: NUMBER,
    priority: NUMBER,
    submit_time: NUMBER,
    start_time: NUMBER,
  } satisfies Record<keyof SlurmJob, readonly string[]>,
  reservation_info: {
    name: TEXT,
    partition: TEXT,
    node_count: ['integer'],
    core_count: ['integer'],
    start_time: NUMBER,
    end_time: NUMBER,
  } satisfies Record<keyof SlurmReservation, readonly string[]>,
  assoc_shares_obj_wrap: {
    name: TEXT,
    parent: TEXT,
    partition: TEXT,
    type: STATES,
    shares: NUMBER,
    shares_normalized: NUMBER,
    usage: ['integer'],
    usage_normalized: NUMBER,
    effective_usage: NUMBER,
    fairshare: ['object{factor,level}'],
  } satisfies Record<keyof SlurmShare, readonly string[]>,
  license: { LicenseName: TEXT, Total: ['integer'], Used: ['integer'], Free: ['integer'], Reserved: ['integer'] },
}

// Members a version lacks; the collector then leaves the series out.
const ABSENT = new Set(['v0.0.40 stats_msg.bf_cycle_max'])

describe('data_parser versions', () => {
  it('has the spec members of every supported version, and only of those', () => {
    expect(Object.keys(specs)).toEqual([...SLURM_API_VERSIONS])
  })

  for (const version of SLURM_API_VERSIONS) {
    it(`${version} serves every endpoint and member the collectors read, in a type they read`, () => {
      const spec = specs[version]!
      expect(spec.paths).toEqual(['nodes', 'jobs', 'partitions', 'diag', 'shares', 'licenses', 'reservations', 'ping'])
      for (const [component, members] of Object.entries(readers)) {
        for (const [member, kinds] of Object.entries(members)) expect(kinds, `${version} ${component}.${member}`).toContain(spec[component]![member])
      }
      expect(Object.keys(spec['job_info']!).sort()).toEqual([...JOB_FIELDS].sort())
      for (const [member, kind] of Object.entries(spec['stats_msg']!)) {
        if (ABSENT.has(`${version} stats_msg.${member}`)) expect(kind).toBe('missing')
        else if (member.startsWith('rpcs_by_')) expect(kind).toMatch(/^array<object\{.*count.*total_time.*\}>$/)
        else expect([...NUMBER, 'boolean'], `${version} stats_msg.${member}`).toContain(kind)
      }
      const partition = spec['partition_info']!
      expect(partition['partition']).toBe('object{state}')
      expect(partition['nodes']).toContain('total')
      expect(partition['cpus']).toContain('total')
      expect(partition['maximums']).toContain('time')
      expect(partition['priority']).toBe('object{job_factor,tier}')
    })
  }
})
