import { describe, expect, it } from 'vitest'
import { JsonListStream, JsonListStreamError } from '../../testbed/exporter/json-list-stream.ts'
import { fixture } from './slurm-answers.ts'

function readInChunks(body: string, listKey: string, chunkBytes: number): { items: unknown[]; envelope: Record<string, unknown> } {
  const items: unknown[] = []
  const reader = new JsonListStream(listKey, (item) => items.push(item))
  const bytes = Buffer.from(body)
  for (let i = 0; i < bytes.length; i += chunkBytes) reader.write(bytes.subarray(i, i + chunkBytes))
  return { items, envelope: reader.end() }
}

describe('JsonListStream', () => {
  const jobsBody = fixture('v0.0.44-slurm-jobs.json')
  const expected = JSON.parse(jobsBody) as Record<string, unknown>
  const { jobs, ...rest } = expected

  // Chunk sizes 1–7 put a boundary inside every key, string, escape and multi-byte character.
  for (const chunkBytes of [1, 2, 3, 7, 4096, 1 << 20]) {
    it(`delivers every job and the envelope with ${chunkBytes}-byte chunks`, () => {
      const { items, envelope } = readInChunks(jobsBody, 'jobs', chunkBytes)
      expect(items).toEqual(jobs)
      expect(envelope).toEqual(rest)
    })
  }

  it('handles escapes, nested arrays, scalars and multi-byte text split anywhere', () => {
    const body = '{"a": "x\\\\\\"y", "n": -1.5e3, "jobs": [{"s":"q\\"}"},[1,{"b":"]"}],{"u":"é€😀"}], "t": true, "z": null, "k\\"ey": "ü"}'
    const parsed = JSON.parse(body) as Record<string, unknown>
    for (const chunkBytes of [1, 2, 3, 5, 1000]) {
      const { items, envelope } = readInChunks(body, 'jobs', chunkBytes)
      expect(items).toEqual(parsed['jobs'])
      expect(envelope['a']).toBe(parsed['a'])
      expect(envelope['n']).toBe(-1500)
      expect(envelope['t']).toBe(true)
      expect(envelope['z']).toBe(null)
    }
  })

  it('finds element ends whatever the split: every two-chunk cut of a body full of escapes', () => {
    const body = JSON.stringify({ jobs: [{ s: 'a\\', t: 'q"}]{[', u: ['x\\"y', { v: '\\\\' }] }, { w: '"' }], meta: { k: '}' } })
    const parsed = JSON.parse(body) as Record<string, unknown>
    const bytes = Buffer.from(body)
    for (let cut = 1; cut < bytes.length; cut++) {
      const items: unknown[] = []
      const reader = new JsonListStream('jobs', (item) => items.push(item))
      reader.write(bytes.subarray(0, cut))
      reader.write(bytes.subarray(cut))
      expect(reader.end()['meta'], `cut at ${cut}`).toEqual(parsed['meta'])
      expect(items, `cut at ${cut}`).toEqual(parsed['jobs'])
    }
  })

  it('rejects a body cut short, a missing list and text after the object', () => {
    expect(() => readInChunks('{"jobs": [{"a": 1}', 'jobs', 4)).toThrow(JsonListStreamError)
    expect(() => readInChunks('{"nodes": []}', 'jobs', 4)).toThrow(/no "jobs" list/)
    expect(() => readInChunks('{"jobs": []} x', 'jobs', 4)).toThrow(/after the JSON object/)
    expect(() => readInChunks('{"jobs": [1, 2]}', 'jobs', 4)).toThrow(/expected objects/)
    expect(() => readInChunks('{"jobs": [{"a": tru}]}', 'jobs', 4)).toThrow(SyntaxError)
  })
})
