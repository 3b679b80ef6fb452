// Each benchmark file is bundled with the worker entry into one plain ES module, so workers start
// with plain node (~120 ms) instead of node --import tsx (~350 ms), and the benchmark's `slurmbench`
// import and the worker share one instance of the API. Bundles are content-addressed in
// node_modules/.cache/slurmbench, and a manifest of their inputs' hashes (bundle-manifest.ts) lets
// an unchanged file skip esbuild entirely; a stale bundle is never run.
import { createHash } from 'node:crypto'
import { access, readdir, readFile, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { writeFileAtomic } from '../results/atomic-file.ts'
import { readValidManifest, writeManifest } from './bundle-manifest.ts'

/** REPO_ROOT is the slurmbench checkout this harness runs from (in the compiled package, its dist/). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/[\\/]$/, '')

/** BUNDLE_CACHE_DIR holds the bundles, keyed by the hash of their content. */
export const BUNDLE_CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'slurmbench')

// `.ts` in a checkout, `.js` in the compiled package (dist/, mirroring the source folders).
const MODULE_EXTENSION = import.meta.url.endsWith('.js') ? '.js' : '.ts'
const API_PATH = join(REPO_ROOT, 'harness', `api${MODULE_EXTENSION}`)
const WORKER_PATH = join(REPO_ROOT, 'harness', 'run', `worker${MODULE_EXTENSION}`)
const WORKER_CRASH_PATH = join(REPO_ROOT, 'harness', 'run', `worker-crash${MODULE_EXTENSION}`)

/** BenchBundle is a benchmark file ready to run in workers. */
export interface BenchBundle {
  /** Absolute path of the benchmark source file. */
  readonly file: string
  /** Absolute path of the bundled module workers run. */
  readonly bundlePath: string
  /** Every export of the benchmark file, in source order. */
  readonly exports: readonly string[]
}

/** BundleError is a benchmark file that does not compile; the message holds esbuild's diagnostics. */
export class BundleError extends Error {
  override readonly name = 'BundleError'
}

// esbuild's version from its package.json: importing esbuild itself costs ~40 ms of module loading
// (Node lexes its 100 KB CommonJS entry for named exports), paid only when a bundle is built.
const esbuildVersion = (createRequire(import.meta.url)('esbuild/package.json') as { version: string }).version
// Bump when the entry or the build options change, so that cached bundles are rebuilt.
const BUNDLE_FORMAT = `4/esbuild-${esbuildVersion}`

// A bundle lies in node_modules/.cache, and in a pair run's base worktree node_modules is a link
// to the head's: a module finding its checkout from import.meta.url (the rig finds the testbed
// servers it starts so) would find the head's and start the head's exporter for the base side.
// So every source file keeps its own URL, as the CLI's bundle does (bin/slurmbench.js).
const keepModuleUrls: import('esbuild').Plugin = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined
      const source = await readFile(args.path, 'utf8')
      if (!source.includes('import.meta.url')) return undefined
      return {
        contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js',
        resolveDir: dirname(args.path),
      }
    })
  },
}

/**
 * bundleBenchmarkFile bundles `file` with the worker entry (or reuses an up-to-date bundle) and
 * returns where the bundle is. Packages stay imports, resolved from where the bundle lies: a pair
 * run's base side passes its own checkout's cache folder, so it gets the base's node_modules.
 */
export async function bundleBenchmarkFile(file: string, cacheDir: string = BUNDLE_CACHE_DIR): Promise<BenchBundle> {
  const cached = await readValidManifest(cacheDir, file, BUNDLE_FORMAT)
  if (cached !== undefined) return { file, bundlePath: cached.bundlePath, exports: cached.exports }
  const buildStartMs = Date.now()
  const entryPath = `${file}.worker-entry.ts` // a name for the generated entry; no such file exists
  const entry = [
    `import ${JSON.stringify(WORKER_CRASH_PATH)}`, // first: it must be installed before the benchmark file runs
    `export * from ${JSON.stringify(file)}`,
    `import * as benchmarkModule from ${JSON.stringify(file)}`,
    `import { workerMain } from ${JSON.stringify(WORKER_PATH)}`,
    'await workerMain(benchmarkModule)',
  ].join('\n')
  const { build } = await import('esbuild')
  let result: import('esbuild').BuildResult<{ write: false; metafile: true }>
  try {
    result = await build({
      stdin: { contents: entry, resolveDir: dirname(file), sourcefile: basename(entryPath), loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      alias: { slurmbench: API_PATH },
      plugins: [keepModuleUrls],
      sourcemap: 'inline',
      write: false,
      metafile: true,
      outfile: join(cacheDir, 'bundle.mjs'),
      logLevel: 'silent',
    })
  } catch (err) {
    const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors
    const text = errors?.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text)).join('\n')
    throw new BundleError(text ?? (err as Error).message)
  }
  const output = result.outputFiles[0]
  const meta = Object.values(result.metafile.outputs)[0]
  if (output === undefined || meta === undefined) throw new BundleError(`${file}: esbuild produced no output`)
  const hash = createHash('sha256').update(output.contents).digest('hex').slice(0, 16)
  const bundlePath = join(cacheDir, `${basename(file, '.ts')}-${hash}.mjs`)
  try {
    await access(bundlePath)
  } catch {
    await writeFileAtomic(bundlePath, output.contents)
    await pruneStaleBundles(cacheDir, basename(file, '.ts'), bundlePath)
  }
  const exports = sourceOrder(meta.exports, await readFile(file, 'utf8'))
  // metafile paths are relative to esbuild's working directory, the process's cwd.
  const inputs = Object.keys(result.metafile.inputs)
    .map((path) => resolve(path))
    .filter((path) => path !== entryPath)
  await writeManifest(cacheDir, file, { format: BUNDLE_FORMAT, bundlePath, exports }, inputs, buildStartMs)
  return { file, bundlePath, exports }
}

/** STALE_BUNDLE_AGE_MS is how old a superseded bundle of the same file must be before it is deleted. */
const STALE_BUNDLE_AGE_MS = 24 * 3600 * 1000

// pruneStaleBundles deletes old bundles of files with this base name, so the cache does not grow
// with every edit; a day's grace leaves bundles that a concurrent run may still be using alone.
async function pruneStaleBundles(cacheDir: string, base: string, keep: string): Promise<void> {
  const now = Date.now()
  for (const name of await readdir(cacheDir)) {
    const path = join(cacheDir, name)
    if (!name.startsWith(`${base}-`) || !name.endsWith('.mjs') || path === keep) continue
    try {
      if (now - (await stat(path)).mtimeMs > STALE_BUNDLE_AGE_MS) await rm(path, { force: true })
    } catch {
      // another run pruned it first
    }
  }
}

// esbuild lists exports alphabetically; Go runs benchmarks in source order, so order them by
// where each is declared (re-exports and other forms keep esbuild's order, after those).
function sourceOrder(exports: readonly string[], source: string): string[] {
  const position = (name: string): number => {
    const declared = new RegExp(`\\bexport\\s+(?:async\\s+)?(?:function\\*?|const|let|var|class)\\s+${name}\\b`).exec(source)
    return declared === null ? Number.MAX_SAFE_INTEGER : declared.index
  }
  return [...exports].sort((a, b) => position(a) - position(b))
}
