import { describe, expect, test } from 'vitest'
import { cacheDir, missingPrerequisites, prerequisiteVerdict } from '../../testbed/real-slurm/root.ts'

describe('prerequisites', () => {
  const everything = new Set(['/usr/sbin/debootstrap', '/usr/sbin/chroot'])
  const host = (uid: number | undefined, paths: Set<string>, platform: NodeJS.Platform = 'linux') => ({ platform, uid, exists: (p: string) => paths.has(p) })

  test('a Linux root with debootstrap and chroot lacks nothing', () => {
    expect(missingPrerequisites(host(0, everything))).toEqual([])
  })

  test('each missing thing is named with how to get it', () => {
    expect(missingPrerequisites(host(1000, new Set()))).toEqual([
      'root (uid 0, for chroot and mount)',
      'debootstrap (apt-get install debootstrap)',
      'chroot (coreutils)',
    ])
    expect(missingPrerequisites(host(0, everything, 'darwin'))).toEqual(['Linux (this is darwin)'])
  })

  test('missing things skip with a message, or fail under SLURMBENCH_STRICT=1', () => {
    expect(prerequisiteVerdict([], true)).toEqual({ kind: 'run' })
    expect(prerequisiteVerdict(['debootstrap (apt-get install debootstrap)'], false)).toEqual({
      kind: 'skip',
      message: 'the real Slurm needs debootstrap (apt-get install debootstrap)',
    })
    expect(prerequisiteVerdict(['root (uid 0, for chroot and mount)'], true)).toEqual({
      kind: 'fail',
      message: 'the real Slurm needs root (uid 0, for chroot and mount) (SLURMBENCH_STRICT=1 forbids skipping)',
    })
  })

  test('the cache folder comes from SLURMBENCH_CACHE_DIR when set', () => {
    expect(cacheDir({})).toBe('/var/cache/slurmbench')
    expect(cacheDir({ SLURMBENCH_CACHE_DIR: '' })).toBe('/var/cache/slurmbench')
    expect(cacheDir({ SLURMBENCH_CACHE_DIR: '/ci/cache' })).toBe('/ci/cache')
  })
})
