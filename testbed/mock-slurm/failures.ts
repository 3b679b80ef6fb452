// How slurmrestd answers when it cannot do its work: a token slurmctld refuses, or a slurmctld it
// cannot reach. Each endpoint fails its own way (its handler's error text, with or without an
// empty payload); the table is what a real 24.11.5 answered at v0.0.40–v0.0.42, the jobs row
// also what 25.11's capture shows.
import type { SlurmError } from './records/meta.ts'
import type { Endpoint } from './routes.ts'

/** FailureShape is how an endpoint's failing answer looks. */
export interface FailureShape {
  /**
   * body: `payload` keeps the endpoint's empty payload (jobs: [], last_update, …) before meta;
   * `errors-only` sends only errors, warnings and meta; `pings-down` is /ping's 200 answer that
   * lists the controller as DOWN (ping authenticates nothing against slurmctld).
   */
  body: 'payload' | 'errors-only' | 'pings-down'
  /** status replaces the cause's status (the /shares handler answers 500 whatever failed). */
  status?: number
  /** error is the endpoint's error entry without its number; none: `errors` stays empty. */
  error?: { description: string; source: string }
  /** errorNumber replaces the cause's error number and name (/shares: -1 "Unspecified error"). */
  errorNumber?: { number: number; name: string }
}

const SLURMCTLD_FAILURES: Partial<Record<Endpoint['name'], FailureShape>> = {
  ping: { body: 'pings-down' },
  diag: { body: 'errors-only', error: { description: 'slurm_get_statistics() failed to get slurmctld statistics', source: 'op_handler_diag' } },
  jobs: { body: 'payload', error: { description: 'Unable to query jobs', source: 'slurm_load_jobs()' } },
  job: { body: 'payload', error: { description: 'Unable to query jobs', source: 'slurm_load_jobs()' } },
  jobsState: { body: 'payload', error: { description: 'Unable to query jobs', source: 'slurm_load_jobs()' } },
  nodes: { body: 'errors-only', error: { description: 'Failure to query nodes', source: '_dump_nodes' } },
  node: { body: 'errors-only', error: { description: 'Failure to query nodes', source: '_dump_nodes' } },
  // 24.11 sends an empty errors list here: the partition handler drops the error it got.
  partitions: { body: 'errors-only' },
  partition: { body: 'errors-only' },
  reservations: { body: 'errors-only', error: { description: 'Unable to query reservations', source: 'slurm_load_reservations()' } },
  reservation: { body: 'errors-only', error: { description: 'Unable to query reservations', source: 'slurm_load_reservations()' } },
  licenses: { body: 'payload', error: { description: 'slurm_load_licenses() was unable to load licenses', source: 'op_handler_licenses' } },
  shares: {
    body: 'errors-only',
    status: 500,
    error: { description: 'slurm_associations_get_shares() failed: GET', source: '_dump_shares' },
    errorNumber: { number: -1, name: 'Unspecified error' },
  },
}

/** failureShape returns how endpoint `name` answers a failure; slurmdbd endpoints keep their payload. */
export function failureShape(name: Endpoint['name'], what: string, source: string): FailureShape {
  return SLURMCTLD_FAILURES[name] ?? { body: 'payload', error: { description: `Unable to query ${what}`, source } }
}

/** FailureCause is why slurmctld did not answer, as Slurm numbers and names it. */
export interface FailureCause {
  status: number
  errorNumber: number
  error: string
}

/** AUTH_FAILURE: slurmctld refused the token (bad signature, expired, another user's). */
export const AUTH_FAILURE: FailureCause = { status: 511, errorNumber: 1007, error: 'Protocol authentication error' }

/** CONTROLLER_DOWN: slurmrestd could not connect to slurmctld (it answers after ~9 s of retries). */
export const CONTROLLER_DOWN: FailureCause = { status: 502, errorNumber: 1800, error: 'Unable to contact slurm controller (connect failure)' }

/** failureErrors returns the `errors` of endpoint shape `shape` failing for `cause`. */
export function failureErrors(shape: FailureShape, cause: FailureCause): SlurmError[] {
  if (shape.error === undefined) return []
  return [
    {
      description: shape.error.description,
      error_number: shape.errorNumber?.number ?? cause.errorNumber,
      error: shape.errorNumber?.name ?? cause.error,
      source: shape.error.source,
    },
  ]
}
