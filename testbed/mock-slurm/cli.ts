// The mock slurmrestd as a command: `slurmbench mock-slurm --preset large --port 6820` (or run
// directly: `npm run mock-slurm -- …`). Flags are parsed with node's util.parseArgs (testbed/ does
// not import the harness's parser).
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { DEFAULT_TOKEN_LIFESPAN_SEC } from './auth.ts'
import { isPresetName, PRESETS } from './cluster/presets.ts'
import { type FaultSpec, FaultSpecError, parseFaultSpec } from './faults.ts'
import { type LogLevel, type MockSlurm, type MockSlurmOptions, startMockSlurm } from './server.ts'
import { isReleaseName, RELEASES } from './releases.ts'
import { SUPPORTED_VERSIONS } from './versions.ts'

const USAGE = `usage: mock-slurm [flags]

A slurmrestd look-alike (data parsers ${SUPPORTED_VERSIONS.join(', ')}) serving a generated cluster.

  --host ADDR            address to bind (default 127.0.0.1)
  --port N               port (default 6820; 0 picks a free one)
  --preset NAME          cluster size: ${Object.entries(PRESETS)
    .map(([k, v]) => `${k} (${v.nodes} nodes/${v.jobs} jobs)`)
    .join(', ')} (default small)
  --nodes N, --jobs N, --users N
                         override the preset's counts (users ≤ 5000)
  --seed N               generator seed (default 1)
  --cluster-name NAME    cluster name in responses (default cluster)
  --epoch SECONDS        generation time as a UNIX timestamp (default now)
  --change-rate N        state changes per second (jobs start/end, nodes drain; default 2)
  --frozen               keep the cluster still (no changes over time)
  --slurm RELEASE        pose as a release line: ${Object.keys(RELEASES).join(', ')} (its data parser
                         versions, meta release and error wording; default: 25.11.0 in meta,
                         every version served)
  --no-accounting        no slurmdbd: /slurmdb/ paths unknown, /shares empty with a warning
  --no-licenses          no licences configured: /licenses empty with a warning
  --no-auth              accept requests without a JWT
  --jwt-key KEY          HS256 key for tokens (default: the mock's built-in key)
  --print-token          print a root token after the listening line
  --token-lifespan SEC   lifespan of the printed token (default ${DEFAULT_TOKEN_LIFESPAN_SEC})
  --json pretty|compact  body format (default: $SLURMRESTD_JSON, else pretty)
  --faults SPEC          server-wide faults, e.g. "latency=50ms..200ms;error-rate=0.01"
                         keys: latency (200ms | 50ms..300ms | exp:100ms | realistic), error-rate,
                         error-status, slurm-error-rate, slurm-error-status, hang-rate, reset-rate,
                         truncate-rate, slow-body (e.g. 100KB/s), slurmctld-down (on | 2s | off:
                         wait 9 s or the given time, then 502 with Slurm error 1800)
  --realistic-latency    shorthand for --faults latency=realistic
  --no-fault-header      ignore the per-request X-Mock-Fault header
  --log-level LEVEL      error, info or debug (requests are logged at debug; default info)
  -h, --help             show this help

On start it prints "listening on http://HOST:PORT" on stdout. SIGINT or SIGTERM stops it.
`

class UsageError extends Error {}

function intFlag(value: string | undefined, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
    const kind = min > 0 ? 'a positive integer' : 'an integer'
    throw new UsageError(`--${flag}: "${value}" is not ${kind} from ${min} to ${max}`)
  }
  return n
}

// STRING_FLAGS take a value; a value that starts with a dash (`--nodes -5`) would otherwise make
// parseArgs answer "argument is ambiguous" without naming what was expected.
const STRING_FLAGS = new Set([
  'host',
  'port',
  'preset',
  'nodes',
  'jobs',
  'users',
  'seed',
  'cluster-name',
  'epoch',
  'change-rate',
  'slurm',
  'jwt-key',
  'token-lifespan',
  'json',
  'faults',
  'log-level',
])

