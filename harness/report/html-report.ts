// The nightly HTML report: one self-contained file (no CDN, no script needed), readable from
// file:// and as a GitHub Pages site. Per series a trend chart of the nightly centres with their
// 95% band and the level shifts marked, the latest comparison's verdicts, the environment, and a
// link per commit, and for each regression profiled by ab --profile the functions that grew with a
// relative link to its differential flame graph. Charts are SVG drawn here, so the page is the same in every browser and a
// test can count their points. Every text from the data is escaped: a benchmark name cannot
// inject markup.
import type { Series, SeriesPoint } from '../history/series.ts'
import type { Shift } from '../history/trend.ts'
import { classOf, scaleOne } from './scale.ts'

/** HtmlVerdict is one row of the latest comparison. */
export interface HtmlVerdict {
  readonly name: string
  readonly unit: string
  readonly verdict: string
  readonly base?: number
  readonly head?: number
  readonly change?: { readonly estimate: number | null; readonly lo: number | null; readonly hi: number | null }
}

/** HtmlGrownFunction is one function whose flat share grew (shares 0..1). */
export interface HtmlGrownFunction {
  readonly name: string
  readonly file: string
  readonly line: number
  readonly baseFlat: number
  readonly headFlat: number
}

/** HtmlProfileFinding is what ab --profile found for one regressed benchmark. */
export interface HtmlProfileFinding {
  readonly name: string
  readonly units: readonly string[]
  readonly profile: 'cpu' | 'alloc'
  readonly grown: readonly HtmlGrownFunction[]
  /** The flame graph's address relative to the page, its path segments URI-encoded. */
  readonly diffHref: string
}

/** HtmlProfiles are the latest night's profile findings and the profiles that failed. */
export interface HtmlProfiles {
  readonly findings: readonly HtmlProfileFinding[]
  readonly warnings: readonly string[]
}

/** HtmlReportInput is everything the page shows. */
export interface HtmlReportInput {
  readonly title: string
  readonly generatedAt: string
  readonly series: readonly Series[]
  readonly shifts: readonly Shift[]
  readonly verdicts?: readonly HtmlVerdict[]
  /** Environment lines (key → value) of the latest night. */
  readonly environment?: Readonly<Record<string, string>>
  /** A URL with `{commit}` where the commit goes, e.g. https://github.com/o/r/commit/{commit}. */
  readonly commitUrl?: string
  /** What ab --profile found for the latest night's regressions. */
  readonly profiles?: HtmlProfiles
}

