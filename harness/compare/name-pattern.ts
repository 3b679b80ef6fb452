// Name and unit patterns of the tolerance policy. Globs by default — `*` matches any run of
// characters except `/` (one sub-benchmark level), `**` matches anything, `?` one character —
// matched against the whole name; a pattern written `/…/` is an RE2 regular expression matched
// anywhere in the name, like Go's -bench. RE2 keeps a hand-edited pattern from backtracking.
import { loadRe2 } from '../../common/re2.ts'

/** NamePattern is a compiled pattern. */
export interface NamePattern {
  readonly source: string
  test(name: string): boolean
}

/** globToRegExpSource converts a glob to an anchored regular expression. */
export function globToRegExpSource(glob: string): string {
  let out = '^'
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        out += '.*'
        i++
      } else out += '[^/]*'
    } else if (ch === '?') out += '[^/]'
    else out += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')
  }
  return `${out}$`
}

/** compilePattern compiles a policy pattern; it throws a plain Error with RE2's message when the regexp is invalid. */
export function compilePattern(source: string): NamePattern {
  const isRegexp = source.length >= 2 && source.startsWith('/') && source.endsWith('/')
  const re = new (loadRe2())(isRegexp ? source.slice(1, -1) : globToRegExpSource(source), 'u')
  return { source, test: (name) => re.test(name) }
}
