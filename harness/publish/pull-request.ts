// Finding the pull request of a workflow_run: GitHub leaves workflow_run.pull_requests empty for
// pull requests from forks, and a number read from the artifact would be attacker-chosen, so the
// open pull requests are searched for the run's head commit instead.
import type { GitHubClient } from './github-client.ts'
import { GitHubNotFoundError } from './github-errors.ts'

/** PullRequestSummary is the part of GitHub's pull request the lookup reads. */
export interface PullRequestSummary {
  readonly number: number
  readonly head?: { readonly sha?: string }
}

/** findPullRequestByHeadSha returns the number of the open pull request whose head is `sha`. */
export async function findPullRequestByHeadSha(client: GitHubClient, owner: string, repo: string, sha: string): Promise<number> {
  const path = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/pulls?state=open&sort=updated&direction=desc`
  for await (const pr of client.paginate<PullRequestSummary>(path)) {
    if (pr.head?.sha === sha) return pr.number
  }
  throw new GitHubNotFoundError(`no open pull request of ${owner}/${repo} has head commit ${sha}; it may have been closed or pushed to since`)
}
