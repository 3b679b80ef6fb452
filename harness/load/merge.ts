// Merging shard results into one (`load merge shard-*.json`): counters add, HDR histograms add
// bucket by bucket, so the merged percentiles are exactly those of one histogram holding every
// request — unlike averaging per-runner percentiles, which k6-operator users are left with
// (grafana/k6-operator #392, #413). One verdict is then judged on the merged data.
import { InputError } from '../../common/input-error.ts'
import { ERROR_KINDS } from './http-target.ts'
import { mergeHistograms } from './histogram.ts'
import { judge, type LoadResult, type StageResult } from './load-result.ts'
import { newCounts } from './recorder.ts'
import { formatShard } from './shard.ts'

/** MAX_MERGED_ERROR_MESSAGES bounds the error messages kept from all shards. */
const MAX_MERGED_ERROR_MESSAGES = 5

function fingerprint(result: LoadResult): string {
  return JSON.stringify({
    scenario: result.scenario,
    executor: result.executor,
    scale: result.durationScale,
    stages: result.stages.map((s) => s.durationMs),
    rules: result.rules.map((r) => `${r.metric} ${r.text} ${r.abortOnFail}`),
  })
}

/** mergeResults merges the results of shards 1..n of one run; `sources` name them in errors. */
export function mergeResults(results: readonly LoadResult[], sources: readonly string[]): LoadResult {
  const first = results[0]
  if (first === undefined) throw new InputError('merge: no shard files given; expected shard-*.json files written by load --shard i/n --out FILE')
  const count = first.shard.count
  const seen = new Map<number, string>()
  for (const [i, result] of results.entries()) {
    const source = sources[i] ?? `file ${i + 1}`
    if (fingerprint(result) !== fingerprint(first)) {
      throw new InputError(`${source}: not a shard of the same run as ${sources[0]} (scenario, stages, duration scale or thresholds differ)`)
    }
    if (result.shardsMerged !== 1) throw new InputError(`${source}: already a merged result of ${result.shardsMerged} shards; merge the shard files themselves`)
    if (result.shard.count !== count)
      throw new InputError(`${source}: shard ${formatShard(result.shard)} does not belong to a ${count}-way split like ${sources[0]}`)
    const duplicate = seen.get(result.shard.index)
    if (duplicate !== undefined) throw new InputError(`${source}: shard ${formatShard(result.shard)} is also in ${duplicate}`)
    seen.set(result.shard.index, source)
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i))
  if (missing.length > 0)
    throw new InputError(`merge: shards ${missing.map((i) => `${i}/${count}`).join(', ')} are missing; all ${count} shards are needed for one verdict`)

  const counts = newCounts()
  for (const result of results) {
    const c = result.observations.counts
    counts.requests += c.requests
    counts.ok += c.ok
    counts.failed += c.failed
    counts.dropped += c.dropped
    counts.interrupted += c.interrupted
    counts.bodyBytes += c.bodyBytes
    counts.lateStarts += c.lateStarts
    for (const kind of ERROR_KINDS) counts.errors[kind] += c.errors[kind]
  }
  const maxOf = (values: ReadonlyArray<number | undefined>): number | undefined => {
    const defined = values.filter((v): v is number => v !== undefined)
    return defined.length === 0 ? undefined : defined.reduce((most, v) => Math.max(most, v))
  }
  const stages: StageResult[] = first.stages.map((stage, i) => {
    const all = results.map((r) => r.stages[i] as StageResult)
    // Closed-model shards each run a share of the VUs; open-model shards each see the full rate.
    const sum = (pick: (s: StageResult) => number): number => all.reduce((total, s) => total + pick(s), 0)
    return {
      durationMs: stage.durationMs,
      fromTarget: first.model === 'closed' ? sum((s) => s.fromTarget) : stage.fromTarget,
      toTarget: first.model === 'closed' ? sum((s) => s.toTarget) : stage.toTarget,
      counts: { requests: sum((s) => s.counts.requests), failed: sum((s) => s.counts.failed), dropped: sum((s) => s.counts.dropped) },
      latency: mergeHistograms(all.map((s) => s.latency)),
    }
  })
  const healths = results.map((r) => r.health).filter((h) => h !== undefined)
  const errorMessages = [...new Set(results.flatMap((r) => r.errorMessages))].slice(0, MAX_MERGED_ERROR_MESSAGES)
  const targets = [...new Set(results.map((r) => r.target))]
  const merged = judge({
    scenario: first.scenario,
    executor: first.executor,
    model: first.model,
    target: targets.join(', '),
    profile: first.profile,
    shard: { index: 1, count: 1 },
    shardsMerged: count,
    durationScale: first.durationScale,
    startedAt: results.map((r) => r.startedAt).sort()[0] as string,
    plannedMs: first.plannedMs,
    observations: {
      // Shards start together (an Indexed Job, or a synchronised start); the run lasts as long as the slowest.
      elapsedMs: results.reduce((most, r) => Math.max(most, r.observations.elapsedMs), 0),
      counts,
      latency: mergeHistograms(results.map((r) => r.observations.latency)),
      service: mergeHistograms(results.map((r) => r.observations.service)),
      // Peaks of different generators need not coincide; their sum is an upper bound.
      vusMax: results.reduce((total, r) => total + r.observations.vusMax, 0),
      targetMemoryBytes: maxOf(results.map((r) => r.observations.targetMemoryBytes)),
      generatorMemoryBytes: maxOf(results.map((r) => r.observations.generatorMemoryBytes)),
      // Every shard watched the same target over the same minutes: the largest reading is the target's.
      targetCpuSeconds: maxOf(results.map((r) => r.observations.targetCpuSeconds)),
      targetGcSeconds: maxOf(results.map((r) => r.observations.targetGcSeconds)),
    },
    stages,
    rules: first.rules,
    stop: results.find((r) => r.stop !== undefined)?.stop,
    health:
      healths.length === 0
        ? undefined
        : {
            cpuRatio: healths.reduce((most, h) => Math.max(most, h.cpuRatio), 0),
            eventLoopDelayP99Ms: healths.reduce((most, h) => Math.max(most, h.eventLoopDelayP99Ms), 0),
            eventLoopDelayMaxMs: healths.reduce((most, h) => Math.max(most, h.eventLoopDelayMaxMs), 0),
          },
    memorySeries: [],
    errorMessages,
  })
  return targets.length > 1 ? { ...merged, warnings: [...merged.warnings, `the shards loaded different targets: ${targets.join(', ')}`] } : merged
}
