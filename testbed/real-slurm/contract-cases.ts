// The requests of the mock-vs-real contract: every endpoint the exporter reads, the single-item
// endpoints, and the error cases, for one data_parser version.
import type { Answer } from './contract-diff.ts'

/** CONTRACT_VERSIONS are the data_parser versions Slurm 24.11 serves. */
export const CONTRACT_VERSIONS = ['v0.0.40', 'v0.0.41', 'v0.0.42'] as const

/** Credentials says what authentication a case sends. */
export type Credentials = 'valid' | 'none' | 'bad-signature' | 'expired'

/** ContractCase is one request of the contract. */
export interface ContractCase {
  /** name is stable across runs: it keys the allow-list and the recorded answers. */
  name: string
  /** path is the request path with query, e.g. /slurm/v0.0.42/nodes. */
  path: string
  credentials: Credentials
}

/** Subjects are the names of existing objects on one server, for the single-item endpoints. */
export interface Subjects {
  jobId: number
  node: string
  partition: string
  reservation: string
}

// The list endpoints the exporter's collectors read, and ping (its health check).
const LISTS = ['ping', 'diag', 'jobs', 'nodes', 'partitions', 'reservations', 'licenses', 'shares'] as const

/** contractCases lists the cases for `version`; `nowSec` places update_time a day in the future. */
export function contractCases(version: string, subjects: Subjects, nowSec: number): ContractCase[] {
  const base = `/slurm/${version}`
  const cases: ContractCase[] = []
  for (const list of LISTS)
    cases.push({
      name: `ok-${list}`,
      path: `${base}/${list}`,
      credentials: 'valid',
    })
  cases.push(
    {
      name: 'ok-job',
      path: `${base}/job/${subjects.jobId}`,
      credentials: 'valid',
    },
    {
      name: 'ok-node',
      path: `${base}/node/${subjects.node}`,
      credentials: 'valid',
    },
    {
      name: 'ok-partition',
      path: `${base}/partition/${subjects.partition}`,
      credentials: 'valid',
    },
    {
      name: 'ok-reservation',
      path: `${base}/reservation/${subjects.reservation}`,
      credentials: 'valid',
    },
  )
  for (const list of LISTS)
    cases.push({
      name: `bad-token-${list}`,
      path: `${base}/${list}`,
      credentials: 'bad-signature',
    })
  cases.push(
    { name: 'no-auth-nodes', path: `${base}/nodes`, credentials: 'none' },
    { name: 'no-auth-ping', path: `${base}/ping`, credentials: 'none' },
    {
      name: 'expired-token-nodes',
      path: `${base}/nodes`,
      credentials: 'expired',
    },
    {
      name: 'expired-token-shares',
      path: `${base}/shares`,
      credentials: 'expired',
    },
    { name: 'unknown-job', path: `${base}/job/999999`, credentials: 'valid' },
    {
      name: 'unknown-node',
      path: `${base}/node/nosuchnode`,
      credentials: 'valid',
    },
    {
      name: 'unknown-partition',
      path: `${base}/partition/nosuchpartition`,
      credentials: 'valid',
    },
    {
      name: 'unknown-reservation',
      path: `${base}/reservation/nosuchreservation`,
      credentials: 'valid',
    },
    {
      name: 'unknown-path',
      path: `${base}/nosuchendpoint`,
      credentials: 'valid',
    },
    {
      name: 'future-update-time-jobs',
      path: `${base}/jobs?update_time=${nowSec + 86_400}`,
      credentials: 'valid',
    },
    {
      name: 'future-update-time-nodes',
      path: `${base}/nodes?update_time=${nowSec + 86_400}`,
      credentials: 'valid',
    },
    {
      name: 'future-update-time-partitions',
      path: `${base}/partitions?update_time=${nowSec + 86_400}`,
      credentials: 'valid',
    },
  )
  return cases
}

/** Tokens are the JWTs a server accepts or must refuse. */
export interface Tokens {
  valid: string
  badSignature: string
  expired: string
}

/** requestHeaders returns the headers for a case's credentials. */
export function requestHeaders(credentials: Credentials, tokens: Tokens, user = 'root'): Record<string, string> {
  switch (credentials) {
    case 'none':
      return {}
    case 'valid':
      return { 'X-SLURM-USER-NAME': user, 'X-SLURM-USER-TOKEN': tokens.valid }
    case 'bad-signature':
      return {
        'X-SLURM-USER-NAME': user,
        'X-SLURM-USER-TOKEN': tokens.badSignature,
      }
    case 'expired':
      return {
        'X-SLURM-USER-NAME': user,
        'X-SLURM-USER-TOKEN': tokens.expired,
      }
  }
}

/** fetchAnswer performs one case against `url` and returns what came back (bounded by `timeoutMs`). */
export async function fetchAnswer(url: string, c: ContractCase, tokens: Tokens, timeoutMs = 30_000): Promise<Answer> {
  const response = await fetch(`${url}${c.path}`, {
    headers: requestHeaders(c.credentials, tokens),
    signal: AbortSignal.timeout(timeoutMs),
  })
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  }
}

/** discoverSubjects finds a running job, a node, a partition and a reservation on a server through its list endpoints. */
export async function discoverSubjects(url: string, version: string, token: string): Promise<Subjects> {
  const get = async (list: string): Promise<Record<string, unknown>> => {
    const response = await fetch(`${url}/slurm/${version}/${list}`, {
      headers: { 'X-SLURM-USER-NAME': 'root', 'X-SLURM-USER-TOKEN': token },
      signal: AbortSignal.timeout(30_000),
    })
    if (response.status !== 200) throw new Error(`GET ${url}/slurm/${version}/${list}: HTTP ${response.status}`)
    return (await response.json()) as Record<string, unknown>
  }
  const jobs = ((await get('jobs')).jobs ?? []) as Array<{
    job_id: number
    job_state: string[] | string
  }>
  const running = jobs.find((j) => (Array.isArray(j.job_state) ? j.job_state : [j.job_state]).includes('RUNNING')) ?? jobs[0]
  const nodes = ((await get('nodes')).nodes ?? []) as Array<{ name: string }>
  const partitions = ((await get('partitions')).partitions ?? []) as Array<{
    name: string
  }>
  const reservations = ((await get('reservations')).reservations ?? []) as Array<{ name: string }>
  if (running === undefined || nodes[0] === undefined || partitions[0] === undefined) throw new Error(`${url}: no job, node or partition to ask for by name`)
  return {
    jobId: running.job_id,
    node: nodes[0].name,
    partition: partitions[0].name,
    reservation: reservations[0]?.name ?? 'maint',
  }
}
