// The mock slurmrestd's public API: `startMockSlurm(options) → { url, close, … }`.
export { startMockSlurm, type LogLevel, type MockSlurm, type MockSlurmOptions } from './server.ts'
export { DEFAULT_JWT_KEY, mintToken } from './auth.ts'
export { PRESETS, type PresetName } from './cluster/presets.ts'
export { FAULT_HEADER, parseFaultSpec, type FaultSpec } from './faults.ts'
export { RELEASES, type ReleaseName } from './releases.ts'
export { SUPPORTED_VERSIONS, type DataParserVersion } from './versions.ts'
