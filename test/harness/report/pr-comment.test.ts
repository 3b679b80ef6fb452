// The PR comment against golden files (review a diff like code; UPDATE_GOLDEN=1 rewrites them),
// plus the properties a golden cannot show: the limit holds, and no name escapes its cell.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GITHUB_COMMENT_MAX_CHARS, gateResultOf, renderPrComment } from '../../../harness/report/pr-comment.ts'
import { renderJobSummary } from '../../../harness/report/job-summary.ts'
import { commentMarker } from '../../../harness/publish/sticky-comment.ts'
import { METHOD, metric, PROFILES, report, roundTrip, withProfiles } from './comparison-fixtures.ts'
import { verdictReportsOf } from '../../../harness/report/comparison-document.ts'
import type { ComparisonProfiles, ProfileFindingJson } from '../../../harness/results/comparison-schema.ts'

const TESTDATA = join(import.meta.dirname, 'testdata')
const LINKS = { runUrl: 'https://github.com/acme/exporter/actions/runs/42', artifactsUrl: 'https://github.com/acme/exporter/actions/runs/42#artifacts' }

function golden(name: string, text: string): void {
  const path = join(TESTDATA, name)
  if (process.env.UPDATE_GOLDEN === '1' || process.env.SLURMBENCH_UPDATE_GOLDEN === '1') writeFileSync(path, text)
  expect(text).toBe(readFileSync(path, 'utf8'))
}

function unchanged(i: number) {
  return metric(`BenchmarkParse/size=${i}`, 'sec/op', 'unchanged', 1.5e-6 * (i + 1), 0.004 * ((i % 5) - 2), 0.03)
}

describe('PR comment goldens', () => {
  it('a normal run: one regression among unchanged metrics', () => {
    const { reports, method } = roundTrip([
      report([
        unchanged(0),
        metric('BenchmarkScrape/jobs=1000', 'sec/op', 'regressed', 2.1e-3, 0.3, 0.04),
        unchanged(1),
        metric('BenchmarkScrape/jobs=1000', 'B/op', 'unchanged', 524288, 0.001, 0.01),
        unchanged(2),
      ]),
    ])
    const body = renderPrComment(reports, method, { marker: commentMarker(), links: LINKS })
    golden('pr-comment-normal.md', body)
    expect(body.startsWith('<!-- slurmbench:pr-gate -->\n')).toBe(true)
    expect(body).toContain('the gate fails')
    expect(gateResultOf(reports, 'regressed')).toBe('failed')
  })

  it('every verdict kind', () => {
    const { reports, method } = roundTrip([
      report([
        metric('BenchmarkA', 'sec/op', 'regressed', 1e-3, 0.25),
        metric('BenchmarkB', 'sec/op', 'improved', 1e-3, -0.3),
        metric('BenchmarkC', 'sec/op', 'unchanged', 1e-3, 0.01),
        metric('BenchmarkD', 'sec/op', 'inconclusive', 1e-3, 0.08, 0.09, { warnings: ['need ≥ 6 samples a side to judge, have 4+4; add -count'] }),
        metric('BenchmarkE', 'sec/op', 'new', 1e-3, 0),
        metric('BenchmarkF', 'sec/op', 'missing', 1e-3, 0),
        metric('BenchmarkG', 'MB/s', 'ignored', 120, 0.5),
      ]),
    ])
    const body = renderPrComment(reports, method, { marker: commentMarker(), links: LINKS })
    golden('pr-comment-every-verdict.md', body)
    for (const kind of ['regressed', 'improved', 'unchanged', 'inconclusive', 'new', 'missing']) expect(body).toMatch(new RegExp(`\\*\\*1\\*\\* ${kind}`))
  })

  it('a run too large for one comment is cut with a note', () => {
    const many = Array.from({ length: 1500 }, (_, i) => unchanged(i))
    many.splice(700, 0, metric('BenchmarkHot/path', 'sec/op', 'regressed', 1e-3, 0.2))
    const { reports, method } = roundTrip([report(many)])
    // The golden is cut to 6,000 characters to stay readable; the real limit is checked below.
    golden('pr-comment-cut.md', renderPrComment(reports, method, { marker: commentMarker(), links: LINKS, maxChars: 6000 }))
    const body = renderPrComment(reports, method, { marker: commentMarker(), links: LINKS })
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS)
    expect(body.length).toBeGreaterThan(GITHUB_COMMENT_MAX_CHARS - 200)
    expect(body).toMatch(/_\d+ of 1500 rows cut to stay under GitHub's 65,536-character comment limit/)
    // The regression stays visible: the attention table is cut last.
    expect(body).toContain('<code>Hot/path</code> | <code>sec/op</code>')
    expect(body.trimEnd().endsWith('[Artifacts (comparison JSON)](https://github.com/acme/exporter/actions/runs/42#artifacts)')).toBe(true)
    // The job summary has room for every row.
    expect(renderJobSummary(reports, method, LINKS)).not.toContain('rows cut')
  })

  it('hostile names cannot break the table, inject HTML, mention or link', () => {
    const hostile = [
      'Benchmark|pipe|`tick`',
      'Benchmark<img src=x onerror=alert(1)>',
      'Benchmark</code></details><script>alert(1)</script>',
      'Benchmark@octocat #1 :smile: $x^2$ [a](javascript:alert(1)) **bold** https://evil.test',
      'Benchmark\nnew line | --- |',
    ]
    const { reports, method } = roundTrip(
      [
        report(
          hostile.map((name) => metric(name, 'sec/op', 'regressed', 1e-3, 0.3)),
          { baseLabel: 'base|<b>', headLabel: 'head`x`', warnings: ['warning with <script> and | pipe'] },
        ),
      ],
      { ...METHOD, base: { ...METHOD.base, ref: 'main<script>|' } },
    )
    const body = renderPrComment(reports, method, { marker: commentMarker(), links: { runUrl: 'javascript:alert(1)', artifactsUrl: 'https://x.test/a(b)c' } })
    golden('pr-comment-hostile.md', body)
    expect(body).not.toMatch(/<(?!\/?(code|details|summary|sub)>|!-- slurmbench)/)
    expect(body).not.toContain('javascript:')
    expect(body).not.toMatch(/@octocat|:smile:|\$x/)
    // Each table row still has exactly the header's seven pipes.
    for (const line of body.split('\n').filter((l) => l.startsWith('| ❌'))) expect(line.split('|').length).toBe(8)
  })
})

