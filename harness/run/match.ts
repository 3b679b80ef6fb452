// The -bench filter, as Go's src/testing/match.go: the pattern is split on unbracketed `/` (and
// top-level `|` into alternatives) and each part matches one level of the name, unanchored.
// Go's regexp is RE2, so the parts compile with re2: same syntax, linear time.
import type RE2Type from 're2'
import { loadRe2 } from '../../common/re2.ts'

type RE2 = RE2Type

/** NameMatch says how a benchmark name relates to the -bench pattern. */
export interface NameMatch {
  /** Every level of the name matched its part of the pattern. */
  readonly ok: boolean
  /** The name has fewer levels than the pattern: only its sub-benchmarks can match fully. */
  readonly partial: boolean
}

/** splitPattern splits a -bench pattern into alternatives of per-level parts (Go's splitRegexp). */
export function splitPattern(pattern: string): string[][] {
  const alternatives: string[][] = []
  let parts: string[] = []
  let rest = pattern
  let brackets = 0
  let parens = 0
  let i = 0
  while (i < rest.length) {
    const char = rest[i]
    if (char === '[') brackets++
    else if (char === ']')
      brackets = Math.max(0, brackets - 1) // an unmatched ']' is legal
    else if (char === '(' && brackets === 0) parens++
    else if (char === ')' && brackets === 0) parens--
    else if (char === '\\') i++
    else if ((char === '/' || char === '|') && brackets === 0 && parens === 0) {
      parts.push(rest.slice(0, i))
      rest = rest.slice(i + 1)
      i = 0
      if (char === '|') {
        alternatives.push(parts)
        parts = []
      }
      continue
    }
    i++
  }
  parts.push(rest)
  alternatives.push(parts)
  return alternatives
}

/** BenchMatcher matches full benchmark names (`BenchmarkX/sub/sub2`) against a -bench pattern. */
export class BenchMatcher {
  private readonly alternatives: RE2[][]

  /** The constructor throws a SyntaxError naming the bad part when a part is not a valid regexp. */
  constructor(readonly pattern: string) {
    // Loaded on first use (a measuring worker never matches names), and outside the try: an addon
    // that cannot load is not an invalid regexp.
    const RE2 = loadRe2()
    this.alternatives = splitPattern(pattern).map((parts) =>
      parts.map((part) => {
        try {
          return new RE2(part, 'u')
        } catch (err) {
          throw new SyntaxError(`invalid regexp "${part}": ${(err as Error).message}`)
        }
      }),
    )
  }

  /** match tests the levels of `fullName` (split on `/`) against the pattern's parts. */
  match(fullName: string): NameMatch {
    const levels = fullName.split('/')
    // Go's alternationMatch: the first alternative that matches decides, partial or not.
    for (const parts of this.alternatives) {
      let matched = true
      for (let i = 0; i < levels.length && i < parts.length; i++) {
        if (!(parts[i] as RE2).test(levels[i] as string)) {
          matched = false
          break
        }
      }
      if (matched) return { ok: true, partial: levels.length < parts.length }
    }
    return { ok: false, partial: false }
  }
}
