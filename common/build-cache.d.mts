/** BuildOutput is what a build made and the files (relative to the root, or absolute) it read. */
export interface BuildOutput {
  readonly path: string
  readonly inputs: readonly string[]
}

/** cachedBuild reuses the recorded build while its inputs are unchanged, or builds and records a new one. */
export function cachedBuild(options: {
  readonly root: string
  readonly cacheDir: string
  readonly recordName: string
  readonly prefix: string
  readonly build: (name: string) => Promise<BuildOutput>
}): Promise<string>
