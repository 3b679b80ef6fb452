// `slurmbench report html`: the nightly report as one self-contained HTML file, from the history
// folder and (optionally) the latest comparison.
import { dirname, relative, resolve, sep } from 'node:path'
import { seriesOf } from '../history/series.ts'
import { readHistory } from '../history/store.ts'
import { findShifts } from '../history/trend.ts'
import { type HtmlProfiles, type HtmlVerdict, renderHtmlReport } from '../report/html-report.ts'
import { writeFileAtomic } from '../results/atomic-file.ts'
import { type ComparisonDocument, type ComparisonProfiles, readComparison, verdictsOf } from '../results/comparison-schema.ts'
import { EXIT_OK } from './command.ts'
import { type FlagSpecs, parseArgs, printUsage, UsageError } from './flags.ts'
import { DEFAULT_HISTORY_DIR } from './history.ts'

const FLAGS: FlagSpecs = {
  history: { kind: 'string', valueName: 'dir', help: `history folder (default ${DEFAULT_HISTORY_DIR})` },
  'machine-class': { kind: 'string', valueName: 'class', help: 'only this machine class (default: all)' },
  comparison: { kind: 'string', valueName: 'file', help: "the latest night's comparison JSON (ab -format json), shown as verdicts" },
  o: { kind: 'string', valueName: 'file', help: 'where to write the page (default report.html)' },
  title: { kind: 'string', valueName: 'text', help: 'the page title (default "slurmbench nightly report")' },
  'commit-url': {
    kind: 'string',
    valueName: 'url',
    help: 'link commits with this URL, {commit} replaced (default: from GITHUB_SERVER_URL and GITHUB_REPOSITORY when set)',
  },
}

const DESCRIPTION = `Writes one self-contained HTML file (no CDN; SVG charts): per series a trend chart of the nightly
centres with their 95% band and level shifts marked, the latest night's verdicts, the environment, and
a link per commit. When the comparison holds ab --profile's findings, the functions that grew in each
regressed benchmark, linked to its flame graph relative to the page (keep the profile folder beside
it). Opens from file:// and serves as a GitHub Pages site.`

/**
 * htmlProfilesOf turns a comparison's profile findings into the page's, each flame graph linked
 * relative to the page `outPath` (the profile folder is relative to the comparison file's folder).
 */
export function htmlProfilesOf(profiles: ComparisonProfiles, comparisonPath: string, outPath: string): HtmlProfiles {
  const dir = resolve(dirname(comparisonPath), profiles.dir)
  return {
    findings: profiles.findings.map((f) => ({
      name: f.name,
      units: f.units,
      profile: f.profile,
      grown: f.grown,
      diffHref: relative(dirname(resolve(outPath)), resolve(dir, f.files.diff))
        .split(sep)
        .map(encodeURIComponent)
        .join('/'),
    })),
    warnings: profiles.warnings,
  }
}

function htmlVerdictsOf(doc: ComparisonDocument, path: string): HtmlVerdict[] {
  return verdictsOf(doc, path).map((v) => ({
    name: v.name,
    unit: v.unit,
    verdict: v.verdict,
    ...(v.change === undefined ? {} : { change: v.change }),
  }))
}

/** runReportHtml runs `report html` with the arguments after `html`. */
export async function runReportHtml(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS)
  if (args.help) return printUsage('slurmbench report html [flags]', DESCRIPTION, FLAGS)
  if (args.positionals.length > 0) throw new UsageError(`report html takes no file arguments (found ${args.positionals[0]}); name the history with -history`)
  const dir = (args.flags.history as string | undefined) ?? DEFAULT_HISTORY_DIR
  const read = await readHistory(dir, args.flags['machine-class'] as string | undefined)
  for (const w of read.warnings) process.stderr.write(`report html: warning: ${w}\n`)
  const series = seriesOf(read.records)
  const comparison = args.flags.comparison as string | undefined
  const doc = comparison === undefined ? undefined : await readComparison(comparison)
  const out = (args.flags.o as string | undefined) ?? 'report.html'
  const latest = read.records.reduce<(typeof read.records)[number] | undefined>(
    (a, r) => (a === undefined || Date.parse(r.time) > Date.parse(a.time) ? r : a),
    undefined,
  )
  const repo = process.env.GITHUB_REPOSITORY
  const commitUrl =
    (args.flags['commit-url'] as string | undefined) ??
    (repo === undefined ? undefined : `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repo}/commit/{commit}`)
  const html = renderHtmlReport({
    title: (args.flags.title as string | undefined) ?? 'slurmbench nightly report',
    generatedAt: new Date().toISOString(),
    series,
    shifts: findShifts(series),
    ...(doc === undefined || comparison === undefined ? {} : { verdicts: htmlVerdictsOf(doc, comparison) }),
    ...(doc?.profiles === undefined || comparison === undefined ? {} : { profiles: htmlProfilesOf(doc.profiles, comparison, out) }),
    ...(latest === undefined
      ? {}
      : { environment: { 'machine class': latest.machineClass, cpu: latest.cpuModel, node: latest.node, 'latest night': latest.time, commit: latest.commit } }),
    ...(commitUrl === undefined ? {} : { commitUrl }),
  })
  await writeFileAtomic(out, html)
  process.stdout.write(`report html: ${series.length} series to ${out}\n`)
  return EXIT_OK
}
