// `slurmbench nightly`: the night's whole job in one command, so GitHub Actions, GitLab, Jenkins
// and a Kubernetes CronJob get the same result. Each step is also a command of its own:
//
//   1. judge: `ab --base <last judged night's commit> --profile` — the paired verdict, the one
//      that alerts, with CPU/allocation profiles of what regressed (the first night has no base:
//      `bench` only, no verdict);
//   2. load:  `load <scenario>` scaled, judged against its SLA;
//   3. record: `history add` of tonight's benchmark and load results;
//   4. trend: `history trend` (level shifts, canary-labelled) and `report html`;
//   5. publish: `push` to a Pushgateway when one is set;
//   6. alert: on a regression or a failed SLA, one GitHub issue (opened or updated) and a webhook.
//
// Steps run as child processes of this same CLI, so each prints what it prints on its own and a
// crash in one is reported, not fatal to the rest; tonight's files stay in -out.
import { spawn } from 'node:child_process'
import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { InputError } from '../../common/input-error.ts'
import { fingerprintOf, machineClassOf } from '../baseline/fingerprint.ts'
import { GitHubClient } from '../publish/github-client.ts'
import { upsertAlertIssue } from '../publish/alert-issue.ts'
import { resolveAuthor } from '../publish/sticky-comment.ts'
import { postWebhook, resolveWebhook } from '../publish/webhook.ts'
import { writeFileAtomic } from '../results/atomic-file.ts'
import { parseDurationNs } from '../results/duration.ts'
import { collectEnvironment } from '../run/environment.ts'
import { type Command, EXIT_FAILED, EXIT_OK } from './command.ts'
import { type FlagSpecs, parseArgs, printUsage, UsageError } from './flags.ts'
import { DEFAULT_HISTORY_DIR } from './history.ts'
import { GATEWAY_ENV } from './push.ts'

/** DEFAULT_LOAD_SCENARIO is the load test a night runs unless -load says otherwise. */
export const DEFAULT_LOAD_SCENARIO = 'baseline'
/** DEFAULT_LOAD_DURATION_SCALE scales the 10-minute baseline scenario to 30 s. */
export const DEFAULT_LOAD_DURATION_SCALE = 0.05
/**
 * DEFAULT_NIGHTLY_BENCHTIME is the PR gate's -benchtime: the nightly verdict's false-alarm and
 * detection rates were measured with doctor at it and at -count 6 -max-count 12 (docs/performance.md).
 */
export const DEFAULT_NIGHTLY_BENCHTIME = '100ms'
/**
 * DEFAULT_NIGHTLY_TIMEOUT bounds each bench run, so each of ab's rounds: with -benchmem a round of
 * the default set took 11 min 29 s on the 2-core machine (docs/performance.md), past bench's 10m.
 */
export const DEFAULT_NIGHTLY_TIMEOUT = '30m'

const FLAGS: FlagSpecs = {
  history: { kind: 'string', valueName: 'dir', help: `history folder (default ${DEFAULT_HISTORY_DIR})` },
  out: { kind: 'string', valueName: 'dir', help: "tonight's files: results, comparison, report (default reports/nightly/<date>)" },
  base: { kind: 'string', valueName: 'ref', help: "judge against this commit (default: the last judged night's, kept in <history>/<class>.nightly.json)" },
  bench: { kind: 'string', valueName: 'regexp', help: 'benchmarks to run, as bench -bench (default all)' },
  benchtime: {
    kind: 'string',
    valueName: 'd',
    help: 'time per sample, as bench -benchtime (default 100ms, as the PR gate: the rates in docs/performance.md were measured at it)',
  },
  timeout: {
    kind: 'string',
    valueName: 'd',
    help: `each bench run's -timeout, as bench -timeout: with a verdict, each of ab's rounds (default ${DEFAULT_NIGHTLY_TIMEOUT}; a round of the default set takes ~11 min)`,
  },
  count: { kind: 'integer', valueName: 'n', help: 'rounds per side before the first judgement, as ab -count (default 6)' },
  'max-count': { kind: 'integer', valueName: 'n', help: 'most rounds per side, as ab -max-count (default 12)' },
  load: { kind: 'string', valueName: 'scenario|none', help: `load scenario to run (default ${DEFAULT_LOAD_SCENARIO}); none skips it` },
  'load-duration-scale': { kind: 'number', valueName: 'x', help: `scale of the load scenario's durations (default ${DEFAULT_LOAD_DURATION_SCALE})` },
  gateway: { kind: 'string', valueName: 'url', help: `push tonight's results to this Pushgateway (default $${GATEWAY_ENV}; none when unset)` },
  'webhook-url-file': {
    kind: 'string',
    valueName: 'file',
    help: 'post alerts to the webhook URL in this file (default $SLURMBENCH_WEBHOOK_URL; none when unset)',
  },
  issue: { kind: 'boolean', help: 'on a regression open or update one GitHub issue (needs GITHUB_TOKEN and GITHUB_REPOSITORY)' },
  pages: { kind: 'string', valueName: 'dir', help: 'also copy the report to <dir>/index.html (a GitHub Pages folder)' },
  profile: {
    kind: 'boolean',
    help: 'profile what regressed, as ab --profile, into <out>/comparison.json.profiles (default true; -profile=false skips it)',
  },
}

