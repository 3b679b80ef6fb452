// Go's JSON workload parses benchmarks/self/go-reference/testdata/nodes.json, a committed copy
// of the text the JavaScript tools parse (benchmarks/fixtures/self-workloads.ts builds it), so
// that the engine needs no benchmark code to feed Go. This holds the two byte for byte;
// UPDATE_GOLDEN=1 rewrites the copy after the fixture changes.
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SELF_JSON_TEXT } from '../../../benchmarks/fixtures/self-workloads.ts'

const COPY = new URL('../../../benchmarks/self/go-reference/testdata/nodes.json', import.meta.url)

describe("Go reference's JSON text", () => {
  it('is the very bytes the JavaScript tools parse', () => {
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(COPY, SELF_JSON_TEXT)
    const copy = readFileSync(COPY, 'utf8')
    expect(copy.length).toBe(SELF_JSON_TEXT.length)
    expect(copy === SELF_JSON_TEXT, 'testdata/nodes.json differs from SELF_JSON_TEXT; run with UPDATE_GOLDEN=1').toBe(true)
  })
})
