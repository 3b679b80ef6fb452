// The comparison schema: what ab writes is accepted and survives the round trip; what a crafted
// artifact might carry is refused with the path and what was expected.
import { describe, expect, it } from 'vitest'
import { parseComparison } from '../../../harness/results/comparison-schema.ts'
import { METHOD, metric, report, roundTrip } from './comparison-fixtures.ts'

describe('comparison schema', () => {
  it('accepts what renderComparisonJson writes, infinities included, and gives it back', () => {
    const verdicts = [
      metric('BenchmarkA', 'sec/op', 'regressed', 1e-3, 0.3),
      metric('BenchmarkB', 'sec/op', 'inconclusive', 1e-3, 0.1, 0.1, { change: { estimate: Infinity, lo: -Infinity, hi: Infinity } }),
    ]
    const { reports, method } = roundTrip([report(verdicts)])
    expect(method).toEqual(METHOD)
    expect(reports[0]?.verdicts[0]).toEqual(verdicts[0])
    expect(reports[0]?.verdicts[1]?.change).toEqual({ estimate: Infinity, lo: -Infinity, hi: Infinity })
  })

  const valid = JSON.parse(roundTrip([report([metric('BenchmarkA', 'sec/op', 'regressed', 1e-3, 0.3)])]).json)
  // The document as plain JSON, to be damaged field by field.
  type Doc = {
    schemaVersion: number
    kind: string
    method: { base: { commit: string } }
    verdicts: [{ counts: Record<string, unknown>; verdicts: [Record<string, unknown>] }]
  }
  const cases: Array<[string, (doc: Doc) => unknown, RegExp]> = [
    ['an unknown verdict', (d) => (d.verdicts[0].verdicts[0].verdict = 'pwned'), /at \/verdicts\/0\/verdicts\/0\/verdict/],
    [
      'a name of 5000 characters',
      (d) => (d.verdicts[0].verdicts[0].name = 'x'.repeat(5000)),
      /at \/verdicts\/0\/verdicts\/0\/name: Expected string length less or equal to 4096/,
    ],
    ['a commit that is not hex', (d) => (d.method.base.commit = '$(rm -rf /)'), /at \/method\/base\/commit/],
    ['a count that is a string', (d) => (d.verdicts[0].counts.regressed = '1'), /at \/verdicts\/0\/counts\/regressed/],
    ['a newer schema version', (d) => (d.schemaVersion = 2), /schemaVersion 2 is newer/],
    ['another kind of document', (d) => (d.kind = 'slurmbench.results'), /not a comparison document \(kind "slurmbench.results"/],
  ]
  for (const [what, mutate, message] of cases) {
    it(`refuses ${what}`, () => {
      const doc = structuredClone(valid)
      mutate(doc)
      expect(() => parseComparison(JSON.stringify(doc), 'artifact.json')).toThrow(message)
    })
  }
  it('refuses text that is not JSON, naming the file', () => {
    expect(() => parseComparison('{"kind":', 'artifact.json')).toThrow(/^artifact.json: not valid JSON/)
    // An artifact's text is never echoed (it could be a link to a file on the runner).
    expect(() => parseComparison('ghs_secretvalue', 'artifact.json')).toThrow(/^artifact.json: not valid JSON; the file may be truncated$/)
  })
})