const DESCRIPTION = `Runs tonight's benchmarks against the last judged night's commit with ab's paired design (the verdict
that alerts), a scaled load test, records both in the history, finds level shifts, writes the HTML report,
pushes to a Pushgateway and alerts (one GitHub issue, a webhook) on a regression or a failed SLA.
Every step is a slurmbench command of its own: ab, load, history add, history trend, report html, push.
Exit status: 0 nothing regressed, 1 a regression or a failed load test, 2 bad flags.`

interface NightState {
  readonly lastJudgedCommit: string
  readonly time: string
}

function stamp(started: number): string {
  return `+${Math.round((Date.now() - started) / 1000)}s`
}

// Runs this CLI with `args`, passing its output through; resolves to the exit code.
function runStep(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const cli = process.argv[1] as string
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit', env })
    child.once('error', () => resolve(EXIT_FAILED))
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? EXIT_FAILED : 128 + 2)))
  })
}

async function readState(path: string): Promise<NightState | undefined> {
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as Partial<NightState>
    if (typeof state.lastJudgedCommit !== 'string') throw new InputError(`${path}: no "lastJudgedCommit"; delete the file to start again without a base`)
    return state as NightState
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    if (err instanceof InputError) throw err
    throw new InputError(`${path}: not JSON (${(err as Error).message}); delete the file to start again without a base`)
  }
}

async function commitOf(resultsPath: string): Promise<string | undefined> {
  try {
    const doc = JSON.parse(await readFile(resultsPath, 'utf8')) as { environment?: { commit?: string; dirty?: boolean } }
    return doc.environment?.dirty === true ? undefined : doc.environment?.commit
  } catch {
    return undefined
  }
}

function alertText(lines: readonly string[], reportPath: string): string {
  const run =
    process.env.GITHUB_RUN_ID === undefined
      ? ''
      : `\nWorkflow run: ${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`
  return `slurmbench nightly: ${lines.join('; ')}.\nReport: ${reportPath}${run}`
}

