// `slurmbench report <comparison.json>`: renders a comparison document written by ab, compare
// or baseline check (-json) in another format: the PR comment's Markdown, the job summary, text,
// CSV, JSON, and exports for Bencher (BMF) and github-action-benchmark. The document is
// validated first: in the PR workflow it comes from a pull request's artifact.
import { appendFile, writeFile } from 'node:fs/promises'
import type { Better } from '../results/schema.ts'
import { readComparison } from '../results/comparison-schema.ts'
import { renderBmf } from '../report/bmf.ts'
import { verdictReportsOf } from '../report/comparison-document.ts'
import { githubActionBenchmarkTool, renderGithubActionBenchmark } from '../report/github-action-benchmark.ts'
import { renderJobSummary } from '../report/job-summary.ts'
import { type CommentLinks, renderPrComment } from '../report/pr-comment.ts'
import { renderVerdictCsv } from '../report/verdict-csv.ts'
import { renderVerdictText } from '../report/verdict-text.ts'
import { type Command, EXIT_OK } from './command.ts'
import { type FlagSpecs, parseArgs, printUsage, UsageError } from './flags.ts'

/** REPORT_FORMATS lists what --format accepts. */
export const REPORT_FORMATS = ['markdown', 'summary', 'text', 'csv', 'json', 'bmf', 'github-action-benchmark'] as const
/** ReportFormat is one of REPORT_FORMATS. */
export type ReportFormat = (typeof REPORT_FORMATS)[number]

/** LINK_FLAGS are the flags that put links to the run into Markdown output (shared with comment). */
export const LINK_FLAGS: FlagSpecs = {
  'run-url': { kind: 'string', valueName: 'url', help: 'link to the workflow run (default from GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID)' },
  'artifacts-url': { kind: 'string', valueName: 'url', help: "link to the run's artifacts (default: the run's #artifacts)" },
  'report-url': { kind: 'string', valueName: 'url', help: 'link to an HTML report' },
}

const FLAGS: FlagSpecs = {
  format: { kind: 'string', valueName: REPORT_FORMATS.join('|'), help: 'output format (default markdown)' },
  output: { kind: 'string', valueName: 'file', aliases: ['o'], help: 'write to file instead of standard output (summary: instead of $GITHUB_STEP_SUMMARY)' },
  better: {
    kind: 'string',
    valueName: 'lower|higher',
    help: 'github-action-benchmark: export the metrics where lower (default, customSmallerIsBetter) or higher (customBiggerIsBetter) is better',
  },
  ...LINK_FLAGS,
}

const DESCRIPTION = `Renders a comparison document (ab, compare or baseline check with -json; - reads standard
input) after validating it against the comparison schema.
  markdown  the PR comment (as slurmbench comment posts it, without the hidden marker)
  summary   the job summary; appended to $GITHUB_STEP_SUMMARY when that is set
  text, csv the verdict table
  json      the validated document
  bmf       Bencher Metric Format for bencher run --adapter json (time per op as latency in ns)
  github-action-benchmark  the custom format of github-action-benchmark (tool: customSmallerIsBetter)
'slurmbench report html [flags]' renders the nightly HTML report from the history instead (see its --help).
Exit 0 when rendered, 2 on a usage or input error (the gate's result is ab's exit code).`

/** linksFrom reads the link flags, defaulting to this workflow run's page from GitHub's environment. */
export function linksFrom(flags: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv = process.env): CommentLinks {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: runId } = env
  const defaultRun = server && repo && runId ? `${server}/${repo}/actions/runs/${runId}` : undefined
  const runUrl = typeof flags['run-url'] === 'string' ? flags['run-url'] : defaultRun
  const artifactsUrl = typeof flags['artifacts-url'] === 'string' ? flags['artifacts-url'] : runUrl !== undefined ? `${runUrl}#artifacts` : undefined
  return {
    ...(runUrl !== undefined ? { runUrl } : {}),
    ...(artifactsUrl !== undefined ? { artifactsUrl } : {}),
    ...(typeof flags['report-url'] === 'string' ? { reportUrl: flags['report-url'] } : {}),
  }
}

function parseReportFormat(value: unknown): ReportFormat {
  const format = (value ?? 'markdown') as string
  if (!(REPORT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`flag -format: expected one of ${REPORT_FORMATS.join(', ')}, found "${format}"`)
  return format as ReportFormat
}

export const command: Command = {
  summary: 'render a comparison JSON as a PR comment, job summary, text, CSV, BMF or github-action-benchmark; report html: the nightly page',
  async run(argv) {
    // `report html` is its own subcommand (the nightly page from the history, not a comparison).
    if (argv[0] === 'html') return (await import('./report-html.ts')).runReportHtml(argv.slice(1))
    const args = parseArgs(argv, FLAGS)
    if (args.help) return printUsage('slurmbench report [flags] <comparison.json>', DESCRIPTION, FLAGS)
    const format = parseReportFormat(args.flags.format)
    const better = (args.flags.better ?? 'lower') as string
    if (better !== 'lower' && better !== 'higher') throw new UsageError(`flag -better: expected lower or higher, found "${better}"`)
    if (args.positionals.length !== 1) throw new UsageError(`expected one comparison file, found ${args.positionals.length}`)
    const doc = await readComparison(args.positionals[0] as string)
    const reports = verdictReportsOf(doc)
    const links = linksFrom(args.flags)
    let text: string
    switch (format) {
      case 'markdown':
        text = renderPrComment(reports, doc.method, { links, profiles: doc.profiles })
        break
      case 'summary':
        text = renderJobSummary(reports, doc.method, links, doc.profiles)
        break
      case 'text':
        text = reports.map(renderVerdictText).join('\n')
        break
      case 'csv':
        text = reports.map(renderVerdictCsv).join('\n')
        break
      case 'json':
        text = `${JSON.stringify(doc, null, 2)}\n`
        break
      case 'bmf':
        text = renderBmf(reports)
        break
      case 'github-action-benchmark': {
        const out = renderGithubActionBenchmark(reports, better as Better)
        if (out.skipped > 0) {
          const other = better === 'lower' ? 'higher' : 'lower'
          process.stderr.write(
            `report: ${out.skipped} metrics where ${other} is better left out; export them with -better ${other} (tool: ${githubActionBenchmarkTool(other)})\n`,
          )
        }
        text = out.json
        break
      }
    }
    const output = args.flags.output
    if (typeof output === 'string') await writeFile(output, text)
    else if (format === 'summary' && process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, text)
    else process.stdout.write(text)
    return EXIT_OK
  },
}
