// Fair-share (sshare): per association, the fair-share factor, normalized shares and usage.

import type { CollectContext, Collector } from '../collector.ts'
import type { SeriesSink } from '../series-policy.ts'
import { noVal } from '../slurm-values.ts'

/** SlurmShare is one entry of slurmrestd's `shares.shares[]` (`assoc_shares_obj_wrap`). */
export interface SlurmShare {
  readonly name?: string
  readonly parent?: string
  readonly partition?: string
  readonly type?: readonly string[]
  readonly shares?: unknown
  readonly shares_normalized?: unknown
  readonly usage?: number
  readonly usage_normalized?: unknown
  readonly effective_usage?: unknown
  readonly fairshare?: { readonly factor?: unknown; readonly level?: unknown }
}

/** writeShares writes the fair-share families; a user's association is labelled with its account. */
export function writeShares(shares: readonly SlurmShare[], sink: SeriesSink): void {
  const labels = ['account', 'user', 'partition']
  const families: [string, string, (s: SlurmShare) => number | undefined][] = [
    ['slurm_share_fairshare_factor', 'Fair-share factor of the association (0–1).', (s) => noVal(s.fairshare?.factor)],
    ['slurm_share_fairshare_level', 'Fair-share level of the association.', (s) => noVal(s.fairshare?.level)],
    ['slurm_share_raw_shares', 'Shares assigned to the association.', (s) => noVal(s.shares)],
    ['slurm_share_normalized_shares', 'Shares of the association normalized to the cluster (0–1).', (s) => noVal(s.shares_normalized)],
    ['slurm_share_raw_usage', 'Decayed usage of the association in billable TRES-seconds.', (s) => s.usage],
    ['slurm_share_normalized_usage', 'Usage of the association normalized to the cluster (0–1).', (s) => noVal(s.usage_normalized)],
    ['slurm_share_effective_usage', 'Effective usage of the association, including its parent.', (s) => noVal(s.effective_usage)],
  ]
  // One association per (account, user, partition): later duplicates replace earlier ones, as a
  // duplicate series would make the whole exposition invalid.
  const unique = new Map<string, [string, string, string, SlurmShare]>()
  for (const share of shares) {
    const isUser = share.type?.includes('USER') ?? false
    const account = isUser ? (share.parent ?? '') : (share.name ?? '')
    const user = isUser ? (share.name ?? '') : ''
    const partition = share.partition ?? ''
    unique.set(`${account}\u0000${user}\u0000${partition}`, [account, user, partition, share])
  }
  for (const [name, help, read] of families) {
    const writer = sink.family(name, help, 'gauge', labels)
    if (writer === null) continue
    for (const [account, user, partition, share] of unique.values()) {
      const value = read(share)
      if (value !== undefined) writer.add([account, user, partition], value)
    }
  }
}

/** sharesCollector reads GET /slurm/<version>/shares. */
export const sharesCollector: Collector = {
  name: 'shares',
  async collect({ client, signal, sink }: CollectContext): Promise<void> {
    const path = client.slurmPath('shares')
    const answer = await client.getJson(path, signal)
    const shares = (answer['shares'] as { shares?: unknown } | undefined)?.shares
    if (!Array.isArray(shares)) throw new Error(`GET ${path}: the answer has no "shares.shares" list`)
    writeShares(shares as SlurmShare[], sink)
  },
}
