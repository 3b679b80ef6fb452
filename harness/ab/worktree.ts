// A temporary git worktree of the base commit for same-machine A/B runs: created under the OS
// temp directory and removed afterwards, also on Ctrl-C or SIGTERM.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
  remove(): Promise<void>
}

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

/**
 * createWorktree checks `commit` out into a new temporary worktree and provides its
 * node_modules: when the base's package-lock.json is byte-identical to ours, the dependency
 * tree `npm ci` would build is the one we already have, so a symlink to our node_modules saves
 * the install (and the network); otherwise `npm ci` runs in the worktree.
 */
export async function createWorktree(repo: string, commit: string, log: (line: string) => void): Promise<Worktree> {
  const parent = await mkdtemp(join(tmpdir(), 'slurmbench-ab-'))
  const path = join(parent, 'base')
  await git(repo, ['worktree', 'add', '--detach', '--quiet', path, commit])
  let removed = false
  const remove = async (): Promise<void> => {
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
  try {
    const ours = await readFile(join(repo, 'package-lock.json'), 'utf8').catch(() => '')
    const theirs = await readFile(join(path, 'package-lock.json'), 'utf8').catch(() => '')
    let install: string
    if (ours !== '' && ours === theirs && existsSync(join(repo, 'node_modules'))) {
      await symlink(join(repo, 'node_modules'), join(path, 'node_modules'), 'dir')
      install = 'node_modules symlinked: package-lock.json is identical in base and head'
    } else {
      log('base has a different package-lock.json: running npm ci in the worktree')
      try {
        await execFileAsync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: path, maxBuffer: 64 * 1024 * 1024 })
      } catch (err) {
        throw new InputError(
          `npm ci in the base worktree failed (${((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split('\n').slice(-1)[0]})`,
        )
      }
      install = 'npm ci: package-lock.json differs between base and head'
    }
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
