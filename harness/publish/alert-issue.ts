// The nightly alert as ONE GitHub issue: found by a hidden marker and its author among the open
// issues, its body replaced with tonight's news, or opened when there is none. A team sees one
// issue that stays open while the regression lasts, not one issue a night; closing it lets the
// next regression open a fresh one.
import type { GitHubClient } from './github-client.ts'

/** ALERT_MARKER identifies the nightly alert issue. */
export const ALERT_MARKER = '<!-- slurmbench:nightly-alert -->'

/** AlertTarget names the repository and who the issue's author must be. */
export interface AlertTarget {
  readonly owner: string
  readonly repo: string
  /** The token owner's login (the issue must be theirs, so another's issue quoting the marker is left alone). */
  readonly author: string
}

interface Issue {
  readonly number: number
  readonly body?: string | null
  readonly html_url?: string
  readonly user?: { readonly login?: string } | null
  readonly pull_request?: unknown
}

/** AlertResult says what happened. */
export interface AlertResult {
  readonly action: 'opened' | 'updated'
  readonly number: number
  readonly url: string | undefined
}

/** upsertAlertIssue replaces the open alert issue's body, or opens one. */
export async function upsertAlertIssue(client: GitHubClient, target: AlertTarget, title: string, body: string): Promise<AlertResult> {
  const repoPath = `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}`
  const text = body.includes(ALERT_MARKER) ? body : `${ALERT_MARKER}\n${body}`
  const login = target.author.toLowerCase()
  for await (const issue of client.paginate<Issue>(`${repoPath}/issues?state=open&creator=${encodeURIComponent(target.author)}`)) {
    if (issue.pull_request !== undefined) continue
    if (issue.user?.login?.toLowerCase() !== login || typeof issue.body !== 'string' || !issue.body.includes(ALERT_MARKER)) continue
    const { data } = await client.request<Issue>('PATCH', `${repoPath}/issues/${issue.number}`, { title, body: text })
    return { action: 'updated', number: issue.number, url: data?.html_url ?? issue.html_url }
  }
  const { data } = await client.request<Issue>('POST', `${repoPath}/issues`, { title, body: text })
  return { action: 'opened', number: data.number, url: data.html_url }
}
