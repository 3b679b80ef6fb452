// startRealSlurm: a real Slurm 24.11 (munged, slurmctld, slurmd, slurmrestd) in a chroot over the
// cached root, on loopback ports, with a cluster that looks real: cloud nodes powered down and
// powering up, unreachable and drained nodes, several partitions, a reservation, jobs in many states.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CGROUP_CONF, type ClusterPorts, HOSTS, JWT_KEY_PATH, REAL_NODE, RESERVATION_NAME, slurmConf } from './config.ts'
import { mount, mountsUnder, unmountAll } from './mounts.ts'
import { StopWaiting, isStopped, killPidsNow, pidsInRoot, processState, runCommand, stopPids, tail, waitUntil, type CommandResult } from './processes.ts'
import { cacheDir as defaultCacheDir, type PreparedRoot, prepareRoot } from './root.ts'

/** DAEMONS are the processes a run starts, in start order. */
export const DAEMONS = ['munged', 'slurmctld', 'slurmd', 'slurmrestd'] as const
/** Daemon names one of them. */
export type Daemon = (typeof DAEMONS)[number]

// Wall-clock limits of the bring-up steps. Packages installed → first ping took 0.3–2.2 s here;
// the limits are ten times that and more, so only a step that cannot succeed reaches them.
const MUNGE_LIMIT_MS = 15_000
const CONTROLLER_LIMIT_MS = 30_000
const NODE_LIMIT_MS = 30_000
const REST_LIMIT_MS = 30_000
const JOBS_LIMIT_MS = 60_000
const COMMAND_LIMIT_MS = 20_000

/** RealSlurmInfo describes a running cluster in plain data, so it can travel to test workers. */
export interface RealSlurmInfo {
  /** url is slurmrestd's base URL on 127.0.0.1. */
  url: string
  /** root is the chroot (the overlay's merged directory). */
  root: string
  /** runDir holds the overlay layers, daemon stdout/stderr and the run's state file. */
  runDir: string
  /** keyFile is the host path of slurmctld's HS256 JWT key. */
  keyFile: string
  /** token is a JWT for root valid for a day. */
  token: string
  ports: ClusterPorts
  /** jobs maps the bring-up's job names to their ids. */
  jobs: Record<string, number>
  /** packages lists the installed package versions. */
  packages: string
}

/** RealSlurm is a running cluster that this process started. */
export interface RealSlurm extends RealSlurmInfo {
  /** timings of the bring-up, in milliseconds. */
  timings: {
    prepareRootMs: number
    startMs: number
    populateMs: number
    fromCache: boolean
  }
  /** stop kills every process in the chroot and unmounts; it reports what it could not stop. */
  stop(): Promise<TeardownReport>
  /** stopNow is stop's synchronous last resort for signal and exit handlers: SIGKILL, lazy unmounts. */
  stopNow(): void
}

/** TeardownReport says what teardown left behind (both lists empty when clean). */
export interface TeardownReport {
  durationMs: number
  leftPids: number[]
  leftMounts: string[]
}

/** RealSlurmOptions configure startRealSlurm. */
export interface RealSlurmOptions {
  cacheDir?: string
  mirror?: string
  log?: (line: string) => void
  /** extraSlurmConf is appended to slurm.conf (later lines win in Slurm's parser). */
  extraSlurmConf?: string
}

/** BringUpError is a bring-up step that failed; its message carries the daemon's log. */
export class BringUpError extends Error {
  readonly code = 'REAL_SLURM_BRING_UP'
}

/** slurmCommand runs a Slurm command (sinfo, squeue, scontrol, sdiag, sbatch…) inside the chroot. */
export function slurmCommand(root: string, command: string, args: readonly string[], timeoutMs = COMMAND_LIMIT_MS): Promise<CommandResult> {
  return runCommand('chroot', [root, command, ...args], {
    timeoutMs,
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
  })
}

