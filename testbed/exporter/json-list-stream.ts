// A focused streaming reader for slurmrestd list answers (`{"jobs": [ {...}, … ], "meta": …}`).
//
// Why hand-written: a 100,000-job answer is ~0.5–1.3 GB of JSON, beyond V8's string limit
// (buffer.constants.MAX_STRING_LENGTH ≈ 512 MiB), so it cannot be one JSON.parse. stream-json
// tokenizes every value in JavaScript and reassembles objects token by token; this reader only
// finds element boundaries (skipping string contents with indexOf) and hands each element's text
// to the native JSON.parse. benchmarks/cpu/exporter-json-parse.bench.ts measures both.

import { StringDecoder } from 'node:string_decoder'
import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, NEXT_BRACKET, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './json-tokens.ts'
import { MemberPickError, MemberPicker, PICK_INCOMPLETE } from './member-picker.ts'

/** ListEnvelope holds the answer's other top-level keys (meta, errors, warnings, last_update, …), parsed. */
export type ListEnvelope = Record<string, unknown>

enum Mode {
  /** Before the top-level `{`. */
  Start,
  /** Inside the top-level object, outside any value being captured. */
  Top,
  /** Inside the list array, between elements. */
  List,
  /** Inside one list element (an object or array). */
  Element,
  /** Inside a non-list top-level value, captured whole. */
  Value,
  /** After the top-level `}`. */
  Done,
}

