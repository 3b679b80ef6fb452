// gzip for /metrics, as Prometheus asks for it (Accept-Encoding: gzip), without compressing a
// cached collection again for every scrape. An answer is the collection's families (the same for
// every scrape served from it) followed by a short per-answer tail (data age, process metrics).
// The families are deflated once, ending in a full flush, which resets the compressor's history;
// each answer then deflates only its tail and appends it, and one gzip member wraps both, with
// the CRC-32 carried over (RFC 1951 §3.2.3, RFC 1952). One member, not two concatenated: curl
// --compressed reads only the first member of a multi-member body.

import { promisify } from 'node:util'
import { constants, crc32, deflateRaw, deflateRawSync } from 'node:zlib'

const deflateRawAsync = promisify(deflateRaw)

/** GZIP_HEADER: magic, deflate, no flags, no time, no extra flags, unknown OS (RFC 1952 §2.3). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff])

/** DeflatedPrefix is the compressed start of a body: deflate blocks ending in a full flush, and the CRC-32 and size of what they hold. */
export interface DeflatedPrefix {
  readonly blocks: Buffer
  readonly crc: number
  readonly bytes: number
}

/**
 * deflatePrefix compresses `data` (off the event loop: a large cluster's families are hundreds of
 * MB) into blocks that any deflate stream may follow.
 */
export async function deflatePrefix(data: Buffer): Promise<DeflatedPrefix> {
  const blocks = await deflateRawAsync(data, { finishFlush: constants.Z_FULL_FLUSH })
  return { blocks, crc: crc32(data), bytes: data.length }
}

/** gzipBody returns a gzip body whose content is the prefix's data followed by `tail`. */
export function gzipBody(prefix: DeflatedPrefix, tail: Buffer): Buffer[] {
  const trailer = Buffer.alloc(8)
  trailer.writeUInt32LE(crc32(tail, prefix.crc) >>> 0, 0)
  // ISIZE is the size modulo 2^32.
  trailer.writeUInt32LE((prefix.bytes + tail.length) % 2 ** 32, 4)
  return [GZIP_HEADER, prefix.blocks, deflateRawSync(tail), trailer]
}

/** acceptsGzip reads an Accept-Encoding header: gzip listed without q=0 (Prometheus sends "gzip"). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return false
  for (const part of acceptEncoding.split(',')) {
    const [coding, ...params] = part.trim().split(';')
    if (coding?.trim().toLowerCase() !== 'gzip') continue
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  }
  return false
}