describe('gate result', () => {
  it('passes without regressions, fails on inconclusive only when asked, is informational across environments', () => {
    const inconclusive = [report([metric('BenchmarkD', 'sec/op', 'inconclusive', 1e-3, 0.08, 0.09)])]
    expect(gateResultOf(inconclusive, 'regressed')).toBe('passed')
    expect(gateResultOf(inconclusive, 'inconclusive')).toBe('failed')
    expect(gateResultOf([report([metric('BenchmarkA', 'sec/op', 'regressed', 1e-3, 0.3)], { informational: true })], 'regressed')).toBe('informational')
    const body = renderPrComment(inconclusive, { ...METHOD, failOn: 'inconclusive' })
    expect(body).toContain('the gate fails')
    expect(body).toContain('gate fails on regressed or inconclusive')
  })
})

describe('package names', () => {
  it('are shown only when the rows come from more than one package', () => {
    const one = renderPrComment([report([metric('BenchmarkA', 'sec/op', 'regressed', 1e-3, 0.3, 0.02, { pkg: 'x/bench' })])], METHOD)
    expect(one).toContain('<code>A</code>')
    const two = renderPrComment(
      [
        report([
          metric('BenchmarkA', 'sec/op', 'regressed', 1e-3, 0.3, 0.02, { pkg: 'x/bench' }),
          metric('BenchmarkA', 'sec/op', 'unchanged', 1e-3, 0, 0.02, { pkg: 'y/bench' }),
        ]),
      ],
      METHOD,
    )
    expect(two).toContain('<code>A (x/bench)</code>')
    expect(two).toContain('<code>A (y/bench)</code>')
  })
})

