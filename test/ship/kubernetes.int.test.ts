// deploy/kubernetes with the real tools: kustomize (through kubectl) builds it, TypeScript's
// excess-property check against kubernetes-models' API types finds misspelt fields (the schema
// validators accept unknown ones), sh parses every script, and every slurmbench command line in
// the manifests names a command and flags that the CLI's --help lists.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { helpFlags, slurmbenchInvocations, unknownFlags } from './cli-invocations.ts'
import { KUBERNETES_DIR, loadManifests, podSpecOf, REPO_ROOT } from './manifests.ts'
import { toolGate } from './tools.ts'
import { USER_COMPILER_OPTIONS } from './user-typescript.ts'

const CLI = join(REPO_ROOT, 'bin', 'slurmbench.js')
// The API type of each kind, as kubernetes-models names it.
const API_TYPES: Record<string, readonly [string, string]> = {
  Job: ['kubernetes-models/batch/v1/Job', 'IJob'],
  CronJob: ['kubernetes-models/batch/v1/CronJob', 'ICronJob'],
  ConfigMap: ['kubernetes-models/v1/ConfigMap', 'IConfigMap'],
  Namespace: ['kubernetes-models/v1/Namespace', 'INamespace'],
  PersistentVolumeClaim: ['kubernetes-models/v1/PersistentVolumeClaim', 'IPersistentVolumeClaim'],
  ServiceAccount: ['kubernetes-models/v1/ServiceAccount', 'IServiceAccount'],
}

const manifests = loadManifests()
const scripts = manifests.flatMap(({ file, object }) =>
  (podSpecOf(object)?.containers ?? [])
    .filter((c) => c.command?.join(' ') === '/bin/sh -c')
    .map((c) => ({ where: `${file}: ${c.name}`, script: c.args?.join('\n') ?? '' })),
)

function run(command: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** typeErrors compiles `source` as a file of test/ship (so kubernetes-models resolves) and returns its diagnostics. */
function typeErrors(source: string): string[] {
  const fileName = join(REPO_ROOT, 'test', 'ship', '__manifest_types__.ts')
  const options: ts.CompilerOptions = {
    ...USER_COMPILER_OPTIONS,
    skipLibCheck: true,
    types: [],
  }
  const host = ts.createCompilerHost(options)
  const { getSourceFile, fileExists, readFile } = host
  host.getSourceFile = (name, language, ...rest) =>
    name === fileName ? ts.createSourceFile(name, source, language) : getSourceFile.call(host, name, language, ...rest)
  host.fileExists = (name) => name === fileName || fileExists.call(host, name)
  host.readFile = (name) => (name === fileName ? source : readFile.call(host, name))
  const program = ts.createProgram([fileName], options, host)
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

describe('deploy/kubernetes with kubectl, TypeScript, sh and the CLI', () => {
  const kubectl = toolGate(['kubectl'], 'the kustomize build of deploy/kubernetes')
  describe.skipIf(kubectl.skip)('kubectl kustomize', () => {
    beforeAll(kubectl.assertTools)
    it('builds every object into namespace slurm-exporter with the image set', () => {
      const built = run('kubectl', ['kustomize', KUBERNETES_DIR])
      expect(built.stderr).toBe('')
      expect(built.status).toBe(0)
      const objects = parseAllDocuments(built.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } })
      expect(objects.length).toBe(manifests.length)
      for (const object of objects)
        if (object.kind !== 'Namespace') expect(object.metadata.namespace, `${object.kind} ${object.metadata.name}`).toBe('slurm-exporter')
      expect(built.stdout).not.toMatch(/image: slurmbench\s*$/m)
      expect(built.stdout).toMatch(/image: localhost\/slurmbench:dev/)
    })
  })

  it('uses only fields the Kubernetes API types have', () => {
    const kinds = [...new Set(manifests.map((m) => m.object.kind))]
    const lines = kinds.map((kind) => `import type { ${API_TYPES[kind]?.[1]} } from '${API_TYPES[kind]?.[0]}'`)
    for (const [i, { object }] of manifests.entries()) lines.push(`export const m${i}: ${API_TYPES[object.kind]?.[1]} = ${JSON.stringify(object)}`)
    expect(typeErrors(lines.join('\n'))).toEqual([])
    // The check can fail: a misspelt field is an excess property.
    const misspelt = structuredClone(manifests.find((m) => m.object.kind === 'Job')?.object) as unknown as { spec: Record<string, unknown> }
    misspelt.spec.completion = 2
    expect(typeErrors(`import type { IJob } from 'kubernetes-models/batch/v1/Job'\nexport const m: IJob = ${JSON.stringify(misspelt)}`).join('\n')).toMatch(
      /"completion"' does not exist in type 'IJobSpec'/,
    )
  })

  it('has scripts that sh parses', () => {
    expect(scripts.length).toBeGreaterThan(0)
    for (const { where, script } of scripts) {
      const result = run('sh', ['-n', '-c', script])
      expect(result.stderr, where).toBe('')
      expect(result.status, where).toBe(0)
    }
  })

  it('runs only slurmbench commands and flags that exist', () => {
    const helpCache = new Map<string, { status: number | null; stdout: string }>()
    const help = (path: readonly string[]): { status: number | null; stdout: string } => {
      const key = path.join(' ')
      let known = helpCache.get(key)
      if (known === undefined) {
        known = run(process.execPath, [CLI, ...path, '--help'])
        helpCache.set(key, known)
      }
      return known
    }
    let checked = 0
    for (const { where, script } of scripts) {
      for (const { line, words } of slurmbenchInvocations(script)) {
        const [, command, maybeSub] = words
        expect(command, `${where}: ${line}`).toBeDefined()
        // A subcommand (load merge) has its own help whose usage line names it.
        const sub =
          maybeSub !== undefined &&
          /^[a-z][a-z-]*$/.test(maybeSub) &&
          help([command as string, maybeSub]).stdout.startsWith(`usage: slurmbench ${command} ${maybeSub}`)
        const path = sub ? [command as string, maybeSub as string] : [command as string]
        const text = help(path)
        expect(text.status, `${where}: slurmbench ${path.join(' ')} --help`).toBe(0)
        expect(text.stdout, `${where}: slurmbench ${path.join(' ')} --help`).toMatch(new RegExp(`^usage: slurmbench ${path.join(' ')}`))
        expect(unknownFlags(words.slice(1 + path.length), helpFlags(text.stdout)), `${where}: ${line}`).toEqual([])
        checked++
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15)
    // The check can fail: an invented flag is reported.
    expect(unknownFlags(['--shards', '4'], helpFlags(help(['load']).stdout))).toEqual(['--shards'])
  })
})
