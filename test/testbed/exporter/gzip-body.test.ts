import fc from 'fast-check'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { acceptsGzip, deflatePrefix, gzipBody } from '../../../testbed/exporter/gzip-body.ts'

describe('gzip bodies', () => {
  it('gunzips to the prefix followed by the tail, for any bytes, as one gzip member', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 70_000 }), fc.uint8Array({ maxLength: 3_000 }), async (head, tail) => {
        const prefix = await deflatePrefix(Buffer.from(head))
        const body = Buffer.concat(gzipBody(prefix, Buffer.from(tail)))
        expect(gunzipSync(body).equals(Buffer.concat([head, tail]))).toBe(true)
        // One member: the magic bytes appear once at the start (a second member would need a second header).
        expect(body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]))
      }),
      { numRuns: 50 },
    )
  })

  it('reuses one compressed prefix for many tails', async () => {
    const prefix = await deflatePrefix(Buffer.from('slurm_cluster_nodes 16\n'.repeat(1_000)))
    for (const tail of ['a 1\n', 'a 2\n', '']) {
      expect(
        gunzipSync(Buffer.concat(gzipBody(prefix, Buffer.from(tail))))
          .toString()
          .endsWith(`16\n${tail}`),
      ).toBe(true)
    }
  })

  it('answers gzip when Accept-Encoding lists it without q=0', () => {
    expect(acceptsGzip('gzip')).toBe(true)
    expect(acceptsGzip('deflate, GZIP;q=0.5')).toBe(true)
    expect(acceptsGzip('gzip;q=0')).toBe(false)
    expect(acceptsGzip('identity')).toBe(false)
    expect(acceptsGzip(undefined)).toBe(false)
  })
})
