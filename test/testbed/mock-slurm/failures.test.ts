// Failing answers per endpoint and per release: the tables the request handler reads.
import { describe, expect, it } from 'vitest'
import { AUTH_FAILURE, CONTROLLER_DOWN, failureErrors, failureShape } from '../../../testbed/mock-slurm/failures.ts'
import { RELEASES, transportAnswers } from '../../../testbed/mock-slurm/releases.ts'

describe('failureShape and failureErrors', () => {
  it('keeps each endpoint’s own text and source, with the cause’s number', () => {
    expect(failureErrors(failureShape('jobs', 'jobs', 'slurm_load_jobs()'), CONTROLLER_DOWN)).toEqual([
      { description: 'Unable to query jobs', error_number: 1800, error: 'Unable to contact slurm controller (connect failure)', source: 'slurm_load_jobs()' },
    ])
    expect(failureErrors(failureShape('nodes', 'nodes', 'x'), AUTH_FAILURE)).toEqual([
      { description: 'Failure to query nodes', error_number: 1007, error: 'Protocol authentication error', source: '_dump_nodes' },
    ])
    expect(failureErrors(failureShape('partitions', 'partitions', 'x'), AUTH_FAILURE)).toEqual([])
  })

  it('/shares answers 500 with -1 whatever failed; /ping lists the controller DOWN; slurmdbd keeps its payload', () => {
    const shares = failureShape('shares', 'shares', 'x')
    expect(shares.status).toBe(500)
    expect(failureErrors(shares, AUTH_FAILURE)[0]).toMatchObject({ error_number: -1, error: 'Unspecified error' })
    expect(failureShape('ping', 'ping', 'x').body).toBe('pings-down')
    expect(failureShape('qos', 'QOS', 'slurmdb_qos_get()')).toEqual({
      body: 'payload',
      error: { description: 'Unable to query QOS', source: 'slurmdb_qos_get()' },
    })
  })
})

describe('transportAnswers', () => {
  it('24.11 answers 401 without a token and its short unknown-URL text; 25.11 answers 500', () => {
    expect(transportAnswers(RELEASES['24.11'].release).missingAuth).toEqual({ status: 401, text: 'Authentication failure' })
    expect(transportAnswers(RELEASES['24.11'].release).unknownUrlText).toBe('Unable find requested URL. Please view /openapi/v3 for API reference.')
    expect(transportAnswers(RELEASES['25.11'].release).missingAuth).toEqual({ status: 500, text: 'Authentication does not apply to request' })
    expect(transportAnswers({ major: '26', minor: '05', micro: '0' }).missingAuth.status).toBe(500)
  })

  it('each release line serves the data parsers upstream ships with it', () => {
    expect(Object.fromEntries(Object.entries(RELEASES).map(([k, v]) => [k, v.versions.join(' ')]))).toEqual({
      '23.11': 'v0.0.40',
      '24.05': 'v0.0.40 v0.0.41',
      '24.11': 'v0.0.40 v0.0.41 v0.0.42',
      '25.05': 'v0.0.41 v0.0.42 v0.0.43',
      '25.11': 'v0.0.41 v0.0.42 v0.0.43 v0.0.44',
    })
  })
})
