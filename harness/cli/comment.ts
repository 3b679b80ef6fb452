// `slurmbench comment --pr N <comparison.json>`: creates or updates the one sticky comment of a
// pull request with the rendered verdicts. Each GitHub failure has its own exit code and a
// one-line message; the token (GITHUB_TOKEN or --token-file) is never printed.
import { readFile } from 'node:fs/promises'
import { type FetchLike, DEFAULT_GITHUB_API_URL, GitHubClient } from '../publish/github-client.ts'
import { GitHubError, redactSecret } from '../publish/github-errors.ts'
import { findPullRequestByHeadSha } from '../publish/pull-request.ts'
import { ACTIONS_BOT_LOGIN, commentMarker, resolveAuthor, upsertStickyComment } from '../publish/sticky-comment.ts'
import { readComparison } from '../results/comparison-schema.ts'
import { InputError } from '../../common/input-error.ts'
import { verdictReportsOf } from '../report/comparison-document.ts'
import { renderPrComment } from '../report/pr-comment.ts'
import { type Command, EXIT_OK } from './command.ts'
import { type FlagSpecs, printUsage, parseArgs, UsageError } from './flags.ts'
import { LINK_FLAGS, linksFrom } from './report.ts'

/** Exit codes of comment, one per kind of GitHub failure (0 posted, 2 usage or input error). */
export const EXIT_GITHUB_UNAUTHORIZED = 3
export const EXIT_GITHUB_FORBIDDEN = 4
export const EXIT_GITHUB_NOT_FOUND = 5
export const EXIT_GITHUB_UNPROCESSABLE = 6
export const EXIT_GITHUB_RATE_LIMITED = 7
export const EXIT_GITHUB_OTHER = 8

const EXIT_BY_CODE: Readonly<Record<string, number>> = {
  ERR_GITHUB_UNAUTHORIZED: EXIT_GITHUB_UNAUTHORIZED,
  ERR_GITHUB_FORBIDDEN: EXIT_GITHUB_FORBIDDEN,
  ERR_GITHUB_NOT_FOUND: EXIT_GITHUB_NOT_FOUND,
  ERR_GITHUB_UNPROCESSABLE: EXIT_GITHUB_UNPROCESSABLE,
  ERR_GITHUB_RATE_LIMITED: EXIT_GITHUB_RATE_LIMITED,
}

const FLAGS: FlagSpecs = {
  pr: { kind: 'integer', valueName: 'n', help: 'pull request number' },
  'head-sha': { kind: 'string', valueName: 'sha', help: 'instead of -pr: the open pull request whose head is this commit (workflow_run from a fork)' },
  repo: { kind: 'string', valueName: 'owner/name', help: 'repository (default $GITHUB_REPOSITORY)' },
  'api-url': { kind: 'string', valueName: 'url', help: `REST API root (default $GITHUB_API_URL, else ${DEFAULT_GITHUB_API_URL})` },
  'token-file': { kind: 'string', valueName: 'file', help: 'read the token from file (default $GITHUB_TOKEN)' },
  author: {
    kind: 'string',
    valueName: 'login',
    help: `login that owns the comment (default ${ACTIONS_BOT_LOGIN} under GitHub Actions, else the token's user)`,
  },
  key: { kind: 'string', valueName: 'name', help: 'which sticky comment, for several gates on one pull request (default pr-gate)' },
  'dry-run': { kind: 'boolean', help: 'print the comment instead of posting it' },
  ...LINK_FLAGS,
}

const DESCRIPTION = `Posts the verdicts of a comparison document (ab -json) as one comment on a pull request and
updates that comment in place on later runs. Its comment is the first one that carries the hidden
marker <!-- slurmbench:KEY --> AND was written by -author; anyone else's comment is never
touched. The body stays under GitHub's 65,536-character limit (rows are cut with a note).
Needs a token with pull-requests: write (workflow: permissions: pull-requests: write).
Exit 0 posted, 2 usage or input error, 3 token rejected (401), 4 permission missing (403),
5 repository or pull request not found (404), 6 comment refused (422), 7 rate limited beyond
the wait bound, 8 other GitHub or network failure.`

/** CommentDeps replace the outside world in tests. */
export interface CommentDeps {
  readonly fetch?: FetchLike
  readonly env?: NodeJS.ProcessEnv
  readonly sleep?: (ms: number) => Promise<void>
}

