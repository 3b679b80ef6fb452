// The failed-collector line the exporter logs, read back as a benchmark reads a child's stderr.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { lastCollectorFailure, logCollectorFailure } from '../../../testbed/exporter/collector-log.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('collector failure log', () => {
  it('reads back the last failure of the named collector, and nothing for another', () => {
    let log = 'exporter: serving http://127.0.0.1:9341/metrics\n'
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      log += String(chunk)
      return true
    })
    logCollectorFailure('diag', new Error('GET /slurm/v0.0.44/diag: request timed out'))
    logCollectorFailure('jobs', new Error('GET /slurm/v0.0.44/jobs: HTTP 500'))
    logCollectorFailure('diag', new Error('GET /slurm/v0.0.44/diag: HTTP 503'))
    vi.restoreAllMocks()
    expect(lastCollectorFailure(log, 'diag')).toBe('GET /slurm/v0.0.44/diag: HTTP 503')
    expect(lastCollectorFailure(log, 'jobs')).toBe('GET /slurm/v0.0.44/jobs: HTTP 500')
    expect(lastCollectorFailure(log, 'nodes')).toBeUndefined()
  })
})
