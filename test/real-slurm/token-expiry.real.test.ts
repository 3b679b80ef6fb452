// Tokens expire (`scontrol token` defaults to 30 minutes): with 15-second tokens from the real
// slurmctld, scrapes keep working across expiry when the exporter reads --token-file (rewritten
// here as a sidecar would) and when it mints its own tokens from slurmrestd's key (--jwt-key-file).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { mintToken } from '../../testbed/mock-slurm/index.ts'
import { mintSlurmToken } from '../../testbed/real-slurm/cluster.ts'
import { sleep, waitUntil } from '../../testbed/real-slurm/processes.ts'
import { parseExposition, realSlurm, scrape, series, startExporterProcess, slurmArgs, UNCACHED_SCRAPES } from './real-slurm.ts'

const { info, skipReason } = realSlurm()
const LIFESPAN_SEC = 15
// Two lifespans and then some: every scrape in the window must see data.
const WINDOW_MS = 2 * LIFESPAN_SEC * 1_000 + 4_000
const SCRAPE_EVERY_MS = 1_000
const RENEW_EVERY_MS = 8_000
const COLLECTORS = ['nodes', 'jobs', 'partitions', 'diag', 'reservations']

// The exporter's own help says which token flags it has; the lifespan of minted tokens is its choice.
const help = execFileSync(process.execPath, ['--import', 'tsx', 'testbed/exporter/cli.ts', '--help'], { encoding: 'utf8' })
const lifespanFlag = /--jwt-lifespan\b/.test(help) ? ['--jwt-lifespan', `${LIFESPAN_SEC}s`] : []

async function statusWith(url: string, token: string): Promise<number> {
  const response = await fetch(`${url}/slurm/v0.0.42/nodes`, {
    headers: { 'X-SLURM-USER-NAME': 'root', 'X-SLURM-USER-TOKEN': token },
    signal: AbortSignal.timeout(30_000),
  })
  await response.arrayBuffer()
  return response.status
}

// Returns the collectors that were not up in one scrape (empty: all up).
async function downCollectors(exporterUrl: string): Promise<string[]> {
  const up = series(parseExposition(await scrape(exporterUrl)), 'slurm_exporter_collector_up', (l) => l.collector as string)
  return COLLECTORS.filter((c) => up.get(c) !== 1)
}

// Scrapes every second for `windowMs` while `tick` runs between scrapes; returns the failures seen.
async function scrapeAcross(exporterUrl: string, windowMs: number, tick: () => Promise<void>): Promise<string[]> {
  const failures: string[] = []
  const started = Date.now()
  while (Date.now() - started < windowMs) {
    await tick()
    const down = await downCollectors(exporterUrl)
    if (down.length > 0) failures.push(`at ${((Date.now() - started) / 1000).toFixed(1)} s: ${down.join(', ')} down`)
    await sleep(SCRAPE_EVERY_MS)
  }
  return failures
}

describe.skipIf(info === undefined)(`tokens of ${LIFESPAN_SEC} s against the real slurmrestd`, () => {
  const slurm = info as NonNullable<typeof info>
  let dir: string

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'real-slurm-token-'))
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  test('an HS256 token signed with the key file (exp, iat, sun claims) is accepted, in the X-SLURM headers and as Bearer', async () => {
    // What --jwt-key-file must produce; also checks that the key file given to the exporter is the daemon's.
    const token = mintToken(readFileSync(slurm.keyFile), 'root', 60)
    expect(await statusWith(slurm.url, token)).toBe(200)
    const bearer = await fetch(`${slurm.url}/slurm/v0.0.42/diag`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) })
    await bearer.arrayBuffer()
    expect(bearer.status).toBe(200)
    expect(await statusWith(slurm.url, mintToken(readFileSync(slurm.keyFile), 'root', 60, Math.floor(Date.now() / 1000) - 120))).toBe(511)
  })

  test('--token-file: renewed by a sidecar, and replaced after the old token expired', async () => {
    const file = join(dir, 'token')
    // Written as Kubernetes and sidecars do: a new file renamed over the old one.
    const writeToken = (token: string): void => {
      writeFileSync(`${file}.new`, `${token}\n`, { mode: 0o600 })
      renameSync(`${file}.new`, file)
    }
    const first = await mintSlurmToken(slurm.root, 'root', LIFESPAN_SEC)
    writeToken(first)
    const exporter = await startExporterProcess([...slurmArgs(slurm, ['--user', 'root', '--token-file', file]), ...UNCACHED_SCRAPES])
    try {
      let renewedAt = Date.now()
      let latest = first
      const failures = await scrapeAcross(exporter.url, WINDOW_MS, async () => {
        if (Date.now() - renewedAt < RENEW_EVERY_MS) return
        latest = await mintSlurmToken(slurm.root, 'root', LIFESPAN_SEC)
        writeToken(latest)
        renewedAt = Date.now()
      })
      expect(failures, exporter.output()).toEqual([])
      // The window did cross an expiry: slurmrestd now refuses the first token.
      expect(await statusWith(slurm.url, first)).toBe(511)

      // No renewal until the token in the file has expired: scrapes fail (the exporter cannot
      // help it), then a new token appears and the very next scrape must work again, through
      // the file's change or the re-read after a 511.
      await waitUntil(
        'the last token expires',
        (LIFESPAN_SEC + 10) * 1_000,
        async () => ((await statusWith(slurm.url, latest)) === 511 ? true : undefined),
        500,
      )
      expect(await downCollectors(exporter.url)).toEqual(COLLECTORS)
      writeToken(await mintSlurmToken(slurm.root, 'root', LIFESPAN_SEC))
      expect(await downCollectors(exporter.url), exporter.output()).toEqual([])
    } finally {
      await exporter.stop()
    }
  }, 180_000)

  test(`--jwt-key-file: tokens minted from slurmrestd's key keep scrapes working${lifespanFlag.length > 0 ? ` (--jwt-lifespan ${LIFESPAN_SEC}s)` : ''}`, async () => {
    const exporter = await startExporterProcess([
      ...slurmArgs(slurm, ['--jwt-key-file', slurm.keyFile, '--jwt-user', 'root', ...lifespanFlag]),
      ...UNCACHED_SCRAPES,
    ])
    try {
      const failures = await scrapeAcross(exporter.url, WINDOW_MS, async () => {})
      expect(failures, exporter.output()).toEqual([])
    } finally {
      await exporter.stop()
    }
  }, 180_000)
})

if (skipReason !== undefined) test.skip(`token expiry: ${skipReason}`, () => {})
