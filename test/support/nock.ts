// nock for the tests of GitHub clients: no real connection leaves the test file, and every
// interceptor a test sets up must have been used by its end.
import nock from 'nock'
import { afterEach, beforeAll, expect } from 'vitest'

/**
 * useNock blocks real connections for the file's tests (except to `allowHosts`, e.g. a local
 * server) and, after each test, fails on unused interceptors and removes them all.
 */
export function useNock(...allowHosts: string[]): void {
  beforeAll(() => {
    nock.disableNetConnect()
    for (const host of allowHosts) nock.enableNetConnect(host)
  })
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending).toEqual([])
  })
}
