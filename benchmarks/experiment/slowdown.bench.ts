// The slowdown-injection experiment: real work whose amount grows by the factor in
// SLURMBENCH_SLOWDOWN (default 1), so a known regression can be injected without changing code.
// `npm run ab`/`doctor` machinery runs it with the factor 1 on both sides (A/A: every flagged
// regression is a false alarm) or 1.05/1.10 on one side (every miss is a false negative).
// Workers inherit the parent's environment, so the variable set for the CLI reaches them.
import { type B, sink } from 'slurmbench'

/** SLOWDOWN_ENV names the environment variable holding the work factor. */
export const SLOWDOWN_ENV = 'SLURMBENCH_SLOWDOWN'

function slowdownFactor(): number {
  const text = process.env[SLOWDOWN_ENV]
  if (text === undefined || text === '') return 1
  const factor = Number(text)
  if (!(factor > 0) || !Number.isFinite(factor)) throw new Error(`${SLOWDOWN_ENV}=${text}: expected a positive number such as 1.05`)
  return factor
}

// Base amounts of work per op, chosen so one op takes ~10–50 µs: long enough that timer
// resolution is irrelevant, short enough that a 100 ms sample holds thousands of ops.
const MIX_ROUNDS = 20_000
const PARSE_ITEMS = 200
const SORT_ITEMS = 2_000

/** BenchmarkSlowdown runs three kinds of work, each scaled by the factor. */
export async function BenchmarkSlowdown(b: B) {
  const factor = slowdownFactor()
  await b.run('work=mix', (b) => {
    // Integer mixing (xorshift-multiply): pure CPU, no allocation.
    const rounds = Math.round(MIX_ROUNDS * factor)
    for (let i = 0; i < b.N; i++) {
      let h = i | 0
      for (let r = 0; r < rounds; r++) {
        h ^= h << 13
        h ^= h >>> 17
        h = Math.imul(h ^ (h << 5), 0x9e3779b1)
      }
      sink(h)
    }
  })
  await b.run('work=parse', (b) => {
    // JSON.parse of an array whose length scales: allocation and GC as well as CPU.
    const items = Math.round(PARSE_ITEMS * factor)
    const text = JSON.stringify(Array.from({ length: items }, (_, i) => ({ id: i, name: `node${i}`, cpus: 64, state: 'idle' })))
    b.resetTimer()
    for (let i = 0; i < b.N; i++) sink(JSON.parse(text))
  })
  await b.run('work=sort', (b) => {
    // Sorting a copy of a pseudo-random array: branchy code, n log n (the factor scales n; the
    // log term adds well under 1% at these sizes).
    const items = Math.round(SORT_ITEMS * factor)
    const data = new Float64Array(items)
    let seed = 12345
    for (let i = 0; i < items; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      data[i] = seed / 2 ** 32
    }
    b.resetTimer()
    for (let i = 0; i < b.N; i++) sink(data.slice().sort())
  })
}
