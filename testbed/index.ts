// The testbed's public entry point: what the harness (the load command's embedded targets) may
// use of the mock slurmrestd, the reference exporter and the rig that runs them as processes.
export { DEFAULT_JWT_KEY, mintToken, PRESETS, type PresetName, SUPPORTED_VERSIONS } from './mock-slurm/index.ts'
export { type ChildServer, spawnChildServer } from './rig/child-process.ts'
