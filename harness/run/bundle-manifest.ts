// A manifest per benchmark file records what its bundle was built from (every input file and the
// hash of its content), so an unchanged benchmark is not bundled again: checking ~100 small files
// takes milliseconds where esbuild takes ~0.1–0.3 s per file (seconds for the whole tree).
import { createHash } from 'node:crypto'
import { access, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../results/atomic-file.ts'

/** BundleManifest is what a cached bundle was built from. */
export interface BundleManifest {
  /** Changes whenever the bundle's shape changes (entry, esbuild options or version). */
  readonly format: string
  readonly bundlePath: string
  readonly exports: readonly string[]
  /** [absolute path, sha256 of content] of every input esbuild read. */
  readonly inputs: ReadonlyArray<readonly [string, string]>
}

// File hashes are shared by all bundles (they import the same testbed and harness files); an
// entry is reused only while the file keeps its modification time and size.
const fileHashes = new Map<string, { readonly stamp: string; readonly hash: Promise<string | undefined> }>()

async function hashFile(path: string): Promise<string | undefined> {
  let stamp: string
  try {
    const info = await stat(path)
    stamp = `${info.mtimeMs}:${info.size}`
  } catch {
    return undefined
  }
  const known = fileHashes.get(path)
  if (known !== undefined && known.stamp === stamp) return known.hash
  const hash = readFile(path).then(
    (data) => createHash('sha256').update(data).digest('hex'),
    () => undefined,
  )
  fileHashes.set(path, { stamp, hash })
  return hash
}

function manifestPath(cacheDir: string, file: string): string {
  return join(cacheDir, 'manifests', `${createHash('sha256').update(file).digest('hex').slice(0, 24)}.json`)
}

/** readValidManifest returns the manifest of `file` when its bundle exists and every input is unchanged. */
export async function readValidManifest(cacheDir: string, file: string, format: string): Promise<BundleManifest | undefined> {
  let manifest: BundleManifest
  try {
    manifest = JSON.parse(await readFile(manifestPath(cacheDir, file), 'utf8')) as BundleManifest
    if (manifest.format !== format || !Array.isArray(manifest.inputs)) return undefined
    await access(manifest.bundlePath)
  } catch {
    return undefined
  }
  const current = await Promise.all(manifest.inputs.map(([path]) => hashFile(path)))
  return manifest.inputs.every(([, hash], i) => current[i] === hash) ? manifest : undefined
}

/**
 * writeManifest records what a fresh bundle was built from. It writes nothing when an input was
 * modified after the build started, since the bundle may hold the older content.
 */
export async function writeManifest(
  cacheDir: string,
  file: string,
  manifest: Omit<BundleManifest, 'inputs'>,
  inputPaths: readonly string[],
  buildStartMs: number,
): Promise<void> {
  const inputs: Array<readonly [string, string]> = []
  for (const path of inputPaths) {
    let modifiedMs: number
    try {
      modifiedMs = (await stat(path)).mtimeMs
    } catch {
      return
    }
    if (modifiedMs >= buildStartMs - 1) return
    const hash = await hashFile(path)
    if (hash === undefined) return
    inputs.push([path, hash])
  }
  await writeFileAtomic(manifestPath(cacheDir, file), JSON.stringify({ ...manifest, inputs }))
}
