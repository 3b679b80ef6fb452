// The job summary ($GITHUB_STEP_SUMMARY): the PR comment without the marker and with GitHub's
// larger per-step limit, so forks (which cannot comment) still see the verdicts on the run page.
import type { VerdictReport } from '../compare/verdict.ts'
import type { ComparisonMethod, ComparisonProfiles } from '../results/comparison-schema.ts'
import { type CommentLinks, renderPrComment } from './pr-comment.ts'

/** GITHUB_STEP_SUMMARY_MAX_BYTES is GitHub's limit for one step's summary ("supports content up to a size of 1024k"). */
export const GITHUB_STEP_SUMMARY_MAX_BYTES = 1024 * 1024

/** renderJobSummary renders the verdicts (and ab --profile's findings) for a job summary. */
export function renderJobSummary(
  reports: readonly VerdictReport[],
  method: ComparisonMethod | undefined,
  links: CommentLinks = {},
  profiles?: ComparisonProfiles,
): string {
  // Characters, not bytes, are counted while cutting: a quarter of the byte limit keeps even
  // four-byte UTF-8 text under it.
  return renderPrComment(reports, method, { maxChars: GITHUB_STEP_SUMMARY_MAX_BYTES / 4, links, profiles })
}
