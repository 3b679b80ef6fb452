// The nightly alerts: one GitHub issue found by marker and author (nock'd answers shaped like
// GitHub's), and the webhook, whose URL is a secret never printed.
import { createServer } from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nock from 'nock'
import { describe, expect, it } from 'vitest'
import { listen } from '../../../common/listen.ts'
import { ALERT_MARKER, upsertAlertIssue } from '../../../harness/publish/alert-issue.ts'
import { type FetchLike, GitHubClient } from '../../../harness/publish/github-client.ts'
import { postWebhook, resolveWebhook, WEBHOOK_ENV } from '../../../harness/publish/webhook.ts'
import { useNock } from '../../support/nock.ts'

const API = 'https://api.github.test'
const ISSUES = '/repos/acme/exporter/issues'
const TARGET = { owner: 'acme', repo: 'exporter', author: 'github-actions[bot]' }

function client(): GitHubClient {
  return new GitHubClient({ apiUrl: API, token: 'ghs_secret', fetch: globalThis.fetch as unknown as FetchLike, sleep: async () => {} })
}

function issue(number: number, login: string, body: string, pr = false) {
  return { number, body, user: { login }, html_url: `https://github.test/acme/exporter/issues/${number}`, ...(pr ? { pull_request: {} } : {}) }
}

useNock('127.0.0.1')

describe('the alert issue', () => {
  it('opens one when no open issue of ours carries the marker (a PR, or someone else quoting it, does not count)', async () => {
    let sent: { title?: string; body?: string } = {}
    nock(API)
      .get(ISSUES)
      .query({ state: 'open', creator: 'github-actions[bot]', per_page: '100' })
      .reply(200, [issue(3, 'someone', `quoting ${ALERT_MARKER}`), issue(4, 'github-actions[bot]', `${ALERT_MARKER} pr`, true)])
      .post(ISSUES, (b) => {
        sent = b
        return true
      })
      .reply(201, issue(12, 'github-actions[bot]', 'x'))
    const result = await upsertAlertIssue(client(), TARGET, 'slurmbench nightly: regression', 'BenchmarkX regressed')
    expect(result).toEqual({ action: 'opened', number: 12, url: 'https://github.test/acme/exporter/issues/12' })
    expect(sent.body).toBe(`${ALERT_MARKER}\nBenchmarkX regressed`)
  })

  it('replaces the body of the open one, found on a later page, instead of opening a second', async () => {
    let patched: { body?: string } = {}
    nock(API)
      .get(ISSUES)
      .query({ state: 'open', creator: 'github-actions[bot]', per_page: '100' })
      .reply(200, [issue(1, 'github-actions[bot]', 'unrelated')], { link: `<${API}${ISSUES}?page=2>; rel="next"` })
      .get(ISSUES)
      .query({ page: '2' })
      .reply(200, [issue(9, 'github-actions[bot]', `${ALERT_MARKER}\nold news`)])
      .patch(`${ISSUES}/9`, (b) => {
        patched = b
        return true
      })
      .reply(200, issue(9, 'github-actions[bot]', 'new'))
    const result = await upsertAlertIssue(client(), TARGET, 'slurmbench nightly: regression', 'tonight')
    expect(result.action).toBe('updated')
    expect(result.number).toBe(9)
    expect(patched.body).toBe(`${ALERT_MARKER}\ntonight`)
  })
})

describe('the webhook', () => {
  it('posts Slack-compatible JSON; a failure names where the URL came from, never the URL', async () => {
    const received: string[] = []
    let status = 200
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        received.push(`${req.method} ${req.url} ${req.headers['content-type']} ${body}`)
        res.writeHead(status).end()
      })
    })
    const { url } = await listen(server)
    try {
      const target = await resolveWebhook(undefined, { [WEBHOOK_ENV]: `${url}/hooks/T000/SECRETPATH` })
      expect(target?.source).toBe(`$${WEBHOOK_ENV}`)
      await postWebhook(target as NonNullable<typeof target>, 'a regression')
      expect(received).toEqual(['POST /hooks/T000/SECRETPATH application/json {"text":"a regression"}'])
      status = 403
      const rejected = await postWebhook(target as NonNullable<typeof target>, 'again').catch((e: Error) => e)
      expect(String(rejected)).toBe('WebhookError: the webhook from $SLURMBENCH_WEBHOOK_URL answered 403')
    } finally {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    }
    const dir = await mkdtemp(join(tmpdir(), 'slurmbench-webhook-'))
    try {
      await writeFile(join(dir, 'url'), 'http://127.0.0.1:9/hooks/SECRETPATH\n')
      const fromFile = await resolveWebhook(join(dir, 'url'), {})
      const down = await postWebhook(fromFile as NonNullable<typeof fromFile>, 'x').catch((e: Error) => e)
      expect(String(down)).toMatch(/^WebhookError: the webhook from .*url could not be reached \(ECONNREFUSED\)$/)
      expect(String(down)).not.toContain('SECRETPATH')
      await writeFile(join(dir, 'bad'), 'not a url SECRETPATH')
      await expect(resolveWebhook(join(dir, 'bad'), {})).rejects.toThrow(/^the webhook URL in .*bad is not a URL$/)
      expect(await resolveWebhook(undefined, {})).toBeUndefined()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
