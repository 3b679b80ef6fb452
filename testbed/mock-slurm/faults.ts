// Fault injection, by CLI flag (server-wide defaults) and per request with the control header
// `X-Mock-Fault: latency=200ms;error-rate=0.1` (its keys override the defaults for that request).
//
// Keys:
//   latency=200ms | latency=50ms..300ms (uniform) | latency=exp:100ms (exponential, that mean)
//   latency=realistic          per-endpoint latency that grows with the response size (latency.ts)
//   error-rate=0.1             share of requests answered with a plain HTTP error (error-status)
//   error-status=503           the status of those errors (default 500)
//   slurm-error-rate=0.1       share answered with a Slurm error inside the JSON envelope
//   slurm-error-status=500     the HTTP status of those (default 500)
//   hang-rate=0.01             share that never answer (the client's timeout must fire)
//   reset-rate=0.05            share whose connection is reset before any byte is sent
//   truncate-rate=0.05         share whose connection is reset in the middle of the body
//   slow-body=100KB/s          body bandwidth limit (B/s, KB/s, MB/s; decimal units)
//   slurmctld-down=on | =2s    slurmctld is unreachable: every request waits (on: 9 s, as a real
//                              slurmrestd's connect retries take), then 502 with error 1800;
//                              /ping answers 200 with the controller DOWN. off ends the outage.

/** FAULT_HEADER is the per-request control header. */
export const FAULT_HEADER = 'x-mock-fault'

/** LatencySpec is how latency is added before the first byte. */
export type LatencySpec =
  | { kind: 'none' }
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'realistic' }

/** FaultSpec is a full set of faults; every field has a neutral default. */
export interface FaultSpec {
  latency: LatencySpec
  errorRate: number
  errorStatus: number
  slurmErrorRate: number
  slurmErrorStatus: number
  hangRate: number
  resetRate: number
  truncateRate: number
  /** slowBodyBytesPerSec is 0 for unlimited. */
  slowBodyBytesPerSec: number
  /** slurmctldDownMs is how long a request waits before its 502 while slurmctld is down; -1: up. */
  slurmctldDownMs: number
}

/** SLURMCTLD_DOWN_WAIT_MS is what a real 24.11 slurmrestd waits before its 502 with slurmctld down. */
export const SLURMCTLD_DOWN_WAIT_MS = 9_000

/** NO_FAULTS is the neutral FaultSpec. */
export const NO_FAULTS: FaultSpec = Object.freeze({
  latency: { kind: 'none' } as LatencySpec,
  errorRate: 0,
  errorStatus: 500,
  slurmErrorRate: 0,
  slurmErrorStatus: 500,
  hangRate: 0,
  resetRate: 0,
  truncateRate: 0,
  slowBodyBytesPerSec: 0,
  slurmctldDownMs: -1,
})

/** FaultSpecError is a malformed fault specification; its message names the key and value. */
export class FaultSpecError extends Error {}

function parseDurationMs(text: string, key: string): number {
  const m = /^(\d+(?:\.\d+)?)(us|µs|ms|s)$/.exec(text.trim())
  if (m === null)
    throw new FaultSpecError(`${key}: "${text}" is not a duration (expected e.g. 200ms, 1.5s, 500us${key === 'slurmctld-down' ? ', or on/off' : ''})`)
  const v = Number(m[1])
  return m[2] === 's' ? v * 1_000 : m[2] === 'ms' ? v : v / 1_000
}

function parseRate(text: string, key: string): number {
  const v = Number(text)
  if (text.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1) throw new FaultSpecError(`${key}: "${text}" is not a rate (expected a number in [0, 1])`)
  return v
}

function parseStatus(text: string, key: string): number {
  const v = Number(text)
  if (!Number.isInteger(v) || v < 400 || v > 599) throw new FaultSpecError(`${key}: "${text}" is not an HTTP error status (expected 400–599)`)
  return v
}

function parseBandwidth(text: string, key: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)\/s$/i.exec(text.trim())
  if (m === null) throw new FaultSpecError(`${key}: "${text}" is not a bandwidth (expected e.g. 100KB/s)`)
  const unit = (m[2] as string).toUpperCase()
  const scale = unit === 'B' ? 1 : unit === 'KB' ? 1e3 : unit === 'MB' ? 1e6 : 1e9
  return Math.max(1, Math.round(Number(m[1]) * scale))
}

