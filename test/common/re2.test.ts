// A native re2 built for another Node.js (installed with Node 20, run with Node 24) must give one
// line naming re2 and the fix, not Node's 10-line dlopen error or "invalid regexp".
import { describe, expect, it } from 'vitest'
import { loadRe2, re2LoadMessage } from '../../common/re2.ts'

// What Node 24.21 throws for a re2.node built by Node 20 (copied from a real run).
const ABI_MISMATCH = Object.assign(
  new Error(`The module '/repo/node_modules/re2/build/Release/re2.node'
was compiled against a different Node.js version using
NODE_MODULE_VERSION 115. This version of Node.js requires
NODE_MODULE_VERSION 137. Please try re-compiling or re-installing
the module (for instance, using \`npm rebuild\` or \`npm install\`).`),
  { code: 'ERR_DLOPEN_FAILED' },
)

describe('re2 load errors', () => {
  it('an ABI mismatch names re2, both ABIs and `npm rebuild re2`, on one line', () => {
    const message = re2LoadMessage(ABI_MISMATCH)
    expect(message).not.toContain('\n')
    expect(message).toContain('re2')
    expect(message).toContain('NODE_MODULE_VERSION 115')
    expect(message).toContain('needs 137')
    expect(message).toContain('`npm rebuild re2`')
  })

  it('a missing build says npm ci or npm rebuild re2', () => {
    const missing = Object.assign(new Error("Cannot find module './build/Release/re2.node'\nRequire stack:\n- /repo/node_modules/re2/re2.js"), {
      code: 'MODULE_NOT_FOUND',
    })
    const message = re2LoadMessage(missing)
    expect(message).not.toContain('\n')
    expect(message).toMatch(/re2 is not installed or not built .*`npm ci`.*`npm rebuild re2`/)
  })

  it('any other dlopen failure keeps its first line', () => {
    const other = Object.assign(new Error("/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found\n(required by re2.node)"), {
      code: 'ERR_DLOPEN_FAILED',
    })
    expect(re2LoadMessage(other)).toMatch(/^the native module re2 cannot be loaded by Node\.js v\d+.*GLIBCXX_3\.4\.32' not found\); run `npm rebuild re2`/)
  })

  it('loads the installed addon in this Node', () => {
    const RE2 = loadRe2()
    expect(new RE2('a+b', 'u').test('xaab')).toBe(true)
  })
})
