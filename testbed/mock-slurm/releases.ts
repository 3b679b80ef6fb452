// The Slurm releases the mock can pose as: each serves its own data parser versions and words
// its transport-level errors its own way.
import type { SlurmRelease } from './records/meta.ts'
import type { DataParserVersion } from './versions.ts'

/** ReleaseProfile is what the mock takes from a release line. */
export interface ReleaseProfile {
  release: SlurmRelease
  versions: readonly DataParserVersion[]
}

/**
 * RELEASES are the release lines whose data parsers the mock serves (upstream: 23.11 introduced
 * v0.0.40 and each release drops the oldest parsers).
 */
export const RELEASES = {
  '23.11': { release: { major: '23', minor: '11', micro: '10' }, versions: ['v0.0.40'] },
  '24.05': { release: { major: '24', minor: '05', micro: '8' }, versions: ['v0.0.40', 'v0.0.41'] },
  '24.11': { release: { major: '24', minor: '11', micro: '5' }, versions: ['v0.0.40', 'v0.0.41', 'v0.0.42'] },
  '25.05': { release: { major: '25', minor: '05', micro: '4' }, versions: ['v0.0.41', 'v0.0.42', 'v0.0.43'] },
  '25.11': { release: { major: '25', minor: '11', micro: '0' }, versions: ['v0.0.41', 'v0.0.42', 'v0.0.43', 'v0.0.44'] },
} as const satisfies Record<string, ReleaseProfile>

/** ReleaseName is one of the RELEASES keys. */
export type ReleaseName = keyof typeof RELEASES

/** isReleaseName reports whether `name` is a release line the mock knows. */
export function isReleaseName(name: string): name is ReleaseName {
  return Object.hasOwn(RELEASES, name)
}

/** TransportAnswers are the plain-text answers slurmrestd gives before any handler runs. */
export interface TransportAnswers {
  missingAuth: { status: number; text: string }
  unknownUrlText: string
}

// 24.11.5 measured (401 on every path, /openapi/v3 included); 25.11.0 from Slurm-web's captures.
// 25.05 is taken to answer as 24.11: no answer of it was recorded.
const BEFORE_25_11: TransportAnswers = {
  missingAuth: { status: 401, text: 'Authentication failure' },
  unknownUrlText: 'Unable find requested URL. Please view /openapi/v3 for API reference.',
}
const FROM_25_11: TransportAnswers = {
  missingAuth: { status: 500, text: 'Authentication does not apply to request' },
  unknownUrlText:
    "Unable to find requested URL endpoint. Please query the '/openapi/v3' endpoint or visit 'https://slurm.schedmd.com/rest_api.html' for the OpenAPI specification which includes a list of all possible slurmrestd endpoints.",
}

/** transportAnswers returns the plain-text answers of `release`. */
export function transportAnswers(release: SlurmRelease): TransportAnswers {
  const major = Number(release.major)
  const minor = Number(release.minor)
  return major > 25 || (major === 25 && minor >= 11) ? FROM_25_11 : BEFORE_25_11
}
