// A streaming pretty-printer for compact JSON text: slurmrestd prints pretty JSON by default, and a
// 0.5 GB body cannot be JSON.parse'd into one value to re-stringify it. It indents two spaces and
// writes `"key": value`, as JSON.stringify(v, null, 2) does; empty `[]` and `{}` stay on one line.
// Hand-written because no library re-indents JSON incrementally across chunk boundaries.

const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d
const COMMA = 0x2c, COLON = 0x3a, QUOTE = 0x22, BACKSLASH = 0x5c

/** PrettyPrinter re-indents a compact JSON text given in any number of chunks. */
export class PrettyPrinter {
  private depth: number
  private inString = false
  private escaped = false
  /** pendingOpen holds `[` or `{` until the next character shows whether it is empty. */
  private pendingOpen = ''

  constructor(initialDepth = 0) {
    this.depth = initialDepth
  }

  private newline(): string {
    return '\n' + '  '.repeat(this.depth)
  }

  /** write returns the pretty form of `chunk`, continuing from the previous chunks. */
  write(chunk: string): string {
    let out = ''
    let runStart = 0
    const n = chunk.length
    for (let i = 0; i < n; i++) {
      const ch = chunk.charCodeAt(i)
      if (this.inString) {
        if (this.escaped) this.escaped = false
        else if (ch === BACKSLASH) this.escaped = true
        else if (ch === QUOTE) this.inString = false
        continue
      }
      if (this.pendingOpen !== '') {
        const open = this.pendingOpen
        this.pendingOpen = ''
        if ((open === '[' && ch === CLOSE_BRACKET) || (open === '{' && ch === CLOSE_BRACE)) {
          out += open
          runStart = i
          continue
        }
        this.depth++
        out += open + this.newline()
        runStart = i
      }
      if (ch === QUOTE) {
        this.inString = true
      } else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
        out += chunk.slice(runStart, i)
        this.pendingOpen = ch === OPEN_BRACE ? '{' : '['
        runStart = i + 1
      } else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
        out += chunk.slice(runStart, i)
        this.depth--
        out += this.newline() + chunk[i]
        runStart = i + 1
      } else if (ch === COMMA) {
        out += chunk.slice(runStart, i) + ',' + this.newline()
        runStart = i + 1
      } else if (ch === COLON) {
        out += chunk.slice(runStart, i) + ': '
        runStart = i + 1
      }
    }
    return out + chunk.slice(runStart)
  }
}
