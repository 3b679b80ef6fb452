// Pattern matching for filters and relabeling. RE2 runs in time linear in the input, so a
// pattern from configuration cannot make a scrape hang on a crafted label value (RegExp
// backtracks: `(a+)+$` on 30 a's and a b takes seconds). RegExp stays selectable for comparison
// (benchmarks/cpu/exporter-regex.bench.ts).

import { loadRe2 as loadRe2Addon, NativeModuleError, type Re2Constructor } from '../../common/re2.ts'

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

// Loaded on first use (common/re2.ts), so `--regex-engine regexp` works where the addon cannot load.
function loadRe2(): Re2Constructor {
  try {
    return loadRe2Addon()
  } catch (error) {
    if (error instanceof NativeModuleError) throw new NativeModuleError(`${error.message}, or use --regex-engine regexp`)
    throw error
  }
}

/**
 * compilePattern compiles `source` anchored at both ends with the chosen engine. The pattern is
 * first compiled as written, so an error quotes what the user wrote (not the anchored form) and
 * an unbalanced `a)|(b` cannot escape the anchoring group.
 */
export function compilePattern(source: string, engine: RegexEngine): Pattern {
  const RE2 = engine === 're2' ? loadRe2() : undefined // outside the try: a missing addon is not a bad pattern
  const compile = (text: string): RegExp => (RE2 !== undefined ? (new RE2(text) as unknown as RegExp) : new RegExp(text))
  let regex: RegExp
  try {
    compile(source)
    regex = compile(`^(?:${source})$`)
  } catch (error) {
    throw new PatternError(`invalid pattern ${JSON.stringify(source)} for ${engine}: ${(error as Error).message}`)
  }
  return {
    source,
    test: (value) => regex.test(value),
    replace: (value, replacement) => value.replace(regex, replacement),
  }
}
