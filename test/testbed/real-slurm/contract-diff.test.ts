import { describe, expect, test } from 'vitest'
import { type Answer, type CaseDifference, diffAnswers, judge, mediaType, parseAllowList, shapeOf } from '../../../testbed/real-slurm/contract-diff.ts'

const json = (status: number, body: unknown, contentType = 'application/json'): Answer => ({ status, contentType, body: JSON.stringify(body) })

describe('diffAnswers', () => {
  test('equal shapes with different data have no difference', () => {
    const real = json(200, {
      nodes: [{ name: 'n1', cpus: 8, state: ['IDLE'] }],
      errors: [],
      warnings: [],
    })
    const mock = json(
      200,
      {
        nodes: [
          { name: 'a', cpus: 64, state: ['MIXED', 'DRAIN'] },
          { name: 'b', cpus: 1, state: [] },
        ],
        errors: [],
        warnings: [],
      },
      'application/json; charset=utf-8',
    )
    expect(diffAnswers(real, mock)).toEqual([])
  })

  test('status, media type, missing, extra and type differences are each reported', () => {
    const real = json(422, { a: 1, b: { c: 'x' }, list: [{ k: true }] })
    const mock = json(200, { a: '1', list: [{ k: true, extra: null }] }, 'text/json')
    expect(diffAnswers(real, mock)).toEqual([
      { kind: 'status', path: '', expected: '422', actual: '200' },
      {
        kind: 'content-type',
        path: '',
        expected: 'application/json',
        actual: 'text/json',
      },
      { kind: 'type', path: 'a', expected: 'number', actual: 'string' },
      { kind: 'missing', path: 'b', expected: 'object', actual: '' },
      { kind: 'missing', path: 'b.c', expected: 'string', actual: '' },
      { kind: 'extra', path: 'list[].extra', expected: '', actual: 'null' },
    ])
  })

  test('keys under an array that is empty on either side are data, not contract', () => {
    const real = json(200, {
      licenses: [],
      warnings: [{ description: 'Zero licenses to dump', source: '' }],
    })
    const mock = json(200, {
      licenses: [{ LicenseName: 'matlab', Total: 4 }],
      warnings: [],
    })
    expect(diffAnswers(real, mock)).toEqual([])
  })

  test('the error number and name are compared by value', () => {
    const real = json(500, {
      errors: [{ error_number: -1, error: 'Unspecified error' }],
    })
    const mock = json(500, {
      errors: [{ error_number: 1007, error: 'Protocol authentication error' }],
    })
    expect(diffAnswers(real, mock).map((d) => `${d.kind} ${d.path} ${d.expected} ${d.actual}`)).toEqual([
      'value errors[].error "Unspecified error" "Protocol authentication error"',
      'value errors[].error_number -1 1007',
    ])
  })

  test('a JSON body against a text body, and two different texts', () => {
    expect(
      diffAnswers(json(404, { errors: [] }), {
        status: 404,
        contentType: 'text/plain',
        body: 'nope',
      }),
    ).toEqual([
      {
        kind: 'content-type',
        path: '',
        expected: 'application/json',
        actual: 'text/plain',
      },
      { kind: 'body-format', path: '', expected: 'JSON', actual: 'text' },
    ])
    expect(
      diffAnswers(
        {
          status: 401,
          contentType: 'text/plain',
          body: 'Authentication failure\n',
        },
        {
          status: 401,
          contentType: 'text/plain',
          body: 'Authentication failure',
        },
      ),
    ).toEqual([])
    expect(
      diffAnswers(
        {
          status: 401,
          contentType: 'text/plain',
          body: 'Authentication failure',
        },
        { status: 401, contentType: 'text/plain', body: 'Denied' },
      ),
    ).toHaveLength(1)
  })

  test('null beside another type in some elements is "unset", not a type of its own', () => {
    const real = json(200, { jobs: [{ comment: 'x' }, { comment: null }] })
    expect(diffAnswers(real, json(200, { jobs: [{ comment: 'y' }] }))).toEqual([])
    expect(diffAnswers(json(200, { x: null }), json(200, { x: 'y' }))).toEqual([{ kind: 'type', path: 'x', expected: 'null', actual: 'string' }])
  })
})

describe('shapeOf and mediaType', () => {
  test('array elements share one path and merge their keys', () => {
    const shape = shapeOf([{ a: 1 }, { b: [2, 'x'] }])
    expect([...shape.types.keys()].sort()).toEqual(['', '[]', '[].a', '[].b', '[].b[]'])
    expect([...(shape.types.get('[].b[]') ?? [])].sort()).toEqual(['number', 'string'])
  })

  test('objects keyed by numbers are maps: their keys share one segment', () => {
    const real = shapeOf({ sockets: { 0: { cores: { 0: 'allocated' } } } })
    const mock = shapeOf({ sockets: { 0: { cores: { 7: 'allocated', 12: 'unallocated' } }, 1: { cores: { 3: 'allocated' } } } })
    expect([...real.types.keys()]).toEqual([...mock.types.keys()])
    expect([...mock.types.keys()]).toContain('sockets.{n}.cores.{n}')
  })

  test('mediaType drops parameters and case', () => {
    expect(mediaType('Application/JSON; charset=UTF-8')).toBe('application/json')
    expect(mediaType('')).toBe('')
  })
})

describe('judge and parseAllowList', () => {
  const d = (version: string, name: string, kind: CaseDifference['kind'], path: string): CaseDifference => ({
    version,
    case: name,
    kind,
    path,
    expected: '',
    actual: '',
  })

  test('the first matching entry excuses; unmatched differences and unused entries are reported', () => {
    const allow = parseAllowList(
      JSON.stringify({
        entries: [
          {
            version: '*',
            case: 'no-auth-*',
            kind: 'status',
            path: '',
            reason: 'r1',
          },
          { version: 'v0.0.40', case: '*', kind: '*', path: '', reason: 'r2' },
          {
            version: '*',
            case: 'ok-reservations',
            kind: 'extra',
            path: 'reservations[].watts.*',
            reason: 'r3',
          },
          { version: '*', case: 'gone', kind: 'type', path: 'x', reason: 'r4' },
        ],
      }),
      'allow.json',
    )
    const verdict = judge(
      [
        d('v0.0.42', 'no-auth-ping', 'status', ''),
        d('v0.0.40', 'ok-jobs', 'status', ''),
        d('v0.0.40', 'ok-jobs', 'missing', 'jobs[].x'),
        d('v0.0.41', 'ok-reservations', 'extra', 'reservations[].watts.set'),
      ],
      allow,
    )
    expect(verdict.allowed.map((x) => x.case)).toEqual(['no-auth-ping', 'ok-jobs', 'ok-reservations'])
    expect(verdict.unlisted).toEqual([d('v0.0.40', 'ok-jobs', 'missing', 'jobs[].x')])
    expect(verdict.stale.map((e) => e.reason)).toEqual(['r4'])
  })

  test('an entry without a reason, or with an unknown kind, is refused with its index', () => {
    expect(() => parseAllowList('{"entries":[{"version":"*","case":"*","kind":"status","path":"","reason":" "}]}', 'a.json')).toThrow(
      'a.json: entries[0].reason is empty',
    )
    expect(() => parseAllowList('{"entries":[{"version":"*","case":"*","kind":"colour","path":"","reason":"x"}]}', 'a.json')).toThrow(
      'entries[0].kind is "colour"',
    )
    expect(() => parseAllowList('{"rules":[]}', 'a.json')).toThrow('a.json: expected an object with an "entries" array')
  })
})
