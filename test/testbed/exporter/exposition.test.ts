import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { negotiateFormat, serializeFamilies } from '../../../testbed/exporter/exposition.ts'
import type { MetricFamily } from '../../../testbed/exporter/metric-family.ts'

const families: MetricFamily[] = [
  {
    kind: 'samples',
    name: 'slurm_user_jobs',
    help: 'Jobs by user and "state".\nSecond line \\ end',
    type: 'gauge',
    labelNames: ['user', 'state'],
    labelValues: ['alice', 'running', 'b"o\\b\n', 'pending'],
    values: [3, 0.5],
  },
  { kind: 'samples', name: 'slurm_cluster_cpus', help: 'CPUs.', type: 'gauge', labelNames: [], labelValues: [], values: [Number.POSITIVE_INFINITY] },
  { kind: 'samples', name: 'slurm_x_total', help: 'A counter.', type: 'counter', labelNames: [], labelValues: [], values: [7] },
  {
    kind: 'histogram',
    name: 'slurm_exporter_scrape_duration_seconds',
    help: 'Durations.',
    labelNames: ['collector'],
    upperBounds: [0.1, 1],
    series: [{ labelValues: ['nodes'], bucketCounts: [1, 2, 3], sum: 2.5, count: 3 }],
  },
]

describe('exposition', () => {
  it('writes the text format 0.0.4', () => {
    expect(Buffer.concat(serializeFamilies(families, 'text')).toString()).toBe(
      [
        '# HELP slurm_user_jobs Jobs by user and "state".\\nSecond line \\\\ end',
        '# TYPE slurm_user_jobs gauge',
        'slurm_user_jobs{user="alice",state="running"} 3',
        'slurm_user_jobs{user="b\\"o\\\\b\\n",state="pending"} 0.5',
        '# HELP slurm_cluster_cpus CPUs.',
        '# TYPE slurm_cluster_cpus gauge',
        'slurm_cluster_cpus +Inf',
        '# HELP slurm_x_total A counter.',
        '# TYPE slurm_x_total counter',
        'slurm_x_total 7',
        '# HELP slurm_exporter_scrape_duration_seconds Durations.',
        '# TYPE slurm_exporter_scrape_duration_seconds histogram',
        'slurm_exporter_scrape_duration_seconds_bucket{collector="nodes",le="0.1"} 1',
        'slurm_exporter_scrape_duration_seconds_bucket{collector="nodes",le="1"} 2',
        'slurm_exporter_scrape_duration_seconds_bucket{collector="nodes",le="+Inf"} 3',
        'slurm_exporter_scrape_duration_seconds_sum{collector="nodes"} 2.5',
        'slurm_exporter_scrape_duration_seconds_count{collector="nodes"} 3',
        '',
      ].join('\n'),
    )
  })

  it('writes OpenMetrics 1.0: counter families without _total, escaped quotes in HELP, # EOF', () => {
    const text = Buffer.concat(serializeFamilies(families, 'openmetrics')).toString()
    expect(text).toContain('# HELP slurm_user_jobs Jobs by user and \\"state\\".\\nSecond line \\\\ end\n')
    expect(text).toContain('# TYPE slurm_x counter\nslurm_x_total 7\n')
    expect(text.endsWith('slurm_exporter_scrape_duration_seconds_count{collector="nodes"} 3\n# EOF\n')).toBe(true)
  })

  it('splits a large exposition into bounded chunks that join to the whole', () => {
    const n = 50_000
    const big: MetricFamily = {
      kind: 'samples',
      name: 'slurm_job_cpus',
      help: 'h',
      type: 'gauge',
      labelNames: ['job_id'],
      labelValues: Array.from({ length: n }, (_, i) => String(i)),
      values: Array.from({ length: n }, () => 4),
    }
    const chunks = serializeFamilies([big], 'text')
    expect(chunks.length).toBeGreaterThan(1)
    const lines = Buffer.concat(chunks).toString().split('\n')
    expect(lines).toHaveLength(n + 3)
    expect(lines[n + 1]).toBe(`slurm_job_cpus{job_id="${n - 1}"} 4`)
  })

  it('writes any label value and number as the string form of each line would, encoded as UTF-8', () => {
    // The reference: each line built as a string (escapes, String(value)) and encoded by Buffer.from,
    // lone surrogates included (they become U+FFFD).
    const escapeValue = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
    const value = fc.oneof(
      fc.integer(),
      fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
      fc.double(),
      fc.constantFrom(0, -0, 2 ** 31, -(2 ** 31), 2 ** 31 - 1, 1e21, 0.1),
    )
    const label = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', 'é', '😀', '\ud800', '\udc00') }))
    fc.assert(
      fc.property(fc.array(fc.tuple(label, label, value), { maxLength: 20 }), (rows) => {
        const family: MetricFamily = {
          kind: 'samples',
          name: 'm',
          help: 'h',
          type: 'gauge',
          labelNames: ['a', 'b'],
          labelValues: rows.flatMap((row) => [row[0], row[1]]),
          values: rows.map(([, , v]) => v),
        }
        const format = (v: number): string => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v))
        const lines = rows.map(([a, b, v]) => `m{a="${escapeValue(a)}",b="${escapeValue(b)}"} ${format(v)}\n`).join('')
        expect(Buffer.concat(serializeFamilies([family], 'text')).equals(Buffer.from(`# HELP m h\n# TYPE m gauge\n${lines}`))).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('negotiates the format from Accept', () => {
    expect(negotiateFormat(undefined)).toBe('text')
    expect(negotiateFormat('text/plain;version=0.0.4;q=0.5,*/*;q=0.1')).toBe('text')
    expect(negotiateFormat('application/openmetrics-text;version=1.0.0;q=0.75,text/plain;q=0.5')).toBe('openmetrics')
  })
})
