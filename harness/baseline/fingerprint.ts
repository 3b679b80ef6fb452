// The machine fingerprint that decides whether two results are comparable, and the machine
// class that names a baseline folder. Only what moves timings belongs here: the CPU model, the
// core count, Node's major version (V8 tiers and GC change with it) and the OS/architecture.
import type { Environment } from '../results/schema.ts'

/** Fingerprint is the comparable identity of a machine and runtime. */
export interface Fingerprint {
  readonly cpuModel: string
  readonly cores: number
  readonly nodeMajor: number
  readonly os: string
  readonly arch: string
}

/** fingerprintOf extracts the fingerprint of a results environment. */
export function fingerprintOf(env: Environment): Fingerprint {
  const major = Number(/^v?(\d+)/.exec(env.node)?.[1] ?? NaN)
  return { cpuModel: env.cpuModel.trim(), cores: env.cores, nodeMajor: major, os: env.goos, arch: env.goarch }
}

/** fingerprintDifferences lists the fields that differ, as "cores: 2 → 8". */
export function fingerprintDifferences(a: Fingerprint, b: Fingerprint): string[] {
  const out: string[] = []
  for (const key of ['cpuModel', 'cores', 'nodeMajor', 'os', 'arch'] as const) {
    if (a[key] !== b[key]) out.push(`${key}: ${String(a[key])} → ${String(b[key])}`)
  }
  return out
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/\(r\)|\(tm\)|cpu|processor|@.*$/g, ' ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
}

/** machineClassOf names the baseline folder for a fingerprint: `linux-x64-amd-epyc-7b13-2c-node20`. */
export function machineClassOf(fp: Fingerprint): string {
  return `${fp.os}-${fp.arch}-${slug(fp.cpuModel) || 'unknown-cpu'}-${fp.cores}c-node${fp.nodeMajor}`
}

/** MACHINE_CLASS_PATTERN is what a machine class may look like (it becomes a directory name). */
export const MACHINE_CLASS_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/
