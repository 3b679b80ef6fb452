// Reading a local process from procfs (Linux only): VmRSS (resident now) and VmHWM (the kernel's
// peak resident, so a spike between two samples is not missed), its CPU time, resetting its peak,
// and finding the process that listens on a local TCP port, so `--target http://127.0.0.1:9341`
// can be measured without being told its pid. Elsewhere every reader returns undefined.
import { readFileSync, writeFileSync } from 'node:fs'
import { readFile, readdir, readlink, writeFile } from 'node:fs/promises'

/** ProcessMemory is one reading of a process's resident memory. */
export interface ProcessMemory {
  readonly rssBytes: number
  /** Peak resident set since the process started. */
  readonly peakRssBytes: number
}

function kbField(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)
  return match === null ? undefined : Number(match[1]) * 1024
}

/** parseProcStatus reads VmRSS and VmHWM out of /proc/<pid>/status text. */
export function parseProcStatus(status: string): ProcessMemory | undefined {
  const rssBytes = kbField(status, 'VmRSS')
  if (rssBytes === undefined) return undefined
  return { rssBytes, peakRssBytes: kbField(status, 'VmHWM') ?? rssBytes }
}

/** readProcessMemory reads a process's memory, or undefined when it is gone or unreadable. */
export async function readProcessMemory(pid: number): Promise<ProcessMemory | undefined> {
  try {
    return parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return undefined
  }
}

/** readProcessMemorySync is readProcessMemory for callers that cannot await (a benchmark's reporter). */
export function readProcessMemorySync(pid: number): ProcessMemory | undefined {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return undefined
  }
}

// /proc/<pid>/stat counts CPU time in USER_HZ ticks, 100 per second on every Linux architecture.
const USER_HZ = 100

/** parseProcStatCpuSeconds returns utime + stime in seconds from /proc/<pid>/stat text. */
export function parseProcStatCpuSeconds(stat: string): number | undefined {
  // Fields after the parenthesised command name (which may hold spaces): utime, stime are 12th, 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return Number.isFinite(ticks) ? ticks / USER_HZ : undefined
}

/** readCpuSeconds returns the user + system CPU time a process has used, or undefined. */
export async function readCpuSeconds(pid: number): Promise<number | undefined> {
  try {
    return parseProcStatCpuSeconds(await readFile(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return undefined
  }
}

/** resetPeakRss restarts a process's VmHWM ("5" to /proc/<pid>/clear_refs, Linux ≥ 4.0); false where not possible. */
export async function resetPeakRss(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/** resetPeakRssSync is resetPeakRss for callers that cannot await. */
export function resetPeakRssSync(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/** LISTEN is the TCP state code for a listening socket in /proc/net/tcp. */
const TCP_LISTEN = '0A'

/** listeningInodes returns the socket inodes listening on `port` from /proc/net/tcp{,6} text. */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const inodes: string[] = []
  for (const line of procNetTcp.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    const local = fields[1]
    if (local === undefined || fields[3] !== TCP_LISTEN) continue
    const hexPort = local.slice(local.lastIndexOf(':') + 1)
    if (Number.parseInt(hexPort, 16) === port && fields[9] !== undefined) inodes.push(fields[9])
  }
  return inodes
}

/**
 * findListeningPid returns the pid of the local process listening on `port`, or undefined when
 * none is found or /proc is unreadable (another user's process, not Linux).
 */
export async function findListeningPid(port: number): Promise<number | undefined> {
  const inodes = new Set<string>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '')
    for (const inode of listeningInodes(text, port)) inodes.add(`socket:[${inode}]`)
  }
  if (inodes.size === 0) return undefined
  const pids = await readdir('/proc').catch(() => [] as string[])
  for (const pid of pids) {
    if (!/^\d+$/.test(pid)) continue
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')
      if (inodes.has(link)) return Number(pid)
    }
  }
  return undefined
}
