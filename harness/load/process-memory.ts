// Reading a local process's memory from procfs (Linux only): VmRSS (resident now) and VmHWM
// (the kernel's peak resident, so a spike between two samples is not missed), and finding the
// process that listens on a local TCP port, so `--target http://127.0.0.1:9341` can be
// measured without being told its pid.
import { readFile, readdir, readlink } from 'node:fs/promises'

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

/** LOCAL_HOSTS are the host names treated as this machine. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1', '0.0.0.0'])

/** isLocalUrl says whether a URL points at this machine. */
export function isLocalUrl(url: URL): boolean {
  return LOCAL_HOSTS.has(url.hostname)
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
