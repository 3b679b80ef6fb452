// Slurm's value conventions shared by every record: number objects and their common constants,
// and state arrays (a base state, then flags).

/** NumberObject is Slurm's `{set, infinite, number}` (the *_no_val_struct components). */
export interface NumberObject {
  set: boolean
  infinite: boolean
  number: number
}

// Small counts (CPUs, nodes, minutes, MB per CPU) recur in most records; their number objects are
// shared and frozen, so a record template serializes each only once (record-template.ts).
const SHARED_NUM_LIMIT = 4_096
const SHARED_NUMS: readonly NumberObject[] = Array.from({ length: SHARED_NUM_LIMIT }, (_, n) => Object.freeze({ set: true, infinite: false, number: n }))

/** num returns a set number object (a shared frozen one for a small non-negative integer). */
export function num(n: number): NumberObject {
  if (Number.isInteger(n) && n >= 0 && n < SHARED_NUM_LIMIT) return SHARED_NUMS[n]!
  return { set: true, infinite: false, number: n }
}

/** UNSET is a number object Slurm prints for "no value" (e.g. `array_task_id` of a plain job). */
export const UNSET: NumberObject = Object.freeze({ set: false, infinite: false, number: 0 })
/** INFINITE is a number object for "unlimited" (e.g. partition `maximums.nodes`). */
export const INFINITE: NumberObject = Object.freeze({ set: false, infinite: true, number: 0 })
/** ZERO is a set 0, which Slurm prints for most unset times. */
export const ZERO: NumberObject = Object.freeze({ set: true, infinite: false, number: 0 })

/**
 * memPerCpuRaw returns the raw int64 Slurm prints as partition `defaults.memory_per_cpu`: the
 * MEM_PER_CPU flag (bit 63) or'ed into the MB value, so DefMemPerCPU=512 prints as
 * -9223372036854775296 (Slurm-web 25.11 slurm-partitions.json). It is beyond 2^53, so it is a
 * BigInt; fast-json-stringify writes BigInt integers exactly (JSON.stringify would throw).
 */
export function memPerCpuRaw(mb: number): bigint {
  return -(2n ** 63n) + BigInt(mb)
}

/** memoryTres formats a memory size as Slurm's TRES strings do: 512M, 256G, 2T. */
export function memoryTres(mb: number): string {
  if (mb % 1_048_576 === 0) return `${mb / 1_048_576}T`
  if (mb % 1_024 === 0) return `${mb / 1_024}G`
  return `${mb}M`
}

/**
 * stateArray returns the frozen state array for `key`: `base`, then the names of `flags`' bits in
 * `order` (Slurm's print order; `bits` gives each name's bit). Each distinct array is built once,
 * kept in `cache`, and frozen, so a record template serializes it once (record-template.ts).
 */
export function stateArray<Name extends string>(
  cache: Map<number, readonly string[]>,
  key: number,
  base: string,
  flags: number,
  bits: Readonly<Record<Name, number>>,
  order: readonly Name[],
): readonly string[] {
  let list = cache.get(key)
  if (list === undefined) {
    const names: string[] = [base]
    for (const name of order) if (flags & bits[name]) names.push(name)
    list = Object.freeze(names)
    cache.set(key, list)
  }
  return list
}
