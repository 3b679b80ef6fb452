// One flag parser for every command. It accepts Go's spelling (`-count=10`, `-count 10`,
// `-benchmem`) and the double-dash form (`--count=10`, `--count 10`) alike.
import { EXIT_OK } from './command.ts'

/** UsageError is a bad command line: the CLI prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** FlagKind says how a flag's value is parsed. */
export type FlagKind = 'boolean' | 'string' | 'integer' | 'number' | 'list'

/** FlagSpec describes one flag of a command. */
export interface FlagSpec {
  readonly kind: FlagKind
  /** One line for --help; say the unit and the default. */
  readonly help: string
  /** Placeholder for the value in --help (`regexp`, `n`, `dur`). */
  readonly valueName?: string
  /** Other spellings (`o` for `output`). */
  readonly aliases?: readonly string[]
  /** May be given more than once; the values are collected (kind must be string or list). */
  readonly repeatable?: boolean
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>

/** FlagValue is what a flag parses to, by kind. */
export type FlagValue = boolean | string | number | string[]

/** ParsedArgs holds the flags that were given (by canonical name) and the positional arguments. */
export interface ParsedArgs {
  readonly flags: Readonly<Record<string, FlagValue>>
  readonly positionals: readonly string[]
  /** True when --help, -help or -h was given. */
  readonly help: boolean
}

/** parseArgs parses `argv` against `specs`; it throws UsageError naming the offending flag. */
export function parseArgs(argv: readonly string[], specs: FlagSpecs): ParsedArgs {
  const byName = new Map<string, [string, FlagSpec]>()
  for (const [name, spec] of Object.entries(specs)) {
    byName.set(name, [name, spec])
    for (const alias of spec.aliases ?? []) byName.set(alias, [name, spec])
  }
  const flags: Record<string, FlagValue> = {}
  const positionals: string[] = []
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg)
      continue
    }
    const body = arg.replace(/^--?/, '')
    const eq = body.indexOf('=')
    const rawName = eq === -1 ? body : body.slice(0, eq)
    if (rawName === 'help' || rawName === 'h') {
      help = true
      continue
    }
    const entry = byName.get(rawName)
    if (entry === undefined) throw new UsageError(`unknown flag ${arg.split('=')[0]}`)
    const [name, spec] = entry
    let text: string | undefined = eq === -1 ? undefined : body.slice(eq + 1)
    if (spec.kind === 'boolean') {
      flags[name] = parseBoolean(arg, text)
      continue
    }
    if (text === undefined) {
      const next = argv[i + 1]
      if (next === undefined) throw new UsageError(`flag ${arg} needs a value (${spec.valueName ?? spec.kind})`)
      text = next
      i++
    }
    const value = parseValue(arg, spec, text)
    if (spec.repeatable === true && flags[name] !== undefined) {
      const prior = flags[name]
      flags[name] = [...(Array.isArray(prior) ? prior : [String(prior)]), ...(Array.isArray(value) ? value : [String(value)])]
    } else {
      flags[name] = value
    }
  }
  return { flags, positionals, help }
}

function parseBoolean(arg: string, text: string | undefined): boolean {
  if (text === undefined || text === 'true' || text === '1') return true
  if (text === 'false' || text === '0') return false
  throw new UsageError(`flag ${arg.split('=')[0]}: expected true or false, found "${text}"`)
}

function parseValue(arg: string, spec: FlagSpec, text: string): FlagValue {
  const flag = arg.split('=')[0]
  switch (spec.kind) {
    case 'string':
      return text
    case 'integer': {
      if (!/^-?\d+$/.test(text)) throw new UsageError(`flag ${flag}: expected a whole number, found "${text}"`)
      return Number(text)
    }
    case 'number': {
      const n = Number(text)
      if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`flag ${flag}: expected a number, found "${text}"`)
      return n
    }
    case 'list':
      return text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')
    default:
      return text
  }
}

/** printUsage writes a command's --help text (formatUsage) to stdout and returns EXIT_OK, as `--help` exits. */
export function printUsage(synopsis: string, description: string, specs: FlagSpecs): number {
  process.stdout.write(formatUsage(synopsis, description, specs))
  return EXIT_OK
}

/** formatUsage renders a command's --help text from its synopsis, description and flags. */
export function formatUsage(synopsis: string, description: string, specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const names = [name, ...(spec.aliases ?? [])].map((n) => `-${n}`).join(', ')
    const value = spec.kind === 'boolean' ? '' : ` ${spec.valueName ?? spec.kind}`
    return [`  ${names}${value}`, spec.help] as const
  })
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + 2
  const flagText = rows.map(([left, help]) => `${left.padEnd(width)}${help}`).join('\n')
  return `usage: ${synopsis}\n\n${description}\n\nFlags (Go's -flag=value or --flag value):\n${flagText}\n  -h, --help${' '.repeat(Math.max(1, width - 12))}show this help\n`
}
