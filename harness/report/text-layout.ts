// Fixed-width table layout, a port of golang/perf cmd/benchstat/internal/texttab: cells may span
// columns, have a left margin and an alignment; "shrink" columns keep their minimum width while
// wide spanning cells stretch the others. Needed to reproduce benchstat's tables byte for byte.

/** Align is how a cell's text sits in its width. */
export type Align = 'left' | 'center' | 'right'

/** CellOptions are the optional settings of a cell. */
export interface CellOptions {
  readonly align?: Align
  readonly leftMargin?: string
}

interface LayoutCell {
  readonly row: number
  readonly col: number
  readonly span: number
  readonly value: string
  readonly leftMargin: string
  readonly align: Align
}

function runeCount(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

/** TextLayout builds a table cell by cell, then formats it. */
export class TextLayout {
  private readonly cells: LayoutCell[] = []
  private cols = 0
  private readonly shrink: boolean[] = []
  private curRow = 0
  private curCol = 0

  /** row starts a new row. */
  row(): this {
    if (this.cells.length > 0) this.curRow++
    this.curCol = 0
    return this
  }

  /** col moves to column `col` of the current row (never backwards). */
  col(col: number): this {
    if (col < this.curCol) throw new Error(`cannot move from column ${this.curCol} to earlier column ${col}`)
    this.curCol = col
    return this
  }

  /** currentCol is the column the next cell goes to. */
  currentCol(): number {
    return this.curCol
  }

  /** cell adds a one-column cell. */
  cell(value: string, options: CellOptions = {}): this {
    return this.span(1, value, options)
  }

  /** span adds a cell spanning `cols` columns. */
  span(cols: number, value: string, options: CellOptions = {}): this {
    const defaultMargin = this.curCol === 0 || value.length === 0 ? '' : ' '
    this.cells.push({
      row: this.curRow,
      col: this.curCol,
      span: cols,
      value,
      leftMargin: options.leftMargin ?? defaultMargin,
      align: options.align ?? 'left',
    })
    this.curCol += cols
    if (this.curCol > this.cols) this.cols = this.curCol
    return this
  }

  /** setShrink marks a column as keeping its minimum width. */
  setShrink(col: number, shrink: boolean): void {
    while (this.shrink.length < col + 1) this.shrink.push(false)
    this.shrink[col] = shrink
  }

  /** format lays the table out; every line ends with "\n". */
  format(): string {
    const isShrink = (col: number): boolean => this.shrink[col] ?? false
    const lmargin = new Array<number>(this.cols).fill(0)
    for (const c of this.cells) lmargin[c.col] = Math.max(runeCount(c.leftMargin), lmargin[c.col] as number)
    const ws = new Array<number>(this.cols).fill(0)
    // Narrow spans first. Go's sort is unstable; for benchstat's tables only cells with a single
    // stretchable column share a span width and overlap, where order cannot matter.
    const bySpan = [...this.cells].sort((a, b) => a.span - b.span)
    for (const c of bySpan) {
      let w = runeCount(c.value) + (lmargin[c.col] as number)
      if (c.span === 1) {
        ws[c.col] = Math.max(ws[c.col] as number, w)
        continue
      }
      let tw = 0
      for (let col = c.col; col < c.col + c.span; col++) tw += ws[col] as number
      if (tw >= w) continue
      const spanCols: number[] = []
      for (let col = c.col; col < c.col + c.span; col++) {
        if (isShrink(col)) w -= ws[col] as number
        else spanCols.push(col)
      }
      spanCols.sort((a, b) => (ws[b] as number) - (ws[a] as number))
      let span = spanCols.length
      for (const col of spanCols) {
        const avg = Math.floor((w + span - 1) / span)
        ws[col] = Math.max(ws[col] as number, avg)
        w -= ws[col] as number
        span--
      }
    }
    const offs = new Array<number>(this.cols + 1).fill(0)
    let total = 0
    for (let i = 0; i < ws.length; i++) {
      offs[i] = total
      total += ws[i] as number
    }
    offs[ws.length] = total
    const ordered = [...this.cells].sort((a, b) => (a.row !== b.row ? a.row - b.row : a.col - b.col))
    let out = ''
    let row = 0
    let off = 0
    for (const c of ordered) {
      if (c.value.trim() === '' && c.leftMargin.trim() === '') continue
      while (c.row > row) {
        out += '\n'
        row++
        off = 0
      }
      const spaces = (offs[c.col] as number) - off
      const margin = lmargin[c.col] as number
      out += ' '.repeat(Math.max(0, spaces)) + c.leftMargin.padStart(margin + (c.leftMargin.length - runeCount(c.leftMargin)))
      off += spaces + margin
      const tw = (offs[c.col + c.span] as number) - (offs[c.col] as number) - margin
      const text = pad(c.value, tw, c.align)
      out += text
      off += runeCount(text)
    }
    if (this.cells.length > 0) out += '\n'
    return out
  }
}

function pad(value: string, width: number, align: Align): string {
  const len = runeCount(value)
  if (align === 'center') return ' '.repeat(Math.max(0, Math.floor((width - len) / 2))) + value
  if (align === 'right') return ' '.repeat(Math.max(0, width - len)) + value
  return value
}
