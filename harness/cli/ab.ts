// `slurmbench ab --base <ref>`: the recommended PR gate. The base commit is checked out into a
// temporary worktree and both sides run on this machine in rounds; rounds are added while
// verdicts are inconclusive, up to -max-count. By default a round is one pair-mode run: each
// worker measures the benchmark of base and of head, taking turns run by run, and the verdicts
// compare pair by pair, so what the machine did at that moment cancels. -unpaired runs each side
// in its own workers with its own harness (base, head, head, base, …) and compares unpaired.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { BENCH_PASSTHROUGH_FLAGS, benchArgsFrom } from './bench-args.ts'
import { buildTables } from '../compare/benchstat-table.ts'
import { type Side, type SideResults, mergeRounds, nextRoundTarget, runRounds } from '../ab/rounds.ts'
import { sampleSetFromResults } from '../compare/sample-set.ts'
import { spawnBench, spawnPairedBench } from '../ab/spawn-bench.ts'
import { judge, gateExitCode } from '../compare/verdict.ts'
import { fingerprintOf, machineClassOf } from '../baseline/fingerprint.ts'
import { createWorktree, resolveCommit, withCleanupOnSignal, type Worktree } from '../ab/worktree.ts'
import { InputError } from '../../common/input-error.ts'
import type { ComparisonMethod } from '../results/comparison-schema.ts'
import { renderBenchstatCsv } from '../report/benchstat-csv.ts'
import { renderBenchstatMarkdown } from '../report/benchstat-markdown.ts'
import { renderBenchstatText } from '../report/benchstat-text.ts'
import { renderComparisonJson } from '../report/comparison-json.ts'
import { writeFileAtomic } from '../results/atomic-file.ts'
import { writeResults } from '../results/json.ts'
import { type Command, EXIT_OK } from './command.ts'
import { DEFAULT_IGNORE, loadPolicy, parseFailOn, parseFormat, renderVerdicts } from './compare.ts'
import { type FlagSpecs, formatUsage, parseArgs, UsageError } from './flags.ts'

/** DEFAULT_AB_COUNT is the first batch of rounds per side. */
export const DEFAULT_AB_COUNT = 6
/** DEFAULT_AB_MAX_COUNT caps the rounds per side when verdicts stay inconclusive. */
export const DEFAULT_AB_MAX_COUNT = 20
/** DEFAULT_AB_STEP is how many rounds are added at a time. */
export const DEFAULT_AB_STEP = 2

const FLAGS: FlagSpecs = {
  base: { kind: 'string', valueName: 'ref', help: 'git ref of the base (required): branch, tag or commit, e.g. origin/main' },
  'base-dir': {
    kind: 'string',
    valueName: 'dir',
    help: "keep the base's checkout in dir and reuse it, with its node_modules, next time (a CI cache can restore it); default: a temporary worktree, removed afterwards",
  },
  count: {
    kind: 'integer',
    valueName: 'n',
    help: `rounds a side before the first verdict (default ${DEFAULT_AB_COUNT}); a round is one sample per benchmark and side, so n rounds give n samples a side (not bench's fixed -count of samples)`,
  },
  'max-count': { kind: 'integer', valueName: 'n', help: `most rounds per side while verdicts are inconclusive (default ${DEFAULT_AB_MAX_COUNT})` },
  step: { kind: 'integer', valueName: 'n', help: `rounds added per side each time (default ${DEFAULT_AB_STEP})` },
  policy: { kind: 'string', valueName: 'file', help: 'tolerance policy (default baselines/policy.json)' },
  'fail-on': { kind: 'string', valueName: 'regressed|inconclusive', help: 'also fail (exit 1) on inconclusive verdicts' },
  format: { kind: 'string', valueName: 'text|csv|markdown|json', help: 'output format (default text)' },
  json: { kind: 'string', valueName: 'file', help: 'also write the comparison (tables and verdicts) as JSON to file' },
  'head-json': { kind: 'string', valueName: 'file', help: "also write the head side's samples as a results document (what history add and push read)" },
  'base-json': { kind: 'string', valueName: 'file', help: "also write the base side's samples as a results document" },
  unpaired: {
    kind: 'boolean',
    help: "run base and head in separate workers, each with its own commit's harness, and compare unpaired (default: paired, both in each worker)",
  },
  ...BENCH_PASSTHROUGH_FLAGS,
}

