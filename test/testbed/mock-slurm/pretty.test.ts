// The streaming pretty-printer matches JSON.stringify(value, null, 2) however the text is split.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PrettyPrinter } from '../../../testbed/mock-slurm/pretty.ts'

describe('PrettyPrinter', () => {
  it('equals JSON.stringify(v, null, 2) for any value and any chunking', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.nat(), { maxLength: 8 }), (value, cuts) => {
        const compact = JSON.stringify(value)
        const points = [...new Set(cuts.map((c) => c % (compact.length + 1)))].sort((a, b) => a - b)
        const printer = new PrettyPrinter()
        let out = ''
        let from = 0
        for (const p of [...points, compact.length]) {
          out += printer.write(compact.slice(from, p))
          from = p
        }
        expect(out).toBe(JSON.stringify(value, null, 2))
      }),
      { numRuns: 300 },
    )
  })

  it('keeps strings with structural characters and escapes intact', () => {
    const value = { 'a,b': 'x:{[]}"\\', list: [], obj: {}, nested: [{ k: '\\"' }] }
    expect(new PrettyPrinter().write(JSON.stringify(value))).toBe(JSON.stringify(value, null, 2))
  })
})
