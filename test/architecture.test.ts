// The import arrows of docs/architecture.md, enforced: every relative import of the source
// folders must run along an allowed arrow, and no two files may import each other, however
// indirectly. A failure names the file, the line and the arrow it runs against.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cyclesOf, type ImportEdge, importGraph, importsOf } from './architecture/imports.ts'

const ROOT = join(import.meta.dirname, '..')

/** zoneOf names the part of the tree a file belongs to, as docs/architecture.md draws it. */
export function zoneOf(path: string): string {
  const parts = path.split('/')
  if (path === 'harness/api.ts') return 'api'
  if (path === 'testbed/index.ts') return 'testbed'
  if ((parts[0] === 'harness' || parts[0] === 'testbed') && parts.length > 2) return `${parts[0]}/${parts[1]}`
  return parts[0] as string
}

const LOWER = ['harness/results', 'harness/stats', 'common']
const JUDGING = ['harness/compare', 'harness/baseline', ...LOWER]

// Value imports each zone may make besides its own folder. Type-only imports may also reach the
// zones in TYPES_FROM. A renderer may import the engines whose results it renders (their types and
// pure helpers: the doctor's counts, the load test's percentiles), never a command, run or publish.
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  common: [],
  'harness/stats': ['common'],
  'harness/results': ['harness/stats', 'common'],
  'harness/compare': LOWER,
  'harness/baseline': ['harness/compare', ...LOWER],
  'harness/report': ['harness/ab', 'harness/load', 'harness/self', 'harness/history', 'harness/capacity', 'harness/profile', ...JUDGING],
  'harness/run': ['api', ...LOWER],
  api: ['harness/run', 'common'],
  'harness/ab': JUDGING,
  'harness/load': ['harness/compare', 'testbed', ...LOWER],
  'harness/self': LOWER,
  'harness/history': JUDGING,
  'harness/capacity': ['testbed', ...JUDGING],
  'harness/profile': LOWER,
  'harness/publish': LOWER,
  'harness/cli': [
    'api',
    'harness/run',
    'harness/ab',
    'harness/load',
    'harness/self',
    'harness/history',
    'harness/capacity',
    'harness/profile',
    'harness/publish',
    'harness/report',
    'testbed',
    ...JUDGING,
  ],
  'testbed/mock-slurm': ['common'],
  'testbed/exporter': ['common'],
  'testbed/rig': ['testbed/mock-slurm', 'testbed/exporter', 'common'],
  'testbed/real-slurm': ['common'],
  testbed: ['testbed/mock-slurm', 'testbed/exporter', 'testbed/rig', 'common'],
  benchmarks: ['api', 'testbed', 'testbed/mock-slurm', 'testbed/exporter', 'testbed/rig', 'common'],
  bin: ['harness/cli', 'common'],
}
const TYPES_FROM: Readonly<Record<string, readonly string[]>> = {
  'harness/report': ['harness/run'],
  'harness/stats': ['harness/results'],
}

/** violationOf returns why an import runs against the arrows, or undefined when it is allowed. */
export function violationOf(edge: ImportEdge): string | undefined {
  const from = zoneOf(edge.from)
  const to = zoneOf(edge.to)
  if (from === to) return undefined
  const allowed = ALLOWED[from]
  if (allowed === undefined) return `${edge.from}:${edge.line}: ${from} is not a zone of docs/architecture.md`
  if (allowed.includes(to)) return undefined
  if (edge.typeOnly && (TYPES_FROM[from] ?? []).includes(to)) return undefined
  return `${edge.from}:${edge.line}: ${from} → ${to} (${edge.to}) runs against the arrows${TYPES_FROM[from]?.includes(to) ? ' (only `import type` is allowed)' : ''}`
}

describe('architecture', () => {
  const edges = importGraph(ROOT)

  it('reads the import graph', () => {
    expect(edges.length).toBeGreaterThan(300)
  })

  it('every import runs along an allowed arrow', () => {
    expect(edges.map(violationOf).filter((v) => v !== undefined)).toEqual([])
  })

  it('no file-level import cycles', () => {
    expect(cyclesOf(edges).map((c) => c.join(' ↔ '))).toEqual([])
  })

  it('catches what it should', () => {
    const [up] = importsOf('harness/stats/x.ts', "import { judge } from '../compare/verdict.ts'\n")
    expect(violationOf(up as ImportEdge)).toMatch(/harness\/stats → harness\/compare/)
    const [typeOnly] = importsOf('harness/report/x.ts', "import type { BenchB } from '../run/b.ts'\n")
    expect(violationOf(typeOnly as ImportEdge)).toBeUndefined()
    const [value] = importsOf('harness/report/x.ts', "import { measure } from '../run/worker.ts'\n")
    expect(violationOf(value as ImportEdge)).toMatch(/only `import type`/)
    const [dynamic] = importsOf('testbed/exporter/cli.ts', "  const m = await import('../mock-slurm/index.ts')\n")
    expect(violationOf(dynamic as ImportEdge)).toMatch(/testbed\/exporter → testbed\/mock-slurm/)
    const cyc = [
      ...importsOf('a/x.ts', "import { y } from './y.ts'\n"),
      ...importsOf('a/y.ts', "import { z } from './z.ts'\n"),
      ...importsOf('a/z.ts', "import { x } from './x.ts'\n"),
    ]
    expect(cyclesOf(cyc)).toEqual([['a/x.ts', 'a/y.ts', 'a/z.ts']])
  })
})
