// Reading deploy/kubernetes for the manifest tests: every object of every file, with its file.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'

/** REPO_ROOT is this checkout's root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** KUBERNETES_DIR holds the manifests and their kustomization.yaml. */
export const KUBERNETES_DIR = join(REPO_ROOT, 'deploy', 'kubernetes')

/** Manifest is one Kubernetes object and the file (relative to deploy/kubernetes) it came from. */
export interface Manifest {
  readonly file: string
  readonly object: KubeObject
}

/** KubeObject is what every manifest has; the rest is checked against the API schemas. */
export interface KubeObject {
  readonly apiVersion: string
  readonly kind: string
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> }
  readonly [field: string]: unknown
}

/** manifestFiles lists the YAML files under deploy/kubernetes except kustomization.yaml, sorted. */
export function manifestFiles(): string[] {
  return readdirSync(KUBERNETES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.ya?ml$/.test(path) && path !== 'kustomization.yaml')
    .sort()
}

/** loadManifests parses every manifest file; a YAML error names the file. */
export function loadManifests(): Manifest[] {
  const manifests: Manifest[] = []
  for (const file of manifestFiles()) {
    for (const doc of parseAllDocuments(readFileSync(join(KUBERNETES_DIR, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`)
      const object = doc.toJS() as KubeObject | null
      if (object !== null) manifests.push({ file, object })
    }
  }
  return manifests
}

/** Container is the part of a container spec the tests read. */
export interface Container {
  readonly name: string
  readonly image?: string
  readonly command?: readonly string[]
  readonly args?: readonly string[]
  readonly env?: ReadonlyArray<{ readonly name: string; readonly value?: string; readonly valueFrom?: Record<string, Record<string, string>> }>
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> }
  readonly securityContext?: Record<string, unknown>
  readonly volumeMounts?: ReadonlyArray<{ readonly name: string; readonly mountPath: string; readonly readOnly?: boolean }>
}

/** PodSpec is the part of a pod template the tests read. */
export interface PodSpec {
  readonly containers: readonly Container[]
  readonly initContainers?: readonly Container[]
  readonly securityContext?: Record<string, unknown>
  readonly volumes?: ReadonlyArray<{ readonly name: string; readonly [source: string]: unknown }>
}

/** podSpecOf returns the pod template of a Job or CronJob, or undefined for other kinds. */
export function podSpecOf(object: KubeObject): PodSpec | undefined {
  const spec = object.spec as { template?: { spec: PodSpec }; jobTemplate?: { spec: { template: { spec: PodSpec } } } } | undefined
  if (object.kind === 'Job') return spec?.template?.spec
  if (object.kind === 'CronJob') return spec?.jobTemplate?.spec.template.spec
  return undefined
}

/** relativeToRepo shortens a path for messages. */
export function relativeToRepo(path: string): string {
  return relative(REPO_ROOT, path)
}