/** slurmOutput is slurmCommand that throws unless the command exits 0, and returns its stdout. */
export async function slurmOutput(root: string, command: string, args: readonly string[], timeoutMs = COMMAND_LIMIT_MS): Promise<string> {
  const result = await slurmCommand(root, command, args, timeoutMs)
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.code ?? result.signal}: ${(result.stderr || result.stdout).trim()}`)
  return result.stdout
}

/** mintSlurmToken asks slurmctld for a JWT (`scontrol token`), as an operator would. */
export async function mintSlurmToken(root: string, user: string, lifespanSec: number): Promise<string> {
  const out = await slurmOutput(root, 'scontrol', ['token', `username=${user}`, `lifespan=${lifespanSec}`])
  const match = /SLURM_JWT=(\S+)/.exec(out)
  if (match === null) throw new Error(`scontrol token printed no SLURM_JWT=… line: ${out.trim()}`)
  return match[1] as string
}

/** daemonPids lists the live pids in the chroot running `daemon`. */
export function daemonPids(root: string, daemon: Daemon): number[] {
  return pidsInRoot(root).filter((pid) => commOf(pid) === daemon)
}

/** daemonLog returns the last lines of a daemon's log file and of its captured stdout/stderr. */
export function daemonLog(info: Pick<RealSlurmInfo, 'root' | 'runDir'>, daemon: Daemon, lines = 30): string {
  const parts: string[] = []
  const logFile = join(info.root, daemon === 'munged' ? 'var/log/munge/munged.log' : `var/log/slurm/${daemon}.log`)
  if (existsSync(logFile)) parts.push(`--- ${logFile} (last ${lines} lines)\n${tail(readFileSync(logFile, 'utf8').trimEnd(), lines)}`)
  const out = join(info.runDir, `${daemon}.out`)
  if (existsSync(out)) {
    const text = readFileSync(out, 'utf8').trimEnd()
    if (text !== '') parts.push(`--- ${daemon} stdout/stderr (last ${lines} lines)\n${tail(text, lines)}`)
  }
  return parts.length > 0 ? parts.join('\n') : `(no log from ${daemon})`
}

/**
 * startDaemon starts one daemon in the foreground inside the chroot and returns its pid: chroot
 * (and --userspec) exec the daemon, so the pid is the daemon's own. Any process may call it
 * (a test restarting slurmctld): teardown finds daemons through /proc, not through this process.
 */
export function startDaemon(info: Pick<RealSlurmInfo, 'root' | 'runDir' | 'ports'>, daemon: Daemon): number {
  const out = openSync(join(info.runDir, `${daemon}.out`), 'a')
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    LC_ALL: 'C',
  }
  let args: string[]
  switch (daemon) {
    case 'munged':
      args = ['--userspec=munge:munge', info.root, '/usr/sbin/munged', '--foreground']
      break
    case 'slurmctld':
      args = [info.root, '/usr/sbin/slurmctld', '-D', '-i']
      break
    case 'slurmd':
      args = [info.root, '/usr/sbin/slurmd', '-D', '-N', REAL_NODE]
      break
    case 'slurmrestd':
      // It refuses root; -u drops privileges after binding, in the same process.
      env.SLURM_JWT = 'daemon'
      args = [
        info.root,
        '/usr/sbin/slurmrestd',
        '-u',
        'slurmrestd',
        '-g',
        'slurmrestd',
        '-a',
        'rest_auth/jwt',
        '-s',
        'openapi/slurmctld',
        `127.0.0.1:${info.ports.slurmrestd}`,
      ]
      break
  }
  const child = spawn('chroot', args, { stdio: ['ignore', out, out], env })
  closeSync(out)
  child.on('error', () => {})
  child.unref()
  if (child.pid === undefined) throw new BringUpError(`could not spawn chroot for ${daemon}`)
  return child.pid
}

/** stopDaemon stops every instance of `daemon` in the chroot (SIGTERM, then SIGKILL) and waits until they are gone. */
export async function stopDaemon(root: string, daemon: Daemon): Promise<void> {
  const left = await stopPids(daemonPids(root, daemon), 10_000)
  if (left.length > 0) throw new Error(`${daemon} (pid ${left.join(', ')}) did not stop after SIGKILL`)
}

/** restPing GETs /slurm/v0.0.42/ping with `token` and returns the status code (0: no answer). */
export async function restPing(url: string, token: string, timeoutMs = 5_000): Promise<number> {
  try {
    const response = await fetch(`${url}/slurm/v0.0.42/ping`, {
      headers: { 'X-SLURM-USER-NAME': 'root', 'X-SLURM-USER-TOKEN': token },
      signal: AbortSignal.timeout(timeoutMs),
    })
    await response.arrayBuffer()
    return response.status
  } catch {
    return 0
  }
}

/** waitForController waits (bounded) until `scontrol ping` reports the primary UP. */
export async function waitForController(info: Pick<RealSlurmInfo, 'root' | 'runDir'>, pid: number | undefined, limitMs = CONTROLLER_LIMIT_MS): Promise<void> {
  await step(info, 'slurmctld', 'slurmctld answers scontrol ping', limitMs, pid, async () => {
    const out = await slurmOutput(info.root, 'scontrol', ['ping'], 5_000)
    if (!/is UP/.test(out)) throw new Error(out.trim())
    return true
  })
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function freePorts(): Promise<ClusterPorts> {
  const ports = new Set<number>()
  while (ports.size < 4) ports.add(await freePort())
  const [slurmctld, slurmd, slurmrestd, closed] = [...ports] as [number, number, number, number]
  return { slurmctld, slurmd, slurmrestd, closed }
}

// step waits for `check`, failing early when the daemon died and with its log when time runs out.
async function step<T>(
  info: Pick<RealSlurmInfo, 'root' | 'runDir'>,
  daemon: Daemon,
  what: string,
  limitMs: number,
  pid: number | undefined,
  check: () => Promise<T | undefined>,
): Promise<T> {
  try {
    return await waitUntil(what, limitMs, async () => {
      if (pid !== undefined && isStopped(pid)) throw new StopWaiting(`${daemon} (pid ${pid}) exited`)
      return check()
    })
  } catch (error) {
    throw new BringUpError(`real Slurm bring-up (chroot ${info.root}): ${what} failed: ${(error as Error).message}\n${daemonLog(info, daemon)}`)
  }
}

function userIds(root: string, name: string): { uid: number; gid: number } {
  const line = readFileSync(join(root, 'etc/passwd'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))
  if (line === undefined) throw new BringUpError(`user ${name} missing from ${root}/etc/passwd: the cached root is incomplete; delete it and rerun`)
  const [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

function writeOwned(path: string, content: string | Buffer, mode: number, owner: { uid: number; gid: number }): void {
  writeFileSync(path, content)
  chmodSync(path, mode)
  chownSync(path, owner.uid, owner.gid)
}

function dirOwned(path: string, mode: number, owner: { uid: number; gid: number }): void {
  mkdirSync(path, { recursive: true })
  chmodSync(path, mode)
  chownSync(path, owner.uid, owner.gid)
}

function configure(root: string, ports: ClusterPorts, extraSlurmConf: string): void {
  const munge = userIds(root, 'munge')
  const slurm = userIds(root, 'slurm')
  const rootUser = { uid: 0, gid: 0 }
  writeOwned(join(root, 'etc/hosts'), HOSTS, 0o644, rootUser)
  dirOwned(join(root, 'etc/munge'), 0o700, munge)
  writeOwned(join(root, 'etc/munge/munge.key'), randomBytes(1024), 0o400, munge)
  dirOwned(join(root, 'run/munge'), 0o755, munge)
  dirOwned(join(root, 'var/lib/munge'), 0o700, munge)
  dirOwned(join(root, 'var/log/munge'), 0o700, munge)
  mkdirSync(join(root, 'etc/slurm'), { recursive: true })
  writeOwned(join(root, 'etc/slurm/slurm.conf'), slurmConf(ports) + extraSlurmConf, 0o644, rootUser)
  writeOwned(join(root, 'etc/slurm/cgroup.conf'), CGROUP_CONF, 0o644, rootUser)
  writeOwned(join(root, JWT_KEY_PATH.slice(1)), randomBytes(32), 0o600, slurm)
  dirOwned(join(root, 'var/lib/slurm'), 0o755, slurm)
  dirOwned(join(root, 'var/lib/slurm/slurmctld'), 0o700, slurm)
  dirOwned(join(root, 'var/lib/slurm/slurmd'), 0o755, rootUser)
  dirOwned(join(root, 'var/log/slurm'), 0o775, slurm)
  dirOwned(join(root, 'run/slurm'), 0o775, slurm)
}

async function mountRun(lower: string, runDir: string): Promise<string> {
  const upper = join(runDir, 'upper')
  const work = join(runDir, 'work')
  const merged = join(runDir, 'root')
  for (const dir of [upper, work, merged]) mkdirSync(dir, { recursive: true })
  // An overlay keeps the cached root pristine: each run writes only into its own upper layer.
  await mount(['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged])
  await mount(['-t', 'proc', 'proc', join(merged, 'proc')])
  await mount(['-t', 'sysfs', 'sysfs', join(merged, 'sys')])
  await mount(['--bind', '/dev', join(merged, 'dev')])
  mkdirSync(join(merged, 'dev/pts'), { recursive: true })
  await mount(['-t', 'devpts', '-o', 'newinstance,ptmxmode=0666', 'devpts', join(merged, 'dev/pts')])
  return merged
}

// A run's state file (in <cache>/runs) lets a later bring-up clean up after a run whose process
// was SIGKILLed.
interface RunState {
  ownerPid: number
  root: string
}

function runsDir(cache: string): string {
  return join(cache, 'runs')
}

/** cleanupStaleRuns stops the processes and unmounts the overlays of runs whose owner process is gone. */
export async function cleanupStaleRuns(cache: string, log: (line: string) => void = () => {}): Promise<void> {
  const dir = runsDir(cache)
  if (!existsSync(dir)) return
  for (const name of readdirSync(dir)) {
    const link = join(dir, name)
    let state: RunState
    try {
      state = JSON.parse(readFileSync(link, 'utf8')) as RunState
    } catch {
      rmSync(link, { force: true })
      continue
    }
    if (processState(state.ownerPid) === 'running') continue
    log(`cleaning up a run left behind by pid ${state.ownerPid}: ${state.root}`)
    await teardown(state.root)
    rmSync(link, { force: true })
  }
}

const DAEMON_NAMES = new Set<string>([...DAEMONS, 'slurmscriptd'])
const TEARDOWN_GRACE_MS = 1_500

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return ''
  }
}

async function teardown(root: string): Promise<TeardownReport> {
  const started = Date.now()
  // slurmstepd ignores SIGTERM and jobs need no grace: they get SIGKILL at once. The daemons get
  // a short SIGTERM grace (slurmctld saves its state in ~2 s; the state is thrown away anyway).
  // Sweep twice: a slurmstepd can fork a job step while its parent is being stopped.
  let leftPids: number[] = []
  for (let pass = 0; pass < 2; pass++) {
    const pids = pidsInRoot(root)
    killPidsNow(pids.filter((pid) => !DAEMON_NAMES.has(commOf(pid))))
    leftPids = await stopPids(pids, TEARDOWN_GRACE_MS)
  }
  const leftMounts = await unmountAll(root)
  if (leftPids.length === 0 && leftMounts.length === 0) {
    const runDir = join(root, '..')
    rmSync(runDir, { recursive: true, force: true })
  }
  return { durationMs: Date.now() - started, leftPids, leftMounts }
}

/**
 * startRealSlurm prepares (or reuses) the cached root and starts the cluster. On any failure it
 * tears down what it started before rethrowing, so a failed bring-up leaves nothing running.
 */
export async function startRealSlurm(options: RealSlurmOptions = {}): Promise<RealSlurm> {
  const log = options.log ?? (() => {})
  const cache = options.cacheDir ?? defaultCacheDir()
  await cleanupStaleRuns(cache, log)
  const t0 = Date.now()
  const prepared: PreparedRoot = await prepareRoot({
    cacheDir: cache,
    mirror: options.mirror,
    log,
  })
  const t1 = Date.now()
  const runDir = mkdtempSync(join(tmpdir(), 'slurmbench-real-'))
  const stateFile = join(runsDir(cache), `${runDir.split('/').pop()}.json`)
  let root = join(runDir, 'root')
  mkdirSync(runsDir(cache), { recursive: true })
  writeFileSync(stateFile, JSON.stringify({ ownerPid: process.pid, root } satisfies RunState))
  // A synchronous last resort: vitest or a signal may end this process without awaiting stop().
  const stopNow = (): void => {
    process.removeListener('exit', stopNow)
    killPidsNow(pidsInRoot(root))
    // SIGKILL lands asynchronously: wait (synchronously, bounded) for the processes to go.
    const pause = new Int32Array(new SharedArrayBuffer(4))
    for (const deadline = Date.now() + 2_000; Date.now() < deadline && pidsInRoot(root).length > 0; ) Atomics.wait(pause, 0, 0, 50)
    for (const point of mountsUnder(root)) spawnSync('umount', ['-l', point], { timeout: 10_000 })
    // Never delete through a mount: what is still mounted is left to the next run's cleanup.
    if (mountsUnder(root).length === 0 && pidsInRoot(root).length === 0) {
      rmSync(runDir, { recursive: true, force: true })
      rmSync(stateFile, { force: true })
    }
  }
  const onExit = stopNow
  process.once('exit', onExit)
  const stop = async (): Promise<TeardownReport> => {
    process.removeListener('exit', onExit)
    const report = await teardown(root)
    if (report.leftPids.length === 0 && report.leftMounts.length === 0) rmSync(stateFile, { force: true })
    return report
  }
  try {
    const ports = await freePorts()
    root = await mountRun(prepared.path, runDir)
    configure(root, ports, options.extraSlurmConf === undefined ? '' : `${options.extraSlurmConf.trimEnd()}\n`)
    const info = { root, runDir, ports }
    const munged = startDaemon(info, 'munged')
    await step(info, 'munged', 'munged creates its socket', MUNGE_LIMIT_MS, munged, async () =>
      existsSync(join(root, 'run/munge/munge.socket.2')) ? true : undefined,
    )
    const slurmctld = startDaemon(info, 'slurmctld')
    await waitForController(info, slurmctld)
    const slurmd = startDaemon(info, 'slurmd')
    await step(info, 'slurmd', `node ${REAL_NODE} registers and is idle`, NODE_LIMIT_MS, slurmd, async () => {
      // One line per partition the node is in.
      const state = [...new Set((await slurmOutput(root, 'sinfo', ['-h', '-N', '-n', REAL_NODE, '-o', '%T'], 5_000)).trim().split('\n'))].join(',')
      if (state !== 'idle') throw new Error(`node ${REAL_NODE} is ${state || 'not listed'}`)
      return true
    })
    const token = await mintSlurmToken(root, 'root', 86_400)
    const slurmrestd = startDaemon(info, 'slurmrestd')
    const url = `http://127.0.0.1:${ports.slurmrestd}`
    await step(info, 'slurmrestd', `slurmrestd answers GET ${url}/slurm/v0.0.42/ping with 200`, REST_LIMIT_MS, slurmrestd, async () => {
      const status = await restPing(url, token)
      if (status !== 200) throw new Error(status === 0 ? 'no answer' : `HTTP ${status}`)
      return true
    })
    const t2 = Date.now()
    const jobs = await populate(info)
    const t3 = Date.now()
    return {
      url,
      root,
      runDir,
      keyFile: join(root, JWT_KEY_PATH.slice(1)),
      token,
      ports,
      jobs,
      packages: prepared.packages,
      timings: {
        prepareRootMs: t1 - t0,
        startMs: t2 - t1,
        populateMs: t3 - t2,
        fromCache: prepared.fromCache,
      },
      stop,
      stopNow,
    }
  } catch (error) {
    const report = await stop()
    if (report.leftPids.length > 0 || report.leftMounts.length > 0) {
      log(`teardown after a failed bring-up left pids [${report.leftPids.join(', ')}] and mounts [${report.leftMounts.join(', ')}]`)
    }
    throw error
  }
}

