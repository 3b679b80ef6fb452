// Pushing metrics to a Prometheus Pushgateway: PUT replaces every metric of the grouping key, so
// each push leaves exactly the latest run of that suite × machine class in the gateway. Grouping
// label values are base64url-encoded in the path (the gateway's `label@base64` form), so a value
// with `/` (a benchmark package) cannot break the URL.
import { request } from 'undici'

/** PushError is a push that did not succeed; its message never holds credentials. */
export class PushError extends Error {
  override readonly name = 'PushError'
  constructor(
    message: string,
    readonly code: 'PUSH_UNREACHABLE' | 'PUSH_REJECTED' | 'PUSH_BAD_URL',
  ) {
    super(message)
  }
}

/** PUSH_TIMEOUT_MS bounds one push; a gateway is local to the CI or the cluster. */
export const PUSH_TIMEOUT_MS = 15_000

/** redactUrl drops user and password from a URL before it is printed. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href)
  if (copy.username !== '' || copy.password !== '') {
    copy.username = '***'
    copy.password = ''
  }
  return copy.href
}

/** groupingPath is `/metrics/job/<job>/<label>@base64/<value>…` for a grouping key. */
export function groupingPath(job: string, grouping: Readonly<Record<string, string>>): string {
  const encode = (v: string): string => (v === '' ? '=' : Buffer.from(v, 'utf8').toString('base64url'))
  let path = `/metrics/job@base64/${encode(job)}`
  for (const [label, value] of Object.entries(grouping)) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) throw new PushError(`grouping label "${label}": expected a Prometheus label name`, 'PUSH_BAD_URL')
    path += `/${label}@base64/${encode(value)}`
  }
  return path
}

/** pushMetrics PUTs Prometheus text to `gateway` under the grouping key. */
export async function pushMetrics(gateway: string, job: string, grouping: Readonly<Record<string, string>>, text: string): Promise<URL> {
  let base: URL
  try {
    base = new URL(gateway)
  } catch {
    throw new PushError(`--gateway: "${gateway}" is not a URL (expected e.g. http://pushgateway:9091)`, 'PUSH_BAD_URL')
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new PushError(`--gateway: expected an http or https URL, found ${base.protocol}`, 'PUSH_BAD_URL')
  const url = new URL(base.pathname.replace(/\/$/, '') + groupingPath(job, grouping), base)
  const headers: Record<string, string> = { 'content-type': 'text/plain; version=0.0.4' }
  if (base.username !== '')
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`
  url.username = ''
  url.password = ''
  let response: Awaited<ReturnType<typeof request>>
  try {
    response = await request(url, { method: 'PUT', headers, body: text, headersTimeout: PUSH_TIMEOUT_MS, bodyTimeout: PUSH_TIMEOUT_MS })
  } catch (err) {
    throw new PushError(`push to ${redactUrl(base)} failed: ${(err as Error).message}`, 'PUSH_UNREACHABLE')
  }
  const body = await response.body.text()
  if (response.statusCode >= 300) {
    throw new PushError(`push to ${redactUrl(base)} answered ${response.statusCode}: ${body.trim().slice(0, 300)}`, 'PUSH_REJECTED')
  }
  return url
}
