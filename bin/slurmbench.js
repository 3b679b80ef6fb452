#!/usr/bin/env node
// Entry point. An installed package (npm pack, the container image) ships the CLI compiled to
// dist/ and no sources, and runs that. In a checkout the CLI is TypeScript; loading it through tsx
// costs ~0.4 s per command, which every `bench` invocation (and every round `ab`, `doctor` and
// `self` spawn) would pay. So the CLI is bundled once with esbuild into node_modules/.cache and
// reused while none of its source files changed (checked by size and mtime, ~2 ms). If bundling
// fails, tsx loads the sources instead.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { cachedBuild } from '../common/build-cache.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ENTRY = join(ROOT, 'harness', 'cli', 'main.ts')
const COMPILED_ENTRY = join(ROOT, 'dist', 'harness', 'cli', 'main.js')
const CACHE = join(ROOT, 'node_modules', '.cache', 'slurmbench', 'cli')
// Keyed by checkout: `ab` links a base worktree's node_modules to this one, and the two must not
// take turns replacing each other's build.
const RECORD = `current-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.json`

async function build(name) {
  const { build: esbuild } = await import('esbuild')
  const outdir = join(CACHE, name)
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
  // This file and the cache are inputs too: a change to how bundles are made must not reuse an old one.
  const self = [fileURLToPath(import.meta.url), fileURLToPath(new URL('../common/build-cache.mjs', import.meta.url))].map((path) => relative(ROOT, path))
  return { path: outdir, inputs: [...self, ...Object.keys(result.metafile.inputs)] }
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

async function loadMain() {
  // Sources win when present: a checkout's dist/ may be older than its sources.
  if (!existsSync(ENTRY)) return (await import(pathToFileURL(COMPILED_ENTRY).href)).main
  let dir
  try {
    dir = await cachedBuild({ root: ROOT, cacheDir: CACHE, recordName: RECORD, prefix: 'build', build })
  } catch {
    const { register } = await import('tsx/esm/api')
    register()
    return (await import('../harness/cli/main.ts')).main
  }
  return (await import(pathToFileURL(join(dir, 'main.mjs')).href)).main
}

const main = await loadMain()
process.exitCode = await main(process.argv.slice(2))
