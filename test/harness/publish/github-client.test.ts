// The GitHub client and the sticky comment against nock'd answers shaped like GitHub's.
// nock intercepts Node's global fetch (undici inside Node), which the client is given here.
import nock from 'nock'
import { describe, expect, it } from 'vitest'
import { type FetchLike, GitHubClient, parseNextLink } from '../../../harness/publish/github-client.ts'
import {
  GitHubForbiddenError,
  GitHubNotFoundError,
  GitHubRateLimitError,
  GitHubUnauthorizedError,
  GitHubUnprocessableError,
} from '../../../harness/publish/github-errors.ts'
import { ACTIONS_BOT_LOGIN, commentMarker, upsertStickyComment } from '../../../harness/publish/sticky-comment.ts'
import { useNock } from '../../support/nock.ts'

const API = 'https://api.github.test'
const TOKEN = 'ghs_secretTOKENvalue123'
const TARGET = { owner: 'acme', repo: 'exporter', number: 7 }
const MARKER = commentMarker()
const COMMENTS = '/repos/acme/exporter/issues/7/comments'

function client(extra: { sleeps?: number[]; maxRateLimitWaitMs?: number } = {}): GitHubClient {
  return new GitHubClient({
    apiUrl: API,
    token: TOKEN,
    fetch: globalThis.fetch as unknown as FetchLike,
    sleep: async (ms) => {
      extra.sleeps?.push(ms)
    },
    now: () => Date.parse('2026-01-01T00:00:00Z'),
    ...(extra.maxRateLimitWaitMs !== undefined ? { maxRateLimitWaitMs: extra.maxRateLimitWaitMs } : {}),
  })
}

function comment(id: number, login: string, body: string) {
  return { id, body, user: { login, type: 'Bot' }, html_url: `https://github.test/acme/exporter/pull/7#issuecomment-${id}` }
}

useNock()

describe('sticky comment', () => {
  it('creates the comment when there is none, sending the token and the marker', async () => {
    let sent: unknown
    nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get(COMMENTS)
      .query({ per_page: '100' })
      .reply(200, [comment(1, 'someone', 'LGTM')])
      .post(COMMENTS, (body) => {
        sent = body
        return true
      })
      .reply(201, comment(99, ACTIONS_BOT_LOGIN, 'x'))
    const result = await upsertStickyComment(client(), TARGET, `${MARKER}\nhello`, { marker: MARKER, author: ACTIONS_BOT_LOGIN })
    expect(result).toEqual({ action: 'created', id: 99, url: 'https://github.test/acme/exporter/pull/7#issuecomment-99' })
    expect(sent).toEqual({ body: `${MARKER}\nhello` })
  })

  it('updates its own comment in place and never posts a second one', async () => {
    let patched: unknown
    nock(API)
      .get(COMMENTS)
      .query({ per_page: '100' })
      .reply(200, [comment(1, 'someone', 'LGTM'), comment(5, ACTIONS_BOT_LOGIN, `${MARKER}\nold`)])
      .patch('/repos/acme/exporter/issues/comments/5', (body) => {
        patched = body
        return true
      })
      .reply(200, comment(5, ACTIONS_BOT_LOGIN, 'new'))
    const result = await upsertStickyComment(client(), TARGET, 'new body', { marker: MARKER, author: ACTIONS_BOT_LOGIN })
    expect(result.action).toBe('updated')
    expect(result.id).toBe(5)
    // The marker is added when the body lacks it, so the next run finds the comment again.
    expect(patched).toEqual({ body: `${MARKER}\nnew body` })
  })

  it('leaves a foreign comment that quotes the marker alone', async () => {
    nock(API)
      .get(COMMENTS)
      .query({ per_page: '100' })
      .reply(200, [comment(3, 'mallory', `> ${MARKER}\n> quoted`)])
      .post(COMMENTS)
      .reply(201, comment(4, ACTIONS_BOT_LOGIN, MARKER))
    // No PATCH of comment 3 is mocked: touching it would fail the request and the test.
    const result = await upsertStickyComment(client(), TARGET, MARKER, { marker: MARKER, author: ACTIONS_BOT_LOGIN })
    expect(result).toMatchObject({ action: 'created', id: 4 })
  })

  it('pages through long comment lists by the Link header', async () => {
    const page1 = Array.from({ length: 100 }, (_, i) => comment(i + 1, 'someone', `comment ${i}`))
    nock(API)
      .get(COMMENTS)
      .query({ per_page: '100' })
      .reply(200, page1, { link: `<${API}${COMMENTS}?per_page=100&page=2>; rel="next", <${API}${COMMENTS}?per_page=100&page=3>; rel="last"` })
      .get(COMMENTS)
      .query({ per_page: '100', page: '2' })
      .reply(200, [comment(150, 'someone', 'x')], { link: `<${API}${COMMENTS}?per_page=100&page=3>; rel="next"` })
      .get(COMMENTS)
      .query({ per_page: '100', page: '3' })
      .reply(200, [comment(250, ACTIONS_BOT_LOGIN, `${MARKER}\nold`)])
      .patch('/repos/acme/exporter/issues/comments/250')
      .reply(200, comment(250, ACTIONS_BOT_LOGIN, 'x'))
    const result = await upsertStickyComment(client(), TARGET, MARKER, { marker: MARKER, author: ACTIONS_BOT_LOGIN })
    expect(result).toMatchObject({ action: 'updated', id: 250 })
  })

  it('refuses a pagination link to another origin (the token would go there)', async () => {
    nock(API).get(COMMENTS).query({ per_page: '100' }).reply(200, [], { link: '<https://evil.test/steal?page=2>; rel="next"' })
    await expect(upsertStickyComment(client(), TARGET, MARKER, { marker: MARKER, author: ACTIONS_BOT_LOGIN })).rejects.toThrow(/refusing to send the token/)
  })
})