/** stillMounted reports whether anything of a run is still mounted (for tests of teardown). */
export function stillMounted(root: string): string[] {
  return mountsUnder(root)
}

interface JobRow {
  id: number
  state: string
  reason: string
}

async function jobRows(root: string): Promise<Map<number, JobRow>> {
  const out = await slurmOutput(root, 'squeue', ['-h', '-t', 'all', '-o', '%i|%T|%r'], 5_000)
  const rows = new Map<number, JobRow>()
  for (const line of out.split('\n')) {
    const [id, state, reason] = line.trim().split('|')
    if (id === undefined || id === '' || !/^\d+$/.test(id)) continue
    rows.set(Number(id), {
      id: Number(id),
      state: state ?? '',
      reason: reason ?? '',
    })
  }
  return rows
}

async function sbatch(root: string, args: readonly string[]): Promise<number> {
  const out = await slurmOutput(root, 'sbatch', ['--parsable', '--output=/dev/null', '--error=/dev/null', ...args])
  const id = Number.parseInt(out.trim().split(';')[0] ?? '', 10)
  if (!Number.isInteger(id)) throw new BringUpError(`sbatch ${args.join(' ')} printed no job id: ${out.trim()}`)
  return id
}

async function waitForJobs(info: Pick<RealSlurmInfo, 'root' | 'runDir'>, what: string, wanted: Record<number, (row: JobRow) => boolean>): Promise<void> {
  await step(info, 'slurmctld', what, JOBS_LIMIT_MS, undefined, async () => {
    const rows = await jobRows(info.root)
    const pending = Object.entries(wanted).filter(([id, ok]) => {
      const row = rows.get(Number(id))
      return row === undefined || !ok(row)
    })
    if (pending.length > 0) throw new Error(`waiting for jobs ${pending.map(([id]) => `${id} (${rows.get(Number(id))?.state ?? 'unlisted'})`).join(', ')}`)
    return true
  })
}

