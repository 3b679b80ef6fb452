// Reading the slurmbench command lines out of manifests' shell scripts, and the flags out of a
// command's --help, so a test can check that every command and flag a manifest uses exists.

/** Invocation is one `slurmbench …` command line of a script, split into shell words. */
export interface Invocation {
  readonly line: string
  readonly words: readonly string[]
}

/**
 * shellWords splits a line as sh would for our purposes: quotes group, `$VAR` stays as text,
 * and the line ends at an unquoted `||`, `&&`, `;`, `|`, `>` or `#`.
 */
export function shellWords(line: string): string[] {
  const words: string[] = []
  let word: string | undefined
  let quote: '"' | "'" | undefined
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string
    if (quote !== undefined) {
      if (char === quote) quote = undefined
      else word = (word ?? '') + char
      continue
    }
    if (char === '"' || char === "'") {
      quote = char
      word ??= ''
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word)
      word = undefined
    } else if (';|&>#'.includes(char) && word === undefined) {
      break
    } else {
      word = (word ?? '') + char
    }
  }
  if (word !== undefined) words.push(word)
  return words
}

/** slurmbenchInvocations finds the lines of a script that run slurmbench (also after `exec`, `if …; then`). */
export function slurmbenchInvocations(script: string): Invocation[] {
  const found: Invocation[] = []
  for (const raw of script.split('\n')) {
    const at = raw.search(/(?:^|[\s;]|then\s)slurmbench\s/)
    if (at < 0 || raw.trimStart().startsWith('#')) continue
    const line = raw.slice(raw.indexOf('slurmbench', at))
    found.push({ line, words: shellWords(line) })
  }
  return found
}

/** HelpFlag is one flag of a command's help: its names (without dashes) and whether it takes a value. */
export interface HelpFlag {
  readonly names: readonly string[]
  readonly takesValue: boolean
}

/**
 * helpFlags reads the flag table of a --help text: lines that start (after spaces) with `-name`,
 * aliases separated by commas, an optional value name, then two or more spaces and the help.
 */
export function helpFlags(help: string): HelpFlag[] {
  const flags: HelpFlag[] = []
  for (const line of help.split('\n')) {
    const match = /^\s+(-{1,2}[a-z][\w-]*(?:,\s+-{1,2}[a-z][\w-]*)*)((?:\s[A-Za-z][\w|.…-]*)?)(?:\s{2,}|$)/.exec(line)
    if (match === null) continue
    const names = (match[1] as string).split(/,\s+/).map((name) => name.replace(/^-+/, ''))
    flags.push({ names, takesValue: (match[2] as string).trim() !== '' })
  }
  return flags
}

/** unknownFlags returns the flags of `args` (words after the command) that `flags` does not list. */
export function unknownFlags(args: readonly string[], flags: readonly HelpFlag[]): string[] {
  const unknown: string[] = []
  for (let i = 0; i < args.length; i++) {
    const match = /^--?([a-z][\w-]*)(=.*)?$/.exec(args[i] as string)
    if (match === null) continue
    const flag = flags.find((f) => f.names.includes(match[1] as string))
    if (flag === undefined) unknown.push(args[i] as string)
    else if (flag.takesValue && match[2] === undefined) i++
  }
  return unknown
}
