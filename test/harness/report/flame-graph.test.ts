// The profile diff's text and flame graph page against golden files (UPDATE_GOLDEN=1 rewrites them).
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { diffProfiles, grownFunctions } from '../../../harness/profile/diff.ts'
import { diffColor, renderFlameGraphHtml, renderFlameGraphSvg } from '../../../harness/report/flame-graph.ts'
import { renderProfileDiffText } from '../../../harness/report/profile-diff-text.ts'
import { cpuOf } from '../profile/build-profile.ts'

function golden(name: string, text: string): void {
  const file = new URL(`./testdata/${name}`, import.meta.url)
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text)
  expect(text).toBe(readFileSync(file, 'utf8'))
}

const NAMES = { base: 'base.pb.gz', head: 'head.pb.gz' }
const diff = diffProfiles(
  cpuOf({ 'main;parse;scan': 50, 'main;parse': 10, 'main;render': 40, 'main;gc': 5 }),
  cpuOf({ 'main;parse;scan': 65, 'main;parse': 10, 'main;render': 30, 'main;render;<b>&"x"</b>': 20 }),
  NAMES,
)

describe('renderProfileDiffText', () => {
  it('lists the grown functions with flat and cum shares', () => {
    golden('profile-diff.golden.txt', renderProfileDiffText(diff, grownFunctions(diff, 10)))
  })

  it('says so when nothing grew', () => {
    const same = diffProfiles(cpuOf({ a: 1 }), cpuOf({ a: 3 }), NAMES)
    expect(renderProfileDiffText(same, grownFunctions(same, 10))).toContain("No function's flat share grew.")
  })
})

describe('renderFlameGraphHtml', () => {
  it('draws a self-contained page, frames as wide as their head share', () => {
    const html = renderFlameGraphHtml(diff, grownFunctions(diff, 3), { title: 'Profile diff: cpu', baseName: 'base.pb.gz', headName: 'head.pb.gz' })
    golden('flame-graph.golden.html', html)
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/)
    expect(html).not.toContain('<b>&"x"</b>')
    expect(html).toContain('&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;')
  })

  it('colours grown frames red and shrunk ones blue', () => {
    const svg = renderFlameGraphSvg(diff)
    const fillOf = (name: string): string | undefined => new RegExp(`<title>${name} [^<]*</title><rect [^>]*fill="([^"]+)"`).exec(svg)?.[1]
    expect(fillOf('scan')).toMatch(/^rgb\(255,\d+,\d+\)$/)
    expect(fillOf('render')).toMatch(/^rgb\(\d+,\d+,255\)$/)
    expect(fillOf('main')).toBe(diffColor(0))
    expect(diffColor(0)).toBe('rgb(255,255,255)')
  })
})
