// Benchmark naming, as Go's src/testing/match.go (rewrite, unique) and benchmark.go
// (benchmarkName): the names printed here are the keys benchstat and the baselines join on.

/** isBenchmarkName reports whether an export is a benchmark: `Benchmark` followed by nothing or a non-lower-case letter (Go's isTest). */
export function isBenchmarkName(name: string): boolean {
  if (!name.startsWith('Benchmark')) return false
  const next = name.slice('Benchmark'.length)
  if (next === '') return true
  const first = String.fromCodePoint(next.codePointAt(0) as number)
  return !/^\p{Ll}$/u.test(first)
}

// Go's isSpace in match.go: the runes replaced by `_` in sub-benchmark names.
const GO_SPACES = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/u
// Go's strconv.IsPrint is false for control, format, surrogate, private-use and unassigned runes.
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u

const GO_ESCAPES: Readonly<Record<number, string>> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' }

/** quoteRune returns Go's strconv.QuoteRune escape of a non-printable rune, without the quotes. */
function quoteRune(codePoint: number): string {
  const named = GO_ESCAPES[codePoint]
  if (named !== undefined) return named
  if (codePoint < 0x80) return `\\x${codePoint.toString(16).padStart(2, '0')}`
  if (codePoint < 0x10000) return `\\u${codePoint.toString(16).padStart(4, '0')}`
  return `\\U${codePoint.toString(16).padStart(8, '0')}`
}

/** rewriteName sanitizes one sub-benchmark name as Go's rewrite: spaces → `_`, non-printables → escapes. */
export function rewriteName(name: string): string {
  let out = ''
  for (const char of name) {
    if (GO_SPACES.test(char)) out += '_'
    else if (NON_PRINTABLE.test(char)) out += quoteRune(char.codePointAt(0) as number)
    else out += char
  }
  return out
}

/**
 * NameRegistry hands out unique sub-benchmark names within one process, as Go's matcher.unique:
 * a repeated name gets `#01`, `#02`…, an empty one becomes `#00`.
 */
export class NameRegistry {
  private readonly next = new Map<string, number>()

  /** unique returns the full name of sub-benchmark `subName` (already rewritten) under `parent`. */
  unique(parent: string, subName: string): string {
    let name = `${parent}/${subName}`
    let empty = subName === ''
    for (;;) {
      const count = this.next.get(name)
      if (!empty && count === undefined) {
        this.next.set(name, 1)
        return name
      }
      const used = count ?? 0
      this.next.set(name, used + 1)
      name = `${name}#${String(used).padStart(2, '0')}`
      empty = false
    }
  }
}

/** procsName appends Go's `-P` suffix (GOMAXPROCS there, the -cpu concurrency here) when P is not 1. */
export function procsName(name: string, procs: number): string {
  return procs === 1 ? name : `${name}-${procs}`
}
