// Golden files: a renderer's output is compared byte for byte with testdata/<name>; run the tests
// with UPDATE_GOLDEN=1 to rewrite them after an intended change, and review the diff like code.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { expect } from 'vitest'

/** TESTDATA is the golden folder of the report tests. */
export const TESTDATA = join(import.meta.dirname, 'testdata')

/** expectGolden asserts `actual` equals the golden file `name` under `folder`, or rewrites it with UPDATE_GOLDEN=1. */
export function expectGolden(actual: string, name: string, folder = TESTDATA): void {
  const path = join(folder, name)
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, actual)
    return
  }
  if (!existsSync(path)) throw new Error(`${path}: no golden file; run with UPDATE_GOLDEN=1 to write it, then review it`)
  expect(actual).toBe(readFileSync(path, 'utf8'))
}