describe('profile findings (ab --profile)', () => {
  const normal = () =>
    roundTrip([
      report([
        unchanged(0),
        metric('BenchmarkScrape/jobs=1000', 'sec/op', 'regressed', 2.1e-3, 0.3, 0.04),
        metric('BenchmarkScrape/jobs=1000', 'B/op', 'regressed', 524288, 0.15, 0.02),
        metric('BenchmarkParse/size=2', 'sec/op', 'regressed', 4.5e-6, 0.12, 0.03),
        unchanged(1),
      ]),
    ])

  it('lists the grown functions and the flame graph of each regression under the rows', () => {
    const doc = withProfiles(normal().json)
    const body = renderPrComment(verdictReportsOf(doc), doc.method, { marker: commentMarker(), links: LINKS, profiles: doc.profiles })
    golden('pr-comment-profiles.md', body)
    const section = body.slice(body.indexOf('#### Where the time went'), body.indexOf('<details>'))
    expect(section).toContain(
      '- <code>Scrape/jobs=1000</code> <code>sec/op</code>, share of CPU time: [differential flame graph](https://github.com/acme/exporter/actions/runs/42#artifacts) <code>comparison.json.profiles/BenchmarkScrape&#95;jobs=1000.diff.html</code>\n' +
        '  1. <code>renderJobs</code> <code>testbed/exporter/render.ts&#58;41</code>: 31.2% → 44.7% (+13.5 pp)\n',
    )
    expect(section).toContain("No function's own share grew.")
    expect(section).toContain('⚠️ BenchmarkParse/size=2&#58; not profiled')
    expect(body).toContain('[Artifacts (comparison JSON, profiles)]')
    // The job summary shows the same section.
    expect(renderJobSummary(verdictReportsOf(doc), doc.method, LINKS, doc.profiles)).toContain(section)
  })

  it('without an artifacts link names the file only; without findings adds nothing', () => {
    const doc = withProfiles(normal().json)
    const body = renderPrComment(verdictReportsOf(doc), doc.method, { profiles: doc.profiles })
    expect(body).toContain('differential flame graph <code>comparison.json.profiles/BenchmarkScrape&#95;jobs=1000.diff.html</code>')
    const none = withProfiles(normal().json, { dir: 'x', findings: [], warnings: [] })
    expect(renderPrComment(verdictReportsOf(none), none.method, { profiles: none.profiles })).toBe(renderPrComment(verdictReportsOf(none), none.method))
  })

  it('hostile function names and files cannot break out of their code spans', () => {
    const hostile: ComparisonProfiles = {
      dir: 'p`|<b>',
      findings: [
        {
          ...(PROFILES.findings[0] as ProfileFindingJson),
          grown: [
            { name: '</code><script>alert(1)</script>', file: 'a|b`c.ts', line: 1, baseFlat: 0.1, headFlat: 0.2 },
            { name: '@octocat #1 :smile: [x](javascript:alert(1))', file: '\nnew line', line: 2, baseFlat: 0.1, headFlat: 0.2 },
          ],
        },
      ],
      warnings: ['<img src=x onerror=alert(1)> | `x`'],
    }
    const doc = withProfiles(normal().json, hostile)
    const body = renderPrComment(verdictReportsOf(doc), doc.method, { marker: commentMarker(), links: LINKS, profiles: doc.profiles })
    expect(body).not.toMatch(/<(?!\/?(code|details|summary|sub)>|!-- slurmbench)/)
    expect(body).not.toMatch(/@octocat|:smile:|\]\(javascript/)
    const items = body.split('\n').filter((l) => /^ {2}\d\. /.test(l))
    expect(items).toHaveLength(2)
    for (const item of items) expect(item.match(/<code>/g)?.length).toBe(2)
  })

  it('many findings are cut to keep the comment under the limit, the regressed rows kept', () => {
    const finding = PROFILES.findings[0] as ProfileFindingJson
    const many: ComparisonProfiles = {
      dir: 'comparison.json.profiles',
      findings: Array.from({ length: 3000 }, (_, i) => ({ ...finding, name: `BenchmarkScrape/jobs=${i}` })),
      warnings: [],
    }
    const doc = withProfiles(normal().json, many)
    const body = renderPrComment(verdictReportsOf(doc), doc.method, { marker: commentMarker(), links: LINKS, profiles: doc.profiles })
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS)
    expect(body).toMatch(/- _\d+ more cut to fit the limit; the comparison artifact has them all_/)
    expect(body).toContain('| ❌ | <code>Scrape/jobs=1000</code> | <code>sec/op</code>')
    expect(body).toContain('  1. <code>renderJobs</code>')
  })
})