/** escapeHtml makes text safe inside HTML elements and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')
}

const WIDTH = 640
const HEIGHT = 180
const PAD_LEFT = 64
const PAD_RIGHT = 12
const PAD_TOP = 12
const PAD_BOTTOM = 28

function commitLink(commit: string, url: string | undefined): string {
  const short = escapeHtml(commit.slice(0, 12))
  if (url === undefined || !/^[0-9a-f]{7,40}$/.test(commit)) return `<code>${short}</code>`
  return `<a href="${escapeHtml(url.replaceAll('{commit}', commit))}"><code>${short}</code></a>`
}

// One series' chart: the band (finite interval bounds only), the centres as a line with dots,
// and a dashed vertical line before the first night after each level shift.
function chart(series: Series, shifts: readonly Shift[]): string {
  const points = series.points
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const p of points) {
    for (const v of [p.centre, p.lo, p.hi]) {
      if (!Number.isFinite(v)) continue
      lo = Math.min(lo, v)
      hi = Math.max(hi, v)
    }
  }
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.05 || 1
    hi += Math.abs(hi) * 0.05 || 1
  }
  const plotW = WIDTH - PAD_LEFT - PAD_RIGHT
  const plotH = HEIGHT - PAD_TOP - PAD_BOTTOM
  const x = (i: number): number => PAD_LEFT + (points.length === 1 ? plotW / 2 : (i * plotW) / (points.length - 1))
  const y = (v: number): number => PAD_TOP + plotH - ((v - lo) / (hi - lo)) * plotH
  const f = (n: number): string => n.toFixed(1)
  const bandTop: string[] = []
  const bandBottom: string[] = []
  points.forEach((p: SeriesPoint, i) => {
    bandTop.push(`${f(x(i))},${f(y(Number.isFinite(p.hi) ? p.hi : p.centre))}`)
    bandBottom.unshift(`${f(x(i))},${f(y(Number.isFinite(p.lo) ? p.lo : p.centre))}`)
  })
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${f(x(i))},${f(y(p.centre))}`).join(' ')
  const dots = points
    .map(
      (p, i) =>
        `<circle class="night" cx="${f(x(i))}" cy="${f(y(p.centre))}" r="2.5"><title>${escapeHtml(`${p.time.slice(0, 10)} ${p.commit.slice(0, 12)}: ${scaleOne(p.centre, classOf(series.unit))} ${series.unit} (n=${p.n})`)}</title></circle>`,
    )
    .join('')
  const marks = shifts
    .map((s) => {
      const xs = f((x(s.index - 1) + x(s.index)) / 2)
      return `<line class="shift ${s.kind.replace(' ', '-')}" x1="${xs}" x2="${xs}" y1="${PAD_TOP}" y2="${PAD_TOP + plotH}"><title>${escapeHtml(`${s.kind}: ${scaleOne(s.before, classOf(series.unit))} → ${scaleOne(s.after, classOf(series.unit))} (p=${s.p.toFixed(3)})`)}</title></line>`
    })
    .join('')
  const axis = [hi, (hi + lo) / 2, lo]
    .map((v) => `<text class="axis" x="${PAD_LEFT - 6}" y="${f(y(v) + 4)}" text-anchor="end">${escapeHtml(scaleOne(v, classOf(series.unit)))}</text>`)
    .join('')
  const first = points[0]
  const last = points[points.length - 1]
  const dates =
    first === undefined || last === undefined
      ? ''
      : `<text class="axis" x="${PAD_LEFT}" y="${HEIGHT - 8}">${escapeHtml(first.time.slice(0, 10))}</text><text class="axis" x="${WIDTH - PAD_RIGHT}" y="${HEIGHT - 8}" text-anchor="end">${escapeHtml(last.time.slice(0, 10))}</text>`
  return `<svg class="trend" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(`${series.name} ${series.unit}, ${points.length} nights`)}" data-points="${points.length}">
<rect class="plot" x="${PAD_LEFT}" y="${PAD_TOP}" width="${plotW}" height="${plotH}"/>
<polygon class="band" points="${bandTop.concat(bandBottom).join(' ')}"/>
<path class="centre" d="${line}"/>${dots}${marks}${axis}${dates}</svg>`
}

function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–'
  return `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`
}

// A relative reference of URI-encoded segments (encodeURIComponent's characters and `/`, not
// first): no scheme, no authority, so a crafted comparison cannot point it at javascript: or
// another site.
const RELATIVE_HREF = /^[A-Za-z0-9._~%!*'()-][A-Za-z0-9._~%!*'()/-]*$/

function share(x: number): string {
  return `${(x * 100).toFixed(1)}%`
}

/** renderProfileFindings renders the "Where the time went" section; empty without findings or warnings. */
export function renderProfileFindings(profiles: HtmlProfiles | undefined): string {
  if (profiles === undefined || (profiles.findings.length === 0 && profiles.warnings.length === 0)) return ''
  const parts = [
    '<h2>Where the time went</h2><p class="meta">Profiles of one extra run per side of each regressed benchmark; shares of each side\'s profile, flat (the function\'s own code), the largest growth first.</p>',
  ]
  if (profiles.findings.length > 0) {
    parts.push('<table id="profiles"><thead><tr><th>benchmark</th><th>regressed</th><th>grew most (base → head)</th><th>flame graph</th></tr></thead><tbody>')
    for (const f of profiles.findings) {
      const grown =
        f.grown.length === 0
          ? "no function's share grew"
          : `<ol>${f.grown
              .map(
                (fn) =>
                  `<li><code>${escapeHtml(fn.name)}</code>${fn.file === '' ? '' : ` <span class="meta">${escapeHtml(fn.line > 0 ? `${fn.file}:${fn.line}` : fn.file)}</span>`} ${share(fn.baseFlat)} → ${share(fn.headFlat)}</li>`,
              )
              .join('')}</ol>`
      const link = RELATIVE_HREF.test(f.diffHref) ? `<a href="${escapeHtml(f.diffHref)}">${f.profile === 'cpu' ? 'CPU' : 'allocations'}</a>` : '–'
      parts.push(`<tr><td>${escapeHtml(f.name)}</td><td>${escapeHtml(f.units.join(', '))}</td><td>${grown}</td><td>${link}</td></tr>`)
    }
    parts.push('</tbody></table>')
  }
  if (profiles.warnings.length > 0) parts.push(`<ul class="meta">${profiles.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`)
  return parts.join('\n')
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin:1.2rem 0 .3rem;word-break:break-all}
table{border-collapse:collapse;margin:.5rem 0}td,th{border-bottom:1px solid #d0d7de;padding:.25rem .6rem;text-align:left;vertical-align:top}
#profiles ol{margin:0;padding-left:1.2rem}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.regressed{color:#b3261e;font-weight:600}.improved{color:#1a7f37;font-weight:600}.inconclusive{color:#9a6700}
svg.trend{width:100%;max-width:640px;height:auto;display:block}
.plot{fill:#fafbfc;stroke:#d0d7de}.band{fill:#0969da;opacity:.15}.centre{fill:none;stroke:#0969da;stroke-width:1.5}
.night{fill:#0969da}.shift{stroke-dasharray:4 3;stroke-width:1.5}.shift.regression{stroke:#b3261e}.shift.improvement{stroke:#1a7f37}.shift.machine-change{stroke:#8c959f}
.axis{font-size:10px;fill:#57606a}.meta{color:#57606a}`

/** renderHtmlReport renders the whole page. */
export function renderHtmlReport(input: HtmlReportInput): string {
  const parts: string[] = []
  parts.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(input.title)}</title><style>${STYLE}</style></head><body>`,
  )
  parts.push(
    `<h1>${escapeHtml(input.title)}</h1><p class="meta">Generated ${escapeHtml(input.generatedAt)} · ${input.series.length} series · ${input.shifts.length} level shifts</p>`,
  )
  if (input.verdicts !== undefined) {
    const flagged = input.verdicts.filter((v) => v.verdict !== 'unchanged')
    parts.push(
      `<h2>Latest night's verdicts</h2><p>${input.verdicts.length} metrics judged, ${flagged.length} not unchanged (paired A/B against the previous night's commit).</p>`,
    )
    if (flagged.length > 0) {
      parts.push('<table id="verdicts"><thead><tr><th>benchmark</th><th>unit</th><th>change</th><th>95% interval</th><th>verdict</th></tr></thead><tbody>')
      for (const v of flagged) {
        parts.push(
          `<tr><td>${escapeHtml(v.name)}</td><td>${escapeHtml(v.unit)}</td><td class="num">${pct(v.change?.estimate)}</td><td class="num">[${pct(v.change?.lo)}, ${pct(v.change?.hi)}]</td><td class="${escapeHtml(v.verdict)}">${escapeHtml(v.verdict)}</td></tr>`,
        )
      }
      parts.push('</tbody></table>')
    }
  }
  const profiles = renderProfileFindings(input.profiles)
  if (profiles !== '') parts.push(profiles)
  if (input.shifts.length > 0) {
    parts.push(
      '<h2>Level shifts</h2><table id="shifts"><thead><tr><th>night</th><th>benchmark</th><th>unit</th><th>change</th><th>p</th><th>kind</th><th>commits</th></tr></thead><tbody>',
    )
    for (const s of [...input.shifts].sort((a, b) => Date.parse(b.time) - Date.parse(a.time))) {
      parts.push(
        `<tr><td>${escapeHtml(s.time.slice(0, 10))}</td><td>${escapeHtml(s.series.name)}</td><td>${escapeHtml(s.series.unit)}</td><td class="num">${pct(s.change)}</td><td class="num">${s.p.toFixed(3)}</td><td class="${s.kind === 'regression' ? 'regressed' : s.kind === 'improvement' ? 'improved' : ''}">${escapeHtml(s.kind)}</td><td>${commitLink(s.previousCommit, input.commitUrl)}..${commitLink(s.commit, input.commitUrl)}</td></tr>`,
      )
    }
    parts.push('</tbody></table>')
  }
  parts.push('<h2>Trends</h2>')
  for (const s of input.series) {
    const last = s.points[s.points.length - 1]
    parts.push(
      `<section class="series"><h3>${escapeHtml(s.name)} <span class="meta">${escapeHtml(s.unit)} · ${escapeHtml(s.machineClass)}</span></h3>${chart(
        s,
        input.shifts.filter((x) => x.series.key === s.key),
      )}${last === undefined ? '' : `<p class="meta">latest ${escapeHtml(scaleOne(last.centre, classOf(s.unit)))} ${escapeHtml(s.unit)} at ${commitLink(last.commit, input.commitUrl)}, ${s.points.length} nights</p>`}</section>`,
    )
  }
  if (input.environment !== undefined) {
    parts.push('<h2>Environment</h2><table id="environment"><tbody>')
    for (const [k, v] of Object.entries(input.environment)) parts.push(`<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    parts.push('</tbody></table>')
  }
  parts.push('</body></html>\n')
  return parts.join('\n')
}
