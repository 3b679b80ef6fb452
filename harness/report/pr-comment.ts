// The PR comment: a headline with the counts and the gate's result, one line on method, the rows
// that need attention, every row folded into <details>, and links to the run and its artifacts.
// Under the rows, what `ab --profile` found: the functions whose share grew in each regressed
// benchmark, and where its differential flame graph is. It stays under GitHub's comment limit
// by cutting rows (the full table first) with a note.
// Every text from the document goes through markdown-safe: a benchmark name cannot break it.
import { gateExitCode, type FailOn, type MetricVerdict, VERDICT_KINDS, type VerdictKind, type VerdictReport } from '../compare/verdict.ts'
import type { ComparisonMethod, ComparisonProfiles, ProfileFindingJson } from '../results/comparison-schema.ts'
import { codeSpan, escapeMarkdownText, markdownLink } from './markdown-safe.ts'
import { classOf, commonScale, formatScaled, toFixedGo } from './scale.ts'
import { VERDICT_SYMBOLS, changeText, shortName } from './verdict-cells.ts'
import { methodLine } from './verdict-text.ts'

/** GITHUB_COMMENT_MAX_CHARS is GitHub's limit on a comment body (a longer one is refused with 422). */
export const GITHUB_COMMENT_MAX_CHARS = 65_536

/** HEADLINE_KINDS are the verdicts the headline always counts, in order. */
export const HEADLINE_KINDS: readonly VerdictKind[] = ['regressed', 'improved', 'unchanged', 'inconclusive', 'new', 'missing']

/** CommentLinks point from the comment to the workflow run and its artifacts. */
export interface CommentLinks {
  readonly runUrl?: string
  readonly artifactsUrl?: string
  /** The HTML report, once the nightly work publishes one. */
  readonly reportUrl?: string
}

/** CommentOptions shape one rendering. */
export interface CommentOptions {
  /** Hidden marker put first (the sticky comment's identity); none for a job summary. */
  readonly marker?: string
  /** Most characters (UTF-16 code units, never fewer than GitHub's characters) the body may have. */
  readonly maxChars?: number
  readonly links?: CommentLinks
  /** How the gate fails when the document says nothing (compare output). */
  readonly failOn?: FailOn
  /** Heading text before the result. */
  readonly title?: string
  /** What ab --profile found (the document's `profiles`). */
  readonly profiles?: ComparisonProfiles
}

/** GateResult is what the gate decided. */
export type GateResult = 'passed' | 'failed' | 'informational'

/** gateResultOf applies the gate to every report: failed when any fails, informational when none gates. */
export function gateResultOf(reports: readonly VerdictReport[], failOn: FailOn): GateResult {
  if (reports.length === 0 || reports.every((r) => r.informational)) return 'informational'
  return reports.some((r) => gateExitCode(r, failOn) !== 0) ? 'failed' : 'passed'
}

function sumCounts(reports: readonly VerdictReport[]): Record<VerdictKind, number> {
  const counts = Object.fromEntries(VERDICT_KINDS.map((k) => [k, 0])) as Record<VerdictKind, number>
  for (const r of reports) for (const k of VERDICT_KINDS) counts[k] += r.counts[k]
  return counts
}

