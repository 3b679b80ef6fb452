// Two profiles of one benchmark taken in two checkouts (ab's base worktree and the work tree)
// name the same source under different absolute paths, and a function that an edit above it
// moved starts on another line. diffProfiles keys a function by name, file and first line, so
// without alignment an unchanged function would show as gone from base and new in head, and
// head's whole share of it would count as growth.
import { existsSync } from 'node:fs'
import { isAbsolute, join, relative, sep } from 'node:path'
import type { Profile } from 'pprof-format'

// A source map's relative paths resolve against the bundle's real path: a bundle written through
// a linked node_modules (a base worktree's) can map a frame to a path that exists nowhere, e.g.
// /abc/harness/run/b.ts for <checkout>/harness/run/b.ts. Such a path is matched to the checkout
// by its longest tail of at least MIN_TAIL_PARTS parts that names a file there.
const MIN_TAIL_PARTS = 2

function under(file: string, root: string): boolean {
  return file.startsWith(root.endsWith(sep) ? root : root + sep)
}

function relativeFile(file: string, roots: readonly string[], exists: (path: string) => boolean): string | undefined {
  const root = roots.find((r) => under(file, r))
  if (root !== undefined) return relative(root, file)
  if (!isAbsolute(file) || exists(file)) return undefined
  const parts = file.split(sep).filter((p) => p !== '')
  for (let from = 1; from <= parts.length - MIN_TAIL_PARTS; from++) {
    const tail = parts.slice(from).join(sep)
    if (roots.some((r) => exists(join(r, tail)))) return tail
  }
  return undefined
}

/**
 * relativizeFiles rewrites every function's file that lies under one of `roots` (the longest root
 * wins), or that exists nowhere but whose tail names a file under one, to its path relative to
 * that root, so both sides name a source file alike. `exists` is the file system (tests pass one).
 */
export function relativizeFiles(profile: Profile, roots: readonly string[], exists: (path: string) => boolean = existsSync): void {
  const ordered = [...new Set(roots.filter((r) => r !== '' && isAbsolute(r)))].sort((a, b) => b.length - a.length)
  const text = profile.stringTable.strings
  const rewritten = new Map<number, number>()
  for (const fn of profile.function) {
    const index = Number(fn.filename)
    let target = rewritten.get(index)
    if (target === undefined) {
      const file = relativeFile(text[index] ?? '', ordered, exists)
      // dedup appends a string (pprof-format encodes each string once, as added): never overwrite one.
      target = file === undefined ? index : profile.stringTable.dedup(file)
      rewritten.set(index, target)
    }
    fn.filename = target
  }
}

function functionKey(profile: Profile, fn: Profile['function'][number]): string {
  const text = profile.stringTable.strings
  return `${text[Number(fn.name)] ?? ''}\u0000${text[Number(fn.filename)] ?? ''}`
}

/**
 * alignStartLines gives each base function head's first line when name and file identify exactly
 * one function on each side: the reader looks at head's source, and the diff then matches them.
 */
export function alignStartLines(base: Profile, head: Profile): void {
  const headLines = new Map<string, number | undefined>()
  for (const fn of head.function) {
    const key = functionKey(head, fn)
    headLines.set(key, headLines.has(key) ? undefined : Number(fn.startLine))
  }
  const baseCounts = new Map<string, number>()
  for (const fn of base.function) {
    const key = functionKey(base, fn)
    baseCounts.set(key, (baseCounts.get(key) ?? 0) + 1)
  }
  for (const fn of base.function) {
    const key = functionKey(base, fn)
    const line = headLines.get(key)
    if (line !== undefined && baseCounts.get(key) === 1) fn.startLine = line
  }
}
