// The report and comment commands in process: formats, $GITHUB_STEP_SUMMARY, and comment's exit
// codes and messages for each GitHub failure, with the API nock'd (Node's fetch, undici inside).
// nock's scope is the API root with its /api/v3 path, so the paths below are relative to it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nock from 'nock'
import { describe, expect, it, vi } from 'vitest'
import {
  createCommentCommand,
  EXIT_GITHUB_FORBIDDEN,
  EXIT_GITHUB_NOT_FOUND,
  EXIT_GITHUB_RATE_LIMITED,
  EXIT_GITHUB_UNAUTHORIZED,
  EXIT_GITHUB_UNPROCESSABLE,
} from '../../../harness/cli/comment.ts'
import { UsageError } from '../../../harness/cli/flags.ts'
import { command as report } from '../../../harness/cli/report.ts'
import type { FetchLike } from '../../../harness/publish/github-client.ts'
import { InputError } from '../../../common/input-error.ts'
import { metric, report as verdictReport, roundTrip } from '../report/comparison-fixtures.ts'
import { useNock } from '../../support/nock.ts'

const API = 'https://ghe.example.test/api/v3'
const TOKEN = 'ghp_NEVERprintTHIS0123456789'
const dir = mkdtempSync(join(tmpdir(), 'slurmbench-comment-'))
const FILE = join(dir, 'comparison.json')
writeFileSync(
  FILE,
  roundTrip([verdictReport([metric('BenchmarkScrape', 'sec/op', 'regressed', 1e-3, 0.3), metric('BenchmarkParse', 'sec/op', 'unchanged', 1e-6, 0.01)])]).json,
)
const ENV = { GITHUB_API_URL: API, GITHUB_REPOSITORY: 'acme/exporter', GITHUB_TOKEN: TOKEN, GITHUB_ACTIONS: 'true' }
const COMMENTS = '/repos/acme/exporter/issues/3/comments'

async function capture(run: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk)
    return true
  })
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk)
    return true
  })
  try {
    return { code: await run(), stdout, stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
}

const comment = createCommentCommand({ fetch: globalThis.fetch as unknown as FetchLike, env: ENV, sleep: async () => {} })

useNock()

describe('report', () => {
  it('renders markdown, text, csv, bmf and github-action-benchmark', async () => {
    const md = await capture(() => report.run(['--format', 'markdown', FILE]))
    expect(md.code).toBe(0)
    expect(md.stdout).toContain('❌ **1** regressed')
    expect(md.stdout).not.toContain('<!-- slurmbench')
    expect((await capture(() => report.run(['-format=text', FILE]))).stdout).toMatch(/Scrape +sec\/op .* regressed/)
    expect((await capture(() => report.run(['-format=csv', FILE]))).stdout.split('\n')[1]).toMatch(/^BenchmarkScrape,sec\/op,regressed,/)
    expect(JSON.parse((await capture(() => report.run(['-format=bmf', FILE]))).stdout).BenchmarkScrape.latency.value).toBeCloseTo(1.3e6, 3)
    expect(JSON.parse((await capture(() => report.run(['-format=github-action-benchmark', FILE]))).stdout)).toHaveLength(2)
  })

  it('appends the summary to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(dir, 'summary.md')
    writeFileSync(summary, 'earlier step\n')
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary)
    try {
      const r = await capture(() => report.run(['--format', 'summary', FILE]))
      expect(r.stdout).toBe('')
    } finally {
      vi.unstubAllEnvs()
    }
    const text = readFileSync(summary, 'utf8')
    expect(text.startsWith('earlier step\n### ❌ slurmbench: the gate fails')).toBe(true)
  })

  it('routes `report html` to the nightly page', async () => {
    const r = await capture(() => report.run(['html', '--help']))
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^usage: slurmbench report html \[flags\]/)
  })

  it('refuses an unknown format and a file that is not a comparison', async () => {
    await expect(report.run(['--format', 'html', FILE])).rejects.toThrow(UsageError)
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"kind":"slurmbench.comparison","schemaVersion":1,"tables":[],"verdicts":[{"baseLabel":1}]}')
    await expect(report.run([bad])).rejects.toThrow(InputError)
  })
})

