// Intercepted slurmrestd answers for the exporter's unit tests: real captures from fixtures/
// (see fixtures/SOURCE.md), served through undici's MockAgent, plus small hand-built shares and
// licenses answers in the v0.0.44 schema shape (no capture of those exists in the sample set).

import { readFileSync } from 'node:fs'
import { MockAgent } from 'undici'

/** SLURM_ORIGIN is the origin the tests point the exporter at; MockAgent answers for it. */
export const SLURM_ORIGIN = 'http://slurm.test:6820'

const fixtures = new URL('./fixtures/', import.meta.url)

/** fixture returns the text of a fixture file. */
export function fixture(name: string): string {
  return readFileSync(new URL(name, fixtures), 'utf8')
}

const META = (JSON.parse(fixture('v0.0.44-slurm-ping.json')) as { meta: unknown }).meta

/** SHARES_ANSWER is a shares answer: a root, an account and two users, one of them twice (a duplicate Slurm can send for a user in two partitions). */
export const SHARES_ANSWER = JSON.stringify({
  shares: {
    shares: [
      share(1, 'root', '', 'ASSOCIATION', 1, 0.0),
      share(2, 'physics', 'root', 'ASSOCIATION', 0.5, 0.25),
      share(3, 'alice', 'physics', 'USER', 0.75, 0.1),
      share(4, 'bob', 'physics', 'USER', 0.25, 0.9),
    ],
    total_shares: 100,
  },
  meta: META,
  errors: [],
  warnings: [],
})

function share(id: number, name: string, parent: string, type: string, factor: number, usage: number): unknown {
  const f = (n: number) => ({ set: true, infinite: false, number: n })
  return {
    id,
    cluster: 'hpc',
    name,
    parent,
    partition: '',
    shares_normalized: f(0.5),
    shares: f(1),
    tres: { run_seconds: [], group_minutes: [], usage: [] },
    effective_usage: f(usage),
    usage_normalized: f(usage),
    usage: Math.round(usage * 1e6),
    fairshare: { factor: f(factor), level: f(factor) },
    type: [type],
  }
}

/** LICENSES_ANSWER is a licenses answer with two licenses. */
export const LICENSES_ANSWER = JSON.stringify({
  licenses: [
    { LicenseName: 'matlab', Total: 20, Used: 5, Free: 15, Remote: false, Reserved: 0, LastConsumed: 0, LastDeficit: 0, LastUpdate: 1762782963, Nodes: '' },
    { LicenseName: 'ansys', Total: 8, Used: 8, Free: 0, Remote: true, Reserved: 2, LastConsumed: 8, LastDeficit: 0, LastUpdate: 1762782963, Nodes: '' },
  ],
  last_update: { set: true, infinite: false, number: 1762782963 },
  meta: META,
  errors: [],
  warnings: [],
})

/** diagAnswer wraps the sdiag capture's statistics in a slurmrestd answer. */
export function diagAnswer(): string {
  const sdiag = JSON.parse(fixture('sdiag.json')) as { statistics: unknown }
  return JSON.stringify({ statistics: sdiag.statistics, meta: META, errors: [], warnings: [] })
}

/** Answer is what one endpoint replies. */
export interface Answer {
  readonly status: number
  readonly body: string
  readonly contentType?: string
  /** Delay before the answer, to provoke timeouts. */
  readonly delayMs?: number
}

/** healthyAnswers returns a 200 answer for every endpoint the exporter reads, for one version. */
export function healthyAnswers(version: 'v0.0.41' | 'v0.0.42' | 'v0.0.43' | 'v0.0.44'): Record<string, Answer> {
  const own = (name: string) => fixture(`${version}-slurm-${name}.json`)
  const latest = (name: string) => fixture(`v0.0.44-slurm-${name}.json`)
  return {
    nodes: { status: 200, body: own('nodes') },
    jobs: { status: 200, body: own('jobs') },
    partitions: { status: 200, body: own('partitions') },
    diag: { status: 200, body: diagAnswer() },
    shares: { status: 200, body: SHARES_ANSWER },
    licenses: { status: 200, body: LICENSES_ANSWER },
    reservations: { status: 200, body: latest('reservations') },
  }
}

/** Interception records what the exporter asked for. */
export interface Interception {
  readonly agent: MockAgent
  /** Requests seen, as `path` plus the auth headers they carried. */
  readonly requests: { path: string; headers: Record<string, string> }[]
}

/**
 * interceptSlurm answers every GET /slurm/<version>/<endpoint> from `answers` (a function is
 * asked per request, so a test can fail the first attempt and answer the retry).
 */
export function interceptSlurm(version: string, answers: Record<string, Answer | ((attempt: number) => Answer)>): Interception {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const requests: Interception['requests'] = []
  const pool = agent.get(SLURM_ORIGIN)
  for (const [endpoint, answer] of Object.entries(answers)) {
    let attempt = 0
    const scope = pool.intercept({ path: `/slurm/${version}/${endpoint}`, method: 'GET' }).reply((options) => {
      const headers = options.headers as Record<string, string>
      requests.push({ path: options.path, headers })
      const a = typeof answer === 'function' ? answer(attempt++) : answer
      return { statusCode: a.status, data: a.body, responseOptions: { headers: { 'content-type': a.contentType ?? 'application/json' } } }
    })
    if (typeof answer !== 'function' && answer.delayMs !== undefined) scope.delay(answer.delayMs)
    scope.persist()
  }
  return { agent, requests }
}
