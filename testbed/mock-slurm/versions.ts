// The data parser versions the mock serves and the response components of each endpoint.

/**
 * SUPPORTED_VERSIONS lists the data parser versions the mock can serve, oldest first. Slurm 23.11
 * serves v0.0.40; 24.05 up to v0.0.41; 24.11 v0.0.40–v0.0.42; 25.05 up to v0.0.43; 25.11
 * v0.0.41–v0.0.44 (releaseVersions picks the set of a release).
 */
export const SUPPORTED_VERSIONS = ['v0.0.40', 'v0.0.41', 'v0.0.42', 'v0.0.43', 'v0.0.44'] as const

/** DataParserVersion is one of SUPPORTED_VERSIONS. */
export type DataParserVersion = (typeof SUPPORTED_VERSIONS)[number]

/** isSupportedVersion reports whether `v` names a served data parser version. */
export function isSupportedVersion(v: string): v is DataParserVersion {
  return (SUPPORTED_VERSIONS as readonly string[]).includes(v)
}

/**
 * RESPONSE_COMPONENTS maps each response kind to its component name in the spec, without the
 * `v0.0.4x_` prefix. These are the roots openapi/extract.ts copies out of the specs.
 */
export const RESPONSE_COMPONENTS = {
  ping: 'openapi_ping_array_resp',
  diag: 'openapi_diag_resp',
  jobs: 'openapi_job_info_resp',
  nodes: 'openapi_nodes_resp',
  partitions: 'openapi_partition_resp',
  reservations: 'openapi_reservation_resp',
  licenses: 'openapi_licenses_resp',
  shares: 'openapi_shares_resp',
  dbPing: 'openapi_slurmdbd_ping_resp',
  dbDiag: 'openapi_slurmdbd_stats_resp',
  dbJobs: 'openapi_slurmdbd_jobs_resp',
  qos: 'openapi_slurmdbd_qos_resp',
  accounts: 'openapi_accounts_resp',
  users: 'openapi_users_resp',
  associations: 'openapi_assocs_resp',
  tres: 'openapi_tres_resp',
  clusters: 'openapi_clusters_resp',
  plain: 'openapi_resp',
} as const

/** ResponseKind names one response shape the mock serves. */
export type ResponseKind = keyof typeof RESPONSE_COMPONENTS

/** versionNumber turns `v0.0.44` into 44, for "this field exists since" comparisons. */
export function versionNumber(v: DataParserVersion): number {
  return Number(v.slice(v.lastIndexOf('.') + 1))
}
