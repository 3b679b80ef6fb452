// The sticky pull request comment: one comment per pull request (and key), found by a hidden
// marker AND its author, updated in place on every push. Matching the author too means a
// comment by someone else that quotes the marker is never taken over (marocchino's
// sticky-pull-request-comment does the same; Bencher matches the marker only).
import type { GitHubClient } from './github-client.ts'
import { GitHubResponseError } from './github-errors.ts'

/** ACTIONS_BOT_LOGIN is the author of comments made with a workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]'

/** commentMarker is the hidden HTML comment that identifies slurmbench's comment for a key. */
export function commentMarker(key = 'pr-gate'): string {
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(key)) throw new TypeError(`comment key "${key}": expected 1–64 letters, digits, '.', '_', ':' or '-'`)
  return `<!-- slurmbench:${key} -->`
}

/** PullRequestTarget names the pull request (an issue number) to comment on. */
export interface PullRequestTarget {
  readonly owner: string
  readonly repo: string
  readonly number: number
}

/** IssueComment is the part of GitHub's issue comment the upsert reads. */
export interface IssueComment {
  readonly id: number
  readonly body?: string | null
  readonly html_url?: string
  readonly user?: { readonly login?: string } | null
}

/** StickyResult says what the upsert did. */
export interface StickyResult {
  readonly action: 'created' | 'updated'
  readonly id: number
  readonly url: string | undefined
}

/** resolveAuthor returns the login of the token's owner via GET /user. */
export async function resolveAuthor(client: GitHubClient): Promise<string> {
  const { data } = await client.request<{ login?: unknown }>('GET', '/user')
  if (typeof data?.login !== 'string') throw new GitHubResponseError('GET /user: the answer has no login; pass --author')
  return data.login
}

function repoPath(target: PullRequestTarget): string {
  return `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}`
}

/** findStickyComment pages through the pull request's comments for the first one by `author` carrying `marker`. */
export async function findStickyComment(client: GitHubClient, target: PullRequestTarget, marker: string, author: string): Promise<IssueComment | undefined> {
  const login = author.toLowerCase()
  for await (const comment of client.paginate<IssueComment>(`${repoPath(target)}/issues/${target.number}/comments`)) {
    if (comment.user?.login?.toLowerCase() === login && typeof comment.body === 'string' && comment.body.includes(marker)) return comment
  }
  return undefined
}

/** upsertStickyComment updates the sticky comment in place, or creates it when there is none; the body gets the marker if it lacks it. */
export async function upsertStickyComment(
  client: GitHubClient,
  target: PullRequestTarget,
  body: string,
  options: { readonly marker: string; readonly author: string },
): Promise<StickyResult> {
  const text = body.includes(options.marker) ? body : `${options.marker}\n${body}`
  const existing = await findStickyComment(client, target, options.marker, options.author)
  if (existing !== undefined) {
    const { data } = await client.request<IssueComment>('PATCH', `${repoPath(target)}/issues/comments/${existing.id}`, { body: text })
    return { action: 'updated', id: existing.id, url: data?.html_url ?? existing.html_url }
  }
  const { data } = await client.request<IssueComment>('POST', `${repoPath(target)}/issues/${target.number}/comments`, { body: text })
  return { action: 'created', id: data.id, url: data.html_url }
}
