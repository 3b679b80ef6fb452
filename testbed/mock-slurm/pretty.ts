// A streaming pretty-printer for compact JSON text: slurmrestd prints pretty JSON by default, and a
// 0.5 GB body cannot be JSON.parse'd into one value to re-stringify it. It indents two spaces and
// writes `"key": value`, as JSON.stringify(v, null, 2) does; empty `[]` and `{}` stay on one line.
// Hand-written because no library re-indents JSON incrementally across chunk boundaries.

const OPEN_BRACE = 0x7b,
  CLOSE_BRACE = 0x7d,
  OPEN_BRACKET = 0x5b,
  CLOSE_BRACKET = 0x5d
const COMMA = 0x2c,
  COLON = 0x3a,
  QUOTE = 0x22,
  BACKSLASH = 0x5c

// Newline-plus-indent strings by depth, built once: building them per line cost more than the scan.
const INDENTS: string[] = []
function indent(depth: number): string {
  for (let d = INDENTS.length; d <= depth; d++) INDENTS.push('\n' + '  '.repeat(d))
  return INDENTS[depth] as string
}

/** PrettyPrinter re-indents a compact JSON text given in any number of chunks. */
export class PrettyPrinter {
  private depth: number
  private inString = false
  /** escaped is true when the previous chunk ended inside a string on a backslash. */
  private escaped = false
  /** pendingOpen holds `[` or `{` until the next character shows whether it is empty. */
  private pendingOpen = ''

  constructor(initialDepth = 0) {
    this.depth = initialDepth
  }

  /**
   * skipString returns the index just past the closing quote of the string whose body starts at
   * `from`, or -1 when the string continues into the next chunk. indexOf jumps over the (long)
   * string bodies, which is where most characters of a Slurm response are.
   */
  private skipString(chunk: string, from: number): number {
    let i = from
    if (this.escaped) {
      this.escaped = false
      i++
    }
    for (;;) {
      const q = chunk.indexOf('"', i)
      if (q < 0) {
        // Still inside the string; remember a trailing unpaired backslash.
        let n = 0
        for (let k = chunk.length - 1; k >= i && chunk.charCodeAt(k) === BACKSLASH; k--) n++
        this.escaped = n % 2 === 1
        return -1
      }
      let n = 0
      for (let k = q - 1; k >= i && chunk.charCodeAt(k) === BACKSLASH; k--) n++
      if (n % 2 === 0) return q + 1
      i = q + 1
    }
  }

  /** write returns the pretty form of `chunk`, continuing from the previous chunks. */
  write(chunk: string): string {
    let out = ''
    let runStart = 0
    let i = 0
    const n = chunk.length
    if (this.inString) {
      const end = this.skipString(chunk, 0)
      if (end < 0) return chunk
      this.inString = false
      i = end
    }
    while (i < n) {
      const ch = chunk.charCodeAt(i)
      if (this.pendingOpen !== '') {
        const open = this.pendingOpen
        this.pendingOpen = ''
        if ((open === '[' && ch === CLOSE_BRACKET) || (open === '{' && ch === CLOSE_BRACE)) {
          out += open + chunk[i]
          runStart = ++i
          continue
        }
        this.depth++
        out += open + indent(this.depth)
        runStart = i
      }
      if (ch === QUOTE) {
        const end = this.skipString(chunk, i + 1)
        if (end < 0) {
          this.inString = true
          return out + chunk.slice(runStart)
        }
        i = end
        continue
      }
      if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
        out += chunk.slice(runStart, i)
        this.pendingOpen = ch === OPEN_BRACE ? '{' : '['
        runStart = i + 1
      } else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
        this.depth--
        out += chunk.slice(runStart, i) + indent(this.depth) + chunk[i]
        runStart = i + 1
      } else if (ch === COMMA) {
        out += chunk.slice(runStart, i) + ',' + indent(this.depth)
        runStart = i + 1
      } else if (ch === COLON) {
        out += chunk.slice(runStart, i) + ': '
        runStart = i + 1
      }
      i++
    }
    return out + chunk.slice(runStart)
  }
}