function parseLatency(text: string): LatencySpec {
  const t = text.trim()
  if (t === 'realistic') return { kind: 'realistic' }
  if (t === '0' || t === 'none') return { kind: 'none' }
  if (t.startsWith('exp:')) return { kind: 'exponential', meanMs: parseDurationMs(t.slice(4), 'latency') }
  const range = t.split('..')
  if (range.length === 2) {
    const minMs = parseDurationMs(range[0] as string, 'latency')
    const maxMs = parseDurationMs(range[1] as string, 'latency')
    if (maxMs < minMs) throw new FaultSpecError(`latency: range "${text}" has its maximum below its minimum`)
    return { kind: 'uniform', minMs, maxMs }
  }
  return { kind: 'fixed', ms: parseDurationMs(t, 'latency') }
}

function parseSlurmctldDown(text: string, key: string): number {
  return text === 'off' ? -1 : text === 'on' ? SLURMCTLD_DOWN_WAIT_MS : parseDurationMs(text, key)
}

type NumericField = Exclude<keyof FaultSpec, 'latency'>

// The keys besides latency, in the order `unknown fault key` lists them: the field each sets, and how its value reads.
const NUMERIC_KEYS: Readonly<Record<string, readonly [NumericField, (text: string, key: string) => number]>> = {
  'error-rate': ['errorRate', parseRate],
  'error-status': ['errorStatus', parseStatus],
  'slurm-error-rate': ['slurmErrorRate', parseRate],
  'slurm-error-status': ['slurmErrorStatus', parseStatus],
  'hang-rate': ['hangRate', parseRate],
  'reset-rate': ['resetRate', parseRate],
  'truncate-rate': ['truncateRate', parseRate],
  'slow-body': ['slowBodyBytesPerSec', parseBandwidth],
  'slurmctld-down': ['slurmctldDownMs', parseSlurmctldDown],
}

/** parseFaultSpec reads `key=value;key=value` on top of `base`; it throws FaultSpecError on bad input. */
export function parseFaultSpec(text: string, base: FaultSpec = NO_FAULTS): FaultSpec {
  const spec: FaultSpec = { ...base }
  for (const part of text.split(/[;,]/)) {
    if (part.trim() === '') continue
    const eq = part.indexOf('=')
    if (eq < 0) throw new FaultSpecError(`"${part.trim()}" is not key=value`)
    const key = part.slice(0, eq).trim().toLowerCase()
    const value = part.slice(eq + 1).trim()
    if (key === 'latency') {
      spec.latency = parseLatency(value)
      continue
    }
    if (!Object.hasOwn(NUMERIC_KEYS, key)) throw new FaultSpecError(`unknown fault key "${key}" (known: latency, ${Object.keys(NUMERIC_KEYS).join(', ')})`)
    const [field, parse] = NUMERIC_KEYS[key] as (typeof NUMERIC_KEYS)[string]
    spec[field] = parse(value, key)
  }
  return spec
}

/** FaultAction is what a request's draw of the dice decided. */
export type FaultAction = 'none' | 'error' | 'slurm-error' | 'hang' | 'reset' | 'truncate'

// The actions a request can draw, in the order the dice are read, each with the field of its share.
const DRAWN_ACTIONS: ReadonlyArray<readonly [FaultAction, NumericField]> = [
  ['reset', 'resetRate'],
  ['hang', 'hangRate'],
  ['error', 'errorRate'],
  ['slurm-error', 'slurmErrorRate'],
  ['truncate', 'truncateRate'],
]

/** decideFault draws one action for a request from `spec` using `random` (uniform in [0, 1)). */
export function decideFault(spec: FaultSpec, random: () => number): FaultAction {
  let total = 0
  for (const [, field] of DRAWN_ACTIONS) total += spec[field]
  if (total === 0) return 'none'
  let r = random()
  for (const [action, field] of DRAWN_ACTIONS) {
    if (r < spec[field]) return action
    r -= spec[field]
  }
  return 'none'
}