function durationText(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${s % 60} s`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}

function shortSha(sha: string): string {
  return sha.slice(0, 12)
}

/** methodText is the comment's method line: how the figures were made, on what, and how long it took. */
export function methodText(method: ComparisonMethod | undefined, reports: readonly VerdictReport[]): string {
  const first = reports[0]
  if (method === undefined) {
    return first === undefined
      ? 'Nothing was compared.'
      : `Comparison of ${codeSpan(first.headLabel)} against ${codeSpan(first.baseLabel)} (no A/B metadata in the document).`
  }
  const parts: string[] = []
  parts.push(
    method.command === 'ab'
      ? `${method.paired ? 'Paired' : 'Interleaved'} A/B on one machine: ${method.roundsPerSide} rounds per side${method.paired ? ', base and head in each worker' : ''}`
      : `${escapeMarkdownText(method.command)}: ${method.roundsPerSide} samples per side`,
  )
  const ref = method.base.ref !== undefined ? ` (${codeSpan(method.base.ref)})` : ''
  const head = method.head.commit !== undefined ? codeSpan(shortSha(method.head.commit) + (method.head.dirty === true ? '+dirty' : '')) : 'the work tree'
  parts.push(`base ${codeSpan(shortSha(method.base.commit))}${ref} → head ${head}`)
  if (method.machine !== undefined) {
    const m = method.machine
    parts.push(`machine ${codeSpan(m.class)} (${escapeMarkdownText(m.cpuModel)}, ${m.cores} cores, Node ${m.nodeMajor})`)
  }
  parts.push(`took ${durationText(method.durationMs)}`)
  return `${parts.join('; ')}.`
}

function sidesText(v: MetricVerdict): string {
  const centers = [v.base, v.head].filter((s) => s !== undefined).map((s) => s.center)
  const scaler = commonScale(centers, classOf(v.unit))
  const b = v.base === undefined ? '—' : formatScaled(v.base.center, scaler)
  const h = v.head === undefined ? '—' : formatScaled(v.head.center, scaler)
  return escapeMarkdownText(`${b} → ${h}`)
}

const TABLE_HEAD = '| | Benchmark | Metric | Base → Head | Change [CI] | Verdict |\n|---|---|---|--:|--:|---|\n'

function row(v: MetricVerdict, showPkg: boolean): string {
  const name = !showPkg || v.pkg === '' ? shortName(v.name) : `${shortName(v.name)} (${v.pkg})`
  return `| ${VERDICT_SYMBOLS[v.verdict]} | ${codeSpan(name)} | ${codeSpan(v.unit)} | ${sidesText(v)} | ${changeText(v)} | ${v.verdict} |\n`
}

function table(rows: readonly MetricVerdict[], shown: number, showPkg: boolean): string {
  return (
    TABLE_HEAD +
    rows
      .slice(0, shown)
      .map((v) => row(v, showPkg))
      .join('')
  )
}

function cutNote(shown: number, total: number, maxChars: number): string {
  return `\n_${total - shown} of ${total} rows cut to stay under ${maxChars === GITHUB_COMMENT_MAX_CHARS ? "GitHub's " : 'the '}${maxChars.toLocaleString('en-US')}-character comment limit; the job summary and the comparison artifact have them all._\n`
}

function sortRows(reports: readonly VerdictReport[]): MetricVerdict[] {
  const order = new Map(VERDICT_KINDS.map((k, i) => [k, i]))
  return reports.flatMap((r) => r.verdicts).sort((a, b) => (order.get(a.verdict) as number) - (order.get(b.verdict) as number))
}

interface Shown {
  /** The folded table lists only the rows not already in the attention table. */
  restOnly: boolean
  attention: number
  all: number
  warnings: number
  /** Profile findings listed under "Where the time went" (its warnings count as findings). */
  profiles: number
}

function shareText(share: number): string {
  return `${toFixedGo(share * 100, 1)}%`
}

function pointsText(delta: number): string {
  const text = toFixedGo(delta * 100, 1)
  return `${text.startsWith('-') ? '' : '+'}${text} pp`
}

// One regressed benchmark's profile: where its flame graph is, then its grown functions, numbered.
function findingItem(f: ProfileFindingJson, dir: string, showPkg: boolean, artifactsUrl: string | undefined): string {
  const name = !showPkg || f.pkg === '' ? shortName(f.name) : `${shortName(f.name)} (${f.pkg})`
  const what = f.profile === 'cpu' ? 'CPU time' : f.sampleType === 'alloc_objects' ? 'objects allocated' : 'bytes allocated'
  const path = codeSpan(dir === '' || dir === '.' ? f.files.diff : `${dir.replace(/\/+$/, '')}/${f.files.diff}`)
  const graph = artifactsUrl !== undefined ? `${markdownLink('differential flame graph', artifactsUrl)} ${path}` : `differential flame graph ${path}`
  let out = `- ${codeSpan(name)} ${f.units.map((u) => codeSpan(u)).join(' ')}, share of ${what}: ${graph}\n`
  if (f.grown.length === 0) return `${out}  No function's own share grew.\n`
  f.grown.forEach((fn, i) => {
    const where = fn.file === '' ? '' : ` ${codeSpan(fn.line > 0 ? `${fn.file}:${fn.line}` : fn.file)}`
    out += `  ${i + 1}. ${codeSpan(fn.name)}${where}: ${shareText(fn.baseFlat)} → ${shareText(fn.headFlat)} (${pointsText(fn.headFlat - fn.baseFlat)})\n`
  })
  return out
}

