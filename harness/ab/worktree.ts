// The base commit's checkout for same-machine A/B runs: a temporary git worktree, removed
// afterwards (also on Ctrl-C or SIGTERM), or a kept one that the next run (or a CI cache) reuses.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'
import { InputError } from '../../common/input-error.ts'
import { cliOf } from './spawn-bench.ts'

const execFileAsync = promisify(execFile)

/** Worktree is a checked-out base commit. */
export interface Worktree {
  readonly path: string
  readonly commit: string
  /** How dependencies were provided, and why. */
  readonly install: string
  /** remove deletes a temporary worktree; a kept one (WorktreeOptions.keepAt) stays for the next run. */
  remove(): Promise<void>
}

/** WorktreeOptions are createWorktree's choices. */
export interface WorktreeOptions {
  /**
   * keepAt checks the base out at this path and leaves it there: the next run moves it to its
   * base commit and keeps its node_modules (an `npm ci` skipped when the lock file is the same).
   * A folder restored by a CI cache, which git no longer knows as a worktree, is re-registered
   * with its node_modules kept.
   */
  readonly keepAt?: string
}

/** INSTALL_STAMP, inside a node_modules that npm ci built, holds the SHA-256 of the lock file it was built from. */
export const INSTALL_STAMP = '.slurmbench-package-lock.sha256'

async function git(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', [...args], { cwd, maxBuffer: 64 * 1024 * 1024 })
  return stdout
}

/** resolveCommit turns a ref into a commit id; a bad ref is the user's input error. */
export async function resolveCommit(repo: string, ref: string): Promise<string> {
  try {
    return (await git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim()
  } catch {
    throw new InputError(`--base ${ref}: not a commit in ${repo}; expected a branch, tag or commit id (try 'git fetch' first)`)
  }
}

async function isWorktreeOf(repo: string, path: string): Promise<boolean> {
  const list = await git(repo, ['worktree', 'list', '--porcelain'])
  return list.split('\n').some((line) => line === `worktree ${path}`)
}

/**
 * checkOutKept puts `commit` at `path` as a worktree of `repo`, keeping what the last run left
 * there: a registered worktree is moved to the commit (ignored files such as node_modules stay);
 * anything else at the path (a CI cache's restore) is replaced, its real node_modules kept.
 */
async function checkOutKept(repo: string, path: string, commit: string, log: (line: string) => void): Promise<void> {
  if (await isWorktreeOf(repo, path)) {
    await git(path, ['checkout', '--detach', '--force', '--quiet', commit])
    await git(path, ['clean', '-d', '--force', '--quiet'])
    log(`reusing the base checkout in ${path}`)
    return
  }
  const rel = relative(path, repo)
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new InputError(`-base-dir ${path}: holds this checkout; give a folder of its own, e.g. ~/.cache/slurmbench/base`)
  }
  if (existsSync(path) && !existsSync(join(path, '.git')) && (await readdir(path)).length > 0) {
    throw new InputError(`-base-dir ${path}: exists and is not a checkout; give a new or empty folder, or one an earlier ab -base-dir left`)
  }
  const modules = join(path, 'node_modules')
  const saved = `${path}.node_modules-${process.pid}`
  const keepModules = existsSync(modules) && !lstatSync(modules).isSymbolicLink()
  if (keepModules) await rename(modules, saved)
  await rm(path, { recursive: true, force: true })
  await git(repo, ['worktree', 'prune'])
  await mkdir(dirname(path), { recursive: true })
  try {
    await git(repo, ['worktree', 'add', '--detach', '--quiet', path, commit])
  } finally {
    if (keepModules) await rename(saved, modules)
  }
  log(`checked the base out into ${path}${keepModules ? ' (its node_modules kept)' : ''}`)
}

async function stampOf(modules: string): Promise<string> {
  return (await readFile(join(modules, INSTALL_STAMP), 'utf8').catch(() => '')).trim()
}

