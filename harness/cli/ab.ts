// `slurmbench ab --base <ref>`: the recommended PR gate. The base commit is checked out into a
// temporary worktree and both sides run on this machine in rounds; rounds are added while
// verdicts are inconclusive, up to -max-count. By default a round is one pair-mode run: each
// worker measures the benchmark of base and of head, taking turns run by run, and the verdicts
// compare pair by pair, so what the machine did at that moment cancels. -unpaired runs each side
// in its own workers with its own harness (base, head, head, base, …) and compares unpaired.
import { execFile } from 'node:child_process'
import { realpathSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'
import { BENCH_PASSTHROUGH_FLAGS, benchArgsFrom } from './bench-args.ts'
import { buildTables } from '../compare/benchstat-table.ts'
import { type Side, type SideResults, mergeRounds, nextRoundTarget, runRounds } from '../ab/rounds.ts'
import { sampleSetFromResults } from '../compare/sample-set.ts'
import { spawnBench, spawnPairedBench } from '../ab/spawn-bench.ts'
import {
  allocSampleType,
  GROWN_FUNCTIONS_SHOWN,
  type ProfileKind,
  type ProfilePassthrough,
  type ProfileTarget,
  profileBenchArgs,
  profileFileNames,
  profileTargets,
} from '../ab/regression-profiles.ts'
import { diffProfiles, grownFunctions } from '../profile/diff.ts'
import { gzipPprof, readPprof } from '../profile/profile-files.ts'
import { alignStartLines, relativizeFiles } from '../profile/side-alignment.ts'
import { renderFlameGraphHtml } from '../report/flame-graph.ts'
import type { MetricVerdict } from '../compare/verdict.ts'
import type { ResultsDocument } from '../results/schema.ts'
import { judge, gateExitCode } from '../compare/verdict.ts'
import { fingerprintOf, machineClassOf } from '../baseline/fingerprint.ts'
import { createWorktree, resolveCommit, withCleanupOnSignal, type Worktree } from '../ab/worktree.ts'
import { InputError } from '../../common/input-error.ts'
import type { ComparisonMethod, ComparisonProfiles, ProfileFindingJson } from '../results/comparison-schema.ts'
import { renderBenchstatCsv } from '../report/benchstat-csv.ts'
import { renderBenchstatMarkdown } from '../report/benchstat-markdown.ts'
import { renderBenchstatText } from '../report/benchstat-text.ts'
import { renderComparisonJson } from '../report/comparison-json.ts'
import { writeFileAtomic } from '../results/atomic-file.ts'
import { writeResults } from '../results/json.ts'
import { markPartial } from '../results/partial.ts'
import type { Command } from './command.ts'
import { DEFAULT_IGNORE, loadPolicy, parseFailOn, parseFormat, renderVerdicts } from './compare.ts'
import { type FlagSpecs, parseArgs, printUsage, UsageError } from './flags.ts'

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
  profile: {
    kind: 'boolean',
    help: 'after the verdicts, profile each benchmark that regressed on a time (CPU) or allocation metric: one extra bench per side, a differential flame graph, the three functions that grew most',
  },
  'profile-dir': {
    kind: 'string',
    valueName: 'dir',
    help: 'where --profile writes its files (default <json file>.profiles beside -json, else ab-profiles)',
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
--profile: then, for each benchmark judged regressed on a time or allocation metric, one more
bench of that benchmark alone per side (-benchtime as given, at least 1s) with -cpuprofile
(-memprofile for B/op, allocs/op), and
<dir>/<benchmark>.base.pb.gz, .head.pb.gz and .diff.html (a differential flame graph); the
three functions whose share grew most go into the -json document. Profiles never change a
verdict or the exit code; a failed one is a warning.
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

/** DEFAULT_PROFILE_DIR is where --profile writes when there is no -json file to put the folder beside. */
export const DEFAULT_PROFILE_DIR = 'ab-profiles'

/** profileDirOf is --profile's folder: -profile-dir, else `<json>.profiles`, else ab-profiles. */
export function profileDirOf(profileDir: string | undefined, json: string | undefined): string {
  return profileDir ?? (json !== undefined ? `${json}.profiles` : DEFAULT_PROFILE_DIR)
}

// Where a side's profiles may name its sources: the checkout, its real path, and the checkout
// its node_modules really is in (bundles live in node_modules/.cache, and their source maps
// point relative to it: a base worktree with our node_modules names our files).
function sourceRoots(root: string): string[] {
  const roots = [root]
  for (const path of [root, join(root, 'node_modules')]) {
    try {
      const real = realpathSync(path)
      roots.push(path === root ? real : dirname(real))
    } catch {
      // no node_modules: the checkout is the only root
    }
  }
  return roots
}

function roundShare(share: number): number {
  return Math.min(1, Math.max(0, Math.round(share * 1e6) / 1e6))
}

/** ProfileRun is what profileRegressions needs of ab's run. */
interface ProfileRun {
  readonly verdicts: readonly MetricVerdict[]
  readonly head: ResultsDocument
  readonly roots: { readonly base: string; readonly head: string }
  readonly labels: { readonly base: string; readonly head: string }
  readonly dir: string
  /** dir as the comparison document records it (relative to the JSON file's folder). */
  readonly dirLabel: string
  readonly passthrough: ProfilePassthrough
  readonly signal: AbortSignal
  readonly log: (line: string) => void
}

// Profiles one target on both sides and compares each kind it asks for; throws on any failure.
async function profileTarget(run: ProfileRun, target: ProfileTarget, tmp: string): Promise<ProfileFindingJson[]> {
  const kinds = (['cpu', 'alloc'] as const).filter((k) => (target.units[k]?.length ?? 0) > 0)
  const rawPath = (side: 'base' | 'head', kind: ProfileKind): string => join(tmp, `${target.stem}.${side}.${kind}.pb.gz`)
  for (const side of ['base', 'head'] as const) {
    const outputs = { cpu: kinds.includes('cpu') ? rawPath(side, 'cpu') : undefined, mem: kinds.includes('alloc') ? rawPath(side, 'alloc') : undefined }
    await spawnBench({ cwd: run.roots[side], args: profileBenchArgs(target, run.passthrough, outputs), signal: run.signal })
  }
  const findings: ProfileFindingJson[] = []
  for (const kind of kinds) {
    const units = target.units[kind] ?? []
    const read = async (side: 'base' | 'head') => {
      let bytes: Buffer
      try {
        bytes = await readFile(rawPath(side, kind))
      } catch {
        throw new Error(`bench wrote no ${kind === 'cpu' ? 'CPU' : 'allocation'} profile on the ${side} side`)
      }
      const profile = readPprof(bytes, `${side} ${kind} profile`)
      relativizeFiles(profile, sourceRoots(run.roots[side]))
      return profile
    }
    const base = await read('base')
    const head = await read('head')
    alignStartLines(base, head)
    const files = profileFileNames(target.stem, kind)
    const sampleType = kind === 'cpu' ? 'cpu' : allocSampleType(units)
    const diff = diffProfiles(base, head, { base: files.base, head: files.head }, sampleType)
    const grown = grownFunctions(diff, GROWN_FUNCTIONS_SHOWN)
    await writeFile(join(run.dir, files.base), gzipPprof(base))
    await writeFile(join(run.dir, files.head), gzipPprof(head))
    const title = `${target.name}: ${kind === 'cpu' ? 'CPU' : 'allocations'} (${units.join(', ')} regressed)`
    await writeFile(join(run.dir, files.diff), renderFlameGraphHtml(diff, grown, { title, baseName: run.labels.base, headName: run.labels.head }))
    findings.push({
      name: target.name,
      pkg: target.pkg,
      units: [...units],
      profile: kind,
      sampleType: diff.sampleType,
      files,
      grown: grown.map((fn) => ({ name: fn.name, file: fn.file, line: fn.line, baseFlat: roundShare(fn.baseFlat), headFlat: roundShare(fn.headFlat) })),
    })
    const top = grown.map((fn) => `${fn.name} (${fn.file}:${fn.line}) ${(fn.baseFlat * 100).toFixed(1)}% → ${(fn.headFlat * 100).toFixed(1)}%`)
    run.log(`ab: ${target.name} ${kind}: ${top.length > 0 ? `grew most: ${top.join(', ')}` : "no function's share grew"}; ${join(run.dir, files.diff)}`)
  }
  return findings
}

/**
 * profileRegressions profiles every benchmark judged regressed on a time or allocation metric,
 * one extra bench per side, and returns what it found; a failure is a warning, never an error.
 */
async function profileRegressions(run: ProfileRun): Promise<ComparisonProfiles> {
  const { targets, warnings } = profileTargets(run.verdicts, run.head)
  const findings: ProfileFindingJson[] = []
  for (const w of warnings) run.log(`ab: warning: ${w}`)
  if (targets.length === 0) {
    run.log('ab: --profile: no benchmark regressed on a time or allocation metric; nothing to profile')
    return { dir: run.dirLabel, findings, warnings }
  }
  let tmp: string
  try {
    await mkdir(run.dir, { recursive: true })
    tmp = await mkdtemp(join(tmpdir(), 'slurmbench-ab-profile-'))
  } catch (err) {
    const warning = `no profiles taken: ${(err as Error).message}`
    run.log(`ab: warning: ${warning}`)
    return { dir: run.dirLabel, findings, warnings: [...warnings, warning] }
  }
  try {
    for (const [i, target] of targets.entries()) {
      const units = [...(target.units.cpu ?? []), ...(target.units.alloc ?? [])]
      run.log(`ab: profiling ${i + 1}/${targets.length}: ${target.name} (${units.join(', ')} regressed), one run per side`)
      try {
        findings.push(...(await profileTarget(run, target, tmp)))
      } catch (err) {
        if (run.signal.aborted) throw err
        const warning = `${target.name}: not profiled: ${(err as Error).message}`
        warnings.push(warning)
        run.log(`ab: warning: ${warning}`)
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
  return { dir: run.dirLabel, findings, warnings }
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
    if (args.help) return printUsage('slurmbench ab --base <ref> [flags] [files or folders…]', DESCRIPTION, FLAGS)
    const ref = args.flags.base
    if (typeof ref !== 'string' || ref === '') throw new UsageError('--base <ref> is required (e.g. --base origin/main)')
    const count = positiveInt('count', args.flags.count, DEFAULT_AB_COUNT)
    const maxCount = positiveInt('max-count', args.flags['max-count'], Math.max(DEFAULT_AB_MAX_COUNT, count))
    if (maxCount < count) throw new UsageError(`flag -max-count: expected at least -count (${count}), found ${maxCount}`)
    const step = positiveInt('step', args.flags.step, DEFAULT_AB_STEP)
    if (args.flags['profile-dir'] !== undefined && args.flags.profile !== true) throw new UsageError('flag -profile-dir: only with --profile')
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
        // A paired round of the default set takes minutes: each package is reported as it finishes.
        let runningNow = ''
        const status = (text: string): void => {
          runningNow = text
          progress(text)
        }
        const onPackage = (line: string): void => {
          const [result, pkg, took] = line.split('\t')
          const text = `${runningNow}: ${result?.trim()} ${pkg} ${took}`
          if (tty) progress(text)
          else process.stderr.write(`ab: ${text}\n`)
        }
        const sides: Side[] = [
          { label: 'base', runOnce: () => spawnBench({ cwd: wt.path, args: benchArgs, signal, onPackage }) },
          { label: 'head', runOnce: () => spawnBench({ cwd: repo, args: benchArgs, signal, onPackage }) },
        ]
        const results: SideResults[] = [[], []]
        const roundsStartedMs = performance.now()
        const runTo = async (from: number, to: number): Promise<void> => {
          for (let round = from; round < to; round++) {
            if (paired) {
              status(`round ${round + 1}/${to}: base and head, paired`)
              const pairedRound = await spawnPairedBench({ cwd: repo, baseRoot: wt.path, args: benchArgs, signal, onPackage, headFirst: round % 2 === 1 })
              results[0]?.push(pairedRound.base)
              results[1]?.push(pairedRound.head)
            } else {
              await runRounds(sides, round, round + 1, results, status)
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
          try {
            judged = judgeNow()
          } catch (error) {
            // Rounds can take an hour: a sample set that cannot be judged must not take them along.
            const kept = await keepRounds(results, typeof args.flags.json === 'string' ? args.flags.json : 'ab', rounds)
            if (error instanceof Error) error.message += `\n(the ${rounds} rounds a side are kept in ${kept.join(' and ')})`
            throw error
          }
          const next = nextRoundTarget(rounds, judged.report.counts.inconclusive, maxCount, step)
          if (next === undefined) break
          target = next
          const adding = `${judged.report.counts.inconclusive} inconclusive after ${rounds} rounds; adding rounds up to ${target}`
          // A log (CI) would otherwise go quiet after "round 6/6 done, about 0 s left" for the extra rounds.
          if (tty) progress(adding)
          else process.stderr.write(`ab: ${adding}\n`)
        }
        const { base, head, report } = judged
        const tables = buildTables([base, head], { alpha: policy.alpha, confidence: policy.confidence, col: '.file', ignore: DEFAULT_IGNORE })
        if (tty) process.stderr.write('\r\x1b[K')
        process.stderr.write(`ab: ${rounds} rounds per side, ${paired ? 'paired (both sides in each worker)' : 'interleaved'}\n`)
        let profiles: ComparisonProfiles | undefined
        if (args.flags.profile === true) {
          const json = typeof args.flags.json === 'string' ? args.flags.json : undefined
          const dir = profileDirOf(args.flags['profile-dir'] as string | undefined, json)
          const dirLabel = relative(json !== undefined ? dirname(resolve(json)) : process.cwd(), resolve(dir)) || '.'
          profiles = await profileRegressions({
            verdicts: report.verdicts,
            head: mergeRounds(results[1] as SideResults),
            roots: { base: wt.path, head: repo },
            labels: { base: base.label, head: head.label },
            dir,
            dirLabel,
            passthrough: {
              ...(typeof args.flags.benchtime === 'string' ? { benchtime: args.flags.benchtime } : {}),
              ...(typeof args.flags.timeout === 'string' ? { timeout: args.flags.timeout } : {}),
              full: args.flags.full === true,
            },
            signal,
            log: (line) => process.stderr.write(`${line}\n`),
          })
        }
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
        // The profiles join the document renderComparisonJson writes, as its last field.
        const comparisonJson = (): string => {
          const text = renderComparisonJson(tables, [report], method)
          return profiles === undefined ? text : `${JSON.stringify({ ...JSON.parse(text), profiles }, null, 2)}\n`
        }
        if (typeof args.flags.json === 'string') await writeFileAtomic(args.flags.json, comparisonJson())
        if (typeof args.flags['head-json'] === 'string') await writeResults(args.flags['head-json'], mergeRounds(results[1] as SideResults))
        if (typeof args.flags['base-json'] === 'string') await writeResults(args.flags['base-json'], mergeRounds(results[0] as SideResults))
        switch (format) {
          case 'json':
            process.stdout.write(comparisonJson())
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

// keepRounds writes each side's rounds so far to <prefix>.base.partial.json and .head.partial.json,
// marked partial: compare reads them, while history add, push and baseline refuse them.
async function keepRounds(results: SideResults[], prefix: string, rounds: number): Promise<string[]> {
  const files = [`${prefix}.base.partial.json`, `${prefix}.head.partial.json`]
  const note = `partial run: ${rounds} rounds kept because ab could not judge them; not for history, push or a baseline`
  const partial = { roundsDone: rounds, reason: 'ab could not judge the rounds' }
  await Promise.all(files.map((file, i) => writeResults(file, markPartial(mergeRounds(results[i] as SideResults), partial, note))))
  return files
}
