// Cluster size presets. Node and job counts follow the issue; users, accounts and QOS grow with
// them because per-user labels are the exporters' cardinality driver (research note §3).

/** ClusterSize is what the generator needs to know about scale. */
export interface ClusterSize {
  nodes: number
  jobs: number
  users: number
}

/** PRESETS are the named sizes: small ≈ a department, xl ≈ twice Frontier's node count. */
export const PRESETS = {
  tiny: { nodes: 16, jobs: 40, users: 8 },
  small: { nodes: 500, jobs: 5_000, users: 200 },
  medium: { nodes: 3_000, jobs: 30_000, users: 1_000 },
  large: { nodes: 10_000, jobs: 100_000, users: 3_000 },
  xl: { nodes: 50_000, jobs: 500_000, users: 5_000 },
} as const satisfies Record<string, ClusterSize>

/** PresetName is one of the PRESETS keys. */
export type PresetName = keyof typeof PRESETS

/** MAX_USERS caps the user count: 5,000 is the upper bound and the uid space we use. */
export const MAX_USERS = 5_000

/** isPresetName reports whether `name` is a preset. */
export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name)
}