describe('comment', () => {
  it('posts the first time, through GITHUB_API_URL, as github-actions[bot]', async () => {
    let body = ''
    nock(API)
      .get(COMMENTS)
      .query(true)
      .reply(200, [])
      .post(COMMENTS, (b: { body: string }) => {
        body = b.body
        return true
      })
      .reply(201, { id: 11, html_url: 'https://ghe.example.test/acme/exporter/pull/3#issuecomment-11' })
    const r = await capture(() => comment.run(['--pr', '3', '--run-url', 'https://ghe.example.test/acme/exporter/actions/runs/9', FILE]))
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^comment: created comment 11 on acme\/exporter#3 \(\d+ characters\): https:/)
    expect(body.startsWith('<!-- slurmbench:pr-gate -->\n### ❌')).toBe(true)
    expect(body).toContain('[Workflow run](https://ghe.example.test/acme/exporter/actions/runs/9)')
  })

  it('reads the token from --token-file', async () => {
    const tokenFile = join(dir, 'token')
    writeFileSync(tokenFile, 'ghp_fromFILE\n')
    nock(API, { reqheaders: { authorization: 'Bearer ghp_fromFILE' } })
      .get(COMMENTS)
      .query(true)
      .reply(200, [{ id: 5, user: { login: 'github-actions[bot]' }, body: '<!-- slurmbench:pr-gate -->' }])
      .patch('/repos/acme/exporter/issues/comments/5')
      .reply(200, { id: 5 })
    const r = await capture(() => comment.run(['--pr=3', '--token-file', tokenFile, FILE]))
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/updated comment 5/)
  })

  const failures: Array<[number, Record<string, string>, number, RegExp]> = [
    [401, {}, EXIT_GITHUB_UNAUTHORIZED, /401 Unauthorized/],
    [403, {}, EXIT_GITHUB_FORBIDDEN, /lacks the permission `pull-requests: write`/],
    [404, {}, EXIT_GITHUB_NOT_FOUND, /404 Not Found/],
    [422, {}, EXIT_GITHUB_UNPROCESSABLE, /422 Unprocessable Entity/],
    [429, { 'retry-after': '600' }, EXIT_GITHUB_RATE_LIMITED, /rate limit \(retry-after: 600 s\) still holds/],
  ]
  for (const [status, headers, code, message] of failures) {
    it(`exits ${code} on ${status} with one line that does not contain the token`, async () => {
      nock(API)
        .get(COMMENTS)
        .query(true)
        .reply(200, [])
        .post(COMMENTS)
        .reply(status, { message: `echo ${TOKEN}` }, headers)
      const r = await capture(() => comment.run(['--pr', '3', FILE]))
      expect(r.code).toBe(code)
      expect(r.stderr).toMatch(message)
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
      expect(r.stderr).not.toContain(TOKEN)
      // GitHub's message is quoted (redacted) except for rate limits, which name the wait instead.
      if (status !== 429) expect(r.stderr).toContain('***')
    })
  }

  it('needs a token, a repository and exactly one of --pr and --head-sha', async () => {
    const bare = createCommentCommand({ env: {} })
    await expect(bare.run(['--pr', '3', '--repo', 'a/b', FILE])).rejects.toThrow(/no GitHub token: set GITHUB_TOKEN or pass --token-file/)
    await expect(bare.run(['--pr', '3', FILE])).rejects.toThrow(/no repository/)
    await expect(comment.run([FILE])).rejects.toThrow(/exactly one of --pr <n> and --head-sha <sha>/)
  })

  it('finds the pull request by head commit for workflow_run', async () => {
    const sha = 'a'.repeat(40)
    nock(API)
      .get('/repos/acme/exporter/pulls')
      .query(true)
      .reply(200, [
        { number: 2, head: { sha: 'b'.repeat(40) } },
        { number: 3, head: { sha } },
      ])
      .get(COMMENTS)
      .query(true)
      .reply(200, [])
      .post(COMMENTS)
      .reply(201, { id: 12 })
    const r = await capture(() => comment.run(['--head-sha', sha, FILE]))
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/created comment 12 on acme\/exporter#3/)
  })

  it('--dry-run prints the body and calls nothing', async () => {
    const r = await capture(() => createCommentCommand({ env: {} }).run(['--pr', '3', '--dry-run', FILE]))
    expect(r.code).toBe(0)
    expect(r.stdout.startsWith('<!-- slurmbench:pr-gate -->')).toBe(true)
  })
})
