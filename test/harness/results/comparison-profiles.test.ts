// The comparison document's `profiles` (ab --profile): optional, so documents written before it
// still validate; when present, a crafted artifact cannot smuggle a path out of the profile
// folder, an unbounded list or a share outside 0..1 past the schema.
import { describe, expect, it } from 'vitest'
import { parseComparison } from '../../../harness/results/comparison-schema.ts'
import { metric, PROFILES, report, roundTrip, withProfiles } from '../report/comparison-fixtures.ts'

const { json } = roundTrip([report([metric('BenchmarkScrape/jobs=1000', 'sec/op', 'regressed', 2.1e-3, 0.3)])])

describe('comparison profiles', () => {
  it('are optional: a document without them validates as before', () => {
    expect(parseComparison(json, 'old.json').profiles).toBeUndefined()
  })

  it('survive the round trip as ab writes them', () => {
    expect(withProfiles(json).profiles).toEqual(PROFILES)
  })

  type Finding = { files: Record<string, string>; grown: Array<Record<string, unknown>>; profile: string }
  const cases: Array<[string, (p: { dir: unknown; findings: Finding[]; warnings: unknown }) => unknown, RegExp]> = [
    ['a file name with a folder in it', (p) => ((p.findings[0] as Finding).files.diff = '../../etc/passwd'), /at \/profiles\/findings\/0\/files\/diff/],
    ['a hidden file name', (p) => ((p.findings[0] as Finding).files.base = '.bashrc'), /at \/profiles\/findings\/0\/files\/base/],
    ['a share above 1', (p) => ((p.findings[0] as Finding).grown[0] = { ...(p.findings[0] as Finding).grown[0], headFlat: 7 }), /headFlat/],
    ['an unknown kind of profile', (p) => ((p.findings[0] as Finding).profile = 'wall'), /at \/profiles\/findings\/0\/profile/],
    ['101 grown functions', (p) => ((p.findings[0] as Finding).grown = Array(101).fill((p.findings[0] as Finding).grown[0])), /grown: Expected array length/],
    ['no warnings list', (p) => (p.warnings = undefined), /at \/profiles\/warnings/],
  ]
  for (const [what, mutate, message] of cases) {
    it(`refuses ${what}`, () => {
      const doc = { ...JSON.parse(json), profiles: structuredClone(PROFILES) }
      mutate(doc.profiles)
      expect(() => parseComparison(JSON.stringify(doc), 'artifact.json')).toThrow(message)
    })
  }
})