describe('errors', () => {
  const cases: Array<{
    status: number
    body: Record<string, unknown>
    headers: Record<string, string>
    type: new (...a: never[]) => Error
    code: string
    text: RegExp
  }> = [
    {
      status: 401,
      body: { message: 'Bad credentials' },
      headers: {},
      type: GitHubUnauthorizedError,
      code: 'ERR_GITHUB_UNAUTHORIZED',
      text: /401 Unauthorized.*Bad credentials/,
    },
    {
      status: 403,
      body: { message: 'Resource not accessible by integration' },
      headers: { 'x-accepted-github-permissions': 'issues=write; pull_requests=write' },
      type: GitHubForbiddenError,
      code: 'ERR_GITHUB_FORBIDDEN',
      text: /`pull-requests: write`.*Resource not accessible by integration.*pull_requests=write/,
    },
    {
      status: 404,
      body: { message: 'Not Found' },
      headers: {},
      type: GitHubNotFoundError,
      code: 'ERR_GITHUB_NOT_FOUND',
      text: /404 Not Found.*GITHUB_REPOSITORY/,
    },
    {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
      },
      headers: {},
      type: GitHubUnprocessableError,
      code: 'ERR_GITHUB_UNPROCESSABLE',
      text: /422.*Validation Failed; body custom body is too long/,
    },
  ]
  for (const c of cases) {
    it(`${c.status} becomes ${c.code} with a one-line message without the token`, async () => {
      nock(API)
        .post(COMMENTS)
        .reply(c.status, { ...c.body, documentation_url: 'https://docs.github.com/rest', echoed: TOKEN }, c.headers)
      const err = await client()
        .request('POST', COMMENTS, { body: `token ${TOKEN}` })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(c.type)
      const e = err as GitHubUnauthorizedError
      expect(e.code).toBe(c.code)
      expect(e.status).toBe(c.status)
      expect(e.message).toMatch(c.text)
      expect(e.message).not.toContain('\n')
      expect(e.message).not.toContain(TOKEN)
      expect(String(e.stack)).not.toContain(TOKEN)
    })
  }

  it('waits out a secondary rate limit by its retry-after and retries', async () => {
    const sleeps: number[] = []
    nock(API)
      .post(COMMENTS)
      .reply(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '7' })
      .post(COMMENTS)
      .reply(201, comment(1, ACTIONS_BOT_LOGIN, 'x'))
    const result = await client({ sleeps }).request<{ id: number }>('POST', COMMENTS, { body: 'x' })
    expect(result.data.id).toBe(1)
    expect(sleeps).toEqual([7000])
  })

  it('waits for x-ratelimit-reset on a primary limit', async () => {
    const sleeps: number[] = []
    const reset = Date.parse('2026-01-01T00:00:30Z') / 1000
    nock(API)
      .get('/user')
      .reply(403, { message: 'API rate limit exceeded for installation ID 1.' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) })
      .get('/user')
      .reply(200, { login: 'bot' })
    await client({ sleeps }).request('GET', '/user')
    expect(sleeps).toEqual([31_000])
  })

  it('gives up with a clear error when the wait would exceed the bound', async () => {
    const sleeps: number[] = []
    nock(API)
      .post(COMMENTS)
      .reply(429, { message: 'secondary rate limit' }, { 'retry-after': '30' })
      .post(COMMENTS)
      .reply(429, { message: 'secondary rate limit' }, { 'retry-after': '30' })
    const err = await client({ sleeps, maxRateLimitWaitMs: 45_000 })
      .request('POST', COMMENTS, {})
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GitHubRateLimitError)
    expect((err as GitHubRateLimitError).message).toMatch(
      /rate limit \(retry-after: 30 s\) still holds after 2 attempt\(s\) and 30 s of waiting \(bound 45 s\); try again after 2026-01-01T00:00:30/,
    )
    expect(sleeps).toEqual([30_000])
  })
})

describe('parseNextLink', () => {
  it('finds rel="next" among several relations', () => {
    expect(parseNextLink('<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next"')).toBe('https://a/x?page=3')
    expect(parseNextLink('<https://a/x?page=1>; rel="last"')).toBeUndefined()
    expect(parseNextLink(null)).toBeUndefined()
  })
})
