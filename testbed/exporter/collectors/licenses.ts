// Licenses (scontrol show licenses): configured, used, free and reserved counts per license.

import type { CollectContext, Collector } from '../collector.ts'
import type { SeriesSink } from '../series-policy.ts'
import { listOf } from '../slurm-values.ts'

/** SlurmLicense is slurmrestd's `license` object (capitalised keys, as Slurm sends them). */
export interface SlurmLicense {
  readonly LicenseName?: string
  readonly Total?: number
  readonly Used?: number
  readonly Free?: number
  readonly Reserved?: number
}

/** writeLicenses writes the license families. */
export function writeLicenses(licenses: readonly SlurmLicense[], sink: SeriesSink): void {
  const families: [string, string, keyof SlurmLicense][] = [
    ['slurm_license_configured', 'Licenses configured.', 'Total'],
    ['slurm_license_used', 'Licenses in use.', 'Used'],
    ['slurm_license_free', 'Licenses available.', 'Free'],
    ['slurm_license_reserved', 'Licenses reserved.', 'Reserved'],
  ]
  for (const [name, help, key] of families) {
    const writer = sink.family(name, help, 'gauge', ['license'])
    for (const license of licenses) {
      const value = license[key]
      if (typeof value === 'number') writer?.add([license.LicenseName ?? ''], value)
    }
  }
}

/** licensesCollector reads GET /slurm/<version>/licenses. */
export const licensesCollector: Collector = {
  name: 'licenses',
  async collect({ client, signal, sink }: CollectContext): Promise<void> {
    const path = client.slurmPath('licenses')
    writeLicenses(listOf<SlurmLicense>(await client.getJson(path, signal), 'licenses', path), sink)
  },
}
