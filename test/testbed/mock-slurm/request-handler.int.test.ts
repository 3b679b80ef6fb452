// The request handler on its own: behind a bare node:http server, with a model clock it controls.
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen } from '../../../common/listen.ts'
import { mulberry32 } from '../../../common/prng.ts'
import { mintToken } from '../../../testbed/mock-slurm/auth.ts'
import { ModelClock } from '../../../testbed/mock-slurm/clock.ts'
import { Evolver } from '../../../testbed/mock-slurm/cluster/evolve.ts'
import { generateCluster } from '../../../testbed/mock-slurm/cluster/generate.ts'
import { resolveOptions } from '../../../testbed/mock-slurm/options.ts'
import { RequestHandler } from '../../../testbed/mock-slurm/request-handler.ts'

const settings = resolveOptions({ preset: 'tiny', seed: 5, epochSec: 1_764_000_000, json: 'compact', log: () => {} }, 0)
const cluster = generateCluster(settings.cluster)
let nowMs = 0
const clock = new ModelClock(new Evolver(cluster), { startMs: 0, epochSec: settings.cluster.epochSec, changeRatePerSec: 1, frozen: false, nowMs: () => nowMs })
const handler = new RequestHandler(settings, cluster, clock, mulberry32(1))
let server: Server
let url = ''

beforeAll(async () => {
  server = createServer((req, res) => void handler.onRequest(req, res))
  url = (await listen(server, 0, '127.0.0.1')).url
})
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
)

const headers = { 'X-SLURM-USER-NAME': 'root', 'X-SLURM-USER-TOKEN': mintToken(settings.jwtKey, 'root') }

describe('RequestHandler', () => {
  it('answers, counts, and moves the model only as its clock says', async () => {
    const first = await fetch(`${url}/slurm/v0.0.42/jobs`, { headers })
    expect(first.status).toBe(200)
    await first.json()
    expect(cluster.events).toBe(0)
    nowMs = 30_000
    const second = await fetch(`${url}/slurm/v0.0.42/ping`, { headers })
    expect(second.status).toBe(200)
    await second.text()
    expect(cluster.events).toBe(30)
    expect(handler.requests).toBe(2)
    expect(handler.inFlight).toBe(0)
  })
})
