// Turning TypeBox's first validation error into one line a person can act on: the file, the
// JSON path, what was expected and what was found.
import type { TSchema } from '@sinclair/typebox'
import { ValueErrorType } from '@sinclair/typebox/errors'
import { Value } from '@sinclair/typebox/value'
import { InputError } from '../../common/input-error.ts'

function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** checkValue throws an InputError naming `source` and the JSON path of the first problem in `value`. */
export function checkValue<T extends TSchema>(schema: T, value: unknown, source: string): void {
  const first = Value.Errors(schema, value).First()
  if (first === undefined) return
  const path = first.path === '' ? '/' : first.path
  let message: string
  if (first.type === ValueErrorType.ObjectAdditionalProperties) {
    const allowed = Object.keys((first.schema as { properties?: object }).properties ?? {}).filter((key) => key !== '$schema')
    message = `unexpected property; allowed here: ${allowed.join(', ')}`
  } else if (first.type === ValueErrorType.ObjectRequiredProperty) {
    message = 'required property is missing'
  } else if (typeof first.schema.description === 'string') {
    message = `expected ${first.schema.description}, found ${describeFound(first.value)}`
  } else {
    message = `${first.message.charAt(0).toLowerCase()}${first.message.slice(1)}, found ${describeFound(first.value)}`
  }
  throw new InputError(`${source}: at ${path}: ${message}`)
}

/** parseJsonText parses JSON, reporting a syntax error with its line and column in `source`. */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    const message = (err as Error).message
    const position = /position (\d+)/.exec(message)
    if (position !== null) {
      const offset = Number(position[1])
      const before = text.slice(0, offset)
      const line = before.split('\n').length
      const column = offset - before.lastIndexOf('\n')
      throw new InputError(`${source}:${line}:${column}: not valid JSON (${message.replace(/ in JSON at position \d+.*$/, '')})`)
    }
    throw new InputError(`${source}: not valid JSON (${message.replace(/\s+/g, ' ')})`)
  }
}
