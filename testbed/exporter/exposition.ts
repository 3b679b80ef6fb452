// Serialization to the Prometheus text format 0.0.4 and OpenMetrics 1.0.
// Why by hand: no maintained Node library writes flat label arrays without building an object
// per series, and this loop is the exporter's hottest (benchmarks/cpu/exporter-exposition.bench.ts).

import type { HistogramFamily, MetricFamily } from './metric-family.ts'

/** ExpositionFormat is the wire format of one /metrics answer. */
export type ExpositionFormat = 'text' | 'openmetrics'

/** TEXT_CONTENT_TYPE is the Content-Type of the text format 0.0.4. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
/** OPENMETRICS_CONTENT_TYPE is the Content-Type of OpenMetrics 1.0. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8'

/** CHUNK_CHARS bounds each string handed to the socket: big enough to amortise writes, small enough never to near V8's string limit. */
const CHUNK_CHARS = 256 * 1024

/** contentTypeOf returns the Content-Type header for a format. */
export function contentTypeOf(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE
}

/** negotiateFormat picks OpenMetrics when the Accept header lists it (as Prometheus sends), else text 0.0.4. */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  return accept !== undefined && accept.includes('application/openmetrics-text') ? 'openmetrics' : 'text'
}

/**
 * serializeFamilies writes the families in `format` and returns the UTF-8 bytes as chunks of
 * about CHUNK_CHARS characters, in order; a million series never become one string.
 */
export function serializeFamilies(families: readonly MetricFamily[], format: ExpositionFormat): Buffer[] {
  // Chunks are encoded once here: a string built by `+=` is a rope of one node per piece, which
  // costs the GC dearly while a snapshot holds it and is flattened again for every scrape.
  // Measured on 32,000 per-job series held by a benchmark: 108 ms/op as ropes, see the
  // exposition benchmark for the encoded figure.
  const chunks: Buffer[] = []
  let out = ''
  for (const family of families) {
    out += header(family, format)
    if (family.kind === 'histogram') {
      out += histogramLines(family)
    } else {
      const { name, labelNames, labelValues, values } = family
      const width = labelNames.length
      const prefixes = labelNames.map((label, i) => (i === 0 ? `${name}{${label}="` : `",${label}="`))
      for (let s = 0, l = 0; s < values.length; s++) {
        if (width === 0) out += name
        else {
          for (let i = 0; i < width; i++, l++) out += prefixes[i] + escapeLabelValue(labelValues[l] as string)
          out += '"}'
        }
        out += ' ' + formatValue(values[s] as number) + '\n'
        if (out.length > CHUNK_CHARS) {
          chunks.push(Buffer.from(out, 'utf8'))
          out = ''
        }
      }
    }
  }
  if (format === 'openmetrics') out += '# EOF\n'
  chunks.push(Buffer.from(out, 'utf8'))
  return chunks
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