const DESCRIPTION = `Runs the selected benchmarks of the base commit and of this work tree on this machine, in
rounds, and judges head against base with the tolerance policy. The base is checked out into a
temporary git worktree (removed afterwards, also on Ctrl-C), or kept in -base-dir for the next run;
its node_modules is a symlink to ours when package-lock.json is identical, else npm ci runs there
(once per lock file in a kept -base-dir).
Paired (default): each worker process runs a benchmark of both sides, taking turns run by run,
with this work tree's harness; verdicts compare the pairs (signed-rank test), which cancels the
machine's moment-to-moment noise. -unpaired: separate workers per side, unpaired comparison.
Exit 0 nothing regressed, 1 a regression (or inconclusive with --fail-on inconclusive), 2 usage or input error.`

async function repoRoot(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--show-toplevel'])
    return stdout.trim()
  } catch {
    throw new InputError(`${process.cwd()}: not inside a git repository; ab needs one to check the base out`)
  }
}

/** formatDuration prints a duration for progress lines: "45 s", "3 min 12 s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`
}

/** roundProgressLine is the plain line printed after each round when stderr is a log (CI), not a terminal. */
export function roundProgressLine(done: number, target: number, elapsedMs: number): string {
  const leftMs = (elapsedMs / done) * (target - done)
  return `ab: round ${done}/${target} done, ${formatDuration(elapsedMs)} elapsed, about ${formatDuration(leftMs)} left`
}

function positiveInt(flag: string, value: unknown, fallback: number): number {
  const n = (value as number | undefined) ?? fallback
  if (n < 1) throw new UsageError(`flag -${flag}: expected at least 1, found ${n}`)
  return n
}