/**
 * provideModules gives the checkout at `path` a node_modules: when the base's package-lock.json
 * is byte-identical to ours, the tree `npm ci` would build is the one we have, so a symlink to
 * ours saves the install (and the network); a node_modules an earlier run built for the same lock
 * file is reused; otherwise `npm ci` runs there. It returns how, for the log.
 */
async function provideModules(repo: string, path: string, log: (line: string) => void): Promise<string> {
  const ours = await readFile(join(repo, 'package-lock.json'), 'utf8').catch(() => '')
  const theirs = await readFile(join(path, 'package-lock.json'), 'utf8').catch(() => '')
  const modules = join(path, 'node_modules')
  const linked = existsSync(modules) && lstatSync(modules).isSymbolicLink()
  if (ours !== '' && ours === theirs && existsSync(join(repo, 'node_modules'))) {
    if (!linked) {
      await rm(modules, { recursive: true, force: true })
      await symlink(join(repo, 'node_modules'), modules, 'dir')
    }
    return 'node_modules symlinked: package-lock.json is identical in base and head'
  }
  const wanted = createHash('sha256').update(theirs).digest('hex')
  if (!linked && existsSync(modules) && (await stampOf(modules)) === wanted) {
    return "node_modules reused: an earlier run installed it for the base's package-lock.json"
  }
  await rm(modules, { recursive: true, force: true })
  log('base has a different package-lock.json: running npm ci in the worktree')
  try {
    await execFileAsync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: path, maxBuffer: 64 * 1024 * 1024 })
  } catch (err) {
    throw new InputError(
      `npm ci in the base worktree failed (${((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split('\n').slice(-1)[0]})`,
    )
  }
  await mkdir(modules, { recursive: true }) // a lock file without dependencies leaves none
  await writeFile(join(modules, INSTALL_STAMP), `${wanted}\n`)
  return 'npm ci: package-lock.json differs between base and head'
}

/**
 * createWorktree checks `commit` out into a new temporary worktree, or at options.keepAt, and
 * provides its node_modules (provideModules). A temporary one is removed on failure.
 */
export async function createWorktree(repo: string, commit: string, log: (line: string) => void, options: WorktreeOptions = {}): Promise<Worktree> {
  const keepAt = options.keepAt === undefined ? undefined : resolve(options.keepAt)
  let path: string
  let remove: () => Promise<void>
  if (keepAt !== undefined) {
    path = keepAt
    remove = async () => undefined
    await checkOutKept(repo, path, commit, log)
  } else {
    const parent = await mkdtemp(join(tmpdir(), 'slurmbench-ab-'))
    path = join(parent, 'base')
    let removed = false
    remove = async (): Promise<void> => {
      if (removed) return
      removed = true
      try {
        await git(repo, ['worktree', 'remove', '--force', path])
      } catch {
        // Already gone or half-created: the directory removal below and prune finish the job.
      }
      await rm(parent, { recursive: true, force: true })
      await git(repo, ['worktree', 'prune']).catch(() => undefined)
    }
    await git(repo, ['worktree', 'add', '--detach', '--quiet', path, commit])
  }
  try {
    const install = await provideModules(repo, path, log)
    if (!existsSync(cliOf(path))) {
      throw new InputError(`base ${commit.slice(0, 12)} has neither bin/slurmbench.js nor slurmbench in node_modules; choose a base that has the bench command`)
    }
    return { path, commit, install, remove }
  } catch (err) {
    await remove()
    throw err
  }
}

/**
 * withCleanupOnSignal runs `work`, calling `cleanup` when it ends however it ends, including
 * SIGINT/SIGTERM (then exiting 130/143 as shells expect).
 */
export async function withCleanupOnSignal<T>(cleanup: () => Promise<void>, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const onSignal = (sig: NodeJS.Signals): void => {
    controller.abort()
    void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    return await work(controller.signal)
  } catch (err) {
    // Aborted by the signal: the handler is cleaning up and will exit with the signal's code;
    // letting the abort error escape would exit first, with 1 and a stack.
    if (controller.signal.aborted) await new Promise<never>(() => undefined)
    throw err
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await cleanup()
  }
}
