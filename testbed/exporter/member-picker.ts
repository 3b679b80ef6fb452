// Reading only the members a collector uses from one list element's JSON text.
//
// Why: a slurmrestd job has 135 members; the jobs collector reads 15. One JSON.parse per element
// builds all 135 (nested objects included), and V8 gives a parsed object of 128 or more
// properties dictionary-mode storage, so every later property read is a hash lookup. Picking
// walks the element's top level, skips the other members' text and parses only the wanted
// values: on a pretty 5,000-job answer, 213 ms against 272 ms for JSON.parse of every element,
// and the small objects it builds are read twice as fast by the aggregator
// (benchmarks/cpu/exporter-json-parse.bench.ts, exporter-processing.bench.ts).
// Skipped members are checked for structure (brackets, strings, separators), not parsed: a
// malformed number in a member nobody reads goes unnoticed, as with simdjson's On Demand API.

import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, NEXT_BRACKET, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './json-tokens.ts'

/** PICK_INCOMPLETE is what pick returns when the text ends before the object does. */
export const PICK_INCOMPLETE = -1

/** MemberPickError reports malformed JSON at `index` of the text handed to pick. */
export class MemberPickError extends Error {
  override name = 'MemberPickError'
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message)
  }
}

/**
 * MemberPicker reads JSON objects keeping only the members named in `fields`; the objects it
 * builds have those members in document order and no others.
 */
export class MemberPicker {
  /** Item is the object the last complete pick built. */
  item: Record<string, unknown> = {}
  // Wanted names grouped by length: most member names are rejected by one array read.
  private readonly byLength: (string[] | undefined)[] = []

  constructor(fields: readonly string[]) {
    for (const field of fields) (this.byLength[field.length] ??= []).push(field)
  }

  /**
   * pick reads the object whose `{` is at `from` in `text`. It returns the index after the
   * closing `}` and leaves the object in `item`, or PICK_INCOMPLETE when the text ends first.
   * It throws MemberPickError on malformed JSON and SyntaxError on a malformed wanted value.
   */
  pick(text: string, from: number): number {
    const item: Record<string, unknown> = {}
    const length = text.length
    let p = from + 1
    let first = true
    for (;;) {
      p = skipSpace(text, p)
      if (p >= length) return PICK_INCOMPLETE
      let c = text.charCodeAt(p)
      if (c === CLOSE_OBJECT) {
        this.item = item
        return p + 1
      }
      if (!first) {
        if (c !== COMMA) throw new MemberPickError(`expected "," or "}" but found "${text[p]}"`, p)
        p = skipSpace(text, p + 1)
        if (p >= length) return PICK_INCOMPLETE
        c = text.charCodeAt(p)
      }
      first = false
      if (c !== QUOTE) throw new MemberPickError(`expected a member name but found "${text[p]}"`, p)
      const nameEnd = closingQuote(text, p + 1)
      if (nameEnd < 0) return PICK_INCOMPLETE
      const name = this.wanted(text, p + 1, nameEnd)
      p = skipSpace(text, nameEnd + 1)
      if (p >= length) return PICK_INCOMPLETE
      if (text.charCodeAt(p) !== COLON) throw new MemberPickError(`expected ":" but found "${text[p]}"`, p)
      p = skipSpace(text, p + 1)
      if (p >= length) return PICK_INCOMPLETE
      const end = valueEnd(text, p)
      if (end < 0) return PICK_INCOMPLETE
      if (name !== undefined) item[name] = parseValue(text, p, end)
      p = end
    }
  }

  // The wanted field spelled by text[start, end), if any. Member names holding escapes are
  // compared as written; the exporter's fields have none.
  private wanted(text: string, start: number, end: number): string | undefined {
    const candidates = this.byLength[end - start]
    if (candidates === undefined) return undefined
    for (const field of candidates) if (text.startsWith(field, start)) return field
    return undefined
  }
}

function skipSpace(text: string, p: number): number {
  for (;;) {
    const c = text.charCodeAt(p)
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return p
    p++
  }
}

// Index of the quote closing a string whose contents start at `from`, or -1 when the text ends first.
function closingQuote(text: string, from: number): number {
  for (let j = from; ; ) {
    const q = text.indexOf('"', j)
    if (q < 0) return -1
    let k = q - 1
    while (k >= from && text.charCodeAt(k) === BACKSLASH) k--
    if (((q - 1 - k) & 1) === 0) return q
    j = q + 1
  }
}

// Index after the value starting at `v`, or -1 when the text ends first. Nested objects and
// arrays are crossed bracket by bracket (one native regex test each, strings inside crossed whole).
function valueEnd(text: string, v: number): number {
  const c = text.charCodeAt(v)
  if (c === QUOTE) {
    const q = closingQuote(text, v + 1)
    return q < 0 ? -1 : q + 1
  }
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 1
    NEXT_BRACKET.lastIndex = v + 1
    for (;;) {
      if (!NEXT_BRACKET.test(text)) return -1
      const end = NEXT_BRACKET.lastIndex
      const last = text.charCodeAt(end - 1)
      if (last === OPEN_OBJECT || last === OPEN_ARRAY) depth++
      else if (--depth === 0) return end
    }
  }
  for (let e = v; e < text.length; e++) {
    const d = text.charCodeAt(e)
    if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) {
      if (e === v) throw new MemberPickError(`expected a value but found "${text[e]}"`, e)
      return e
    }
  }
  return -1
}

/**
 * MAX_COPIED_SLICE_CHARS: V8 copies a slice shorter than 13 characters; a longer one is a view
 * that keeps the whole chunk text (64 KiB) alive for as long as the value is held, and label
 * values live in the snapshot between scrapes.
 */
const MAX_COPIED_SLICE_CHARS = 12

// Short strings without escapes are sliced; everything else goes to the native parser, which
// builds fresh strings and rejects malformed values.
function parseValue(text: string, start: number, end: number): unknown {
  if (text.charCodeAt(start) === QUOTE && end - start - 2 <= MAX_COPIED_SLICE_CHARS) {
    const inner = text.slice(start + 1, end - 1)
    if (!inner.includes('\\')) return inner
  }
  return JSON.parse(text.slice(start, end))
}
