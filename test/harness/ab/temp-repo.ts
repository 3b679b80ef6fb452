// A temporary git repository for tests of ab: this checkout's files as they are in the work tree
// (uncommitted and untracked-but-not-ignored files included, benchmarks/ left out) with our
// node_modules linked in, and a benchmarks/ folder whose content each commit sets. The pattern
// of test/e2e/pr-gate.int.test.ts.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..', '..')

/** TempRepo is a throwaway repository; commit() records benchmark files, remove() deletes it all. */
export interface TempRepo {
  readonly path: string
  git(...args: string[]): string
  /** commit writes `files` (paths relative to the repository) and commits them with `message`. */
  commit(message: string, files: Readonly<Record<string, string>>): string
  remove(): void
}

/** createTempRepo copies the checkout (without benchmarks/) into a new repository with no commits yet. */
export function createTempRepo(prefix = 'slurmbench-ab-repo-'): TempRepo {
  const path = realpathSync(mkdtempSync(join(tmpdir(), prefix)))
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter((f) => f !== '' && !f.startsWith('benchmarks/') && f !== 'node_modules')
  execFileSync('tar', ['--null', '--ignore-failed-read', '-T', '-', '-cf', join(path, '.files.tar')], { cwd: ROOT, input: files.join('\0') })
  execFileSync('tar', ['-xf', '.files.tar'], { cwd: path })
  rmSync(join(path, '.files.tar'))
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(path, 'node_modules'), 'dir')
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: path, stdio: ['ignore', 'pipe', 'pipe'] }).toString()
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'test@example.test')
  git('config', 'user.name', 'test')
  // .gitignore's `node_modules/` matches a directory, not this symlink.
  writeFileSync(join(path, '.git', 'info', 'exclude'), 'node_modules\n')
  return {
    path,
    git,
    commit(message, written) {
      for (const [file, text] of Object.entries(written)) {
        mkdirSync(dirname(join(path, file)), { recursive: true })
        writeFileSync(join(path, file), text)
      }
      git('add', '.')
      git('commit', '-q', '-m', message)
      return git('rev-parse', 'HEAD').trim()
    },
    remove() {
      rmSync(path, { recursive: true, force: true })
    },
  }
}
