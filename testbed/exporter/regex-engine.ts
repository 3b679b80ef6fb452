// Pattern matching for filters and relabeling. RE2 runs in time linear in the input, so a
// pattern from configuration cannot make a scrape hang on a crafted label value (RegExp
// backtracks: `(a+)+$` on 30 a's and a b takes seconds). RegExp stays selectable for comparison
// (benchmarks/cpu/exporter-regex.bench.ts).

import { createRequire } from 'node:module'
import type RE2Type from 're2'

/** RegexEngine names the implementation behind a Pattern. */
export type RegexEngine = 're2' | 'regexp'

/** Pattern is an anchored, compiled pattern: it matches a whole value, as Prometheus relabeling does. */
export interface Pattern {
  readonly source: string
  test(value: string): boolean
  /** Replace returns `replacement` with `$1`… expanded from the match, or the value unchanged when it does not match. */
  replace(value: string, replacement: string): string
}

/** PatternError reports a pattern the engine rejects, naming the pattern. */
export class PatternError extends Error {
  override name = 'PatternError'
}

let re2: typeof RE2Type | undefined

// Loaded on first use, so `--regex-engine regexp` works where the addon cannot load; a native
// module built for another Node.js (installed with Node 20, run with Node 24) says so in one line
// instead of a 10-line dlopen error. The harness has the same loader (testbed imports no harness code).
function loadRe2(): typeof RE2Type {
  if (re2 !== undefined) return re2
  try {
    re2 = createRequire(import.meta.url)('re2') as typeof RE2Type
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    const abi = /NODE_MODULE_VERSION (\d+)[\s\S]*NODE_MODULE_VERSION (\d+)/.exec(e.message)
    const why = e.code === 'MODULE_NOT_FOUND' ? 'is not installed or not built' : abi !== null ? `was built for another Node.js (NODE_MODULE_VERSION ${abi[1]}; Node.js ${process.version} needs ${abi[2]})` : `cannot be loaded (${e.message.split('\n', 1)[0]})`
    throw new Error(`the native module re2 ${why}; run \`npm rebuild re2\` with this Node, or use --regex-engine regexp`)
  }
  return re2
}

/** compilePattern compiles `source` anchored at both ends with the chosen engine. */
export function compilePattern(source: string, engine: RegexEngine): Pattern {
  const anchored = `^(?:${source})$`
  const RE2 = engine === 're2' ? loadRe2() : undefined // outside the try: a missing addon is not a bad pattern
  let regex: RegExp
  try {
    regex = RE2 !== undefined ? (new RE2(anchored) as unknown as RegExp) : new RegExp(anchored)
  } catch (error) {
    throw new PatternError(`invalid pattern ${JSON.stringify(source)} for ${engine}: ${(error as Error).message}`)
  }
  return {
    source,
    test: (value) => regex.test(value),
    replace: (value, replacement) => value.replace(regex, replacement),
  }
}