export const command: Command = {
  summary: "the night's job: paired verdict against last night, load test, history, trend, report, push, alerts",
  async run(argv) {
    const args = parseArgs(argv, FLAGS)
    if (args.help) return printUsage('slurmbench nightly [flags] [files or folders…]', DESCRIPTION, FLAGS)
    const started = Date.now()
    const historyDir = (args.flags.history as string | undefined) ?? DEFAULT_HISTORY_DIR
    const out = (args.flags.out as string | undefined) ?? join('reports', 'nightly', new Date().toISOString().slice(0, 10))
    const loadScenario = (args.flags.load as string | undefined) ?? DEFAULT_LOAD_SCENARIO
    const loadScale = (args.flags['load-duration-scale'] as number | undefined) ?? DEFAULT_LOAD_DURATION_SCALE
    if (!(loadScale > 0)) throw new UsageError(`flag -load-duration-scale: expected a number above 0, found ${loadScale}`)
    const timeout = (args.flags.timeout as string | undefined) ?? DEFAULT_NIGHTLY_TIMEOUT
    const timeoutNs = parseDurationNs(timeout)
    if (timeoutNs === undefined || timeoutNs < 0) throw new UsageError(`flag -timeout: expected a duration such as 10m or 30s, found "${timeout}"`)
    const gateway = (args.flags.gateway as string | undefined) ?? process.env[GATEWAY_ENV]
    const webhook = await resolveWebhook(args.flags['webhook-url-file'] as string | undefined)
    const wantIssue = args.flags.issue === true
    const token = process.env.GITHUB_TOKEN
    const repository = process.env.GITHUB_REPOSITORY
    if (wantIssue && (token === undefined || token === '' || repository === undefined || !/^[^/]+\/[^/]+$/.test(repository))) {
      throw new UsageError('-issue needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name) in the environment')
    }
    await mkdir(out, { recursive: true })
    await mkdir(historyDir, { recursive: true })

    const env = await collectEnvironment([], process.cwd())
    const machineClass = machineClassOf(fingerprintOf(env))
    const statePath = join(historyDir, `${machineClass}.nightly.json`)
    const base = (args.flags.base as string | undefined) ?? (await readState(statePath))?.lastJudgedCommit
    const benchResults = join(out, 'bench.json')
    const comparison = join(out, 'comparison.json')
    const passthrough: string[] = ['-benchtime', (args.flags.benchtime as string | undefined) ?? DEFAULT_NIGHTLY_BENCHTIME, '-benchmem']
    if (args.flags.bench !== undefined) passthrough.push('-bench', args.flags.bench as string)
    passthrough.push('-timeout', timeout)
    const problems: string[] = []

    // 1. The paired verdict against the last judged night (or a plain first night).
    let judged = false
    if (base === undefined) {
      process.stderr.write(`nightly ${stamp(started)}: no earlier night for machine class ${machineClass}: recording tonight without a verdict\n`)
      const code = await runStep([
        'bench',
        ...passthrough,
        '-count',
        String((args.flags.count as number | undefined) ?? 6),
        '-json',
        benchResults,
        ...args.positionals,
      ])
      if (code !== EXIT_OK) problems.push(`the benchmarks failed (bench exit ${code})`)
    } else {
      process.stderr.write(`nightly ${stamp(started)}: judging against ${base.slice(0, 12)} (paired A/B)\n`)
      const code = await runStep([
        'ab',
        '--base',
        base,
        ...passthrough,
        '-count',
        String((args.flags.count as number | undefined) ?? 6),
        '-max-count',
        String((args.flags['max-count'] as number | undefined) ?? 12),
        '-json',
        comparison,
        '-head-json',
        benchResults,
        ...(args.flags.profile === false ? [] : ['--profile']),
        ...args.positionals,
      ])
      if (code === EXIT_FAILED) problems.push(`a benchmark regressed against ${base.slice(0, 12)}`)
      else if (code !== EXIT_OK) problems.push(`ab did not finish (exit ${code})`)
      judged = code === EXIT_OK || code === EXIT_FAILED
    }

    // 2. The load test.
    const loadResults = join(out, 'load.json')
    let loadRan = false
    if (loadScenario !== 'none') {
      process.stderr.write(`nightly ${stamp(started)}: load test ${loadScenario} at duration scale ${loadScale}\n`)
      const code = await runStep(['load', loadScenario, '--duration-scale', String(loadScale), '--out', loadResults])
      loadRan = code === EXIT_OK || code === EXIT_FAILED
      if (code !== EXIT_OK)
        problems.push(code === EXIT_FAILED ? `the ${loadScenario} load test failed its SLA` : `the ${loadScenario} load test did not finish (exit ${code})`)
    }

    // 3. Record. 4. Trend and report.
    const recorded = [benchResults, ...(loadRan ? [loadResults] : [])]
    process.stderr.write(`nightly ${stamp(started)}: recording in ${historyDir}\n`)
    if ((await runStep(['history', 'add', '-dir', historyDir, ...recorded])) !== EXIT_OK) problems.push('tonight could not be recorded in the history')
    await runStep(['history', 'trend', '-dir', historyDir, '-machine-class', machineClass])
    const report = join(out, 'report.html')
    await runStep(['report', 'html', '-history', historyDir, '-machine-class', machineClass, '-o', report, ...(judged ? ['-comparison', comparison] : [])])
    if (args.flags.pages !== undefined) {
      await mkdir(args.flags.pages as string, { recursive: true })
      await copyFile(report, join(args.flags.pages as string, 'index.html'))
      // The report links the flame graphs relative to itself.
      const profiles = `${comparison}.profiles`
      if (judged && existsSync(profiles)) await cp(profiles, join(args.flags.pages as string, 'comparison.json.profiles'), { recursive: true })
    }

    // 5. Publish.
    if (gateway !== undefined) {
      await runStep(['push', '--gateway', gateway, ...(judged ? ['--comparison', comparison] : []), benchResults])
      if (loadRan) await runStep(['push', '--gateway', gateway, loadResults])
    }

    // The next night judges against tonight, when tonight is a clean commit that was measured.
    const head = await commitOf(benchResults)
    if (head !== undefined) await writeFileAtomic(statePath, `${JSON.stringify({ lastJudgedCommit: head, time: new Date().toISOString() }, null, 2)}\n`)

    // 6. Alerts.
    if (problems.length > 0) {
      const text = alertText(problems, report)
      if (webhook !== undefined) {
        try {
          await postWebhook(webhook, text)
          process.stderr.write(`nightly: alert posted to the webhook from ${webhook.source}\n`)
        } catch (err) {
          process.stderr.write(`nightly: ${(err as Error).message}\n`)
        }
      }
      if (wantIssue) {
        const [owner, repo] = (repository as string).split('/') as [string, string]
        try {
          const client = new GitHubClient({
            token: token as string,
            ...(process.env.GITHUB_API_URL === undefined ? {} : { apiUrl: process.env.GITHUB_API_URL }),
          })
          const author = await resolveAuthor(client).catch(() => 'github-actions[bot]')
          const issue = await upsertAlertIssue(
            client,
            { owner, repo, author },
            'slurmbench nightly: regression',
            `${text}\n\nNight of ${new Date().toISOString().slice(0, 10)}, machine class ${machineClass}.`,
          )
          process.stderr.write(`nightly: alert issue #${issue.number} ${issue.action}\n`)
        } catch (err) {
          process.stderr.write(`nightly: the alert issue could not be written: ${(err as Error).message}\n`)
        }
      }
    }
    await writeFile(join(out, 'summary.txt'), `${problems.length === 0 ? 'nothing regressed' : problems.join('\n')}\n`)
    process.stdout.write(
      `nightly ${stamp(started)}: ${problems.length === 0 ? 'nothing regressed' : `${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}`} (files in ${out})\n`,
    )
    return problems.length === 0 ? EXIT_OK : EXIT_FAILED
  },
}