export const command: Command = {
  summary: 'same-machine A/B of a base commit vs this work tree (the PR gate)',
  async run(argv) {
    const args = parseArgs(argv, FLAGS)
    if (args.help) {
      process.stdout.write(formatUsage('slurmbench ab --base <ref> [flags] [files or folders…]', DESCRIPTION, FLAGS))
      return EXIT_OK
    }
    const ref = args.flags.base
    if (typeof ref !== 'string' || ref === '') throw new UsageError('--base <ref> is required (e.g. --base origin/main)')
    const count = positiveInt('count', args.flags.count, DEFAULT_AB_COUNT)
    const maxCount = positiveInt('max-count', args.flags['max-count'], Math.max(DEFAULT_AB_MAX_COUNT, count))
    if (maxCount < count) throw new UsageError(`flag -max-count: expected at least -count (${count}), found ${maxCount}`)
    const step = positiveInt('step', args.flags.step, DEFAULT_AB_STEP)
    const format = parseFormat(args.flags.format)
    const failOn = parseFailOn(args.flags['fail-on'])
    const policy = await loadPolicy(args.flags.policy)
    const repo = await repoRoot()
    const commit = await resolveCommit(repo, ref)
    const benchArgs = ['-count=1', ...benchArgsFrom(args)]
    const startedMs = performance.now()
    // A CI log shows neither \r nor escape codes: there, one plain line per round instead.
    const tty = process.stderr.isTTY === true && process.env.CI !== 'true'
    const progress = (text: string): void => {
      if (tty) process.stderr.write(`\r\x1b[K${text}`)
    }
    // Ctrl-C may land while the worktree is still being created: cleanup waits for the creation
    // to settle (git would otherwise keep writing into a directory being deleted), then removes it.
    let creating: Promise<Worktree> | undefined
    return withCleanupOnSignal(
      async () => {
        if (tty) process.stderr.write('\r\x1b[K')
        const created = await creating?.catch(() => undefined)
        await created?.remove()
      },
      async (signal) => {
        const keepAt = args.flags['base-dir'] as string | undefined
        process.stderr.write(`ab: checking out ${ref} (${commit.slice(0, 12)}) into ${keepAt ?? 'a temporary worktree'}\n`)
        creating = createWorktree(repo, commit, (line) => process.stderr.write(`ab: ${line}\n`), { keepAt })
        const wt = await creating
        process.stderr.write(`ab: ${wt.install}\n`)
        const paired = args.flags.unpaired !== true
        const sides: Side[] = [
          { label: 'base', runOnce: () => spawnBench({ cwd: wt.path, args: benchArgs, signal }) },
          { label: 'head', runOnce: () => spawnBench({ cwd: repo, args: benchArgs, signal }) },
        ]
        const results: SideResults[] = [[], []]
        const roundsStartedMs = performance.now()
        const runTo = async (from: number, to: number): Promise<void> => {
          for (let round = from; round < to; round++) {
            if (paired) {
              progress(`round ${round + 1}/${to}: base and head, paired`)
              const pairedRound = await spawnPairedBench({ cwd: repo, baseRoot: wt.path, args: benchArgs, signal, headFirst: round % 2 === 1 })
              results[0]?.push(pairedRound.base)
              results[1]?.push(pairedRound.head)
            } else {
              await runRounds(sides, round, round + 1, results, progress)
            }
            if (!tty) process.stderr.write(`${roundProgressLine(round + 1, to, performance.now() - roundsStartedMs)}\n`)
          }
        }
        const judgeNow = () => {
          const baseDoc = mergeRounds(results[0] as SideResults)
          const headDoc = mergeRounds(results[1] as SideResults)
          const base = sampleSetFromResults(baseDoc, 'base', `base@${commit.slice(0, 12)}`)
          const head = sampleSetFromResults(
            headDoc,
            'head',
            `head@${headDoc.environment.commit?.slice(0, 12) ?? 'worktree'}${headDoc.environment.dirty === true ? '+dirty' : ''}`,
          )
          return { base, head, report: judge(base, head, policy, { paired }) }
        }
        let rounds = 0
        let target = count
        let judged: ReturnType<typeof judgeNow>
        for (;;) {
          await runTo(rounds, target)
          rounds = target
          judged = judgeNow()
          const next = nextRoundTarget(rounds, judged.report.counts.inconclusive, maxCount, step)
          if (next === undefined) break
          target = next
          progress(`${judged.report.counts.inconclusive} inconclusive after ${rounds} rounds; adding rounds up to ${target}`)
        }
        const { base, head, report } = judged
        const tables = buildTables([base, head], { alpha: policy.alpha, confidence: policy.confidence, col: '.file', ignore: DEFAULT_IGNORE })
        if (tty) process.stderr.write('\r\x1b[K')
        process.stderr.write(`ab: ${rounds} rounds per side, ${paired ? 'paired (both sides in each worker)' : 'interleaved'}\n`)
        const headEnv = (results[1]?.[0] ?? results[0]?.[0])?.environment
        const fp = headEnv !== undefined ? fingerprintOf(headEnv) : undefined
        const fingerprint = fp !== undefined && Number.isInteger(fp.nodeMajor) && fp.cores >= 1 ? fp : undefined
        const headCommit = headEnv?.commit
        const method: ComparisonMethod = {
          command: 'ab',
          paired,
          roundsPerSide: rounds,
          base: { ref, commit },
          head: {
            ...(headCommit !== undefined && /^[0-9a-f]{7,64}$/.test(headCommit) ? { commit: headCommit } : {}),
            ...(headEnv?.dirty !== undefined ? { dirty: headEnv.dirty } : {}),
          },
          ...(fingerprint !== undefined ? { machine: { class: machineClassOf(fingerprint), ...fingerprint } } : {}),
          durationMs: Math.round(performance.now() - startedMs),
          failOn,
          benchArgs,
        }
        if (typeof args.flags.json === 'string') await writeFileAtomic(args.flags.json, renderComparisonJson(tables, [report], method))
        if (typeof args.flags['head-json'] === 'string') await writeResults(args.flags['head-json'], mergeRounds(results[1] as SideResults))
        if (typeof args.flags['base-json'] === 'string') await writeResults(args.flags['base-json'], mergeRounds(results[0] as SideResults))
        switch (format) {
          case 'json':
            process.stdout.write(renderComparisonJson(tables, [report], method))
            break
          case 'csv':
            process.stdout.write(`${renderBenchstatCsv(tables).csv}\n${renderVerdicts([report], 'csv')}`)
            break
          case 'markdown':
            process.stdout.write(
              `${renderVerdicts([report], 'markdown')}\n<details><summary>benchstat tables</summary>\n\n${renderBenchstatMarkdown(tables)}\n</details>\n`,
            )
            break
          default:
            process.stdout.write(`${renderBenchstatText(tables)}\n${renderVerdicts([report], 'text')}`)
        }
        return gateExitCode(report, failOn)
      },
    )
  },
}
