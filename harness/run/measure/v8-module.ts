// node:v8 for the memory meters, required on first use instead of imported: an ESM import builds
// its module facade, which loads Node's heap utilities and streams (~10 ms of every worker's
// start-up), while only runs with -benchmem or reportAllocs use the meters.
import { createRequire } from 'node:module'

let v8: typeof import('node:v8') | undefined

/** v8Module returns node:v8, loading it on the first call. */
export function v8Module(): typeof import('node:v8') {
  v8 ??= createRequire(import.meta.url)('node:v8') as typeof import('node:v8')
  return v8
}