/** joinDashValues rewrites `--flag -5` as `--flag=-5` for flags that take a value, so the value is checked as a value. */
function joinDashValues(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const next = argv[i + 1]
    if (arg.startsWith('--') && STRING_FLAGS.has(arg.slice(2)) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`)
      i++
    } else out.push(arg)
  }
  return out
}

function numberFlag(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new UsageError(`--${flag}: "${value}" is not a number ≥ ${min}`)
  return n
}

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  preset: { type: 'string' },
  nodes: { type: 'string' },
  jobs: { type: 'string' },
  users: { type: 'string' },
  seed: { type: 'string' },
  'cluster-name': { type: 'string' },
  epoch: { type: 'string' },
  'change-rate': { type: 'string' },
  frozen: { type: 'boolean' },
  'no-auth': { type: 'boolean' },
  'jwt-key': { type: 'string' },
  'print-token': { type: 'boolean' },
  'token-lifespan': { type: 'string' },
  json: { type: 'string' },
  faults: { type: 'string' },
  'realistic-latency': { type: 'boolean' },
  'no-fault-header': { type: 'boolean' },
  'log-level': { type: 'string' },
  slurm: { type: 'string' },
  'no-accounting': { type: 'boolean' },
  'no-licenses': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** parseCli turns argv and the environment into server options, or throws UsageError. */
function parseCli(argv: string[], env: NodeJS.ProcessEnv): { options: MockSlurmOptions; printToken: boolean; tokenLifespanSec: number } | 'help' {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: false }>>
  try {
    parsed = parseArgs({
      args: joinDashValues(argv),
      allowPositionals: false,
      options: OPTIONS,
    })
  } catch (err) {
    const message = (err as Error).message
    // parseArgs' "argument is ambiguous": a value flag followed by something that looks like a flag.
    const ambiguous = /^Option '(--[\w-]+)/.exec(message)
    if (ambiguous !== null && message.includes('ambiguous'))
      throw new UsageError(`${ambiguous[1]}: expected a value after it, found an option (write ${ambiguous[1]}=VALUE for a value that starts with "-")`)
    throw new UsageError(message.split('\n')[0] ?? String(err))
  }
  const v = parsed.values
  if (v.help === true) return 'help'
  const preset = v.preset ?? 'small'
  if (!isPresetName(preset)) throw new UsageError(`--preset: "${preset}" is not a preset (expected one of ${Object.keys(PRESETS).join(', ')})`)
  const json = v.json ?? env.SLURMRESTD_JSON ?? 'pretty'
  if (json !== 'pretty' && json !== 'compact') throw new UsageError(`--json (or SLURMRESTD_JSON): "${json}" is neither pretty nor compact`)
  const slurm = v.slurm
  if (slurm !== undefined && !isReleaseName(slurm))
    throw new UsageError(`--slurm: "${slurm}" is not a release line (expected one of ${Object.keys(RELEASES).join(', ')})`)
  const logLevel = v['log-level'] ?? 'info'
  if (!['error', 'info', 'debug'].includes(logLevel)) throw new UsageError(`--log-level: "${logLevel}" is not error, info or debug`)
  let faultText = v.faults ?? ''
  if (v['realistic-latency'] === true) faultText = `latency=realistic;${faultText}`
  let faults: FaultSpec
  try {
    faults = parseFaultSpec(faultText)
  } catch (err) {
    if (err instanceof FaultSpecError) throw new UsageError(`--faults: ${err.message}`)
    throw err
  }
  const options: MockSlurmOptions = {
    host: v.host ?? '127.0.0.1',
    port: intFlag(v.port, 'port', 0, 65_535) ?? 6820,
    preset,
    nodes: intFlag(v.nodes, 'nodes', 3, 1_000_000),
    jobs: intFlag(v.jobs, 'jobs', 0, 10_000_000),
    users: intFlag(v.users, 'users', 1, 5_000),
    seed: intFlag(v.seed, 'seed', 0, 0xffff_ffff) ?? 1,
    clusterName: v['cluster-name'] ?? 'cluster',
    epochSec: intFlag(v.epoch, 'epoch', 0, 4_294_967_295),
    changeRatePerSec: numberFlag(v['change-rate'], 'change-rate', 0),
    frozenClock: v.frozen === true,
    auth: v['no-auth'] !== true,
    jwtKey: v['jwt-key'],
    json,
    faults,
    allowFaultHeader: v['no-fault-header'] !== true,
    slurm,
    accounting: v['no-accounting'] !== true,
    licenses: v['no-licenses'] !== true,
    logLevel: logLevel as LogLevel,
  }
  for (const key of Object.keys(options) as Array<keyof MockSlurmOptions>) if (options[key] === undefined) delete options[key]
  return { options, printToken: v['print-token'] === true, tokenLifespanSec: intFlag(v['token-lifespan'], 'token-lifespan', 1) ?? DEFAULT_TOKEN_LIFESPAN_SEC }
}

/** run serves the mock as argv says until SIGINT or SIGTERM, then resolves to the exit code (2: bad flags). */
export async function run(argv: readonly string[]): Promise<number> {
  let cli: ReturnType<typeof parseCli>
  try {
    cli = parseCli([...argv], process.env)
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`mock-slurm: ${err.message}\n(run with --help for usage)\n`)
      return 2
    }
    throw err
  }
  if (cli === 'help') {
    process.stdout.write(USAGE)
    return 0
  }
  const { options } = cli
  const info = options.logLevel !== 'error' ? (line: string) => process.stderr.write(line + '\n') : () => {}
  const t0 = performance.now()
  let mock: MockSlurm
  try {
    mock = await startMockSlurm(options)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') {
      process.stderr.write(`mock-slurm: cannot listen on ${options.host}:${options.port}: ${e.code} (pick another --port or --host)\n`)
      return 2
    }
    if (err instanceof RangeError) {
      process.stderr.write(`mock-slurm: ${err.message}\n`)
      return 2
    }
    throw err
  }
  const c = mock.cluster
  info(
    `mock-slurm: cluster "${c.name}" seed ${c.seed}: ${c.nodes.count} nodes, ${c.jobs.count} jobs, ${c.users.length} users, generated in ${(performance.now() - t0).toFixed(0)} ms; auth ${options.auth === false ? 'off' : 'jwt'}; ${options.json} JSON`,
  )
  process.stdout.write(`listening on ${mock.url}\n`)
  if (cli.printToken) process.stdout.write(`X-SLURM-USER-TOKEN=${mock.token('root', cli.tokenLifespanSec)}\n`)
  return new Promise((done) => {
    let stopping = false
    const stop = (signal: string) => {
      if (stopping) return
      stopping = true
      info(`mock-slurm: ${signal}, stopping after ${mock.requests} requests`)
      void mock.close().then(() => done(0))
    }
    process.on('SIGINT', () => stop('SIGINT'))
    process.on('SIGTERM', () => stop('SIGTERM'))
  })
}

// Run directly (npm run mock-slurm, the child-process launcher) rather than imported by the CLI.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void run(process.argv.slice(2)).then((code) => process.exit(code))
}
