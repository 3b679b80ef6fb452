// The recommendation as a Markdown report (job summaries, PR comments) and as a standalone HTML
// page. Both show each number with its reason and the runs it came from.
import type { RecommendReport } from '../capacity/recommend.ts'
import { formatFigure } from './capacity-text.ts'

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

function recommendedText(r: RecommendReport['recommendations'][number]): string {
  const k = r.kubernetes
  const text =
    k?.limits ??
    k?.requests ??
    (k?.replicas === undefined ? (typeof r.recommended === 'number' ? formatFigure(r.recommended) : (r.recommended ?? '**none**')) : String(k.replicas))
  return r.capped ? `${text} ⚠ capped` : text
}

/** renderRecommendMarkdown renders the recommendation as a Markdown document. */
export function renderRecommendMarkdown(report: RecommendReport): string {
  let out = `## Capacity recommendation\n\n${report.currentNodes} nodes today; ${Math.round(report.headroom * 100)}% headroom.\n\n`
  out += '| resource | unit | current | projected | recommended | why |\n|---|---|---:|---:|---:|---|\n'
  for (const r of report.recommendations) {
    out += `| ${r.resource} | ${r.unit} | ${formatFigure(r.current)} | ${formatFigure(r.projected)} | ${cell(recommendedText(r))} | ${cell(r.why)} |\n`
  }
  out += '\n<details><summary>Where each number comes from</summary>\n\n'
  for (const r of report.recommendations) out += `- **${r.resource}**: ${r.trace.map(cell).join('; ')}\n`
  out += '\n</details>\n'
  if (report.warnings.length > 0) out += `\n${report.warnings.map((w) => `> ⚠ ${w}`).join('\n')}\n`
  return out
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** renderRecommendHtml renders the recommendation as a self-contained HTML page. */
export function renderRecommendHtml(report: RecommendReport): string {
  const rows = report.recommendations
    .map(
      (r) =>
        `<tr${r.recommended === null || r.capped ? ' class="warn"' : ''}><td>${escapeHtml(r.resource)}</td><td>${escapeHtml(r.unit)}</td><td>${formatFigure(r.current)}</td><td>${formatFigure(r.projected)}</td><td>${escapeHtml(recommendedText(r).replace(/\*\*/g, ''))}</td><td>${escapeHtml(r.why)}<br><small>${r.trace.map(escapeHtml).join('<br>')}</small></td></tr>`,
    )
    .join('\n')
  const warnings = report.warnings.map((w) => `<p class="warn">⚠ ${escapeHtml(w)}</p>`).join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Capacity recommendation</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}td:nth-child(3),td:nth-child(4),td:nth-child(5){text-align:right;white-space:nowrap}.warn{background:#fff3cd}small{color:#555}</style>
</head><body>
<h1>Capacity recommendation</h1>
<p>${report.currentNodes} nodes today; ${Math.round(report.headroom * 100)}% headroom.</p>
<table><thead><tr><th>resource</th><th>unit</th><th>current</th><th>projected</th><th>recommended</th><th>why</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${warnings}
</body></html>
`
}
