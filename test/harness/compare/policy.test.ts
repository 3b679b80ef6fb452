// The tolerance policy: resolution order, pattern syntax, errors with JSON paths, the committed
// policy and its schema file.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compilePattern } from '../../../harness/compare/name-pattern.ts'
import { parsePolicy, PolicyDocument, resolveSettings } from '../../../harness/compare/policy.ts'
import { InputError } from '../../../common/input-error.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const committed = parsePolicy(readFileSync(join(ROOT, 'baselines', 'policy.json'), 'utf8'), 'baselines/policy.json')
const metric = (name: string, rawUnit: string, unit = rawUnit, better: 'lower' | 'higher' = 'lower') => ({ name, rawUnit, unit, better, exact: false })

describe('policy patterns', () => {
  it('globs: * stays within one level, ** crosses levels; /…/ is an RE2 regexp found anywhere', () => {
    expect(compilePattern('BenchmarkX/*').test('BenchmarkX/a=1')).toBe(true)
    expect(compilePattern('BenchmarkX/*').test('BenchmarkX/a=1/b=2')).toBe(false)
    expect(compilePattern('BenchmarkX/**').test('BenchmarkX/a=1/b=2')).toBe(true)
    expect(compilePattern('Benchmark?').test('BenchmarkX')).toBe(true)
    expect(compilePattern('/p95/').test('api-p95-ms')).toBe(true)
    expect(compilePattern('a.b').test('axb')).toBe(false)
  })
})

describe('the committed policy', () => {
  it('seeds the four baselines of the framework it replaces', () => {
    expect(resolveSettings(committed, metric('BenchmarkNodes', 'B/op'))).toMatchObject({ tolerancePct: 10, better: 'lower' })
    expect(resolveSettings(committed, metric('BenchmarkProcess', 'metrics/s'))).toMatchObject({ tolerancePct: 15, better: 'higher' })
    expect(resolveSettings(committed, metric('BenchmarkSlurmAPI/endpoint=nodes', 'p95-ms'))).toMatchObject({ tolerancePct: 20, better: 'lower' })
    expect(resolveSettings(committed, metric('BenchmarkGC', 'gc-pause-p99-ms'))).toMatchObject({ tolerancePct: 25 })
    expect(resolveSettings(committed, metric('BenchmarkGC', 'gc-pause-ns/op', 'gc-pause-sec/op'))).toMatchObject({ tolerancePct: 25 })
    expect(resolveSettings(committed, metric('BenchmarkX', 'ns/op', 'sec/op'))).toMatchObject({ tolerancePct: 5, origin: 'defaults["ns/op"]' })
    expect(resolveSettings(committed, metric('BenchmarkSlowdown/work=mix', 'ns/op', 'sec/op'))).toMatchObject({ tolerancePct: 2 })
    expect(resolveSettings(committed, metric('BenchmarkScrape', 'series'))).toMatchObject({ exact: true, tolerancePct: 0 })
  })

  it('matches its JSON schema file (regenerate baselines/policy.schema.json when the schema changes)', () => {
    const file = JSON.parse(readFileSync(join(ROOT, 'baselines', 'policy.schema.json'), 'utf8')) as Record<string, unknown>
    const { $id: _id, title: _title, ...schema } = file
    expect(schema).toEqual(JSON.parse(JSON.stringify(PolicyDocument)))
  })
})

describe('parsePolicy errors', () => {
  const valid = { schemaVersion: 1, kind: 'slurmbench.policy', defaults: {}, rules: [] }
  it.each([
    ['', 'p.json: empty file'],
    ['{"schemaVersion":1', 'p.json: not valid JSON'],
    [JSON.stringify({ ...valid, schemaVersion: 9 }), 'p.json: field schemaVersion: policy version 9 is newer'],
    [JSON.stringify({ ...valid, rules: [{ name: 'X', tolerancePct: -1 }] }), 'p.json: field rules[0].tolerancePct: found -1; expected a number from 0 to 1000'],
    [JSON.stringify({ ...valid, rules: [{ name: '/(/' }] }), 'p.json: field rules[0].name: invalid pattern'],
    // A JSON pointer would write ns~1op; people write the unit as it is, and want the allowed values.
    [
      JSON.stringify({ ...valid, defaults: { 'ns/op': { better: 'sideways' } } }),
      'p.json: field defaults["ns/op"].better: found "sideways"; expected one of "lower", "higher"',
    ],
    [JSON.stringify({ ...valid, beyond: 'far' }), 'p.json: field beyond: found "far"; expected one of "estimate", "bound"'],
    [JSON.stringify({ ...valid, kind: 'x' }), 'p.json: field kind: found "x"; expected "slurmbench.policy"'],
    [JSON.stringify({ ...valid, alpha: 2 }), 'p.json: field alpha: found 2; expected a number between 0 and 1 (exclusive)'],
    [JSON.stringify({ schemaVersion: 1, kind: 'slurmbench.policy', rules: [] }), 'p.json: field defaults is missing; it is required'],
    [JSON.stringify({ ...valid, extra: 1 }), 'p.json: the document has an unknown field "extra"; expected one of $schema, schemaVersion, kind'],
    [
      JSON.stringify({ ...valid, rules: [{ name: 'X', colour: 'red' }] }),
      'p.json: field rules[0] has an unknown field "colour"; expected one of name, unit, why',
    ],
    // A rule without name or unit would apply to every metric, silently.
    [JSON.stringify({ ...valid, rules: [{ name: 'X' }, { tolerancePct: 50 }] }), 'p.json: field rules[1]: a rule needs "name" or "unit" (or both)'],
  ])('rejects %j', (text, message) => {
    expect(() => parsePolicy(text, 'p.json')).toThrow(InputError)
    expect(() => parsePolicy(text, 'p.json')).toThrow(message)
  })

  it('either parses or names a JSON path in one line, for arbitrary JSON (property)', () => {
    const settings = fc.record(
      { tolerancePct: fc.oneof(fc.double(), fc.integer({ min: -5, max: 50 })), better: fc.constantFrom('lower', 'higher', 'up'), exact: fc.boolean() },
      { requiredKeys: [] },
    )
    const rule = fc.record(
      { name: fc.oneof(fc.string(), fc.constantFrom('/(/', 'Benchmark*', '/x+/')), unit: fc.string(), tolerancePct: fc.double() },
      { requiredKeys: [] },
    )
    const doc = fc.record(
      {
        schemaVersion: fc.constantFrom(1, 2, '1'),
        kind: fc.constantFrom('slurmbench.policy', 'x'),
        defaults: fc.dictionary(fc.string(), settings),
        rules: fc.array(rule, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(fc.oneof(doc, fc.jsonValue()), (value) => {
        try {
          parsePolicy(JSON.stringify(value) ?? '', 'p.json')
        } catch (err) {
          expect(err).toBeInstanceOf(InputError)
          expect((err as Error).message).toMatch(/^p\.json: /)
          expect((err as Error).message).not.toContain('\n')
        }
      }),
      { numRuns: 300 },
    )
  })
})
