// Go's own testing package on the same four workloads (benchmarks/self/go-reference): what the
// reference implementation of the b.N method reads on the same machine is the floor any
// harness's figures there can be held to.
import { join } from 'node:path'
import { type GoBenchResult, parseGoBench } from '../results/gofmt-read.ts'
import { allOutput, describeExit, type ProcessOutcome, REPO_ROOT, runProcess } from './processes.ts'
import { median } from './statistics.ts'
import { failed, SELF_WORKLOADS, type Job, type JobOutcome, type SelfSettings } from './types.ts'

/**
 * GO_REFERENCE_DIR is the Go package. Its binary runs in this folder, as `go test` runs a test
 * binary in its package's folder, so the JSON workload reads testdata/nodes.json there: the
 * bytes the JavaScript tools parse (a unit test holds the file equal to them).
 */
const GO_REFERENCE_DIR = join(REPO_ROOT, 'benchmarks', 'self', 'go-reference')

/** GoReference is the compiled Go test binary of benchmarks/self/go-reference and the environment it runs in. */
export interface GoReference {
  readonly binary: string
  readonly env: NodeJS.ProcessEnv
}

/**
 * buildGoReference compiles the Go workloads once (`go test -c`), so that no compilation is
 * timed. It returns a message for the user when there is no Go toolchain or the build fails.
 */
export async function buildGoReference(scratchDir: string): Promise<GoReference | string> {
  const binary = join(scratchDir, 'selfreference.test')
  // Go needs a build cache; a bare environment (no HOME) has no default one.
  const env: NodeJS.ProcessEnv =
    process.env.HOME === undefined && process.env.XDG_CACHE_HOME === undefined && process.env.GOCACHE === undefined
      ? { ...process.env, GOCACHE: join(scratchDir, 'go-cache') }
      : { ...process.env }
  let outcome: ProcessOutcome
  try {
    outcome = await runProcess(['test', '-c', '-o', binary, '.'], { command: 'go', env, cwd: GO_REFERENCE_DIR })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return 'no go command on PATH (Debian: apt-get install golang-go); drop go from -tools to run without it'
    return `cannot run go: ${(err as Error).message}`
  }
  if (outcome.code !== 0) return `go test -c in ${GO_REFERENCE_DIR} failed: ${describeExit(outcome, allOutput(outcome))}`
  return { binary, env }
}

/** runGo runs one workload through Go's test binary and reads its Go-format result lines. */
export async function runGo(job: Job, settings: SelfSettings, reference: GoReference): Promise<JobOutcome> {
  const benchName = SELF_WORKLOADS[job.workload]
  const args = ['-test.run', '^$', '-test.bench', `^${benchName}$`]
  if (settings.benchtime !== undefined) args.push('-test.benchtime', settings.benchtime)
  if (settings.count !== undefined) args.push('-test.count', String(settings.count))
  const outcome = await runProcess(args, { command: reference.binary, env: reference.env, cwd: GO_REFERENCE_DIR })
  // A Go benchmark reports its failures on stdout.
  if (outcome.code !== 0) return failed(job, `go: ${describeExit(outcome, allOutput(outcome))}`)
  let results: readonly GoBenchResult[]
  try {
    results = parseGoBench(outcome.stdout, 'go test output').results
  } catch (err) {
    return failed(job, `go: ${(err as Error).message}`)
  }
  // Go names the line BenchmarkX-<GOMAXPROCS>.
  const nsPerOp = results
    .filter((r) => r.name === benchName || r.name.startsWith(`${benchName}-`))
    .flatMap((r) => r.values.filter((v) => v.unit === 'ns/op').map((v) => v.value))
  const centreNs = median(nsPerOp)
  if (centreNs === undefined) return failed(job, `go: no ns/op line for ${benchName} in its output`)
  return { ok: true, measurement: { ...job, centreNs, wallMs: outcome.wallMs, samples: nsPerOp.length } }
}
