// A build kept in node_modules/.cache and reused while none of its inputs changed. Plain
// JavaScript because bin/slurmbench.js uses it before any TypeScript can load; the reference
// exporter's child servers (testbed/rig/child-process.ts) use it too.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/** STALE_BUILD_MS: superseded builds older than this are removed; one still being started from is younger. */
const STALE_BUILD_MS = 3_600_000

/** stamp is a file's `size:mtimeMs`, what a build's inputs are checked by (~2 ms for a whole tree). */
function stamp(path) {
  const stat = statSync(path)
  return `${stat.size}:${stat.mtimeMs}`
}

/**
 * cachedBuild returns the path of the build recorded in `cacheDir/recordName` when it was made
 * by this Node version and every input still has its stamp; otherwise it calls `build(name)`
 * with a fresh name for the output (unique per build: another process may still be starting
 * from the previous one), records what `build` returns ({ path, inputs }, inputs relative to
 * `root`), removes old builds named with `prefix`, and returns the new path.
 */
export async function cachedBuild({ root, cacheDir, recordName, prefix, build }) {
  const recordPath = join(cacheDir, recordName)
  try {
    const record = JSON.parse(readFileSync(recordPath, 'utf8'))
    const fresh = record.node === process.version && Object.entries(record.inputs).every(([file, expected]) => stamp(join(root, file)) === expected)
    if (fresh) {
      statSync(record.path)
      return record.path
    }
  } catch {
    // no record yet, or its build is gone: build again
  }
  mkdirSync(cacheDir, { recursive: true })
  const name = `${prefix}-${process.pid}-${Date.now()}`
  const { path, inputs: inputFiles } = await build(name)
  const inputs = {}
  for (const file of inputFiles) inputs[relative(root, join(root, file))] = stamp(join(root, file))
  const temp = `${recordPath}.${process.pid}.tmp`
  writeFileSync(temp, JSON.stringify({ path, node: process.version, inputs }))
  renameSync(temp, recordPath) // atomic: a concurrent process sees the old build or this one
  for (const entry of readdirSync(cacheDir)) {
    const old = join(cacheDir, entry)
    if (!entry.startsWith(`${prefix}-`) || old === path || entry.endsWith('.json') || entry.endsWith('.tmp')) continue
    try {
      if (Date.now() - statSync(old).mtimeMs > STALE_BUILD_MS) rmSync(old, { recursive: true, force: true })
    } catch {
      // another process removed it first
    }
  }
  return path
}
