// Writes a response body in bounded memory: text is gathered into chunks of CHUNK_CHARS, each
// chunk is written only when the socket has drained the previous ones (res.write() returning
// false), so a 0.5 GB body never sits in memory and a slow client slows the producer instead.
import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { PrettyPrinter } from './pretty.ts'

// Text is encoded straight into 256 KiB buffers: handing res.write() a string built from thousands
// of record strings made Node flatten the rope and measure its UTF-8 length before encoding it
// again (20% of a /jobs profile). A record is at most a few tens of KB, so a buffer is flushed when
// the next text might not fit (3 bytes per UTF-16 unit, the UTF-8 worst case).
const CHUNK_BYTES = 256 * 1024
const MAX_BYTES_PER_CHAR = 3
// Texts are gathered into one string of about this many UTF-16 units before they are encoded:
// each Buffer.write of a record's rope paid for flattening it apart (a /nodes profile: 690 ms per
// 252 MB encoding 1.7 KB records one by one).
const BATCH_CHARS = 16 * 1024
// Buffers the socket has written go back to a pool: a fresh 256 KiB buffer per chunk cost a third
// of the CPU of encoding into it (first-touch page faults, then GC of the external memory). The
// pool holds at most what a few streams have in flight.
const POOL_MAX_CHUNKS = 16
const chunkPool: Buffer[] = []

function takeChunk(): Buffer {
  return chunkPool.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES)
}
// A throttled body is written in pieces this many times per second.
const SLOW_BODY_TICKS_PER_SEC = 20

/** BodyWriterOptions configure one response body. */
export interface BodyWriterOptions {
  pretty: boolean
  /** slowBodyBytesPerSec limits the body's bandwidth (0 = unlimited). */
  slowBodyBytesPerSec: number
  /** truncateAtBytes resets the connection once this many bytes were written (-1 = never). */
  truncateAtBytes: number
  /** onWrite is told the size of every piece handed to the socket (server-wide byte counters). */
  onWrite?: (bytes: number) => void
}

/** BodyWriter streams one response body with backpressure; `closed` turns true if the client left. */
export class BodyWriter {
  private chunk: Buffer = takeChunk()
  private used = 0
  // Text written but not yet encoded, fewer than BATCH_CHARS units but for the last write.
  private pending = ''
  private written = 0
  private readonly printer: PrettyPrinter | null
  private closedFlag = false
  private ended = false

  constructor(
    private readonly res: ServerResponse,
    private readonly options: BodyWriterOptions,
  ) {
    this.printer = options.pretty ? new PrettyPrinter() : null
    res.once('close', () => {
      this.closedFlag = true
    })
  }

  /** closed reports whether the client went away (or the body was cut on purpose). */
  get closed(): boolean {
    return this.closedFlag || this.res.destroyed
  }

  /**
   * write appends compact JSON text. It returns a promise, to be awaited before the next write,
   * only when a full buffer had to be sent; most writes only encode into the buffer, and awaiting
   * an async call per record cost more than the encoding.
   */
  write(compact: string): Promise<void> | undefined {
    if (this.closed || this.ended) return undefined
    this.pending += this.printer === null ? compact : this.printer.write(compact)
    return this.pending.length < BATCH_CHARS ? undefined : this.encodePending()
  }

  // encodePending moves the pending text into the chunk, sending the chunk first if it might not
  // fit (3 bytes per UTF-16 unit, the UTF-8 worst case).
  private encodePending(): Promise<void> | undefined {
    const text = this.pending
    this.pending = ''
    if (text.length * MAX_BYTES_PER_CHAR <= CHUNK_BYTES - this.used) {
      this.used += this.chunk.write(text, this.used)
      return undefined
    }
    return this.writeAfterFlush(text)
  }

  private async writeAfterFlush(text: string): Promise<void> {
    await this.flush()
    if (text.length * MAX_BYTES_PER_CHAR > CHUNK_BYTES) {
      await this.send(Buffer.from(text))
      return
    }
    this.used += this.chunk.write(text, this.used)
  }

  /** flush sends the buffered bytes and waits for the socket to drain when it is full. */
  async flush(): Promise<void> {
    if (this.pending !== '') await this.encodePending()
    if (this.used === 0 || this.closed) return
    const sent = this.chunk
    // The socket keeps the sent buffer until written, so the next text goes into another one.
    this.chunk = takeChunk()
    const bytes = sent.subarray(0, this.used)
    this.used = 0
    await this.send(bytes, sent)
  }

  // pooled, when set, is the chunk `bytes` views: it returns to the pool once the socket wrote it.
  private async send(bytes: Buffer, pooled?: Buffer): Promise<void> {
    if (this.closed) return
    if (this.options.truncateAtBytes >= 0 && this.written + bytes.length >= this.options.truncateAtBytes) {
      this.res.write(bytes.subarray(0, Math.max(0, this.options.truncateAtBytes - this.written)))
      this.res.socket?.resetAndDestroy()
      this.closedFlag = true
      return
    }
    if (this.options.slowBodyBytesPerSec > 0) {
      await this.writeSlowly(bytes)
      return
    }
    this.written += bytes.length
    this.options.onWrite?.(bytes.length)
    const more =
      pooled === undefined
        ? this.res.write(bytes)
        : this.res.write(bytes, (err) => {
            // After an error the socket may not be done with the buffer: leave it to the GC.
            if (err == null && chunkPool.length < POOL_MAX_CHUNKS) chunkPool.push(pooled)
          })
    if (!more) await this.drained()
  }

  private async writeSlowly(bytes: Buffer): Promise<void> {
    const piece = Math.max(1, Math.floor(this.options.slowBodyBytesPerSec / SLOW_BODY_TICKS_PER_SEC))
    for (let i = 0; i < bytes.length && !this.closed; i += piece) {
      const part = bytes.subarray(i, i + piece)
      this.written += part.length
      this.options.onWrite?.(part.length)
      if (!this.res.write(part)) await this.drained()
      await sleep(1_000 / SLOW_BODY_TICKS_PER_SEC)
    }
  }

  private drained(): Promise<void> {
    if (this.closed) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done)
        this.res.off('close', done)
        resolve()
      }
      this.res.on('drain', done)
      this.res.on('close', done)
    })
  }

  /** end flushes what is left and ends the response. */
  async end(): Promise<void> {
    if (this.ended) return
    await this.flush()
    this.ended = true
    if (!this.closed) this.res.end()
    // The empty buffer of this body serves the next one.
    if (this.used === 0 && chunkPool.length < POOL_MAX_CHUNKS) chunkPool.push(this.chunk)
  }
}
