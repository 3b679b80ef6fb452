// The target's garbage-collection time over a run, read from its own metrics: Node exporters
// that use prom-client's default metrics expose `nodejs_gc_duration_seconds` (a histogram by GC
// kind), Go exporters `go_gc_duration_seconds` (a summary). Reading the `_sum` before and after
// the run gives the seconds spent in GC while under load, for the weekly check's GC figure.
import { request } from 'undici'

/** GC_SUM_METRICS are the metrics whose `_sum` counts a process's GC seconds. */
export const GC_SUM_METRICS = ['nodejs_gc_duration_seconds_sum', 'go_gc_duration_seconds_sum'] as const
/** GC_READ_TIMEOUT_MS bounds the extra scrape before and after a run (a fresh exporter's first scrape waits for its first collection). */
const GC_READ_TIMEOUT_MS = 60_000

/** gcSecondsOf sums the GC `_sum` series of a Prometheus text exposition; undefined when there are none. */
export function gcSecondsOf(text: string): number | undefined {
  let total: number | undefined
  for (const line of text.split('\n')) {
    // A family declared with no series yet (no collection so far) counts as zero seconds.
    if (line.startsWith('# TYPE ') && GC_SUM_METRICS.some((m) => line.startsWith(`# TYPE ${m.slice(0, -'_sum'.length)} `))) total ??= 0
    if (line.startsWith('#')) continue
    const name = GC_SUM_METRICS.find((m) => line.startsWith(m) && (line[m.length] === ' ' || line[m.length] === '{'))
    if (name === undefined) continue
    const value = Number(
      line
        .slice(line.lastIndexOf(line.includes('}') ? '}' : ' ') + 1)
        .trim()
        .split(' ')[0],
    )
    if (Number.isFinite(value)) total = (total ?? 0) + value
  }
  return total
}

/** readGcSeconds scrapes `url` once and returns its GC seconds, or undefined when it cannot say. */
export async function readGcSeconds(url: URL, headers: Readonly<Record<string, string>>): Promise<number | undefined> {
  // The scenario's headers (auth), but plain text: the load itself may ask for gzip.
  const plain: Record<string, string> = { accept: 'text/plain', 'accept-encoding': 'identity' }
  for (const [name, value] of Object.entries(headers)) if (!/^accept(-encoding)?$/i.test(name)) plain[name] = value
  try {
    const response = await request(url, {
      method: 'GET',
      headers: plain,
      headersTimeout: GC_READ_TIMEOUT_MS,
      bodyTimeout: GC_READ_TIMEOUT_MS,
    })
    const text = await response.body.text()
    return response.statusCode === 200 ? gcSecondsOf(text) : undefined
  } catch {
    return undefined
  }
}
