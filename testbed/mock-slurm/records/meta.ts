// The response envelope: `meta`, `errors`, `warnings`.

/** SlurmRelease is the daemon release the mock claims to be (meta.slurm). */
export interface SlurmRelease {
  major: string
  minor: string
  micro: string
}

/** DEFAULT_RELEASE is Slurm 25.11.0, the release whose captures the samples hold. */
export const DEFAULT_RELEASE: SlurmRelease = { major: '25', minor: '11', micro: '0' }

/** SlurmError is one entry of `errors`. */
export interface SlurmError {
  description: string
  error_number: number
  error: string
  source: string
}

/** SlurmWarning is one entry of `warnings`. */
export interface SlurmWarning {
  description: string
  source: string
}

/** Meta is the `meta` object of every response. */
export interface Meta {
  plugin: { type: string; name: string; data_parser: string; accounting_storage: string }
  client: { source: string; user: string; group: string }
  command: string[]
  slurm: { version: { major: string; micro: string; minor: string }; release: string; cluster: string }
}

/** MetaInput is what varies between responses' meta. */
export interface MetaInput {
  plugin: 'slurmctld' | 'slurmdbd'
  version: string
  release: SlurmRelease
  cluster: string
  /** accounting is false without slurmdbd: accounting_storage is then '' (24.11). */
  accounting?: boolean
  clientSource: string
  user: string
}

/** buildMeta returns the meta object, as a 25.11 daemon fills it. */
export function buildMeta(m: MetaInput): Meta {
  return {
    plugin: {
      type: `openapi/${m.plugin}`,
      name: `Slurm OpenAPI ${m.plugin}`,
      data_parser: `data_parser/${m.version}`,
      accounting_storage: m.accounting === false ? '' : 'accounting_storage/slurmdbd',
    },
    client: { source: m.clientSource, user: m.user, group: m.user === 'root' ? 'root' : m.user === 'nobody' ? '' : 'users' },
    command: [],
    slurm: {
      version: { major: m.release.major, micro: m.release.micro, minor: m.release.minor },
      release: `${m.release.major}.${m.release.minor}.${m.release.micro}`,
      cluster: m.cluster,
    },
  }
}