/** renderProfileSection renders ab --profile's findings, the first `shown` items (findings, then warnings); empty when there are none. */
export function renderProfileSection(profiles: ComparisonProfiles | undefined, shown: number, showPkg: boolean, artifactsUrl: string | undefined): string {
  if (profiles === undefined) return ''
  const total = profiles.findings.length + profiles.warnings.length
  if (total === 0) return ''
  let out = '#### Where the time went\n\n'
  out +=
    "<sub>Profiles of one extra run per side of each regressed benchmark, taken after the verdicts; shares of each side's profile, flat (the function's own code), the largest growth first.</sub>\n\n"
  const findings = profiles.findings.slice(0, shown)
  for (const f of findings) out += findingItem(f, profiles.dir, showPkg, artifactsUrl)
  const warnings = profiles.warnings.slice(0, Math.max(0, shown - profiles.findings.length))
  for (const w of warnings) out += `- ⚠️ ${escapeMarkdownText(w)}\n`
  if (shown < total) out += `- _${total - shown} more cut to fit the limit; the comparison artifact has them all_\n`
  return `${out}\n`
}

/** renderPrComment renders the comment (or, without a marker, the job summary) for the verdict reports. */
export function renderPrComment(reports: readonly VerdictReport[], method: ComparisonMethod | undefined, options: CommentOptions = {}): string {
  const maxChars = options.maxChars ?? GITHUB_COMMENT_MAX_CHARS
  const failOn = method?.failOn ?? options.failOn ?? 'regressed'
  const gate = gateResultOf(reports, failOn)
  const counts = sumCounts(reports)
  const rows = sortRows(reports)
  // The package only tells rows apart when there is more than one.
  const showPkg = new Set(rows.map((v) => v.pkg)).size > 1
  const attention = rows.filter((v) => v.verdict !== 'unchanged' && v.verdict !== 'ignored')
  const rest = rows.filter((v) => v.verdict === 'unchanged' || v.verdict === 'ignored')
  const warnings = [
    ...reports.flatMap((r) => r.warnings.map((w) => escapeMarkdownText(w))),
    ...rows.flatMap((v) => v.warnings.map((w) => `${codeSpan(shortName(v.name))} ${codeSpan(v.unit)}: ${escapeMarkdownText(w)}`)),
  ]
  const title = options.title ?? 'slurmbench'
  const result =
    gate === 'failed'
      ? `❌ ${escapeMarkdownText(title)}: the gate fails`
      : gate === 'passed'
        ? `✅ ${escapeMarkdownText(title)}: the gate passes`
        : `ℹ️ ${escapeMarkdownText(title)}: informational, does not gate`
  const why = failOn === 'inconclusive' ? 'fails on regressed or inconclusive' : 'fails on regressed'
  let head = options.marker !== undefined ? `${options.marker}\n` : ''
  head += `### ${result}\n\n`
  head += `${HEADLINE_KINDS.map((k) => `${VERDICT_SYMBOLS[k]} **${counts[k]}** ${k}`).join(' · ')}${counts.ignored > 0 ? ` · ${counts.ignored} ignored` : ''} <sub>(gate ${why})</sub>\n\n`
  if (reports.some((r) => r.informational)) head += '> [!WARNING]\n> Base and head ran in different environments; these verdicts are informational.\n\n'
  head += `${methodText(method, reports)}\n\n`
  const stats = reports[0] !== undefined ? methodLine(reports[0]) : ''
  if (stats !== '') {
    const ci = toFixedGo((reports[0]?.settings.confidence ?? 0.95) * 100, 0)
    head += `<sub>Change = head ÷ base − 1 with its ${ci}% interval (+ = a larger value). ${escapeMarkdownText(stats)}</sub>\n\n`
  }
  const links = options.links ?? {}
  const linkParts = [
    links.runUrl !== undefined ? markdownLink('Workflow run', links.runUrl) : undefined,
    links.artifactsUrl !== undefined
      ? markdownLink((options.profiles?.findings.length ?? 0) > 0 ? 'Artifacts (comparison JSON, profiles)' : 'Artifacts (comparison JSON)', links.artifactsUrl)
      : undefined,
    links.reportUrl !== undefined ? markdownLink('HTML report', links.reportUrl) : undefined,
  ].filter((x): x is string => x !== undefined)
  const foot = linkParts.length > 0 ? `\n${linkParts.join(' · ')}\n` : ''

  const profileCount = (options.profiles?.findings.length ?? 0) + (options.profiles?.warnings.length ?? 0)
  const render = (shown: Shown): string => {
    let out = head
    if (attention.length > 0) {
      out += `${table(attention, shown.attention, showPkg)}`
      if (shown.attention < attention.length) out += cutNote(shown.attention, attention.length, maxChars)
      out += '\n'
    } else if (rows.length > 0) {
      out += 'Every metric is unchanged within its tolerance.\n\n'
    }
    out += renderProfileSection(options.profiles, shown.profiles, showPkg, links.artifactsUrl)
    const folded = shown.restOnly ? rest : rows
    const summary = shown.restOnly ? `The other ${rest.length} rows (the ${attention.length} above are not repeated, to fit)` : `All ${rows.length} rows`
    out += `<details><summary>${summary}</summary>\n\n${table(folded, shown.all, showPkg)}`
    if (shown.all < folded.length) out += cutNote(shown.all, folded.length, maxChars)
    out += '\n</details>\n'
    if (warnings.length > 0) {
      out += `\n<details><summary>${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}</summary>\n\n${warnings
        .slice(0, shown.warnings)
        .map((w) => `- ${w}\n`)
        .join('')}`
      if (shown.warnings < warnings.length) out += `- _${warnings.length - shown.warnings} more cut to fit the limit_\n`
      out += '\n</details>\n'
    }
    return out + foot
  }
  const shown: Shown = { restOnly: false, attention: attention.length, all: rows.length, warnings: warnings.length, profiles: profileCount }
  // Too long: first drop the attention rows' repeats from the folded table, then cut it, then
  // the warnings, then the profile findings, then the attention rows: each the fewest rows that
  // make the body fit (the length grows with each count, so a binary search finds it).
  if (render(shown).length > maxChars && attention.length > 0) {
    shown.restOnly = true
    shown.all = rest.length
  }
  for (const key of ['all', 'warnings', 'profiles', 'attention'] as const) {
    if (render(shown).length <= maxChars) break
    let lo = 0
    let hi = shown[key]
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (render({ ...shown, [key]: mid }).length <= maxChars) lo = mid
      else hi = mid - 1
    }
    shown[key] = lo
  }
  const body = render(shown)
  if (body.length > maxChars) return `${body.slice(0, maxChars - 200)}\n\n_…cut: the comment would exceed ${maxChars} characters._\n`
  return body
}