async function readToken(flags: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): Promise<string> {
  const file = flags['token-file']
  if (typeof file === 'string') {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      throw new InputError(`--token-file ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
    }
    const token = text.trim()
    if (token === '') throw new InputError(`--token-file ${file}: the file is empty, expected a GitHub token`)
    return token
  }
  const token = env.GITHUB_TOKEN?.trim()
  if (token === undefined || token === '') throw new UsageError('no GitHub token: set GITHUB_TOKEN or pass --token-file')
  return token
}

function parseRepo(value: unknown, env: NodeJS.ProcessEnv): { owner: string; repo: string } {
  const text = typeof value === 'string' ? value : env.GITHUB_REPOSITORY
  if (text === undefined || text === '') throw new UsageError('no repository: pass --repo owner/name or set GITHUB_REPOSITORY')
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(text)
  if (m === null) throw new UsageError(`repository "${text}": expected owner/name`)
  return { owner: m[1] as string, repo: m[2] as string }
}

/** createCommentCommand builds the command with its dependencies (the real ones by default). */
export function createCommentCommand(deps: CommentDeps = {}): Command {
  return {
    summary: 'create or update the sticky PR comment with the verdicts of a comparison JSON',
    async run(argv) {
      const env = deps.env ?? process.env
      const args = parseArgs(argv, FLAGS)
      if (args.help) return printUsage('slurmbench comment (--pr n | --head-sha sha) [flags] <comparison.json>', DESCRIPTION, FLAGS)
      const pr = args.flags.pr as number | undefined
      const headSha = args.flags['head-sha'] as string | undefined
      if ((pr === undefined) === (headSha === undefined)) throw new UsageError('pass exactly one of --pr <n> and --head-sha <sha>')
      if (pr !== undefined && pr < 1) throw new UsageError(`flag -pr: expected a pull request number ≥ 1, found ${pr}`)
      if (headSha !== undefined && !/^[0-9a-f]{40}$/.test(headSha))
        throw new UsageError(`flag -head-sha: expected a 40-digit commit id, found "${headSha.slice(0, 60)}"`)
      if (args.positionals.length !== 1) throw new UsageError(`expected one comparison file, found ${args.positionals.length}`)
      const marker = (() => {
        try {
          return commentMarker(typeof args.flags.key === 'string' ? args.flags.key : undefined)
        } catch (err) {
          throw new UsageError(`flag -key: ${(err as Error).message}`)
        }
      })()
      const doc = await readComparison(args.positionals[0] as string)
      const body = renderPrComment(verdictReportsOf(doc), doc.method, { marker, links: linksFrom(args.flags, env), profiles: doc.profiles })
      if (args.flags['dry-run'] === true) {
        process.stdout.write(body)
        return EXIT_OK
      }
      const { owner, repo } = parseRepo(args.flags.repo, env)
      const token = await readToken(args.flags, env)
      const apiUrl = typeof args.flags['api-url'] === 'string' ? args.flags['api-url'] : env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL
      try {
        new URL(apiUrl)
      } catch {
        throw new UsageError(`API URL "${apiUrl}": not a URL`)
      }
      const client = new GitHubClient({
        apiUrl,
        token,
        ...(deps.fetch !== undefined ? { fetch: deps.fetch } : {}),
        ...(deps.sleep !== undefined ? { sleep: deps.sleep } : {}),
        onWait: (ms, reason) => process.stderr.write(`comment: rate limited (${reason}); waiting ${Math.ceil(ms / 1000)} s\n`),
      })
      try {
        const number = pr ?? (await findPullRequestByHeadSha(client, owner, repo, headSha as string))
        const author =
          typeof args.flags.author === 'string' ? args.flags.author : env.GITHUB_ACTIONS === 'true' ? ACTIONS_BOT_LOGIN : await resolveAuthor(client)
        const result = await upsertStickyComment(client, { owner, repo, number }, body, { marker, author })
        process.stderr.write(
          `comment: ${result.action} comment ${result.id} on ${owner}/${repo}#${number} (${body.length} characters)${result.url !== undefined ? `: ${result.url}` : ''}\n`,
        )
        return EXIT_OK
      } catch (err) {
        if (!(err instanceof GitHubError)) throw err
        process.stderr.write(`slurmbench comment: ${redactSecret(err.message, token)}\n`)
        return EXIT_BY_CODE[err.code] ?? EXIT_GITHUB_OTHER
      }
    },
  }
}

export const command: Command = createCommentCommand()
