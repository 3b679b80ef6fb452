// The package as an exporter team gets it: `npm pack` here, `npm i -D ./slurmbench-x.y.z.tgz` in a
// fresh project, then the commands from there — bench on the project's own TypeScript and
// JavaScript benchmarks, compare, ab, load --target against mock-slurm and exporter started as
// slurmbench commands (each one process: killing its pid stops it) — and the project's code
// type-checked against the shipped .d.ts.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { gzipSync } from 'node:zlib'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectCleanLoadRun } from './load-run.ts'
import { REPO_ROOT } from './manifests.ts'
import { USER_COMPILER_OPTIONS } from './user-typescript.ts'

const PROJECT_NAME = 'my-exporter'
const INSTALL_TIMEOUT_MS = 15 * 60_000
const SERVER_STOP_TIMEOUT_MS = 15_000

let work: string
let project: string
let tarball: string
const started: ChildProcess[] = []

function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? project,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

function npx(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  return run('npx', ['--no-install', 'slurmbench', ...args])
}

/** startServer runs node_modules/.bin/slurmbench <command> and resolves to its URL, read from its output. */
function startServer(args: readonly string[], pattern: RegExp, stream: 'stdout' | 'stderr'): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(join(project, 'node_modules', '.bin', 'slurmbench'), args, { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`slurmbench ${args.join(' ')} did not start: ${output}`)), 60_000)
    child.once('exit', (code) => reject(new Error(`slurmbench ${args.join(' ')} exited with ${code}: ${output}`)))
    createInterface({ input: child[stream] as NodeJS.ReadableStream }).on('line', (line) => {
      output += `${line}\n`
      const match = pattern.exec(line)
      if (match === null) return
      clearTimeout(timer)
      resolve({ child, url: match[1] as string })
    })
  })
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

function portClosed(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })
}

/**
 * typeErrors type-checks files of the project as its own TypeScript would, `slurmbench` resolving
 * to the installed package; with `checkDeclarations`, the shipped .d.ts files are checked too.
 */
function typeErrors(files: readonly string[], checkDeclarations = true): { errors: string[]; apiDeclaration: string | undefined } {
  const options: ts.CompilerOptions = {
    ...USER_COMPILER_OPTIONS,
    skipLibCheck: !checkDeclarations,
    types: ['node'],
    typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
  }
  const program = ts.createProgram(
    files.map((file) => join(project, file)),
    options,
  )
  const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
  const apiDeclaration = program
    .getSourceFiles()
    .map((f) => f.fileName)
    .find((name) => name.includes('/node_modules/slurmbench/'))
  return { errors, apiDeclaration }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'slurmbench-ship-'))
  project = join(work, PROJECT_NAME)
  mkdirSync(join(project, 'benchmarks', 'parse'), { recursive: true })
  mkdirSync(join(project, 'benchmarks', 'plain'), { recursive: true })
  mkdirSync(join(project, 'types'), { recursive: true })
  // npm pack runs prepack, which builds dist/.
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
  ) as Array<{ filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> }>
  const info = packed[0] as (typeof packed)[number]
  tarball = join(project, info.filename)
  process.stderr.write(`package: ${info.filename}, ${info.size} bytes packed, ${info.unpackedSize} bytes unpacked, ${info.files.length} files\n`)
  writeFileSync(join(work, 'files.json'), JSON.stringify(info.files.map((f) => f.path)))

  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: PROJECT_NAME, version: '1.0.0', private: true, type: 'module' }, null, 2))
  writeFileSync(join(project, '.gitignore'), 'node_modules/\n*.tgz\n*.txt\n*.json.out\n')
  writeFileSync(
    join(project, 'benchmarks', 'parse', 'split.bench.ts'),
    [
      "import { type B, sink } from 'slurmbench'",
      "const line = 'cn001,cn002,cn003,cn004,cn005,cn006,cn007,cn008'",
      'export function BenchmarkSplit(b: B): void {',
      "  for (let i = 0; i < b.N; i++) sink(line.split(','))",
      '}',
    ].join('\n'),
  )
  writeFileSync(
    join(project, 'benchmarks', 'plain', 'sum.bench.js'),
    [
      "import { sink } from 'slurmbench'",
      'export function BenchmarkSum(b) {',
      '  let total = 0',
      '  for (let i = 0; i < b.N; i++) total += i',
      '  sink(total)',
      '}',
    ].join('\n'),
  )
  copyFileSync(join(REPO_ROOT, 'test', 'ship', 'api-types.ts'), join(project, 'types', 'api-types.ts'))

  // re2 would compile from source for minutes; its installer takes a prebuilt addon from a mirror,
  // and this checkout's (same Node ABI) is that prebuilt addon. Every other file comes from the tarball.
  const mirror = join(work, 're2-mirror')
  mkdirSync(mirror)
  writeFileSync(
    join(mirror, `${process.platform}-${process.arch}-${process.versions.modules}.gz`),
    gzipSync(readFileSync(join(REPO_ROOT, 'node_modules', 're2', 'build', 'Release', 're2.node'))),
  )
  const installed = run('npm', ['i', '-D', '--prefer-offline', '--no-audit', '--no-fund', `./${info.filename}`], {
    cwd: project,
    env: { RE2_DOWNLOAD_MIRROR: mirror, RE2_DOWNLOAD_SKIP_PATH: '1', RE2_DOWNLOAD_SKIP_VER: '1' },
    timeoutMs: INSTALL_TIMEOUT_MS,
  })
  if (installed.status !== 0) throw new Error(`npm i failed (${installed.status}): ${installed.stderr}`)
}, INSTALL_TIMEOUT_MS + 300_000)

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  if (work !== undefined) rmSync(work, { recursive: true, force: true })
})