// populate gives the cluster what real ones have: finished, failed, cancelled, requeued, running,
// pending for many reasons, configuring on a powering-up cloud node, drained and down nodes, a reservation.
async function populate(info: Pick<RealSlurmInfo, 'root' | 'runDir'>): Promise<Record<string, number>> {
  const root = info.root
  const jobs: Record<string, number> = {}
  const sleeper = '--wrap=sleep 100000'
  jobs.completed = await sbatch(root, ['-J', 'completed', '-n', '1', '--wrap=true'])
  jobs.failed = await sbatch(root, ['-J', 'failed', '-n', '1', '--wrap=exit 3'])
  jobs.requeued = await sbatch(root, ['-J', 'requeued', '-n', '1', '--requeue', sleeper])
  await waitForJobs(info, 'short jobs finish and one starts', {
    [jobs.completed]: (r) => r.state === 'COMPLETED',
    [jobs.failed]: (r) => r.state === 'FAILED',
    [jobs.requeued]: (r) => r.state === 'RUNNING',
  })
  await slurmOutput(root, 'scontrol', ['requeuehold', String(jobs.requeued)])
  jobs.cancelled = await sbatch(root, ['-J', 'cancelled', '-n', '1', '-H', sleeper])
  await slurmOutput(root, 'scancel', [String(jobs.cancelled)])
  jobs.running_a = await sbatch(root, ['-J', 'running-a', '-n', '2', sleeper])
  jobs.running_b = await sbatch(root, ['-J', 'running-b', '-n', '2', '-t', '30', '-L', 'matlab:1', sleeper])
  jobs.running_c = await sbatch(root, ['-J', 'running-c', '-n', '4', '--mem=1000', sleeper])
  await waitForJobs(info, 'the real node fills with running jobs', {
    [jobs.running_a]: (r) => r.state === 'RUNNING',
    [jobs.running_b]: (r) => r.state === 'RUNNING',
    [jobs.running_c]: (r) => r.state === 'RUNNING',
  })
  jobs.pending_resources = await sbatch(root, ['-J', 'pending-resources', '-n', '4', sleeper])
  jobs.pending_priority = await sbatch(root, ['-J', 'pending-priority', '-n', '4', sleeper])
  jobs.held = await sbatch(root, ['-J', 'held', '-n', '1', '-H', sleeper])
  jobs.dependent = await sbatch(root, ['-J', 'dependent', '-n', '1', `--dependency=afterok:${jobs.running_a}`, sleeper])
  jobs.begin_later = await sbatch(root, ['-J', 'begin-later', '-n', '1', '--begin=now+1hour', sleeper])
  jobs.array = await sbatch(root, ['-J', 'array', '-n', '1', '--array=1-4%2', '-H', sleeper])
  jobs.partition_down = await sbatch(root, ['-J', 'partition-down', '-p', 'closed', '-n', '1', sleeper])
  jobs.unreachable = await sbatch(root, ['-J', 'unreachable', '-p', 'far', '-n', '1', sleeper])
  jobs.cloud = await sbatch(root, ['-J', 'cloud', '-p', 'cloud', '-n', '2', sleeper])
  await slurmOutput(root, 'scontrol', ['update', 'nodename=far3', 'state=drain', 'reason=disk replacement'])
  await slurmOutput(root, 'scontrol', ['update', 'nodename=far2', 'state=down', 'reason=bad memory'])
  await slurmOutput(root, 'scontrol', ['update', 'nodename=cloud4', 'state=drain', 'reason=retired image'])
  await slurmOutput(root, 'scontrol', [
    'create',
    'reservation',
    `reservationname=${RESERVATION_NAME}`,
    'starttime=now+1day',
    'duration=120',
    'nodes=far1',
    'users=root',
    'flags=maint',
  ])
  await waitForJobs(info, 'the cloud job configures while its node powers up', {
    [jobs.cloud]: (r) => r.state === 'CONFIGURING',
    [jobs.pending_resources]: (r) => r.state === 'PENDING',
  })
  await waitForSettledNodes(info)
  return jobs
}

/** waitForSettledNodes waits (bounded) until slurmctld's first ping has marked the nodes without slurmd NOT_RESPONDING. */
export async function waitForSettledNodes(info: Pick<RealSlurmInfo, 'root' | 'runDir'>): Promise<void> {
  await step(info, 'slurmctld', 'the unreachable nodes are marked not responding', JOBS_LIMIT_MS, undefined, async () => {
    const out = await slurmOutput(info.root, 'sinfo', ['-h', '-N', '-p', 'far', '-o', '%N %T'], 5_000)
    const unsettled = out
      .trim()
      .split('\n')
      .filter((line) => !line.endsWith('*'))
    if (unsettled.length > 0) throw new Error(`still answering or unpinged: ${unsettled.join(', ')}`)
    return true
  })
}
