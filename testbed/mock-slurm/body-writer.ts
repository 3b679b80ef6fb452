// Writes a response body in bounded memory: text is gathered into chunks of CHUNK_CHARS, each
// chunk is written only when the socket has drained the previous ones (res.write() returning
// false), so a 0.5 GB body never sits in memory and a slow client slows the producer instead.
import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { PrettyPrinter } from './pretty.ts'

// 64 KiB chunks: large enough that per-write overhead is noise, small enough that a few in
// flight per connection stay far below the RSS goal.
const CHUNK_CHARS = 64 * 1024
// A throttled body is written in pieces this many times per second.
const SLOW_BODY_TICKS_PER_SEC = 20

/** BodyWriterOptions configure one response body. */
export interface BodyWriterOptions {
  pretty: boolean
  /** slowBodyBytesPerSec limits the body's bandwidth (0 = unlimited). */
  slowBodyBytesPerSec: number
  /** truncateAtChars resets the connection once this many characters were written (-1 = never). */
  truncateAtChars: number
  /** onWrite is told the size of every piece handed to the socket (server-wide byte counters). */
  onWrite?: (chars: number) => void
}

/** BodyWriter streams one response body with backpressure; `closed` turns true if the client left. */
export class BodyWriter {
  private buffer = ''
  private written = 0
  private readonly printer: PrettyPrinter | null
  private closedFlag = false

  constructor(private readonly res: ServerResponse, private readonly options: BodyWriterOptions) {
    this.printer = options.pretty ? new PrettyPrinter() : null
    res.once('close', () => {
      this.closedFlag = true
    })
  }

  /** closed reports whether the client went away (or the body was cut on purpose). */
  get closed(): boolean {
    return this.closedFlag || this.res.destroyed
  }

  /** push appends compact JSON text; it resolves once the buffer is flushed if it grew past a chunk. */
  async push(text: string): Promise<void> {
    this.buffer += text
    if (this.buffer.length >= CHUNK_CHARS) await this.flush()
  }

  /** flush writes the gathered text and waits for the socket to drain when it is full. */
  async flush(): Promise<void> {
    if (this.buffer === '' || this.closed) {
      this.buffer = ''
      return
    }
    let text = this.printer === null ? this.buffer : this.printer.write(this.buffer)
    this.buffer = ''
    if (this.options.truncateAtChars >= 0 && this.written + text.length >= this.options.truncateAtChars) {
      text = text.slice(0, Math.max(0, this.options.truncateAtChars - this.written))
      this.res.write(text)
      this.res.socket?.resetAndDestroy()
      this.closedFlag = true
      return
    }
    if (this.options.slowBodyBytesPerSec > 0) {
      await this.writeSlowly(text)
      return
    }
    this.written += text.length
    this.options.onWrite?.(text.length)
    if (!this.res.write(text)) await this.drained()
  }

  private async writeSlowly(text: string): Promise<void> {
    const piece = Math.max(1, Math.floor(this.options.slowBodyBytesPerSec / SLOW_BODY_TICKS_PER_SEC))
    for (let i = 0; i < text.length && !this.closed; i += piece) {
      const part = text.slice(i, i + piece)
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
    await this.flush()
    if (!this.closed) this.res.end()
  }
}
