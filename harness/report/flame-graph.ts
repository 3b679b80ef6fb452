// A differential flame graph (Brendan Gregg's, as flamegraph.pl --diff draws it): frames are as
// wide as their share of head's total, red where the frame's own share grew against base, blue
// where it shrank. One self-contained HTML page with inline SVG: no script, no CDN, tooltips from
// SVG <title>, so it opens from a CI artifact or a file:// link.
import type { DiffNode, FunctionShare, ProfileDiff } from '../profile/diff.ts'
import { escapeHtml } from './html-report.ts'
import { formatTotal, functionLabel, renderProfileDiffText } from './profile-diff-text.ts'

/** FLAME_WIDTH_PX is the drawing's width; frames narrower than MIN_FRAME_PX are left out. */
export const FLAME_WIDTH_PX = 1200
const MIN_FRAME_PX = 0.5
const ROW_PX = 18
const CHAR_PX = 7
const TEXT_PAD_PX = 3

interface Placed {
  node: DiffNode
  x: number
  widthPx: number
  depth: number
}

function place(root: DiffNode): { frames: Placed[]; depth: number } {
  const frames: Placed[] = []
  let maxDepth = 0
  const total = root.headCum
  if (total <= 0) return { frames, depth: 0 }
  // Explicit stack: call trees can be deeper than the JS stack allows.
  const pending: Array<{ node: DiffNode; x: number; depth: number }> = [{ node: root, x: 0, depth: 0 }]
  while (pending.length > 0) {
    const { node, x, depth } = pending.pop() as { node: DiffNode; x: number; depth: number }
    let childX = x
    // Alphabetical, as flame graphs order siblings: the x axis is not time.
    const children = [...node.children].sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file))
    for (const child of children) {
      const widthPx = (child.headCum / total) * FLAME_WIDTH_PX
      if (widthPx >= MIN_FRAME_PX) {
        frames.push({ node: child, x: childX, widthPx, depth })
        maxDepth = Math.max(maxDepth, depth + 1)
        pending.push({ node: child, x: childX, depth: depth + 1 })
      }
      childX += widthPx
    }
  }
  return { frames, depth: maxDepth }
}

/** diffColor is white for no change, red as a frame's self share grew, blue as it shrank (t in -1..1). */
export function diffColor(t: number): string {
  const clamped = Math.max(-1, Math.min(1, t))
  const fade = Math.round(255 * (1 - Math.abs(clamped) * 0.8))
  return clamped >= 0 ? `rgb(255,${fade},${fade})` : `rgb(${fade},${fade},255)`
}

function percent(share: number): string {
  return `${(share * 100).toFixed(2)}%`
}

function tooltip(node: DiffNode): string {
  return [
    functionLabel(node),
    `total: head ${percent(node.headCum)}, base ${percent(node.baseCum)}`,
    `self: head ${percent(node.headSelf)}, base ${percent(node.baseSelf)} (${node.headSelf >= node.baseSelf ? '+' : ''}${((node.headSelf - node.baseSelf) * 100).toFixed(2)}pp)`,
  ].join('\n')
}

/** renderFlameGraphSvg draws the merged call tree of `diff`, root at the top. */
export function renderFlameGraphSvg(diff: ProfileDiff): string {
  const { frames, depth } = place(diff.root)
  let maxDelta = 0
  for (const frame of frames) maxDelta = Math.max(maxDelta, Math.abs(frame.node.headSelf - frame.node.baseSelf))
  const heightPx = Math.max(1, depth) * ROW_PX
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${FLAME_WIDTH_PX}" height="${heightPx}" viewBox="0 0 ${FLAME_WIDTH_PX} ${heightPx}" font-family="monospace" font-size="12">`,
  ]
  for (const { node, x, widthPx, depth: row } of frames) {
    const delta = node.headSelf - node.baseSelf
    const fill = diffColor(maxDelta === 0 ? 0 : delta / maxDelta)
    const y = row * ROW_PX
    const label = node.name
    const fits = Math.floor((widthPx - 2 * TEXT_PAD_PX) / CHAR_PX)
    const text = fits >= label.length ? label : fits >= 3 ? `${label.slice(0, fits - 2)}..` : ''
    parts.push(
      `<g><title>${escapeHtml(tooltip(node))}</title><rect x="${x.toFixed(2)}" y="${y}" width="${widthPx.toFixed(2)}" height="${ROW_PX - 1}" fill="${fill}" stroke="#999" stroke-width="0.3"/>` +
        (text === '' ? '' : `<text x="${(x + TEXT_PAD_PX).toFixed(2)}" y="${y + ROW_PX - 5}">${escapeHtml(text)}</text>`) +
        '</g>',
    )
  }
  parts.push('</svg>')
  return parts.join('\n')
}

/** FlameGraphPage names what the page compares. */
export interface FlameGraphPage {
  title: string
  baseName: string
  headName: string
}

/** renderFlameGraphHtml renders the self-contained page: the grown functions and the differential flame graph. */
export function renderFlameGraphHtml(diff: ProfileDiff, grown: readonly FunctionShare[], page: FlameGraphPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(page.title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5em; }
pre { font-size: 13px; background: #f6f8fa; padding: 0.8em; overflow-x: auto; }
.legend span { display: inline-block; width: 1em; height: 1em; vertical-align: middle; border: 1px solid #999; }
</style>
</head>
<body>
<h1>${escapeHtml(page.title)}</h1>
<p>base: <code>${escapeHtml(page.baseName)}</code> (${escapeHtml(formatTotal(diff.baseTotal, diff.unit))}) · head: <code>${escapeHtml(page.headName)}</code> (${escapeHtml(formatTotal(diff.headTotal, diff.unit))}) · ${escapeHtml(diff.sampleType)}</p>
<pre>${escapeHtml(renderProfileDiffText(diff, grown))}</pre>
<p class="legend">Width: share of head's total. Colour: change of the frame's own (self) share,
<span style="background:${diffColor(1)}"></span> grew, <span style="background:${diffColor(0)}"></span> unchanged,
<span style="background:${diffColor(-1)}"></span> shrank. Frames only in base are not drawn. Hover a frame for its figures.</p>
${renderFlameGraphSvg(diff)}
</body>
</html>
`
}
