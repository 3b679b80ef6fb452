// ab -base-dir: the base's checkout kept between runs, in a throw-away git repository whose two
// commits differ in package-lock.json (so the install path is exercised; the lock files have no
// dependencies, so npm ci needs no network).
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorktree, INSTALL_STAMP } from '../../../harness/ab/worktree.ts'
import { InputError } from '../../../common/input-error.ts'

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()
const lockOf = (version: string): string =>
  `${JSON.stringify({ name: 'fixture', version, lockfileVersion: 3, requires: true, packages: { '': { name: 'fixture', version } } }, null, 2)}\n`

let tmp: string
let repo: string
let oldCommit: string
let newCommit: string

function commitVersion(version: string): string {
  writeFileSync(join(repo, 'package.json'), `${JSON.stringify({ name: 'fixture', version })}\n`)
  writeFileSync(join(repo, 'package-lock.json'), lockOf(version))
  git(repo, 'add', '-A')
  git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', version)
  return git(repo, 'rev-parse', 'HEAD')
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'slurmbench-basedir-'))
  repo = join(tmp, 'repo')
  mkdirSync(join(repo, 'bin'), { recursive: true })
  git(repo, 'init', '-q')
  writeFileSync(join(repo, '.gitignore'), 'node_modules\n')
  writeFileSync(join(repo, 'bin', 'slurmbench.js'), '// the base must have a bench command\n')
  oldCommit = commitVersion('1.0.0')
  newCommit = commitVersion('2.0.0')
  mkdirSync(join(repo, 'node_modules'))
})

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('createWorktree with keepAt (ab -base-dir)', () => {
  it('installs once per lock file, keeps the checkout, and moves it to the next base', async () => {
    const keepAt = join(tmp, 'kept', 'base')
    const lines: string[] = []
    const first = await createWorktree(repo, oldCommit, (l) => lines.push(l), { keepAt })
    expect(first.install).toContain('npm ci')
    const stamp = readFileSync(join(keepAt, 'node_modules', INSTALL_STAMP), 'utf8').trim()
    expect(stamp).toBe(createHash('sha256').update(lockOf('1.0.0')).digest('hex'))
    await first.remove()
    expect(existsSync(join(keepAt, 'package.json'))).toBe(true)

    writeFileSync(join(keepAt, 'left-over.txt'), 'untracked\n')
    const again = await createWorktree(repo, oldCommit, (l) => lines.push(l), { keepAt })
    expect(again.install).toContain('node_modules reused')
    expect(existsSync(join(keepAt, 'left-over.txt'))).toBe(false)
    expect(lines).toContain(`reusing the base checkout in ${keepAt}`)

    // Head's own lock file: the kept node_modules gives way to a symlink to ours.
    const same = await createWorktree(repo, newCommit, () => undefined, { keepAt })
    expect(git(keepAt, 'rev-parse', 'HEAD')).toBe(newCommit)
    expect(same.install).toContain('symlinked')
    expect(lstatSync(join(keepAt, 'node_modules')).isSymbolicLink()).toBe(true)
  })

  it('re-registers a folder a CI cache restored, keeping its node_modules', async () => {
    const keepAt = join(tmp, 'restored')
    mkdirSync(join(keepAt, 'node_modules'), { recursive: true })
    writeFileSync(join(keepAt, '.git'), 'gitdir: /nowhere/.git/worktrees/base\n')
    writeFileSync(join(keepAt, 'node_modules', 'marker'), 'from the cache\n')
    writeFileSync(join(keepAt, 'node_modules', INSTALL_STAMP), `${createHash('sha256').update(lockOf('1.0.0')).digest('hex')}\n`)
    const lines: string[] = []
    const wt = await createWorktree(repo, oldCommit, (l) => lines.push(l), { keepAt })
    expect(wt.install).toContain('node_modules reused')
    expect(readFileSync(join(keepAt, 'node_modules', 'marker'), 'utf8')).toBe('from the cache\n')
    expect(git(keepAt, 'rev-parse', 'HEAD')).toBe(oldCommit)
    expect(git(repo, 'worktree', 'list', '--porcelain')).toContain(`worktree ${keepAt}`)
    expect(lines.join('\n')).toContain('(its node_modules kept)')
  })

  it('refuses a folder that is not a checkout, and the repository itself', async () => {
    const foreign = join(tmp, 'photos')
    mkdirSync(foreign)
    writeFileSync(join(foreign, 'holiday.jpg'), 'not ours\n')
    await expect(createWorktree(repo, oldCommit, () => undefined, { keepAt: foreign })).rejects.toThrow(/-base-dir .*photos: exists and is not a checkout/)
    expect(readFileSync(join(foreign, 'holiday.jpg'), 'utf8')).toBe('not ours\n')
    await expect(createWorktree(repo, oldCommit, () => undefined, { keepAt: tmp })).rejects.toThrow(InputError)
  })
})
