// The real CLI: `slurmbench profile diff` prints the grown functions and writes the flame graph;
// unreadable or mismatched profiles are one line naming the file, exit 2.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gzipPprof } from '../../../harness/profile/profile-files.ts'
import { cpuOf } from '../profile/build-profile.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const tmp = mkdtempSync(join(tmpdir(), 'slurmbench-profile-'))

function runCli(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'slurmbench.js'), ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

writeFileSync(join(tmp, 'base.pb.gz'), gzipPprof(cpuOf({ 'main;parse;scan': 50, 'main;parse': 10, 'main;render': 40 })))
writeFileSync(join(tmp, 'head.pb.gz'), gzipPprof(cpuOf({ 'main;parse;scan': 65, 'main;parse': 10, 'main;render': 40 })))

describe('slurmbench profile diff', () => {
  it('names the function that grew first and writes a self-contained flame graph', () => {
    const r = runCli(['profile', 'diff', '-top', '3', '-html', 'flame.html', 'base.pb.gz', 'head.pb.gz'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const rows = r.stdout.split('\n')
    expect(rows[0]).toBe('Type: cpu (nanoseconds); base total 100.00ms, head total 115.00ms')
    expect(rows[3]).toMatch(/^\s+50\.0%\s+56\.5%\s+\+6\.5pp\s+50\.0%\s+56\.5%\s+\+6\.5pp\s+scan \/src\/app\.ts:5$/)
    expect(r.stdout).toContain('Flame graph: flame.html')
    const html = readFileSync(join(tmp, 'flame.html'), 'utf8')
    expect(html).toContain('<svg')
    expect(html).not.toContain('<script')
  })

  it('refuses a file that is not a profile, naming it, with exit 2', () => {
    writeFileSync(join(tmp, 'junk.pb.gz'), 'not a profile at all')
    const r = runCli(['profile', 'diff', 'base.pb.gz', 'junk.pb.gz'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^slurmbench profile: junk\.pb\.gz: not a pprof profile/)
    expect(r.stderr).not.toContain('    at ')
    const missing = runCli(['profile', 'diff', 'base.pb.gz', 'absent.pb.gz'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('absent.pb.gz: cannot read the profile (ENOENT)')
    expect(existsSync(join(tmp, 'absent.pb.gz'))).toBe(false)
  })

  it('wants two profiles', () => {
    const r = runCli(['profile', 'diff', 'base.pb.gz'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('expected two profiles, BASE and HEAD; found 1 arguments')
  })
})
