// Go's duration syntax (time.ParseDuration): "300ms", "1.5s", "2h45m". Used by -benchtime,
// -timeout and the stage durations of load scenarios.

const NS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
}

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y

/** parseDurationNs parses a Go duration into nanoseconds; it returns undefined when malformed. */
export function parseDurationNs(text: string): number | undefined {
  let rest = text.trim()
  let sign = 1
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1
    rest = rest.slice(1)
  }
  if (rest === '0') return 0
  if (rest === '') return undefined
  let total = 0
  PART.lastIndex = 0
  while (PART.lastIndex < rest.length) {
    const match = PART.exec(rest)
    if (match === null) return undefined
    total += Number(match[1]) * (NS_PER_UNIT[match[2] as string] as number)
  }
  return sign * total
}

/** formatDurationNs prints nanoseconds the way Go's Duration.String does, to millisecond-ish precision. */
export function formatDurationNs(ns: number): string {
  if (ns === 0) return '0s'
  const abs = Math.abs(ns)
  const sign = ns < 0 ? '-' : ''
  if (abs < 1e3) return `${sign}${abs}ns`
  if (abs < 1e6) return `${sign}${trim(abs / 1e3)}µs`
  if (abs < 1e9) return `${sign}${trim(abs / 1e6)}ms`
  const hours = Math.floor(abs / 3600e9)
  const minutes = Math.floor((abs % 3600e9) / 60e9)
  const seconds = (abs % 60e9) / 1e9
  return `${sign}${hours > 0 ? `${hours}h` : ''}${hours > 0 || minutes > 0 ? `${minutes}m` : ''}${trim(seconds)}s`
}

function trim(value: number): string {
  return String(Number(value.toFixed(3)))
}
