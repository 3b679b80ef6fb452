import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { JsonListStream, JsonListStreamError } from '../../../testbed/exporter/json-list-stream.ts'
import { JOB_FIELDS } from '../../../testbed/exporter/collectors/jobs.ts'
import { fixture } from './slurm-answers.ts'

function readInChunks(body: string, listKey: string, chunkBytes: number, fields?: readonly string[]): { items: unknown[]; envelope: Record<string, unknown> } {
  const items: unknown[] = []
  const reader = new JsonListStream(listKey, (item) => items.push(item), fields)
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

  describe('with fields', () => {
    const pickOf = (item: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> =>
      Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f]]))

    for (const chunkBytes of [1, 2, 3, 7, 4096, 1 << 20]) {
      it(`delivers only the collector's members of every job with ${chunkBytes}-byte chunks`, () => {
        const { items, envelope } = readInChunks(jobsBody, 'jobs', chunkBytes, JOB_FIELDS)
        expect(items).toEqual((jobs as Record<string, unknown>[]).map((job) => pickOf(job, JOB_FIELDS)))
        // Only the wanted members, in document order.
        expect(Object.keys(items[0] as object)).toEqual(
          Object.keys((jobs as Record<string, unknown>[])[0]!).filter((key) => (JOB_FIELDS as readonly string[]).includes(key)),
        )
        expect(envelope).toEqual(rest)
      })
    }

    it('picks members past escapes, nested brackets and look-alike names at every two-chunk cut', () => {
      const list = [
        {
          'n\\"ame': 'no',
          'x", "name': 'no',
          s: 'a\\',
          name: 'q"}]{[',
          nested: { name: 'inner', u: ['x\\"y', { v: '\\\\' }] },
          t: 'é€😀',
          n: -1.5e3,
          b: true,
          z: null,
        },
        { name: '"', s: ['}'], t: { set: true, number: 4 } },
        {},
      ]
      const fields = ['name', 's', 't', 'n', 'b', 'z']
      const body = JSON.stringify({ jobs: list, meta: { k: '}' } }, null, 1)
      const bytes = Buffer.from(body)
      const expected = list.map((item) => pickOf(item, fields))
      for (let cut = 1; cut < bytes.length; cut++) {
        const items: unknown[] = []
        const reader = new JsonListStream('jobs', (item) => items.push(item), fields)
        reader.write(bytes.subarray(0, cut))
        reader.write(bytes.subarray(cut))
        expect(reader.end()['meta'], `cut at ${cut}`).toEqual({ k: '}' })
        expect(items, `cut at ${cut}`).toEqual(expected)
      }
    })

    it('skips any JSON value it does not read, pretty or compact, at random chunk cuts', () => {
      // Skipped members holding brackets and quotes inside strings, escapes, deep nesting and
      // multi-byte text; the picked members must equal the parsed ones.
      const element = fc.record({ keep: fc.jsonValue({ maxDepth: 3 }), skip: fc.jsonValue({ maxDepth: 4 }), tail: fc.string() })
      fc.assert(
        fc.property(
          fc.array(element, { maxLength: 6 }),
          fc.boolean(),
          fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
          (list, pretty, cuts) => {
            const jobs = list.map(({ keep, skip, tail }) => ({ skip, keep, '[{"': skip, tail }))
            const bytes = Buffer.from(JSON.stringify({ jobs, meta: { n: 1 } }, null, pretty ? 2 : 0))
            const items: unknown[] = []
            const reader = new JsonListStream('jobs', (item) => items.push(item), ['keep', 'tail'])
            for (let i = 0, c = 0; i < bytes.length; c++) {
              const size = cuts[c % cuts.length] as number
              reader.write(bytes.subarray(i, i + size))
              i += size
            }
            expect(reader.end()).toEqual({ meta: { n: 1 } })
            expect(items).toEqual(JSON.parse(JSON.stringify(list.map(({ keep, tail }) => ({ keep, tail })))))
          },
        ),
        { numRuns: 300 },
      )
    })

    it('keeps no chunk text alive through the values it delivers', () => {
      // A long value sliced out of a chunk would be a view on the whole 64 KiB chunk string.
      setFlagsFromString('--expose-gc')
      const gc = runInNewContext('gc') as () => void
      const body = ((): Buffer => {
        const list = Array.from({ length: 2_000 }, (_, i) => ({ name: `a-fairly-long-job-name-${i}-of-a-pipeline`, padding: 'x'.repeat(9_000) }))
        return Buffer.from(JSON.stringify({ jobs: list }, null, 2))
      })()
      gc()
      const beforeBytes = process.memoryUsage().heapUsed
      const names: unknown[] = []
      const reader = new JsonListStream('jobs', (item) => names.push((item as { name: unknown }).name), ['name'])
      for (let i = 0; i < body.length; i += 64 * 1024) reader.write(body.subarray(i, i + 64 * 1024))
      reader.end()
      gc()
      expect(names[1_999]).toBe('a-fairly-long-job-name-1999-of-a-pipeline')
      // 2,000 names of ~40 characters are ~0.2 MB; views would keep the 18 MB of text.
      expect(process.memoryUsage().heapUsed - beforeBytes).toBeLessThan(4 * 2 ** 20)
    })

    it('rejects malformed elements, a malformed wanted value and array elements', () => {
      const fields = ['a']
      expect(() => readInChunks('{"jobs": [{"a": 1 "b": 2}]}', 'jobs', 64, fields)).toThrow(/expected "," or "}"/)
      expect(() => readInChunks('{"jobs": [{"a" 1}]}', 'jobs', 64, fields)).toThrow(/expected ":"/)
      expect(() => readInChunks('{"jobs": [{1: 1}]}', 'jobs', 64, fields)).toThrow(/expected a member name/)
      expect(() => readInChunks('{"jobs": [{"a": tru}]}', 'jobs', 64, fields)).toThrow(SyntaxError)
      expect(() => readInChunks('{"jobs": [{"a": 1, "b": [1, 2}', 'jobs', 4, fields)).toThrow(JsonListStreamError)
      expect(() => readInChunks('{"jobs": [[1]]}', 'jobs', 64, fields)).toThrow(/expected objects/)
      // Split across chunks, the same faults are found when the carried element is picked.
      expect(() => readInChunks('{"jobs": [{"a": 1 "b": 2}]}', 'jobs', 3, fields)).toThrow(/expected "," or "}"/)
    })
  })
})
