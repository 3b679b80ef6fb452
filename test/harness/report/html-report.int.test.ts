// The nightly HTML report in a real browser: Debian's Chromium, headless, driven by
// playwright-core, opening the file from file:// as a user would. No console errors, one chart per
// series with every night drawn, the level shift marked, and a hostile name shown as text.
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../common/prng.ts'
import { runReportHtml } from '../../../harness/cli/report-html.ts'
import { appendHistory, HISTORY_SCHEMA_VERSION, type HistoryRecord } from '../../../harness/history/store.ts'

const CHROMIUM = '/usr/bin/chromium'
const STRICT = process.env.SLURMBENCH_STRICT === '1'
const hasChromium = await stat(CHROMIUM).then(
  () => true,
  () => false,
)
if (!hasChromium && STRICT) throw new Error(`${CHROMIUM} is required (Debian: apt-get install chromium)`)

const HOSTILE = 'BenchmarkX/name=<img src=x onerror=alert(1)>|`'
const DAY_MS = 24 * 3600 * 1000

function record(night: number, name: string, value: number): HistoryRecord {
  return {
    v: HISTORY_SCHEMA_VERSION,
    time: new Date(Date.parse('2026-10-01T01:00:00Z') + night * DAY_MS).toISOString(),
    commit: `${night.toString(16).padStart(2, '0')}${'ab'.repeat(19)}`,
    machineClass: 'linux-amd64-test-2c-node20',
    producer: 'bench',
    suite: 'slurmbench/benchmarks/cpu',
    name,
    unit: 'ns/op',
    better: 'lower',
    values: [value * 0.99, value, value * 1.01, value * 1.005, value * 0.995],
    cpuModel: 'Test CPU',
    node: 'v20.20.2',
  }
}

describe.skipIf(!hasChromium)('report html in headless Chromium', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slurmbench-html-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('renders one chart per series with every night, marks the shift, and raises no console error', async () => {
    const random = mulberry32(1)
    const records: HistoryRecord[] = []
    for (let night = 0; night < 24; night++) {
      records.push(record(night, 'BenchmarkParse', (night < 16 ? 1000 : 1150) * (1 + 0.01 * (random() - 0.5))))
      records.push(record(night, HOSTILE, 200 * (1 + 0.01 * (random() - 0.5))))
    }
    await mkdir(join(dir, 'history'))
    await appendHistory(join(dir, 'history'), records)
    const out = join(dir, 'report.html')
    expect(await runReportHtml(['-history', join(dir, 'history'), '-o', out, '-commit-url', 'https://github.com/o/r/commit/{commit}'])).toBe(0)
    const html = await readFile(out, 'utf8')
    expect(html).not.toMatch(/<script|https?:\/\/(?!github\.com\/o\/r\/commit\/)/)
    expect(html).not.toContain('<img')

    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } })
      const errors: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text())
      })
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(pathToFileURL(out).href)
      const charts = await page.$$eval('svg.trend', (svgs) =>
        svgs.map((s) => ({
          points: Number(s.getAttribute('data-points')),
          dots: s.querySelectorAll('circle.night').length,
          shifts: s.querySelectorAll('line.shift').length,
          box: s.getBoundingClientRect().height,
        })),
      )
      expect(charts).toEqual([
        { points: 24, dots: 24, shifts: 1, box: expect.any(Number) },
        { points: 24, dots: 24, shifts: 0, box: expect.any(Number) },
      ])
      expect(charts.every((c) => c.box > 50)).toBe(true)
      expect(await page.textContent('#shifts')).toMatch(/BenchmarkParse\s*ns\/op\s*\+1[45]\.\d%.*regression/)
      expect(await page.locator('h3', { hasText: 'onerror' }).textContent()).toContain(HOSTILE)
      const shot = process.env.SLURMBENCH_SCREENSHOT ?? join(dir, 'report.png')
      await page.screenshot({ path: shot, fullPage: true })
      expect((await stat(shot)).size).toBeGreaterThan(10_000)
      expect(errors).toEqual([])
    } finally {
      await browser.close()
    }
  })
})
