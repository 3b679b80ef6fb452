// URL routing: /slurm/<version>/<endpoint> and /slurmdb/<version>/<endpoint>, with or without the
// trailing slash, as slurmrestd matches them. Anything else is "unknown URL".
import { type DataParserVersion, isSupportedVersion, versionNumber } from './versions.ts'

/** Endpoint names one served operation, with its path parameter when it has one. */
export type Endpoint =
  | { name: 'ping' | 'diag' | 'jobs' | 'jobsState' | 'nodes' | 'partitions' | 'reservations' | 'licenses' | 'shares' }
  | { name: 'job'; jobId: string }
  | { name: 'node'; nodeName: string }
  | { name: 'partition'; partitionName: string }
  | { name: 'reservation'; reservationName: string }
  | { name: 'dbPing' | 'dbDiag' | 'dbJobs' | 'qos' | 'accounts' | 'users' | 'associations' | 'tres' | 'clusters' }
  | { name: 'dbJob'; jobId: string }

/** Route is a matched request path. */
export interface Route {
  plugin: 'slurmctld' | 'slurmdbd'
  version: DataParserVersion
  endpoint: Endpoint
}

const CONTROLLER_FIXED: Record<string, Endpoint['name']> = {
  ping: 'ping',
  diag: 'diag',
  jobs: 'jobs',
  'jobs/state': 'jobsState',
  nodes: 'nodes',
  partitions: 'partitions',
  reservations: 'reservations',
  licenses: 'licenses',
  shares: 'shares',
}
const DBD_FIXED: Record<string, Endpoint['name']> = {
  ping: 'dbPing',
  diag: 'dbDiag',
  jobs: 'dbJobs',
  qos: 'qos',
  accounts: 'accounts',
  users: 'users',
  associations: 'associations',
  tres: 'tres',
  clusters: 'clusters',
}

/**
 * matchRoute maps a GET path to a Route, or null when slurmrestd would answer "Unable to find
 * requested URL endpoint". Segments are matched literally, so `..` and empty segments never match.
 */
export function matchRoute(pathname: string): Route | null {
  const hit = routeCache.get(pathname)
  if (hit !== undefined) return hit
  const route = parseRoute(pathname)
  if (routeCache.size >= ROUTE_CACHE_ENTRIES) routeCache.clear()
  routeCache.set(pathname, route)
  return route
}

// Clients ask for the same few paths again and again; parsing them showed in /ping profiles.
const ROUTE_CACHE_ENTRIES = 4_096
const routeCache = new Map<string, Route | null>()

function parseRoute(pathname: string): Route | null {
  const path = pathname.endsWith('/') ? pathname.slice(0, -1) : pathname
  const parts = path.split('/')
  // ['', 'slurm', 'v0.0.44', …]
  if (parts.length < 4 || parts[0] !== '') return null
  const plugin = parts[1] === 'slurm' ? 'slurmctld' : parts[1] === 'slurmdb' ? 'slurmdbd' : null
  const version = parts[2] as string
  if (plugin === null || !isSupportedVersion(version)) return null
  const rest = parts.slice(3)
  if (rest.some((p) => p === '' || p === '.' || p === '..')) return null
  const key = rest.join('/')
  const fixed = plugin === 'slurmctld' ? CONTROLLER_FIXED[key] : DBD_FIXED[key]
  if (fixed !== undefined) {
    // slurmdbd's ping exists since v0.0.42 (its spec has no /slurmdb/v0.0.41/ping).
    if (fixed === 'dbPing' && versionNumber(version) < 42) return null
    return { plugin, version, endpoint: { name: fixed } as Endpoint }
  }
  if (rest.length !== 2) return null
  let param: string
  try {
    param = decodeURIComponent(rest[1] as string)
  } catch {
    return null
  }
  if (param === '' || param.includes('/')) return null
  if (plugin === 'slurmctld') {
    if (rest[0] === 'job') return { plugin, version, endpoint: { name: 'job', jobId: param } }
    if (rest[0] === 'node') return { plugin, version, endpoint: { name: 'node', nodeName: param } }
    if (rest[0] === 'partition') return { plugin, version, endpoint: { name: 'partition', partitionName: param } }
    if (rest[0] === 'reservation') return { plugin, version, endpoint: { name: 'reservation', reservationName: param } }
  } else if (rest[0] === 'job') {
    return { plugin, version, endpoint: { name: 'dbJob', jobId: param } }
  }
  return null
}