/** STRUCTURAL finds the next character that can change an element's nesting. */
const STRUCTURAL = /["{}[\]]/g

/** JsonListStreamError reports malformed or cut-short JSON, with the character offset where it was seen. */
export class JsonListStreamError extends Error {
  override name = 'JsonListStreamError'
}

/**
 * JsonListStream reads one JSON object whose `listKey` member is an array of objects, chunk by
 * chunk, and calls `onItem` with each parsed element as soon as its closing bracket arrives.
 * Every other top-level member is parsed whole and returned by `end()`. With `fields`, each
 * element is an object of those members only; the others are skipped unparsed (MemberPicker).
 */
export class JsonListStream {
  private readonly decoder = new StringDecoder('utf8')
  private mode = Mode.Start
  private depth = 0
  private inString = false
  private trailingBackslashes = 0
  private keyCarry = ''
  /** Text of the element or value in progress that began in an earlier chunk. */
  private carry = ''
  private lastString = ''
  private key = ''
  private awaitingValue = false
  private sawList = false
  private offset = 0
  private readonly envelope: ListEnvelope = {}
  /** Count is the number of list elements delivered so far. */
  count = 0
  private readonly picker: MemberPicker | undefined

  constructor(
    private readonly listKey: string,
    private readonly onItem: (item: unknown) => void,
    fields?: readonly string[],
  ) {
    this.picker = fields === undefined ? undefined : new MemberPicker(fields)
  }

  /** Write feeds the next chunk of the body. */
  write(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk)
    if (text.length > 0) this.scan(text)
    this.offset += text.length
  }

  /** End finishes the body and returns the other top-level members; it throws when the JSON was cut short. */
  end(): ListEnvelope {
    const rest = this.decoder.end()
    if (rest.length > 0) this.scan(rest)
    if (this.mode !== Mode.Done) {
      throw new JsonListStreamError(`JSON ended early after ${this.offset} characters (unclosed object or array)`)
    }
    if (!this.sawList) throw new JsonListStreamError(`the answer has no "${this.listKey}" list`)
    return this.envelope
  }

  private fail(message: string, index: number): never {
    throw new JsonListStreamError(`${message} at character ${this.offset + index}`)
  }

  // Picks the element at text[from]; MemberPicker's positions become stream offsets.
  private pickAt(text: string, from: number): number {
    try {
      return (this.picker as MemberPicker).pick(text, from)
    } catch (error) {
      if (error instanceof MemberPickError) this.fail(error.message, error.index)
      throw error
    }
  }

  // Picks a carried element, complete in `elementText`, whose last character is text[endIndex].
  private pickWhole(elementText: string, endIndex: number): unknown {
    const startIndex = endIndex + 1 - elementText.length
    try {
      const end = (this.picker as MemberPicker).pick(elementText, 0)
      if (end !== elementText.length) this.fail('malformed list element', endIndex)
    } catch (error) {
      if (error instanceof MemberPickError) this.fail(error.message, startIndex + error.index)
      throw error
    }
    return (this.picker as MemberPicker).item
  }

  // One pass over the chunk. Modes Element and Value only track depth and strings; the text
  // between their first and last character is cut out and parsed natively.
  private scan(text: string): void {
    const length = text.length
    let i = 0
    // Start of the element or value in progress within this chunk (0 when it began earlier).
    let start = 0
    if (this.inString) {
      const end = this.skipString(text, 0, this.trailingBackslashes)
      if (end < 0) {
        if (this.mode === Mode.Top) {
          this.keyCarry += text
          this.trailingBackslashes = countTrailingBackslashes(this.keyCarry)
        } else this.keepString(text, 0)
        return
      }
      if (this.mode === Mode.Top) {
        this.lastString = this.keyCarry + text.slice(0, end)
        this.keyCarry = ''
      } else if (this.mode === Mode.Value && this.depth === 1) this.finishValue(text, 0, end + 1)
      i = end + 1
    }
    // Set once the fast element scan reaches a string that may run past the chunk: from there the
    // exact character-by-character path finishes the chunk.
    let exact = false
    for (; i < length; i++) {
      if (this.mode === Mode.Element) {
        if (!exact) {
          const end = this.skipElementBody(text, i)
          if (end < 0) {
            exact = true
            i = -end - 1
            if (i >= length) break
          } else i = end
        }
        if (exact) {
          STRUCTURAL.lastIndex = i
          const match = STRUCTURAL.exec(text)
          if (match === null) break
          i = match.index
        }
      }
      const c = text.charCodeAt(i)
      if (c === QUOTE) {
        const stringStart = i
        const end = this.skipString(text, i + 1, 0)
        if (end < 0) {
          if (this.mode === Mode.Top && !this.awaitingValue) {
            // A key split across chunks: keep its characters so far.
            this.keyCarry = text.slice(stringStart + 1)
            this.trailingBackslashes = countTrailingBackslashes(this.keyCarry)
            this.inString = true
            return
          }
          if (this.mode === Mode.Top) {
            this.mode = Mode.Value
            this.awaitingValue = false
            start = stringStart
          }
          this.keepString(text, start)
          return
        }
        if (this.mode === Mode.Top) {
          if (this.awaitingValue) {
            this.awaitingValue = false
            this.mode = Mode.Value
            this.finishValue(text, stringStart, end + 1)
          } else this.lastString = text.slice(stringStart + 1, end)
        } else if (this.mode === Mode.Value && this.depth === 1) {
          this.finishValue(text, start, end + 1)
        } else if (this.mode === Mode.List) {
          this.fail(`"${this.listKey}" holds a string; expected objects`, i)
        }
        i = end
        continue
      }
      switch (this.mode) {
        case Mode.Start:
          if (c === OPEN_OBJECT) {
            this.mode = Mode.Top
            this.depth = 1
          } else if (!isSpace(c)) this.fail('expected "{"', i)
          break
        case Mode.Top:
          if (c === COLON) {
            this.key = this.lastString
            this.awaitingValue = true
          } else if (c === CLOSE_OBJECT) {
            this.mode = Mode.Done
            this.depth = 0
          } else if (c === COMMA || isSpace(c)) {
            // separators
          } else if (this.awaitingValue) {
            this.awaitingValue = false
            if (this.key === this.listKey && c === OPEN_ARRAY) {
              this.mode = Mode.List
              this.sawList = true
              this.depth = 2
            } else {
              // An object, an array, or a scalar (depth stays 1 until its end).
              this.mode = Mode.Value
              start = i
              if (c === OPEN_OBJECT || c === OPEN_ARRAY) this.depth = 2
            }
          } else this.fail(`unexpected "${text[i]}"`, i)
          break
        case Mode.List:
          if (this.picker !== undefined && c === OPEN_OBJECT) {
            // An element whole in this chunk is picked in one pass that also finds its end; one
            // that runs on is carried by the element scan below and picked once complete.
            const end = this.pickAt(text, i)
            if (end !== PICK_INCOMPLETE) {
              this.count++
              this.onItem(this.picker.item)
              i = end - 1
              break
            }
          } else if (this.picker !== undefined && c === OPEN_ARRAY) this.fail(`"${this.listKey}" holds an array; expected objects`, i)
          if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
            this.mode = Mode.Element
            this.depth = 3
            start = i
          } else if (c === CLOSE_ARRAY) {
            this.mode = Mode.Top
            this.depth = 1
          } else if (c !== COMMA && !isSpace(c)) this.fail(`"${this.listKey}" holds a scalar; expected objects`, i)
          break
        case Mode.Element:
          if (c === OPEN_OBJECT || c === OPEN_ARRAY) this.depth++
          else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
            if (--this.depth === 2) {
              const elementText = this.carry.length > 0 ? this.carry + text.slice(0, i + 1) : text.slice(start, i + 1)
              this.carry = ''
              this.mode = Mode.List
              this.count++
              this.onItem(this.picker === undefined ? JSON.parse(elementText) : this.pickWhole(elementText, i))
            }
          }
          break
        case Mode.Value:
          if (this.depth === 1) {
            // A scalar ends before a separator; the separator is then read again at the top level.
            if (c === COMMA || c === CLOSE_OBJECT || isSpace(c)) {
              this.finishValue(text, start, i)
              i--
            }
          } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) this.depth++
          else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
            if (--this.depth === 1) this.finishValue(text, start, i + 1)
          }
          break
        case Mode.Done:
          if (!isSpace(c)) this.fail('unexpected text after the JSON object', i)
          break
      }
    }
    if (this.mode === Mode.Element || this.mode === Mode.Value) this.keep(text, start)
  }

  /**
   * skipElementBody runs through an element from `from` (outside any string) with one native
   * regex test per bracket, strings crossed whole, and returns the index of the bracket that
   * closes the element, with depth still counting it open. When the chunk ends first it returns
   * -(p + 1): p, just after the last bracket found, is where the exact path must resume.
   */
  private skipElementBody(text: string, from: number): number {
    NEXT_BRACKET.lastIndex = from
    for (;;) {
      const p = NEXT_BRACKET.lastIndex
      if (!NEXT_BRACKET.test(text)) return -(p + 1)
      const end = NEXT_BRACKET.lastIndex
      const c = text.charCodeAt(end - 1)
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) this.depth++
      else if (this.depth === 3) return end - 1
      else this.depth--
    }
  }

  /**
   * Returns the index of the closing quote of a string whose contents start at `from`, or -1.
   * `backslashesBefore` counts the backslashes that ended the previous chunk, so that a quote
   * escaped across a chunk boundary is not taken for the end.
   */
  private skipString(text: string, from: number, backslashesBefore: number): number {
    let j = from
    for (;;) {
      const q = text.indexOf('"', j)
      if (q < 0) return -1
      let backslashes = 0
      let k = q - 1
      for (; k >= from && text.charCodeAt(k) === BACKSLASH; k--) backslashes++
      if (k < from) backslashes += backslashesBefore
      if ((backslashes & 1) === 0) {
        this.inString = false
        return q
      }
      j = q + 1
    }
  }

  private keepString(text: string, start: number): void {
    this.keep(text, start)
    this.trailingBackslashes = countTrailingBackslashes(this.carry)
    this.inString = true
  }

  private finishValue(text: string, start: number, endExclusive: number): void {
    const valueText = this.carry.length > 0 ? this.carry + text.slice(0, endExclusive) : text.slice(start, endExclusive)
    this.carry = ''
    this.mode = Mode.Top
    this.depth = 1
    try {
      this.envelope[this.key] = JSON.parse(valueText)
    } catch (error) {
      throw new JsonListStreamError(`member "${this.key}": ${(error as Error).message}`)
    }
  }

  private keep(text: string, start: number): void {
    this.carry = this.carry.length > 0 ? this.carry + text : text.slice(start)
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

function countTrailingBackslashes(text: string): number {
  let count = 0
  for (let k = text.length - 1; k >= 0 && text.charCodeAt(k) === BACKSLASH; k--) count++
  return count
}
