// The mock's options and their defaults, resolved once into the settings the server runs with.
import { DEFAULT_JWT_KEY } from './auth.ts'
import type { GenerateOptions } from './cluster/generate.ts'
import { MAX_USERS, type PresetName, PRESETS } from './cluster/presets.ts'
import { type FaultSpec, NO_FAULTS, parseFaultSpec } from './faults.ts'
import { DEFAULT_RELEASE, type SlurmRelease } from './records/meta.ts'
import { RELEASES, type ReleaseName } from './releases.ts'
import { type DataParserVersion, isSupportedVersion, SUPPORTED_VERSIONS } from './versions.ts'

/** LogLevel orders the server's log output; requests are logged only at `debug`. */
export type LogLevel = 'error' | 'info' | 'debug'

/** MockSlurmOptions configure startMockSlurm; every field has a default. */
export interface MockSlurmOptions {
  /** host to bind (default 127.0.0.1). */
  host?: string
  /** port to bind (default 0: an ephemeral port). */
  port?: number
  /** preset sizes the cluster (default small); nodes/jobs/users override it. */
  preset?: PresetName
  nodes?: number
  jobs?: number
  users?: number
  /** seed makes the cluster deterministic (default 1). */
  seed?: number
  /** clusterName appears in meta.slurm.cluster and records (default "cluster"). */
  clusterName?: string
  /** epochSec is the generation time (default: now); fix it for byte-identical output. */
  epochSec?: number
  /** changeRatePerSec is how many state changes happen per second of wall time (default 2). */
  changeRatePerSec?: number
  /** frozenClock keeps model time at epochSec; changes then come only from advance(). */
  frozenClock?: boolean
  /** auth turns rest_auth/jwt on (default true). */
  auth?: boolean
  /** jwtKey is the HS256 key (default DEFAULT_JWT_KEY). */
  jwtKey?: string
  /** json is the body format: slurmrestd's default pretty, or compact (SLURMRESTD_JSON=compact). */
  json?: 'pretty' | 'compact'
  /** faults are server-wide fault defaults, as a FaultSpec or `key=value;…` text. */
  faults?: FaultSpec | string
  /** allowFaultHeader honours the per-request X-Mock-Fault header (default true). */
  allowFaultHeader?: boolean
  /**
   * slurm poses as a release line: its release in meta, its data parser versions and its wording
   * of errors (e.g. '24.11': 24.11.5, v0.0.40–v0.0.42, 401 without a token). `release` and
   * `versions` override its parts. Default: 25.11.0 in meta, every supported version served.
   */
  slurm?: ReleaseName
  /** release is the Slurm release in meta (default 25.11.0). */
  release?: SlurmRelease
  /** versions are the data parser versions served; others answer "unknown URL". */
  versions?: readonly DataParserVersion[]
  /**
   * accounting says whether slurmdbd is configured (default true). Without it /slurmdb/ paths are
   * unknown URLs and /shares is empty with slurmrestd's warning.
   */
  accounting?: boolean
  /** licenses configures the cluster's licences (default true); without any /licenses warns "Zero licenses to dump". */
  licenses?: boolean
  logLevel?: LogLevel
  /** log receives log lines (default: stderr). */
  log?: (line: string) => void
}

/** MockSlurmSettings are MockSlurmOptions with every default applied and checked. */
export interface MockSlurmSettings {
  host: string | undefined
  port: number | undefined
  cluster: GenerateOptions
  changeRatePerSec: number
  frozenClock: boolean
  auth: boolean
  jwtKey: string
  pretty: boolean
  faults: FaultSpec
  allowFaultHeader: boolean
  release: SlurmRelease
  versions: readonly DataParserVersion[]
  accounting: boolean
  licenses: boolean
  logLevel: LogLevel
  log: (line: string) => void
}

const DEFAULT_CHANGE_RATE_PER_SEC = 2
const JOBS_PER_USER = 33
const MIN_USERS = 8

/**
 * resolveOptions applies the defaults to `options`; `nowMs` is the wall time that dates the
 * cluster when epochSec is not given. It throws RangeError on a value out of range.
 */
export function resolveOptions(options: MockSlurmOptions, nowMs: number): MockSlurmSettings {
  const preset = PRESETS[options.preset ?? 'small']
  const jobs = options.jobs ?? preset.jobs
  const changeRatePerSec = options.changeRatePerSec ?? DEFAULT_CHANGE_RATE_PER_SEC
  if (!(changeRatePerSec >= 0)) throw new RangeError(`changeRatePerSec must be ≥ 0, got ${changeRatePerSec}`)
  const profile = options.slurm === undefined ? undefined : RELEASES[options.slurm]
  if (options.slurm !== undefined && profile === undefined) throw new RangeError(`slurm: "${options.slurm}" is not one of ${Object.keys(RELEASES).join(', ')}`)
  const versions = options.versions ?? profile?.versions ?? SUPPORTED_VERSIONS
  for (const v of versions) {
    if (!isSupportedVersion(v)) throw new RangeError(`versions: "${v}" is not one of ${SUPPORTED_VERSIONS.join(', ')}`)
  }
  if (versions.length === 0) throw new RangeError('versions: at least one data parser version must be served')
  return {
    host: options.host,
    port: options.port,
    cluster: {
      nodes: options.nodes ?? preset.nodes,
      jobs,
      // Explicit job counts get users in the presets' proportion (≈ 1 per 33 jobs), within bounds.
      users: options.users ?? (options.jobs === undefined ? preset.users : Math.min(MAX_USERS, Math.max(MIN_USERS, Math.ceil(jobs / JOBS_PER_USER)))),
      seed: options.seed ?? 1,
      clusterName: options.clusterName ?? 'cluster',
      epochSec: options.epochSec ?? Math.floor(nowMs / 1000),
    },
    changeRatePerSec,
    frozenClock: options.frozenClock === true,
    auth: options.auth ?? true,
    jwtKey: options.jwtKey ?? DEFAULT_JWT_KEY,
    pretty: (options.json ?? 'pretty') === 'pretty',
    faults: typeof options.faults === 'string' ? parseFaultSpec(options.faults) : (options.faults ?? NO_FAULTS),
    allowFaultHeader: options.allowFaultHeader ?? true,
    release: options.release ?? profile?.release ?? DEFAULT_RELEASE,
    versions: SUPPORTED_VERSIONS.filter((v) => versions.includes(v)),
    accounting: options.accounting ?? true,
    licenses: options.licenses ?? true,
    logLevel: options.logLevel ?? 'info',
    log: options.log ?? ((line: string) => process.stderr.write(line + '\n')),
  }
}
