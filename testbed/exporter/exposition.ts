// Serialization to the Prometheus text format 0.0.4 and OpenMetrics 1.0.
// Why by hand: no maintained Node library writes flat label arrays without building an object
// per series, and this loop is the exporter's hottest (benchmarks/cpu/exporter-exposition.bench.ts).

import type { HistogramFamily, MetricFamily, SampleFamily } from './metric-family.ts'

/** ExpositionFormat is the wire format of one /metrics answer. */
export type ExpositionFormat = 'text' | 'openmetrics'

/** TEXT_CONTENT_TYPE is the Content-Type of the text format 0.0.4. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
/** OPENMETRICS_CONTENT_TYPE is the Content-Type of OpenMetrics 1.0. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8'

/** CHUNK_BYTES is the size of each buffer handed to the socket: big enough to amortise writes, small enough to stay off V8's string and buffer limits. */
const CHUNK_BYTES = 256 * 1024
/** SHRINK_BELOW_BYTES: a last chunk this much smaller than its buffer is copied out, so a cached snapshot does not hold a mostly empty 256 KiB buffer. */
const SHRINK_BELOW_BYTES = CHUNK_BYTES / 2

/** contentTypeOf returns the Content-Type header for a format. */
export function contentTypeOf(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE
}

/** negotiateFormat picks OpenMetrics when the Accept header lists it (as Prometheus sends), else text 0.0.4. */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  return accept?.includes('application/openmetrics-text') ? 'openmetrics' : 'text'
}

/**
 * serializeFamilies writes the families in `format` and returns the UTF-8 bytes as chunks of
 * about CHUNK_BYTES, in order; a million series never become one string or one buffer. With
 * `end` false the OpenMetrics `# EOF` is left out, for a body that more families follow.
 */
export function serializeFamilies(families: readonly MetricFamily[], format: ExpositionFormat, end = true): Buffer[] {
  // Sample lines are written byte by byte into fixed buffers: label values are escaped and
  // UTF-8-encoded in one pass and integer values written as digits, so no string is built per
  // series. Building the text with `+=` and encoding each 256 KiB rope cost twice the CPU
  // (benchmarks/cpu/exporter-exposition.bench.ts).
  const out = new ChunkWriter()
  for (const family of families) {
    out.string(header(family, format))
    if (family.kind === 'histogram') out.string(histogramLines(family))
    else writeSamples(out, family)
  }
  if (end && format === 'openmetrics') out.string('# EOF\n')
  return out.finish()
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const NEWLINE = 0x0a
const LETTER_N = 0x6e
const DIGIT_0 = 0x30
const MINUS = 0x2d
/** MAX_DIRECT_INTEGER: integers up to this magnitude are written digit by digit in int32 arithmetic. */
const MAX_DIRECT_INTEGER = 0x7fffffff
/** MAX_VALUE_BYTES bounds a formatted sample value ("-1.2345678901234567e-308" is 24). */
const MAX_VALUE_BYTES = 32
/** MAX_BYTES_PER_UNIT: a UTF-16 unit of a label value becomes at most 3 bytes (escapes 2, a pair 4 for 2 units). */
const MAX_BYTES_PER_UNIT = 3

// One function per family with the buffer and position in locals: room is reserved once per line
// for its worst case, then every byte is stored without further checks.
function writeSamples(out: ChunkWriter, family: SampleFamily): void {
  const { name, labelNames, labelValues, values } = family
  const width = labelNames.length
  // Constant parts of every line, encoded once per family: `name{first="`, `",next="`, `"} `.
  const prefixes = labelNames.map((label, i) => Buffer.from(i === 0 ? `${name}{${label}="` : `",${label}="`, 'utf8'))
  const end = Buffer.from(width === 0 ? `${name} ` : '"} ', 'utf8')
  const fixedBytes = prefixes.reduce((sum, prefix) => sum + prefix.length, 0) + end.length + MAX_VALUE_BYTES + 1
  let buffer = out.buffer
  let p = out.position
  for (let s = 0, l = 0; s < values.length; s++) {
    let lineBytes = fixedBytes
    for (let i = 0; i < width; i++) lineBytes += MAX_BYTES_PER_UNIT * (labelValues[l + i] as string).length
    if (p + lineBytes > buffer.length) {
      out.position = p
      out.reserve(lineBytes)
      buffer = out.buffer
      p = out.position
    }
    for (let i = 0; i < width; i++, l++) {
      p = copyBytes(buffer, prefixes[i] as Buffer, p)
      p = writeLabelValue(buffer, labelValues[l] as string, p)
    }
    p = copyBytes(buffer, end, p)
    p = writeValue(buffer, values[s] as number, p)
    buffer[p++] = NEWLINE
  }
  out.position = p
}

/**
 * NATIVE_COPY_MIN_BYTES: constants at least this long are copied by TypedArray#set, shorter ones
 * by a loop, which beats the call's overhead. A 38-byte `name{job_id="` prefix: 30 ns by set,
 * 50 ns by the loop (CPU time, this machine).
 */
const NATIVE_COPY_MIN_BYTES = 16

function copyBytes(buffer: Buffer, source: Buffer, p: number): number {
  const length = source.length
  if (length >= NATIVE_COPY_MIN_BYTES) {
    buffer.set(source, p)
    return p + length
  }
  for (let i = 0; i < length; i++) buffer[p++] = source[i] as number
  return p
}

/**
 * writeLabelValue writes a label value escaped (backslash, double quote, newline) and
 * UTF-8-encoded as Buffer.from would (a lone surrogate becomes U+FFFD); it returns the new position.
 */
function writeLabelValue(buffer: Buffer, value: string, p: number): number {
  const length = value.length
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x80) {
      if (c === BACKSLASH || c === QUOTE) {
        buffer[p++] = BACKSLASH
        buffer[p++] = c
      } else if (c === NEWLINE) {
        buffer[p++] = BACKSLASH
        buffer[p++] = LETTER_N
      } else buffer[p++] = c
    } else if (c < 0x800) {
      buffer[p++] = 0xc0 | (c >> 6)
      buffer[p++] = 0x80 | (c & 0x3f)
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < length ? value.charCodeAt(i + 1) : 0
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const code = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00)
        buffer[p++] = 0xf0 | (code >> 18)
        buffer[p++] = 0x80 | ((code >> 12) & 0x3f)
        buffer[p++] = 0x80 | ((code >> 6) & 0x3f)
        buffer[p++] = 0x80 | (code & 0x3f)
        i++
      } else {
        // U+FFFD REPLACEMENT CHARACTER
        buffer[p++] = 0xef
        buffer[p++] = 0xbf
        buffer[p++] = 0xbd
      }
    } else {
      buffer[p++] = 0xe0 | (c >> 12)
      buffer[p++] = 0x80 | ((c >> 6) & 0x3f)
      buffer[p++] = 0x80 | (c & 0x3f)
    }
  }
  return p
}

