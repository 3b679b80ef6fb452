import { describe, expect, it } from 'vitest'
import { PatternError } from '../../../testbed/exporter/regex-engine.ts'
import { SeriesPolicy, SeriesSink } from '../../../testbed/exporter/series-policy.ts'

function write(policy: SeriesPolicy, name: string, rows: [string, string][]) {
  const sink = new SeriesSink(policy)
  const writer = sink.family(name, 'help', 'gauge', ['user', 'state'])
  for (const [user, state] of rows) writer?.add([user, state], 1)
  return writer
}

describe('SeriesPolicy', () => {
  for (const regexEngine of ['re2', 'regexp'] as const) {
    it(`filters families by anchored allow/deny patterns (${regexEngine})`, () => {
      const policy = new SeriesPolicy({ allow: ['slurm_(node|jobs).*'], deny: ['slurm_node_cpu_load'], regexEngine })
      expect(policy.keepsFamily('slurm_node_cpus')).toBe(true)
      expect(policy.keepsFamily('slurm_jobs')).toBe(true)
      expect(policy.keepsFamily('slurm_node_cpu_load')).toBe(false)
      // Anchored: "slurm_partition_jobs" contains "jobs" but does not match the whole pattern.
      expect(policy.keepsFamily('slurm_partition_jobs')).toBe(false)
      expect(new SeriesSink(policy).family('slurm_partition_jobs', 'h', 'gauge', [])).toBeNull()
    })

    it(`keeps, drops and rewrites label values (${regexEngine})`, () => {
      const policy = new SeriesPolicy({
        regexEngine,
        labelRules: [
          { action: 'drop', label: 'user', regex: 'root|slurm' },
          { action: 'keep', label: 'state', regex: 'running|pending' },
          { action: 'replace', label: 'user', regex: 'guest-(\\d+)', replacement: 'guest' },
        ],
      })
      const writer = write(policy, 'slurm_user_jobs', [
        ['root', 'running'],
        ['alice', 'running'],
        ['alice', 'completed'],
        ['guest-17', 'pending'],
      ])
      expect(writer?.family.labelValues).toEqual(['alice', 'running', 'guest', 'pending'])
      expect(writer?.family.values).toEqual([1, 1])
    })
  }

  it('caps each family at the cardinality limit and counts the dropped series', () => {
    const policy = new SeriesPolicy({ maxSeriesPerFamily: 2 })
    const writer = write(policy, 'slurm_user_jobs', [
      ['a', 'running'],
      ['b', 'running'],
      ['c', 'running'],
      ['d', 'running'],
    ])
    expect(writer?.family.values).toHaveLength(2)
    expect(writer?.dropped).toBe(2)
  })

  it('names the pattern an engine rejects', () => {
    expect(() => new SeriesPolicy({ allow: ['(a'] })).toThrow(PatternError)
    expect(() => new SeriesPolicy({ allow: ['(a'] })).toThrow(/"\(a"/)
    // RE2 has no backreferences; RegExp accepts them.
    expect(() => new SeriesPolicy({ deny: ['(a)\\1'], regexEngine: 're2' })).toThrow(PatternError)
    expect(() => new SeriesPolicy({ deny: ['(a)\\1'], regexEngine: 'regexp' })).not.toThrow()
  })
})
