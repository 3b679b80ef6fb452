// The one seeded PRNG of the tree: clusters, fixtures and simulations generated from a seed are
// the same on every machine and Node version (Math.random cannot be seeded).

/** Random returns uniform numbers in [0, 1). */
export type Random = () => number

/** mulberry32 is Tommy Ettinger's 32-bit generator: full period 2^32, fast, not for cryptography. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** pick returns one element of a non-empty `choices`, chosen by `random`. */
export function pick<T>(random: Random, choices: readonly T[]): T {
  const choice = choices[Math.floor(random() * choices.length)]
  if (choice === undefined) throw new Error('pick: no choices')
  return choice
}

/** Prng is a seeded source of uniform numbers (mulberry32: 32-bit state, period 2^32, fast). */
export class Prng {
  /** next returns a uniform float in [0, 1). */
  readonly next: Random

  constructor(seed: number) {
    this.next = mulberry32(seed)
  }

  /** int returns a uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** chance returns true with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** pick returns a uniform element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** weighted returns an index drawn with the given (unnormalised) weights. */
  weighted(weights: readonly number[]): number {
    let total = 0
    for (const w of weights) total += w
    let r = this.next() * total
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number
      if (r < 0) return i
    }
    return weights.length - 1
  }

  /** skewed returns an integer in [0, n) biased towards 0 (power law), as job counts per user are. */
  skewed(n: number, exponent = 2.5): number {
    return Math.min(n - 1, Math.floor(n * this.next() ** exponent))
  }
}

/** deriveSeed mixes a seed with a stream number so independent streams do not correlate. */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 0x9e3779b9, 0x85ebca6b)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b)
  return (h ^ (h >>> 16)) >>> 0
}
