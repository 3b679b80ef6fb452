// Profiles of the same benchmark from ab's base worktree and the work tree: after alignment an
// unchanged function is one function in the diff, not one gone and one new, so only the
// function that really grew is named.
import { join } from 'node:path'
import type { Profile } from 'pprof-format'
import { describe, expect, it } from 'vitest'
import { diffProfiles, grownFunctions } from '../../../harness/profile/diff.ts'
import { alignStartLines, relativizeFiles } from '../../../harness/profile/side-alignment.ts'
import { cpuOf } from './build-profile.ts'

// place gives each function (by name) a file and first line, as a checkout's source map would.
function place(profile: Profile, where: Record<string, [string, number]>): Profile {
  for (const fn of profile.function) {
    const at = where[profile.stringTable.strings[Number(fn.name)] ?? '']
    if (at === undefined) continue
    fn.filename = profile.stringTable.dedup(at[0])
    fn.startLine = at[1]
  }
  return profile
}

const fileOf = (profile: Profile, name: string) => {
  const fn = profile.function.find((f) => profile.stringTable.strings[Number(f.name)] === name)
  return fn === undefined ? undefined : `${profile.stringTable.strings[Number(fn.filename)]}:${fn.startLine}`
}

const BASE_ROOT = '/tmp/slurmbench-ab-x/base'
const HEAD_ROOT = '/home/runner/work/exporter'

describe('relativizeFiles', () => {
  it('names files under a root relative to the longest root, and leaves others', () => {
    const profile = place(cpuOf({ 'runN;bench;parse': 10, 'runN;bench;internal': 1 }), {
      runN: [join(HEAD_ROOT, 'node_modules/slurmbench/harness/run/b.ts'), 123],
      bench: [join(HEAD_ROOT, 'benchmarks/parse.bench.ts'), 20],
      parse: [join(HEAD_ROOT, 'src/parse.ts'), 5],
      internal: ['node:internal/timers', 7],
    })
    relativizeFiles(profile, [HEAD_ROOT, join(HEAD_ROOT, 'node_modules/slurmbench')], () => true)
    expect(['runN', 'bench', 'parse', 'internal'].map((n) => fileOf(profile, n))).toEqual([
      'harness/run/b.ts:123',
      'benchmarks/parse.bench.ts:20',
      'src/parse.ts:5',
      'node:internal/timers:7',
    ])
  })

  it('matches a path that exists nowhere by its longest tail that names a file under a root', () => {
    const files = new Set([join(BASE_ROOT, 'harness/run/b.ts')])
    const profile = place(cpuOf({ 'runN;gone': 1 }), { runN: ['/abc/harness/run/b.ts', 123], gone: ['/nowhere/else.ts', 1] })
    relativizeFiles(profile, [BASE_ROOT], (path) => files.has(path))
    expect(fileOf(profile, 'runN')).toBe('harness/run/b.ts:123')
    expect(fileOf(profile, 'gone')).toBe('/nowhere/else.ts:1')
  })
})

describe('aligned sides', () => {
  // base: parse and render share the time; head: parse takes 30% more, and an edit above the
  // file's functions moved every first line down by 4.
  const base = () =>
    place(cpuOf({ 'bench;parse': 50, 'bench;render': 50 }), {
      bench: [join(BASE_ROOT, 'b.bench.ts'), 30],
      parse: [join(BASE_ROOT, 'src/app.ts'), 10],
      render: [join(BASE_ROOT, 'src/app.ts'), 20],
    })
  const head = () =>
    place(cpuOf({ 'bench;parse': 65, 'bench;render': 50 }), {
      bench: [join(HEAD_ROOT, 'b.bench.ts'), 34],
      parse: [join(HEAD_ROOT, 'src/app.ts'), 14],
      render: [join(HEAD_ROOT, 'src/app.ts'), 24],
    })

  it('without alignment every head function looks new, and the largest one is named first', () => {
    const grown = grownFunctions(diffProfiles(base(), head(), { base: 'b', head: 'h' }), 3)
    expect(grown[0]?.name).toBe('parse')
    expect(grown[1]?.name).toBe('render')
    expect(grown[1]?.baseFlat).toBe(0)
  })

  it('with it, only the function that grew is named, at its head line, and the others match', () => {
    const b = base()
    const h = head()
    relativizeFiles(b, [BASE_ROOT], () => true)
    relativizeFiles(h, [HEAD_ROOT], () => true)
    alignStartLines(b, h)
    const diff = diffProfiles(b, h, { base: 'b', head: 'h' })
    expect(grownFunctions(diff, 3).map((f) => `${f.name} ${f.file}:${f.line}`)).toEqual(['parse src/app.ts:14'])
    expect(diff.functions).toHaveLength(3)
    const parse = diff.functions[0]
    expect(parse?.baseFlat).toBeCloseTo(0.5, 6)
    expect(parse?.headFlat).toBeCloseTo(65 / 115, 6)
  })

  it('leaves a function alone when its name and file are not unique on a side', () => {
    const b = place(cpuOf({ 'bench;anon': 5, 'bench;anon2': 5 }), { anon: ['/r/a.ts', 1], anon2: ['/r/a.ts', 9] })
    const h = place(cpuOf({ 'bench;anon': 5 }), { anon: ['/r/a.ts', 3] })
    // Two functions named alike in one file: which moved where is unknown.
    const named = b.function.find((f) => b.stringTable.strings[Number(f.name)] === 'anon2')
    if (named !== undefined) named.name = b.stringTable.dedup('anon')
    alignStartLines(b, h)
    const anons = b.function.filter((f) => b.stringTable.strings[Number(f.name)] === 'anon')
    expect(anons.map((f) => Number(f.startLine))).toEqual([1, 9])
  })
})
