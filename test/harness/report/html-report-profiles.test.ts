// The nightly page's "Where the time went": ab --profile's findings for the latest night, each
// flame graph linked relative to the page, and every text from the comparison escaped.
import { describe, expect, it } from 'vitest'
import { htmlProfilesOf } from '../../../harness/cli/report-html.ts'
import { type HtmlProfiles, renderHtmlReport, renderProfileFindings } from '../../../harness/report/html-report.ts'
import type { ProfileFindingJson } from '../../../harness/results/comparison-schema.ts'
import { PROFILES } from './comparison-fixtures.ts'
import { expectGolden } from './golden.ts'

describe('profile findings on the nightly page', () => {
  it('link each flame graph relative to the page', () => {
    const beside = htmlProfilesOf(PROFILES, '/srv/nightly/2026-11-27/comparison.json', '/srv/nightly/2026-11-27/report.html')
    expect(beside.findings.map((f) => f.diffHref)).toEqual([
      'comparison.json.profiles/BenchmarkScrape_jobs%3D1000.diff.html',
      'comparison.json.profiles/BenchmarkScrape_jobs%3D1000.alloc.diff.html',
    ])
    const elsewhere = htmlProfilesOf({ ...PROFILES, dir: '../profiles' }, 'out/night/comparison.json', 'site/index.html')
    expect(elsewhere.findings[0]?.diffHref).toBe('../out/profiles/BenchmarkScrape_jobs%3D1000.diff.html')
  })

  it('render as a table with the grown functions, the links and the warnings (golden)', () => {
    const html = renderProfileFindings(htmlProfilesOf(PROFILES, 'comparison.json', 'report.html'))
    expectGolden(`${html}\n`, 'html-report-profiles.golden.html')
    expect(html).toContain('<a href="comparison.json.profiles/BenchmarkScrape_jobs%3D1000.diff.html">CPU</a>')
    expect(html).toContain('<li><code>renderJobs</code> <span class="meta">testbed/exporter/render.ts:41</span> 31.2% → 44.7%</li>')
  })

  it('escape hostile names and refuse a link that is not a relative reference', () => {
    const finding = PROFILES.findings[0] as ProfileFindingJson
    const hostile: HtmlProfiles = {
      findings: [
        {
          ...finding,
          name: 'Benchmark<script>',
          grown: [{ ...(finding.grown[0] as ProfileFindingJson['grown'][number]), name: '<img src=x>' }],
          diffHref: 'javascript:alert(1)',
        },
        { ...finding, diffHref: '//evil.test/x.html' },
        { ...finding, diffHref: 'a"onmouseover="x' },
      ],
      warnings: ['<b>bold</b>'],
    }
    const html = renderProfileFindings(hostile)
    expect(html).not.toMatch(/<(script|img|b)\b/)
    expect(html).not.toContain('href=')
  })

  it('is left out without findings or warnings', () => {
    expect(renderProfileFindings({ findings: [], warnings: [] })).toBe('')
    const page = renderHtmlReport({ title: 't', generatedAt: 'now', series: [], shifts: [], profiles: htmlProfilesOf(PROFILES, 'c.json', 'r.html') })
    expect(page).toContain('<h2>Where the time went</h2>')
    expect(renderHtmlReport({ title: 't', generatedAt: 'now', series: [], shifts: [] })).not.toContain('Where the time went')
  })
})
