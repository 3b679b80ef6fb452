// Reading slurmrestd's value conventions: number objects, state arrays, GRES strings, lists.
// Pure functions; the collectors call them per node and per job.

/** NoValNumber is slurmrestd's `*_no_val_struct`: `{ set, infinite, number }`. */
export interface NoValNumber {
  readonly set?: boolean
  readonly infinite?: boolean
  readonly number?: number
}

/**
 * noVal reads a number that slurmrestd sends either plainly or as a NoValNumber: unset → undefined,
 * infinite → +Inf.
 */
export function noVal(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  if (value === null || typeof value !== 'object') return undefined
  const v = value as NoValNumber
  if (v.infinite === true) return Number.POSITIVE_INFINITY
  if (v.set !== true || typeof v.number !== 'number') return undefined
  return v.number
}

/** stateLabel joins a state array as Slurm's sinfo shows flags: ["IDLE","DRAIN"] → "idle+drain". */
export function stateLabel(states: unknown): string {
  if (!Array.isArray(states) || states.length === 0) return 'unknown'
  if (states.length === 1) return lowerCached(states[0])
  let label = lowerCached(states[0])
  for (let i = 1; i < states.length; i++) label += '+' + lowerCached(states[i])
  return label
}

/** primaryState returns the first state of an array, lower-cased ("PENDING" → "pending"). */
export function primaryState(states: unknown): string {
  return Array.isArray(states) && states.length > 0 ? lowerCached(states[0]) : 'unknown'
}

// States come from a closed enum of ~30 words, so caching their lower-case form saves a string
// per job on a 500,000-job scrape.
const lowerCase = new Map<unknown, string>()
function lowerCached(state: unknown): string {
  let lower = lowerCase.get(state)
  if (lower === undefined) {
    lower = String(state).toLowerCase()
    lowerCase.set(state, lower)
  }
  return lower
}

/** GpuCount is the number of GPUs of one type in a GRES string ("" when the type is not named). */
export interface GpuCount {
  readonly type: string
  readonly count: number
}

/**
 * parseGpus reads the GPU entries of a node's `gres` or `gres_used`:
 * "gpu:h100:4(S:0-1),gpu:a100:2" → h100×4, a100×2; "gpu:4" → ""×4; "gpu:h100:4(IDX:0,2-3)" → h100×4.
 * Other GRES (shard, mps, …) are ignored. Commas inside parentheses belong to the index list.
 */
export function parseGpus(gres: unknown): GpuCount[] {
  if (typeof gres !== 'string' || !gres.includes('gpu')) return []
  const counts: GpuCount[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i <= gres.length; i++) {
    const c = gres[i]
    if (c === '(') depth++
    else if (c === ')') depth--
    else if ((c === ',' && depth === 0) || i === gres.length) {
      const entry = gres.slice(start, i)
      start = i + 1
      const paren = entry.indexOf('(')
      const parts = (paren >= 0 ? entry.slice(0, paren) : entry).split(':')
      if (parts[0] !== 'gpu') continue
      const count = Number(parts[parts.length - 1])
      if (parts.length < 2 || !Number.isFinite(count)) continue
      counts.push({ type: parts.length >= 3 ? (parts[1] as string) : '', count })
    }
  }
  return counts
}

/** MIB_BYTES converts Slurm's megabytes (MiB) to bytes. */
export const MIB_BYTES = 1024 * 1024
/**
 * microsecondsToSeconds converts Slurm's microsecond statistics to seconds. It divides by 1e6
 * rather than multiplying by 1e-6: 1e-6 is not exact in binary, so 228 * 1e-6 is
 * 0.00022799999999999999, while 228 / 1e6 is the double nearest 0.000228 and prints as such.
 */
export function microsecondsToSeconds(us: number): number {
  return us / 1e6
}

/** listOf returns `answer[key]` when it is an array, and otherwise throws naming the path. */
export function listOf<T>(answer: Record<string, unknown>, key: string, path: string): T[] {
  const list = answer[key]
  if (!Array.isArray(list)) throw new Error(`GET ${path}: the answer has no "${key}" list`)
  return list as T[]
}
