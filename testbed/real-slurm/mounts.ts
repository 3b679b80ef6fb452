// Mounts of a run: the overlay over the cached root and the kernel filesystems inside it.
import { readFileSync } from 'node:fs'
import { mustRun, runCommand } from './processes.ts'

/** mountsUnder lists the mount points at or below `dir`, deepest first (the order to unmount them in). */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`
  const points = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1])
    .filter((p): p is string => p !== undefined && p !== '')
    // /proc/mounts escapes spaces and tabs as octal.
    .map((p) => p.replace(/\\(\d{3})/g, (_m, o: string) => String.fromCharCode(Number.parseInt(o, 8))))
    .filter((p) => p === dir || p.startsWith(prefix))
  return [...new Set(points)].sort((a, b) => b.length - a.length)
}

/** mount runs mount(8) with `args`, bounded in time. */
export async function mount(args: readonly string[]): Promise<void> {
  await mustRun('mount', args, { timeoutMs: 30_000 })
}

/**
 * unmountAll unmounts everything at or below `dir`, deepest first; a busy mount is detached lazily
 * so teardown never blocks. It returns the mount points still listed afterwards.
 */
export async function unmountAll(dir: string): Promise<string[]> {
  for (const point of mountsUnder(dir)) {
    const plain = await runCommand('umount', [point], { timeoutMs: 15_000 })
    if (plain.code !== 0) await runCommand('umount', ['-l', point], { timeoutMs: 15_000 })
  }
  return mountsUnder(dir)
}