describe('the packed package in a fresh project', () => {
  it('ships compiled JavaScript and declarations, no TypeScript sources', () => {
    const files = JSON.parse(readFileSync(join(work, 'files.json'), 'utf8')) as string[]
    expect(files).toContain('dist/harness/api.js')
    expect(files).toContain('dist/harness/api.d.ts')
    expect(files).toContain('dist/harness/cli/main.js')
    expect(files).toContain('bin/slurmbench.js')
    expect(files.filter((f) => /(?<!\.d)\.[mc]?ts$/.test(f))).toEqual([])
    expect(files.filter((f) => f.startsWith('test/') || f.includes('.test.'))).toEqual([])
    expect(statSync(tarball).size).toBeGreaterThan(0)
  })

  it("runs the project's TypeScript and JavaScript benchmarks, naming the project's packages", () => {
    const bench = npx(['bench', '-benchtime', '10x', '-count', '2', '-o', 'a.txt'])
    expect(bench.stderr).not.toMatch(/Error|error:/)
    expect(bench.status).toBe(0)
    expect(bench.stdout).toMatch(/^pkg: my-exporter\/benchmarks\/parse$/m)
    expect(bench.stdout).toMatch(/^pkg: my-exporter\/benchmarks\/plain$/m)
    expect(bench.stdout).toMatch(/^BenchmarkSplit\s+10\s+[\d.]+ ns\/op$/m)
    expect(bench.stdout).toMatch(/^BenchmarkSum\s+10\s+[\d.]+ ns\/op$/m)
    expect(bench.stdout).not.toContain(work)
    expect(bench.stdout).toMatch(/^PASS$/m)
  })

  it('compares two runs', () => {
    expect(npx(['bench', '-benchtime', '10x', '-count', '2', '-o', 'b.txt']).status).toBe(0)
    const compare = npx(['compare', 'a.txt', 'b.txt'])
    expect(compare.stderr).toBe('')
    expect(compare.status).toBe(0)
    expect(compare.stdout).toMatch(/^Split\s/m)
    expect(compare.stdout).toMatch(/^Sum\s/m)
  })

  it('runs ab against a base commit of the project', () => {
    for (const args of [
      ['init', '-q'],
      ['add', '.'],
      ['-c', 'user.name=ship', '-c', 'user.email=ship@example.invalid', 'commit', '-q', '-m', 'base'],
    ]) {
      expect(run('git', args).status, `git ${args.join(' ')}`).toBe(0)
    }
    const ab = npx(['ab', '--base', 'HEAD', '-count', '2', '-max-count', '2', '-benchtime', '10x'])
    expect(ab.stderr).not.toMatch(/slurmbench ab: /)
    expect(ab.status).toBe(0)
    expect(ab.stdout).toMatch(/^verdicts: head@[0-9a-f]{12} vs base@[0-9a-f]{12}/m)
    expect(ab.stdout).toMatch(/^Split\s+sec\/op/m)
    expect(ab.stdout).toMatch(/^Sum\s+sec\/op/m)
  })

  it('load-tests an exporter and a mock started as slurmbench commands, and killing each pid stops it', async () => {
    const mock = await startServer(['mock-slurm', '--port', '0', '--preset', 'tiny', '--no-auth'], /^listening on (http:\/\/\S+)/, 'stdout')
    const exporter = await startServer(['exporter', '--slurm-url', mock.url, '--port', '0'], /serving (http:\/\/[\d.:]+)\/metrics/, 'stderr')
    const load = npx(['load', 'baseline', '--target', exporter.url, '--duration-scale', '0.005', '--out', 'load.json.out'])
    expectCleanLoadRun(load, join(project, 'load.json.out'))

    for (const server of [exporter, mock]) {
      expect(server.child.pid).toBeDefined()
      process.kill(server.child.pid as number, 'SIGTERM')
      const code = await Promise.race([
        exited(server.child),
        new Promise<string>((resolve) => setTimeout(() => resolve('still running'), SERVER_STOP_TIMEOUT_MS)),
      ])
      expect(code).toBe(0)
      expect(await portClosed(server.url)).toBe(true)
    }
  }, 180_000)

  it("type-checks the project's code against the shipped declarations", () => {
    const { errors, apiDeclaration } = typeErrors(['types/api-types.ts', 'benchmarks/parse/split.bench.ts'])
    expect(errors).toEqual([])
    expect(apiDeclaration).toMatch(/node_modules\/slurmbench\/dist\/harness\/api\.d\.ts$/)
    // The check can fail: misuse of the API is a type error.
    writeFileSync(
      join(project, 'types', 'misuse.ts'),
      "import type { B } from 'slurmbench'\nexport function BenchmarkBad(b: B): void { b.reportMetric('fast', 'x/op') }\n",
    )
    expect(typeErrors(['types/misuse.ts'], false).errors.join('\n')).toMatch(/not assignable to parameter of type 'number'/)
  })
})
