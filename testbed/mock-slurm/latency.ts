// Added latency before the first byte: fixed, uniform, exponential, or "realistic".
//
// The realistic model is ours, not a measurement (no public slurmrestd latency figures exist,
// research note §4): slurmrestd forwards each request as an RPC to slurmctld or slurmdbd, which
// packs the whole table, so the cost is a base plus a per-record term, with log-normal noise.
// The figures below are chosen to be plausible for a healthy controller; change them here.
import type { LatencySpec } from './faults.ts'

/** EndpointCost is the realistic model's base and per-record latency of one endpoint. */
export interface EndpointCost {
  baseMs: number
  perRecordUs: number
}

/** REALISTIC_COSTS gives the model per endpoint family; unknown endpoints use `default`. */
export const REALISTIC_COSTS: Record<string, EndpointCost> = {
  ping: { baseMs: 0.4, perRecordUs: 0 },
  diag: { baseMs: 2, perRecordUs: 0 },
  jobs: { baseMs: 5, perRecordUs: 25 },
  nodes: { baseMs: 3, perRecordUs: 15 },
  partitions: { baseMs: 1, perRecordUs: 50 },
  dbJobs: { baseMs: 20, perRecordUs: 60 },
  default: { baseMs: 3, perRecordUs: 10 },
}
// Log-normal spread of the realistic model: sigma 0.35 puts p99 near 2.3× the median.
const REALISTIC_SIGMA = 0.35

function gaussian(random: () => number): number {
  // Box–Muller; 1 - u keeps log() away from 0.
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** drawLatencyMs returns the delay for one request of `endpoint` returning `records` records. */
export function drawLatencyMs(spec: LatencySpec, endpoint: string, records: number, random: () => number): number {
  switch (spec.kind) {
    case 'none':
      return 0
    case 'fixed':
      return spec.ms
    case 'uniform':
      return spec.minMs + random() * (spec.maxMs - spec.minMs)
    case 'exponential':
      return -spec.meanMs * Math.log(1 - random())
    case 'realistic': {
      const cost = REALISTIC_COSTS[endpoint] ?? (REALISTIC_COSTS.default as EndpointCost)
      const medianMs = cost.baseMs + (cost.perRecordUs * records) / 1_000
      return medianMs * Math.exp(REALISTIC_SIGMA * gaussian(random))
    }
  }
}
