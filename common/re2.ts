// re2 is a native addon, built for one Node.js ABI when it is installed. Run under another Node
// (installed with Node 20, run with Node 24), `require('re2')` throws a 10-line dlopen error that
// a wrapper would report as "invalid regexp". loadRe2 turns that into one line naming the fix.
import { createRequire } from 'node:module'
import type RE2Type from 're2'
import { InputError } from './input-error.ts'

/** Re2Constructor is the RE2 class the addon exports. */
export type Re2Constructor = typeof RE2Type

/** NativeModuleError says a native dependency cannot load in this Node.js, and how to fix it. */
export class NativeModuleError extends InputError {}

let loaded: Re2Constructor | undefined

/**
 * loadRe2 loads the addon on first use (it costs ~30 ms, which commands that match no pattern
 * should not pay); it throws NativeModuleError when the addon is missing or built for another ABI.
 */
export function loadRe2(): Re2Constructor {
  if (loaded !== undefined) return loaded
  try {
    loaded = createRequire(import.meta.url)('re2') as Re2Constructor
  } catch (err) {
    throw new NativeModuleError(re2LoadMessage(err as NodeJS.ErrnoException))
  }
  return loaded
}

/** re2LoadMessage explains a failed require('re2') in one line. */
export function re2LoadMessage(err: NodeJS.ErrnoException): string {
  const node = `Node.js ${process.version}`
  if (err.code === 'MODULE_NOT_FOUND')
    return `the native module re2 is not installed or not built (${err.message.split('\n', 1)[0]}); run \`npm ci\`, or \`npm rebuild re2\` with this Node`
  const abi = /NODE_MODULE_VERSION (\d+)[\s\S]*NODE_MODULE_VERSION (\d+)/.exec(err.message)
  if (abi !== null) {
    return `the native module re2 was built for another Node.js (NODE_MODULE_VERSION ${abi[1]}; ${node} needs ${abi[2]}); run \`npm rebuild re2\` with this Node`
  }
  const firstLine = err.message.split('\n', 1)[0]
  return `the native module re2 cannot be loaded by ${node} (${firstLine}); run \`npm rebuild re2\` with this Node`
}
