// Serializes the records of a big list as a template: the properties every record shares are
// serialized once, the ones that vary are serialized per record, each by the fast-json-stringify
// serializer compiled for that property's schema. A job has 135 properties of which about 45
// vary; serializing the whole object per record built ~800 small strings per job and capped
// /jobs at ~200 MB per CPU second before a single byte reached the socket.
//
// The output is byte-identical to the whole-object serializer's, because for the component
// schemas of the specs (only type/properties/items/nullable; no required, no
// additionalProperties) fast-json-stringify writes an object as `{`, then `"key":value` for each
// property of the schema that is not undefined, in schema order, separated by commas, then `}`.
import { flat, type Serialize } from './json-text.ts'

/** PropertySerializer returns the compiled serializer of one property of the record's schema. */
export type PropertySerializer = (key: string) => Serialize

// Each slot keeps the text of values that recur (table strings such as user or partition names,
// small integers, shared frozen objects such as UNSET or a state's flag list), at most
// SLOT_CACHE_MAX of them; a slot whose values keep missing after that (job ids, timestamps)
// stops looking up. Text depends on the property's schema, so caches are per slot.
const SLOT_CACHE_MAX = 1_024

/** RecordTemplate serializes records given as their varying properties only. */
export class RecordTemplate {
  // literals[i] precedes the value of keys[i]; the last literal closes the object.
  private readonly literals: string[] = []
  private readonly keys: string[] = []
  private readonly serializers: Serialize[] = []
  // A slot's cache holds the literal before the value joined with the value's text.
  private readonly caches: (Map<unknown, string> | null)[] = []
  private readonly misses: number[] = []

  /** serialize returns the JSON of the record whose varying properties are `variables`. */
  readonly serialize: (variables: Readonly<Record<string, unknown>>) => string

  /**
   * The template is the record schema's `properties` in order: a key of `constants` becomes text
   * now, a key of `variableKeys` a slot filled per record, any other key is left out (as an
   * undefined property is).
   */
  constructor(schemaKeys: readonly string[], constants: Readonly<Record<string, unknown>>, variableKeys: readonly string[], property: PropertySerializer) {
    const variable = new Set(variableKeys)
    let text = '{'
    let first = true
    for (const key of schemaKeys) {
      const isConstant = Object.hasOwn(constants, key) && constants[key] !== undefined
      if (!isConstant && !variable.has(key)) continue
      text += (first ? '' : ',') + JSON.stringify(key) + ':'
      first = false
      if (isConstant) {
        text += property(key)(constants[key])
      } else {
        this.literals.push(text)
        this.keys.push(key)
        this.serializers.push(property(key))
        this.caches.push(new Map())
        this.misses.push(0)
        text = ''
      }
    }
    this.literals.push(text + '}')
    this.serialize = this.compile()
  }

  // compile generates the serializer as fast-json-stringify does: one function whose literals are
  // inline and whose call sites each see one serializer, several times faster than a loop over
  // the slots calling through an array.
  private compile(): (variables: Readonly<Record<string, unknown>>) => string {
    const n = this.keys.length
    const lines = [`const [${Array.from({ length: n }, (_, i) => `s${i}`).join(', ')}] = serializers`, 'return function serialize(r) {']
    for (let i = 0; i < n; i++) lines.push(`  const v${i} = r[${JSON.stringify(this.keys[i])}]`)
    if (n > 0) lines.push(`  if (${Array.from({ length: n }, (_, i) => `v${i} === undefined`).join(' || ')}) undefinedProperty(r)`)
    let expr = ''
    for (let i = 0; i < n; i++) {
      // A value equal to the previous slot's, printed by the same serializer, reuses its text (a
      // node's name, address and hostname are one string). Only neighbours are compared: the code
      // stays small: TurboFan compiles it while the first answers stream, in time that grows with it.
      const reuse = i > 0 && this.serializers[i - 1] === this.serializers[i]
      const keep = i + 1 < n && this.serializers[i + 1] === this.serializers[i]
      const text = reuse ? `(v${i} === v${i - 1} && t${i - 1} !== undefined ? t${i - 1} : s${i}(v${i}))` : `s${i}(v${i})`
      const literal = JSON.stringify(this.literals[i])
      lines.push(
        ...(keep ? [`  let t${i}`] : []),
        `  const p${i} = caches[${i}] === null ? ${literal} + ${keep ? `(t${i} = ${text})` : text} : lookup(${i}, v${i})`,
      )
      expr += `${i === 0 ? '' : ' + '}p${i}`
    }
    expr += `${n === 0 ? '' : ' + '}${JSON.stringify(this.literals[n])}`
    lines.push(`  return ${expr}`, '}')
    // The code is built from the spec's property names and the constants' text, each quoted with
    // JSON.stringify.
    const factory = new Function('serializers', 'caches', 'lookup', 'undefinedProperty', lines.join('\n')) as (
      serializers: Serialize[],
      caches: (Map<unknown, string> | null)[],
      lookup: (slot: number, value: unknown) => string,
      undefinedProperty: (variables: Readonly<Record<string, unknown>>) => never,
    ) => (variables: Readonly<Record<string, unknown>>) => string
    return factory(
      this.serializers,
      this.caches,
      (slot, value) => this.lookup(slot, value),
      (variables) => {
        // An undefined value would drop the key and its comma; the template cannot express that.
        const key = this.keys.find((k) => variables[k] === undefined)
        throw new Error(`record template: property ${key} is undefined`)
      },
    )
  }

  // lookup returns the literal and text of the value of slot `slot`, through the slot's cache. A
  // hit needs no other test: only cacheable values enter a cache; an object that is not frozen may
  // change, so its text is never cached.
  private lookup(slot: number, value: unknown): string {
    const cache = this.caches[slot]!
    const piece = cache.get(value)
    if (piece !== undefined) return piece
    if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) return this.literals[slot]! + this.serializers[slot]!(value)
    return this.miss(slot, value, cache)
  }

  // miss returns the literal and text of a primitive or frozen value of slot `slot` not in its
  // cache, and caches them while the cache has room.
  private miss(slot: number, value: unknown, cache: Map<unknown, string>): string {
    const text = this.literals[slot]! + this.serializers[slot]!(value)
    if (cache.size < SLOT_CACHE_MAX) {
      const piece = flat(text)
      cache.set(value, piece)
      return piece
    }
    // A slot whose values keep missing (job ids, timestamps) stops looking them up.
    if (++this.misses[slot]! > SLOT_CACHE_MAX) this.caches[slot] = null
    return text
  }
}
