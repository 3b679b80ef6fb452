#!/usr/bin/env node
// Entry point. The CLI is TypeScript; loading it through tsx costs ~0.4 s per command, which every
// `bench` invocation (and every round `ab`, `doctor` and `self` spawn) would pay. So the CLI is
// bundled once with esbuild into node_modules/.cache and reused while none of its source files
// changed (checked by size and mtime, ~2 ms). If bundling fails, tsx loads the sources instead.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ENTRY = join(ROOT, 'harness', 'cli', 'main.ts')
const CACHE = join(ROOT, 'node_modules', '.cache', 'slurmbench', 'cli')
// Keyed by checkout: `ab` links a base worktree's node_modules to this one, and the two must not
// take turns replacing each other's build.
const CURRENT = join(CACHE, `current-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.json`)
// Builds older than this are removed; a build a running command still imports from is younger.
const STALE_BUILD_MS = 3_600_000

function stamp(path) {
  const stat = statSync(path)
  return `${stat.size}:${stat.mtimeMs}`
}

/** cachedBuild returns the bundle's folder when every input still has the stamp it was built from. */
function cachedBuild() {
  try {
    const current = JSON.parse(readFileSync(CURRENT, 'utf8'))
    if (current.node !== process.version) return undefined
    for (const [file, expected] of Object.entries(current.inputs)) {
      if (stamp(join(ROOT, file)) !== expected) return undefined
    }
    return join(CACHE, current.dir)
  } catch {
    return undefined
  }
}

async function build() {
  const { build: esbuild } = await import('esbuild')
  const dir = `build-${process.pid}-${Date.now()}`
  const outdir = join(CACHE, dir)
  const result = await esbuild({
    entryPoints: { main: ENTRY },
    bundle: true,
    splitting: true, // commands stay lazily loaded chunks, as in the sources
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' }, // node_modules/.cache has no package.json saying "module"
    absWorkingDir: ROOT,
    sourcemap: 'inline',
    metafile: true,
    logLevel: 'silent',
    plugins: [keepModuleUrls],
  })
  // This file is an input too: a change to how bundles are made must not reuse an old one.
  const inputs = { [relative(ROOT, fileURLToPath(import.meta.url))]: stamp(fileURLToPath(import.meta.url)) }
  for (const file of Object.keys(result.metafile.inputs)) {
    const path = join(ROOT, file)
    inputs[relative(ROOT, path)] = stamp(path)
  }
  const tmp = `${CURRENT}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify({ dir, node: process.version, inputs }))
  renameSync(tmp, CURRENT) // atomic: a concurrent command sees the old build or this one
  pruneBuilds(dir)
  return outdir
}

// Source files find their neighbours through import.meta.url (the repo root, scenario files);
// inside the bundle that would be the cache folder, so each file keeps its own URL.
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      const url = JSON.stringify(pathToFileURL(args.path).href)
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts', resolveDir: dirname(args.path) }
    })
  },
}

function pruneBuilds(keep) {
  for (const name of readdirSync(CACHE)) {
    if (!name.startsWith('build-') || name === keep) continue
    const path = join(CACHE, name)
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) rmSync(path, { recursive: true, force: true })
    } catch {
      // another command pruned it first
    }
  }
}

async function loadMain() {
  let dir = cachedBuild()
  if (dir === undefined) {
    try {
      mkdirSync(CACHE, { recursive: true })
      dir = await build()
    } catch {
      const { register } = await import('tsx/esm/api')
      register()
      return (await import('../harness/cli/main.ts')).main
    }
  }
  return (await import(pathToFileURL(join(dir, 'main.mjs')).href)).main
}

const main = await loadMain()
process.exitCode = await main(process.argv.slice(2))