/** writeValue writes a sample value as formatValue does; int32-sized integers skip the number-to-string conversion. */
function writeValue(buffer: Buffer, value: number, p: number): number {
  if (!Number.isInteger(value) || value > MAX_DIRECT_INTEGER || value < -MAX_DIRECT_INTEGER) {
    // Number text is ASCII: one byte per character.
    const text = formatValue(value)
    for (let i = 0; i < text.length; i++) buffer[p++] = text.charCodeAt(i)
    return p
  }
  let n = value | 0
  if (n < 0) {
    buffer[p++] = MINUS
    n = -n
  }
  let digits = 1
  for (let rest = n; rest >= 10; rest = (rest / 10) | 0) digits++
  const after = p + digits
  p = after
  do {
    const quotient = (n / 10) | 0
    buffer[--p] = DIGIT_0 + (n - quotient * 10)
    n = quotient
  } while (n > 0)
  return after
}

/**
 * ChunkWriter appends UTF-8 to a list of fixed-size buffers. Writers reserve room for their worst
 * case first, so a line may span two chunks (the socket sees one byte stream).
 */
class ChunkWriter {
  private readonly chunks: Buffer[] = []
  /** Buffer is the chunk being filled; `position` is its first free byte. */
  buffer = Buffer.allocUnsafe(CHUNK_BYTES)
  position = 0

  /** string writes any text (headers, histograms: a few per family). */
  string(text: string): void {
    this.reserve(text.length * MAX_BYTES_PER_UNIT)
    this.position += this.buffer.write(text, this.position, 'utf8')
  }

  /** reserve makes room for `bytes` more, starting a new chunk when the current one is too full. */
  reserve(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return
    if (this.position > 0) this.chunks.push(this.buffer.subarray(0, this.position))
    this.buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes))
    this.position = 0
  }

  /** finish returns the chunks; the writer must not be used afterwards. */
  finish(): Buffer[] {
    const last = this.buffer.subarray(0, this.position)
    this.chunks.push(this.buffer.length - this.position > SHRINK_BELOW_BYTES ? Buffer.from(last) : last)
    return this.chunks
  }
}

function header(family: MetricFamily, format: ExpositionFormat): string {
  const type = family.kind === 'histogram' ? 'histogram' : family.type
  // OpenMetrics names a counter family without its _total suffix; its samples keep it.
  const familyName = format === 'openmetrics' && type === 'counter' ? family.name.slice(0, -'_total'.length) : family.name
  const help = format === 'openmetrics' ? escapeOpenMetricsHelp(family.help) : escapeTextHelp(family.help)
  return `# HELP ${familyName} ${help}\n# TYPE ${familyName} ${type}\n`
}

function histogramLines(family: HistogramFamily): string {
  let out = ''
  const { name, labelNames, upperBounds } = family
  for (const series of family.series) {
    let labels = ''
    for (let i = 0; i < labelNames.length; i++) labels += `${labelNames[i]}="${escapeLabelValue(series.labelValues[i] as string)}",`
    for (let b = 0; b <= upperBounds.length; b++) {
      const le = b < upperBounds.length ? formatValue(upperBounds[b] as number) : '+Inf'
      out += `${name}_bucket{${labels}le="${le}"} ${formatValue(series.bucketCounts[b] as number)}\n`
    }
    const braces = labels.length > 0 ? `{${labels.slice(0, -1)}}` : ''
    out += `${name}_sum${braces} ${formatValue(series.sum)}\n${name}_count${braces} ${formatValue(series.count)}\n`
  }
  return out
}

const NEEDS_ESCAPE = /[\\"\n]/

/** escapeLabelValue escapes backslash, double quote and newline, as both formats require. */
export function escapeLabelValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function escapeTextHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

function escapeOpenMetricsHelp(help: string): string {
  return escapeTextHelp(help).replace(/"/g, '\\"')
}

/** formatValue writes a sample value: integers plainly, special values as +Inf, -Inf and NaN. */
export function formatValue(value: number): string {
  if (Number.isFinite(value)) return '' + value
  if (Number.isNaN(value)) return 'NaN'
  return value > 0 ? '+Inf' : '-Inf'
}
