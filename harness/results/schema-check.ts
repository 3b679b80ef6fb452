// A JSON document (or part of one) checked against its TypeBox schema: the first problem becomes
// an InputError naming the file, the JSON path, what TypeBox expected and what was found.
import type { TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { InputError } from '../../common/input-error.ts'

// TypeBox rejects NaN and ±Infinity, which JSON.stringify would print as null.
function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value)
  return (JSON.stringify(value) ?? String(value)).slice(0, 60)
}

/**
 * checkSchema throws an InputError for the first place where `value` breaks `schema`; `pathPrefix`
 * is the JSON path of `value` in the document `source` names ('' for the whole document).
 */
export function checkSchema(schema: TSchema, value: unknown, source: string, pathPrefix = ''): void {
  // Value.Check is several times cheaper than listing errors; the streamed reader checks every sample.
  if (Value.Check(schema, value)) return
  const first = Value.Errors(schema, value).First()
  if (first === undefined) return
  throw new InputError(`${source}: at ${pathPrefix + first.path || '(document)'}: ${first.message} (found ${describeValue(first.value)})`)
}

/** checkDurations throws an InputError for a negative ns/op figure among the metrics of the sample at `at`. */
export function checkDurations(metrics: Readonly<Record<string, number>>, source: string, at: string): void {
  for (const unit in metrics) {
    const v = metrics[unit] as number
    if (v < 0 && unit.endsWith('ns/op')) throw new InputError(`${source}: at ${at}/metrics/${unit.replaceAll('/', '~1')}: negative duration ${v}, expected ≥ 0`)
  }
}
