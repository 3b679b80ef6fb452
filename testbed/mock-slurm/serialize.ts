// Compiled serializers per data parser version, from the schemas openapi/extract.ts copied out of
// the real specs. fast-json-stringify writes the spec's keys in the spec's order and drops the keys
// a version does not have, so one superset record serves every version.
import fastJson from 'fast-json-stringify'
import { SERIALIZER_SPECS } from './openapi/specs.ts'
import { flat, type Serialize } from './json-text.ts'
import { RecordTemplate } from './record-template.ts'
import { type DataParserVersion, RESPONSE_COMPONENTS, type ResponseKind } from './versions.ts'

export type { Serialize } from './json-text.ts'

// Slurm's integer number objects (the *_no_val_struct components whose number is an integer) are
// most of the values a streamed record cannot cache (timestamps); fast-json-stringify prints a set
// finite one as this head, the integer and `}`, from ~8 pieces, and the piece count is what a
// record's text costs to build and to encode (a /nodes profile).
const SET_INTEGER_HEAD = '{"set":true,"infinite":false,"number":'
const INTEGER_NUMBER_OBJECT = JSON.stringify({
  type: 'object',
  properties: { set: { type: 'boolean' }, infinite: { type: 'boolean' }, number: { type: 'integer' } },
})

// Texts of set integer number objects are kept by number, at most this many per schema: the
// timestamps of nodes (boot, slurmd start, last busy) recur in every /nodes answer but are
// distinct per node, too many for a record template's per-slot caches. Past that many misses on
// a full cache (job timestamps, mostly distinct) the lookup stops.
const SET_INTEGER_CACHE_MAX = 65_536

// withSetIntegerFastPath prints a set finite integer number object from its cached text, or else
// in two pieces, and leaves any other value to `serialize`, the property's compiled serializer.
function withSetIntegerFastPath(serialize: Serialize): Serialize {
  let cache: Map<number, string> | null = new Map()
  let misses = 0
  return (value) => {
    const v = value as { set?: unknown; infinite?: unknown; number?: unknown } | null
    if (typeof v !== 'object' || v === null || v.set !== true || v.infinite !== false || !Number.isInteger(v.number)) return serialize(value)
    const n = v.number as number
    if (cache === null) return SET_INTEGER_HEAD + n + '}'
    let text = cache.get(n)
    if (text === undefined) {
      text = SET_INTEGER_HEAD + n + '}'
      if (cache.size < SET_INTEGER_CACHE_MAX) cache.set(n, flat(text))
      else if (++misses > SET_INTEGER_CACHE_MAX) cache = null
    }
    return text
  }
}

type SpecDoc = {
  $id: string
  components: { schemas: Record<string, { properties?: Record<string, { $ref?: string; type?: string; items?: { $ref?: string } }> }> }
}

/** ResponseSerializers holds the compiled serializers of one data parser version. */
export class ResponseSerializers {
  private readonly spec: SpecDoc
  private readonly responses = new Map<string, Serialize>()
  private readonly items = new Map<string, Serialize>()
  private readonly templates = new Map<string, RecordTemplate>()
  // Property serializers by schema text: a job's 135 properties have 15 distinct schemas.
  private readonly properties = new Map<string, Serialize>()

  constructor(readonly version: DataParserVersion) {
    // A deep copy: fast-json-stringify may annotate the schemas it compiles.
    this.spec = structuredClone(SERIALIZER_SPECS[version]) as SpecDoc
  }

  /** has reports whether this version's spec defines response `kind` (v0.0.41 has no slurmdbd ping). */
  has(kind: ResponseKind): boolean {
    return `${this.version}_${RESPONSE_COMPONENTS[kind]}` in this.spec.components.schemas
  }

  /** response returns the serializer of a whole response of `kind` (compiled on first use). */
  response(kind: ResponseKind): Serialize {
    let s = this.responses.get(kind)
    if (s === undefined) {
      s = this.compile(`${this.version}_${RESPONSE_COMPONENTS[kind]}`)
      this.responses.set(kind, s)
    }
    return s
  }

  /**
   * item returns the serializer of one element of the list `listKey` of response `kind` (e.g. one
   * job of `jobs`), so large lists can be written record by record.
   */
  item(kind: ResponseKind, listKey: string): Serialize {
    const key = `${kind}.${listKey}`
    let s = this.items.get(key)
    if (s === undefined) {
      s = this.compile(this.itemComponent(`${this.version}_${RESPONSE_COMPONENTS[kind]}`, listKey))
      this.items.set(key, s)
    }
    return s
  }

  /**
   * template returns the record template of one element of the list `listKey` of response `kind`
   * for records split into `constants` (the same in every record) and the properties named by
   * `variableKeys` (compiled on first use; one template per list, so pass the same split).
   */
  template(kind: ResponseKind, listKey: string, constants: Readonly<Record<string, unknown>>, variableKeys: readonly string[]): RecordTemplate {
    const key = `${kind}.${listKey}`
    let t = this.templates.get(key)
    if (t === undefined) {
      const component = this.itemComponent(`${this.version}_${RESPONSE_COMPONENTS[kind]}`, listKey)
      const props = this.spec.components.schemas[component]?.properties ?? {}
      t = new RecordTemplate(Object.keys(props), constants, variableKeys, (name) => this.property(component, name, props[name]))
      this.templates.set(key, t)
    }
    return t
  }

  private property(component: string, name: string, schema: unknown): Serialize {
    // $refs inside the schema are relative to the spec document, so equal text serializes equally.
    const key = JSON.stringify(schema)
    let s = this.properties.get(key)
    if (s === undefined) {
      s = this.compile(`${component}/properties/${name}`)
      if (this.isIntegerNumberObject(schema)) s = withSetIntegerFastPath(s)
      this.properties.set(key, s)
    }
    return s
  }

  // isIntegerNumberObject reports whether `schema` is (a $ref to) exactly an integer number object:
  // set and infinite booleans and an integer number, nothing else (a format aside).
  private isIntegerNumberObject(schema: unknown): boolean {
    const ref = (schema as { $ref?: unknown } | undefined)?.$ref
    const resolved = typeof ref === 'string' ? this.spec.components.schemas[ref.replace('#/components/schemas/', '')] : schema
    const copy = structuredClone(resolved) as { properties?: { number?: { format?: unknown } } } | undefined
    delete copy?.properties?.number?.format
    return JSON.stringify(copy) === INTEGER_NUMBER_OBJECT
  }

  private itemComponent(component: string, listKey: string): string {
    const schemas = this.spec.components.schemas
    const prop = schemas[component]?.properties?.[listKey]
    // Lists are either `{$ref: …_list}` whose items are a $ref, or an inline array of $ref.
    const listRef = prop?.$ref ?? ''
    const listSchema = listRef === '' ? prop : (schemas[listRef.replace('#/components/schemas/', '')] as { items?: { $ref?: string } } | undefined)
    const itemRef = listSchema?.items?.$ref
    if (itemRef === undefined) throw new Error(`${component}.${listKey} is not a list of components in ${this.version}`)
    return itemRef.replace('#/components/schemas/', '')
  }

  private compile(component: string): Serialize {
    const external = { [this.version]: this.spec } as unknown as Record<string, fastJson.Schema>
    return fastJson({ $ref: `${this.version}#/components/schemas/${component}` }, { schema: external }) as Serialize
  }
}
