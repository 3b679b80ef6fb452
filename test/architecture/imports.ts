// Reads the tree's import graph for the architecture test: every relative import, re-export and
// dynamic import of the source folders, with whether it is type-only.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/** SOURCE_DIRS are the folders whose imports the arrows govern (tests may import anything). */
export const SOURCE_DIRS = ['common', 'harness', 'testbed', 'benchmarks', 'bin'] as const

/** ImportEdge is one import of one file: both paths relative to the repository root. */
export interface ImportEdge {
  readonly from: string
  readonly to: string
  readonly line: number
  readonly typeOnly: boolean
}

const SOURCE_FILE = /\.(ts|mts|mjs|js)$/
// `import … from '…'`, `export … from '…'`, `import('…')`; a leading `import type`/`export type` makes it type-only.
const IMPORT = /(?:^|\n)[ \t]*(import|export)(\s+type)?\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path, out)
    else if (SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.mts')) out.push(path)
  }
}

/** sourceFiles lists the source files under SOURCE_DIRS, relative to `root`. */
export function sourceFiles(root: string): string[] {
  const files: string[] = []
  for (const dir of SOURCE_DIRS) {
    try {
      walk(join(root, dir), files)
    } catch {
      // a folder that does not exist has no imports
    }
  }
  return files.map((f) => relative(root, f)).sort()
}

/** importsOf returns the relative imports of one file's text (package imports are not edges). */
export function importsOf(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = []
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[3] ?? match[4]
    if (spec === undefined || !spec.startsWith('.')) continue
    const line = text.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0)
    const to = relative('.', resolve(dirname(file), spec))
    edges.push({ from: file, to, line, typeOnly: match[2] !== undefined })
  }
  return edges
}

/** importGraph reads every source file under `root` and returns its import edges. */
export function importGraph(root: string): ImportEdge[] {
  return sourceFiles(root).flatMap((file) => importsOf(file, readFileSync(join(root, file), 'utf8')))
}

/** cyclesOf returns each strongly connected set of more than one file (Tarjan), sorted. */
export function cyclesOf(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>()
  for (const e of edges) {
    const list = next.get(e.from)
    if (list === undefined) next.set(e.from, [e.to])
    else list.push(e.to)
  }
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  let counter = 0
  const visit = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter)
    counter++
    stack.push(v)
    onStack.add(v)
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop() as string
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1) cycles.push(component.sort())
    }
  }
  for (const v of next.keys()) if (!index.has(v)) visit(v)
  return cycles.sort((a, b) => (a[0] as string).localeCompare(b[0] as string))
}
