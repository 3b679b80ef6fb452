// The cached Debian 13 root with Slurm 24.11 installed. Debian 12 ships Slurm 22.05, whose
// slurmrestd serves only the retired v0.0.36–38, so the daemons come from trixie in a chroot.
import { existsSync, mkdirSync, readFileSync, rmSync, renameSync, writeFileSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import { unmountAll } from './mounts.ts'
import { mustRun } from './processes.ts'

/** SLURM_PACKAGES are the trixie packages installed into the root. */
export const SLURM_PACKAGES = ['slurmctld', 'slurmd', 'slurmrestd', 'slurm-client', 'munge', 'slurm-wlm-jwt-plugin'] as const
/** DEFAULT_MIRROR is the Debian mirror debootstrap and apt use. */
export const DEFAULT_MIRROR = 'http://deb.debian.org/debian'
/** DEFAULT_CACHE_DIR holds the prepared root between runs ($SLURMBENCH_CACHE_DIR overrides it). */
export const DEFAULT_CACHE_DIR = '/var/cache/slurmbench'
// The name carries what is inside, so a change of suite or packages prepares a new root.
const ROOT_NAME = 'trixie-slurm-24.11'
const READY_MARKER = '.slurmbench-ready'
// debootstrap took 39 s idle and 2.5 min on a busy 2-core machine; apt 12–48 s. Generous limits
// so a slow mirror fails with its output instead of hanging a CI job.
const DEBOOTSTRAP_LIMIT_MS = 10 * 60_000
const APT_LIMIT_MS = 10 * 60_000

/** PreparedRoot is a cached root ready to be mounted read-only under a run's overlay. */
export interface PreparedRoot {
  path: string
  /** fromCache is true when the root existed already (a warm start). */
  fromCache: boolean
  /** packages are the installed versions, `name version` per line. */
  packages: string
}

/** cacheDir returns $SLURMBENCH_CACHE_DIR or the default. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SLURMBENCH_CACHE_DIR !== undefined && env.SLURMBENCH_CACHE_DIR !== '' ? env.SLURMBENCH_CACHE_DIR : DEFAULT_CACHE_DIR
}

/** HostFacts are what missingPrerequisites looks at (a parameter, so tests can describe other machines). */
export interface HostFacts {
  platform: NodeJS.Platform
  uid: number | undefined
  exists(path: string): boolean
}

const HOST: HostFacts = { platform: process.platform, uid: typeof process.getuid === 'function' ? process.getuid() : undefined, exists: existsSync }

/** missingPrerequisites names what this machine lacks to run the real Slurm (empty when nothing). */
export function missingPrerequisites(host: HostFacts = HOST): string[] {
  const missing: string[] = []
  if (host.platform !== 'linux') missing.push(`Linux (this is ${host.platform})`)
  if (host.uid !== 0) missing.push('root (uid 0, for chroot and mount)')
  if (!['/usr/sbin/debootstrap', '/usr/bin/debootstrap'].some((p) => host.exists(p))) missing.push('debootstrap (apt-get install debootstrap)')
  if (!['/usr/sbin/chroot', '/usr/bin/chroot'].some((p) => host.exists(p))) missing.push('chroot (coreutils)')
  return missing
}

/** prerequisiteVerdict turns what is missing into run, skip (with the message) or fail (SLURMBENCH_STRICT=1 forbids skipping). */
export function prerequisiteVerdict(missing: readonly string[], strict: boolean): { kind: 'run' } | { kind: 'skip' | 'fail'; message: string } {
  if (missing.length === 0) return { kind: 'run' }
  const message = `the real Slurm needs ${missing.join(', ')}`
  return strict ? { kind: 'fail', message: `${message} (SLURMBENCH_STRICT=1 forbids skipping)` } : { kind: 'skip', message }
}

/**
 * prepareRoot returns the cached root, creating it first with debootstrap and apt when absent.
 * It is built under a temporary name and renamed when complete, so an interrupted build is
 * never mistaken for a ready one.
 */
export async function prepareRoot(options: { cacheDir: string; mirror?: string; log?: (line: string) => void }): Promise<PreparedRoot> {
  const log = options.log ?? (() => {})
  const mirror = options.mirror ?? DEFAULT_MIRROR
  const path = join(options.cacheDir, ROOT_NAME)
  const marker = join(path, READY_MARKER)
  if (existsSync(marker)) return { path, fromCache: true, packages: readFileSync(marker, 'utf8') }
  mkdirSync(options.cacheDir, { recursive: true })
  const building = `${path}.building-${process.pid}`
  rmSync(building, { recursive: true, force: true })
  try {
    log(`debootstrap --variant=minbase trixie ${building} ${mirror}`)
    await mustRun('debootstrap', ['--variant=minbase', 'trixie', building, mirror], { timeoutMs: DEBOOTSTRAP_LIMIT_MS })
    // Package scripts must not start services: we start the daemons ourselves, in the foreground.
    const policy = join(building, 'usr/sbin/policy-rc.d')
    writeFileSync(policy, '#!/bin/sh\nexit 101\n')
    chmodSync(policy, 0o755)
    const env = {
      ...process.env,
      DEBIAN_FRONTEND: 'noninteractive',
      LC_ALL: 'C',
    }
    log(`apt-get install ${SLURM_PACKAGES.join(' ')}`)
    await mustRun('chroot', [building, 'apt-get', 'update', '-qq'], {
      timeoutMs: APT_LIMIT_MS,
      env,
    })
    await mustRun('chroot', [building, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...SLURM_PACKAGES], { timeoutMs: APT_LIMIT_MS, env })
    await mustRun('chroot', [building, 'apt-get', 'clean'], {
      timeoutMs: 60_000,
      env,
    })
    // slurmrestd refuses to run as root or as SlurmUser: it gets its own system user.
    await mustRun('chroot', [building, 'useradd', '--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'slurmrestd'], { timeoutMs: 60_000 })
    const versions = await mustRun('chroot', [building, 'dpkg-query', '-W', ...SLURM_PACKAGES], { timeoutMs: 60_000 })
    writeFileSync(join(building, READY_MARKER), versions.stdout)
    rmSync(path, { recursive: true, force: true })
    renameSync(building, path)
    return { path, fromCache: false, packages: versions.stdout }
  } catch (error) {
    // debootstrap mounts proc and sys inside while it works: never delete through a mount.
    const left = await unmountAll(building)
    if (left.length === 0) rmSync(building, { recursive: true, force: true })
    throw error
  }
}
