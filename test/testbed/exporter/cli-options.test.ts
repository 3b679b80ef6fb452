import { describe, expect, it } from 'vitest'
import { CliOptionsError, durationMs, parseCliOptions } from '../../../testbed/exporter/cli-options.ts'

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const plan = parseCliOptions(argv, env)
  if (plan.kind !== 'run') throw new Error('expected a run plan')
  return plan
}

describe('exporter CLI options', () => {
  it('defaults to 127.0.0.1, port 9341, all collectors and an embedded mock', () => {
    const plan = run([])
    expect(plan.slurmUrl).toBeUndefined()
    expect(plan.options.host).toBe('127.0.0.1')
    expect(plan.options.port).toBe(9341)
    expect(plan.options.collectors).toBeUndefined()
    expect(plan.options.auth).toEqual({ kind: 'none' })
  })

  it('reads JWT auth from flags or SLURM_USER/SLURM_JWT', () => {
    expect(run(['--user', 'alice', '--token', 't']).options.auth).toEqual({ kind: 'user-token', user: 'alice', token: 't' })
    expect(run([], { SLURM_USER: 'bob', SLURM_JWT: 'e' }).options.auth).toEqual({ kind: 'user-token', user: 'bob', token: 'e' })
    expect(run(['--bearer', '--token', 'b']).options.auth).toEqual({ kind: 'bearer', token: 'b' })
  })

  it('reads --api-version auto by default and any version from v0.0.40 to v0.0.44', () => {
    expect(run([]).options.apiVersion).toBe('auto')
    for (const v of ['v0.0.40', 'v0.0.41', 'v0.0.42', 'v0.0.43', 'v0.0.44']) expect(run(['--api-version', v]).options.apiVersion).toBe(v)
  })

  it('reads tokens from a file, or mints them from the JWT key for --jwt-user (root) for --jwt-lifespan (30m)', () => {
    expect(run(['--token-file', '/run/slurm/token']).options.auth).toEqual({ kind: 'token-file', file: '/run/slurm/token', bearer: false })
    expect(run(['--token-file', 't', '--user', 'alice', '--bearer']).options.auth).toEqual({ kind: 'token-file', file: 't', user: 'alice', bearer: true })
    expect(run(['--jwt-key-file', '/etc/slurm/jwt_hs256.key']).options.auth).toEqual({
      kind: 'jwt-key',
      keyFile: '/etc/slurm/jwt_hs256.key',
      user: 'root',
      lifespanS: 1_800,
      bearer: false,
    })
    expect(run(['--jwt-key-file', 'k', '--jwt-user', 'slurm', '--jwt-lifespan', '15s']).options.auth).toMatchObject({ user: 'slurm', lifespanS: 15 })
    // A file or key given on the command line wins over SLURM_JWT in the environment.
    expect(run(['--token-file', 't'], { SLURM_JWT: 'e' }).options.auth).toMatchObject({ kind: 'token-file' })
    // The user of a JWT without --user is the token's own.
    const jwt = `e30.${Buffer.from(JSON.stringify({ sun: 'slurm' })).toString('base64url')}.sig`
    expect(run(['--token', jwt]).options.auth).toEqual({ kind: 'user-token', user: 'slurm', token: jwt })
  })

  it('parses lists, rules and durations', () => {
    const plan = run([
      '--collectors',
      'nodes,jobs',
      '--deny',
      'slurm_node_.*',
      '--deny',
      'x',
      '--label-rule',
      'replace:user:(.*)-\\d+:$1',
      '--scrape-timeout',
      '2.5s',
      '--per-job',
    ])
    expect(plan.options.collectors).toEqual(['nodes', 'jobs'])
    expect(plan.options.deny).toEqual(['slurm_node_.*', 'x'])
    expect(plan.options.labelRules).toEqual([{ action: 'replace', label: 'user', regex: '(.*)-\\d+', replacement: '$1' }])
    expect(plan.options.scrapeTimeoutMs).toBe(2_500)
    expect(plan.options.perJobSeries).toBe(true)
    expect(durationMs('--x', '1m')).toBe(60_000)
  })

  it('collects in auto mode by default; --refresh-interval alone selects background', () => {
    expect(run([]).options.collectionMode).toBe('auto')
    expect(run([]).options.refreshIntervalMs).toBeUndefined()
    expect(run(['--refresh-interval', '30s']).options).toMatchObject({ collectionMode: 'background', refreshIntervalMs: 30_000 })
    expect(run(['--refresh-interval', '0s']).options.collectionMode).toBe('on-demand')
    expect(run(['--collection-mode', 'on-demand']).options.collectionMode).toBe('on-demand')
    expect(run(['--collection-mode', 'auto', '--refresh-interval', '5s']).options).toMatchObject({ collectionMode: 'auto', refreshIntervalMs: 5_000 })
    expect(run(['--background-timeout', '90s']).options.backgroundTimeoutMs).toBe(90_000)
  })

  const bad: [string[], RegExp][] = [
    [['--collection-mode', 'lazy'], /^--collection-mode: found "lazy", expected one of auto, on-demand, background$/],
    [
      ['--collection-mode', 'on-demand', '--refresh-interval', '10s'],
      /^--refresh-interval: applies to background and auto collection, not --collection-mode on-demand$/,
    ],
    [['--background-timeout', '0s'], /^--background-timeout: found "0s", expected a duration above 0$/],
    [['--slurm-url', 'localhost:6820'], /--slurm-url: found "localhost:6820", expected an http/],
    [['--api-version', 'v0.0.39'], /--api-version: found "v0.0.39"/],
    [['--collectors', 'nodes,gpus'], /--collectors: found "gpus"/],
    [['--port', '70000'], /--port: found "70000", expected an integer from 0 to 65535/],
    [['--scrape-timeout', 'soon'], /--scrape-timeout: found "soon", expected a duration/],
    [['--label-rule', 'rename:user'], /--label-rule: found "rename:user"/],
    [['--token', 't'], /needs a user name/],
    [['--regex-engine', 'pcre'], /--regex-engine: found "pcre"/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['--token', 'a', '--token-file', 'f'], /^--token and --token-file: give one source of tokens, not 2$/],
    [['--token-file', 'f', '--jwt-key-file', 'k'], /^--token-file and --jwt-key-file: give one source of tokens/],
    [['--jwt-user', 'slurm'], /^--jwt-user: applies to minted tokens; give --jwt-key-file too$/],
    [['--jwt-key-file', 'k', '--jwt-lifespan', '1s'], /^--jwt-lifespan: found "1s", expected at least 2s$/],
    [['--bearer'], /^--bearer: no token; set --token-file, --token or SLURM_JWT$/],
    [['--api-version', 'v0.0.45'], /^--api-version: found "v0.0.45", expected auto or one of v0.0.40, v0.0.41, v0.0.42, v0.0.43, v0.0.44$/],
    [['--allow', '('], /^--allow: invalid pattern "\(" for re2: /],
    [['--deny', 'a)|(b'], /^--deny: invalid pattern "a\)\|\(b" for re2: /],
    [['--regex-engine', 'regexp', '--allow', '['], /^--allow: invalid pattern "\[" for regexp: /],
    [['--label-rule', 'drop:user:(x'], /^--label-rule: invalid pattern "\(x" for re2: /],
  ]
  for (const [argv, message] of bad) {
    it(`rejects ${argv.join(' ')} with one line naming the flag`, () => {
      expect(() => parseCliOptions(argv, {})).toThrow(CliOptionsError)
      expect(() => parseCliOptions(argv, {})).toThrow(message)
    })
  }

  it('quotes a bad pattern as the user wrote it, never in its anchored form', () => {
    for (const engine of ['re2', 'regexp']) {
      expect(() => parseCliOptions(['--regex-engine', engine, '--allow', '('], {})).toThrow(CliOptionsError)
      expect(() => parseCliOptions(['--regex-engine', engine, '--allow', '('], {})).not.toThrow(/\^\(\?:/)
    }
  })
})
