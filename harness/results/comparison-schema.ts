// The comparison document that compare, baseline check and ab write with -json, as a TypeBox
// schema. It is read back by `report` and `comment`, and in the pr-comment workflow it comes
// from a pull request's artifact: untrusted input. Every string and list is bounded so a crafted
// file cannot blow up the renderer; anything that does not match is refused before rendering.
import { readFile, stat } from 'node:fs/promises'
import { type Static, Type } from '@sinclair/typebox'
import { InputError } from '../../common/input-error.ts'
import { cannotRead } from '../../common/read-input.ts'
import { checkSchema } from './schema-check.ts'

/** COMPARISON_DOCUMENT_VERSION is the schemaVersion this reader understands. */
export const COMPARISON_DOCUMENT_VERSION = 1

/** MAX_COMPARISON_BYTES bounds the file `report` and `comment` accept (the default suite writes ~100 KB). */
export const MAX_COMPARISON_BYTES = 64 * 1024 * 1024

const MAX_ITEMS = 100_000
const Text = (maxLength = 4096) => Type.String({ maxLength })
const Texts = Type.Array(Text(), { maxItems: 1000 })
const Num = Type.Number()
// JSON has no infinities or NaN: an unbounded end or an undefined figure is written as null.
const NullableNum = Type.Union([Type.Number(), Type.Null()])

const VerdictKind = Type.Union([
  Type.Literal('regressed'),
  Type.Literal('improved'),
  Type.Literal('unchanged'),
  Type.Literal('inconclusive'),
  Type.Literal('new'),
  Type.Literal('missing'),
  Type.Literal('ignored'),
])
const Better = Type.Union([Type.Literal('lower'), Type.Literal('higher')])

const SideJson = Type.Object({ n: Type.Integer({ minimum: 0 }), center: Num, lo: NullableNum, hi: NullableNum })
const ChangeJson = Type.Object({ estimate: NullableNum, lo: NullableNum, hi: NullableNum })

/** MetricVerdictJson is one metric's verdict as written (MetricVerdict with nulls for infinities). */
export const MetricVerdictJson = Type.Object({
  name: Text(),
  pkg: Text(),
  unit: Text(256),
  rawUnit: Text(256),
  verdict: VerdictKind,
  better: Better,
  exact: Type.Boolean(),
  tolerancePct: Type.Number({ minimum: 0 }),
  origin: Text(),
  why: Type.Optional(Text()),
  base: Type.Optional(SideJson),
  head: Type.Optional(SideJson),
  change: Type.Optional(ChangeJson),
  p: Type.Optional(NullableNum),
  paired: Type.Optional(Type.Boolean()),
  q: Type.Optional(NullableNum),
  warnings: Texts,
})
export type MetricVerdictJson = Static<typeof MetricVerdictJson>

/** VerdictReportJson is one judgement of head against base. */
export const VerdictReportJson = Type.Object({
  baseLabel: Text(256),
  headLabel: Text(256),
  verdicts: Type.Array(MetricVerdictJson, { maxItems: MAX_ITEMS }),
  counts: Type.Object({
    regressed: Type.Integer({ minimum: 0 }),
    improved: Type.Integer({ minimum: 0 }),
    unchanged: Type.Integer({ minimum: 0 }),
    inconclusive: Type.Integer({ minimum: 0 }),
    new: Type.Integer({ minimum: 0 }),
    missing: Type.Integer({ minimum: 0 }),
    ignored: Type.Integer({ minimum: 0 }),
  }),
  informational: Type.Boolean(),
  settings: Type.Object({
    alpha: Num,
    confidence: Num,
    beyond: Type.Union([Type.Literal('estimate'), Type.Literal('bound')]),
    minSamples: Type.Integer({ minimum: 0 }),
    policy: Text(),
  }),
  warnings: Texts,
})
export type VerdictReportJson = Static<typeof VerdictReportJson>

const CellJson = Type.Object({
  column: Text(),
  n: Type.Integer({ minimum: 0 }),
  center: NullableNum,
  lo: NullableNum,
  hi: NullableNum,
  confidence: NullableNum,
  warnings: Texts,
  vsBase: Type.Optional(Type.Object({ ratio: NullableNum, p: NullableNum, significant: Type.Boolean(), warnings: Texts })),
})

/** BenchTableJson is one benchstat table (one unit, one configuration). */
export const BenchTableJson = Type.Object({
  config: Type.Record(Type.String(), Text()),
  unit: Text(256),
  better: Better,
  assume: Type.Union([Type.Literal('nothing'), Type.Literal('exact')]),
  columns: Type.Array(Text(), { maxItems: 1000 }),
  rows: Type.Array(Type.Object({ name: Type.Optional(Text()), cells: Type.Array(CellJson, { maxItems: 1000 }) }), { maxItems: MAX_ITEMS }),
  geomean: Type.Record(Type.String(), Type.Object({ summary: Type.Unknown(), ratio: NullableNum, warnings: Texts })),
})

const Sha = Type.String({ pattern: '^[0-9a-f]{7,64}$' })

/** ComparisonMethod says how an `ab` run reached its verdicts: what the PR comment's method line shows. */
export const ComparisonMethod = Type.Object({
  command: Type.Union([Type.Literal('ab'), Type.Literal('compare'), Type.Literal('baseline check')]),
  /** Both sides in each worker, compared pair by pair. */
  paired: Type.Boolean(),
  roundsPerSide: Type.Integer({ minimum: 0 }),
  base: Type.Object({ ref: Type.Optional(Text(256)), commit: Sha }),
  head: Type.Object({ commit: Type.Optional(Sha), dirty: Type.Optional(Type.Boolean()) }),
  machine: Type.Optional(
    Type.Object({
      class: Text(256),
      cpuModel: Text(256),
      cores: Type.Integer({ minimum: 1 }),
      nodeMajor: Type.Integer({ minimum: 0 }),
      os: Text(64),
      arch: Text(64),
    }),
  ),
  durationMs: Type.Number({ minimum: 0 }),
  /** The gate's rule: fail on regressions only, or on inconclusive verdicts too. */
  failOn: Type.Union([Type.Literal('regressed'), Type.Literal('inconclusive')]),
  benchArgs: Type.Optional(Texts),
})
export type ComparisonMethod = Static<typeof ComparisonMethod>

// A file name inside the profile folder: no separators, no leading dot, so a link made from it
// (the HTML report's relative href, a path in the PR comment) stays inside that folder.
const ProfileFileName = Type.String({ pattern: '^[A-Za-z0-9_=-][A-Za-z0-9._=-]*$', maxLength: 255 })
const Share = Type.Number({ minimum: 0, maximum: 1 })

/** GrownFunctionJson is one function whose flat share of a profile grew from base to head. */
export const GrownFunctionJson = Type.Object({
  name: Text(1024),
  /** file is relative to the repository root when the frame was in it, else as the profile has it. */
  file: Text(),
  /** line is the function's first line (0: unknown). */
  line: Type.Integer({ minimum: 0 }),
  /** Flat (own) shares of each side's profile total, 0..1. */
  baseFlat: Share,
  headFlat: Share,
})
export type GrownFunctionJson = Static<typeof GrownFunctionJson>

/** ProfileFindingJson is what `ab --profile` found for one regressed benchmark and one kind of profile. */
export const ProfileFindingJson = Type.Object({
  name: Text(),
  pkg: Text(),
  /** The regressed metrics that asked for this profile (tidied units: sec/op, B/op). */
  units: Type.Array(Text(256), { maxItems: 100 }),
  /** cpu for time metrics, alloc for B/op and allocs/op. */
  profile: Type.Union([Type.Literal('cpu'), Type.Literal('alloc')]),
  /** The compared sample type: cpu, alloc_space or alloc_objects. */
  sampleType: Text(256),
  /** File names in the profile folder: both sides' pprof profiles and the differential flame graph. */
  files: Type.Object({ base: ProfileFileName, head: ProfileFileName, diff: ProfileFileName }),
  /** The functions whose flat share grew the most, the largest growth first (at most three as ab writes it). */
  grown: Type.Array(GrownFunctionJson, { maxItems: 100 }),
})
export type ProfileFindingJson = Static<typeof ProfileFindingJson>

/** ComparisonProfiles are the profiles `ab --profile` took of the regressed benchmarks. */
export const ComparisonProfiles = Type.Object({
  /** dir is the profile folder, relative to the comparison file's folder (to the working directory when ab wrote no -json file). */
  dir: Text(1024),
  findings: Type.Array(ProfileFindingJson, { maxItems: 10_000 }),
  /** Profiles that could not be taken or compared; they never change a verdict or the exit code. */
  warnings: Texts,
})
export type ComparisonProfiles = Static<typeof ComparisonProfiles>

/** ComparisonDocument is the whole -json output of compare, baseline check and ab. */
export const ComparisonDocument = Type.Object({
  schemaVersion: Type.Literal(COMPARISON_DOCUMENT_VERSION),
  kind: Type.Literal('slurmbench.comparison'),
  tables: Type.Array(BenchTableJson, { maxItems: 10_000 }),
  verdicts: Type.Optional(Type.Array(VerdictReportJson, { maxItems: 100 })),
  method: Type.Optional(ComparisonMethod),
  /** Written by ab --profile; older documents have none. */
  profiles: Type.Optional(ComparisonProfiles),
})
export type ComparisonDocument = Static<typeof ComparisonDocument>

/** verdictsOf lists every metric verdict of a document's reports; it throws InputError when the document holds none (a comparison made without -verdicts). */
export function verdictsOf(doc: ComparisonDocument, source: string): MetricVerdictJson[] {
  if (doc.verdicts === undefined)
    throw new InputError(`${source}: a comparison without verdicts (expected compare -verdicts -format json, ab or baseline check)`)
  const out: MetricVerdictJson[] = []
  for (const report of doc.verdicts) for (const v of report.verdicts) out.push(v)
  return out
}

function describeValue(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 60)
}

/** parseComparison validates `text` as a comparison document; `source` names it in errors. */
export function parseComparison(text: string, source: string): ComparisonDocument {
  if (text.length > MAX_COMPARISON_BYTES)
    throw new InputError(`${source}: ${text.length} bytes, more than the ${MAX_COMPARISON_BYTES} a comparison document may have`)
  if (text.trim() === '') throw new InputError(`${source}: empty file, expected a slurmbench comparison JSON document (ab/compare -json)`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    // Only the position: V8's message quotes the text, and an artifact's text is not ours to echo.
    const position = /position (\d+)/.exec((err as Error).message)?.[1]
    throw new InputError(`${source}: not valid JSON${position !== undefined ? ` (at character ${position})` : ''}; the file may be truncated`)
  }
  const kind = (value as { kind?: unknown } | null)?.kind
  if (typeof value !== 'object' || value === null || kind !== 'slurmbench.comparison') {
    throw new InputError(
      `${source}: not a comparison document (kind ${describeValue(kind)}, expected "slurmbench.comparison"); write one with ab/compare -json`,
    )
  }
  const version = (value as { schemaVersion?: unknown }).schemaVersion
  if (typeof version === 'number' && version > COMPARISON_DOCUMENT_VERSION) {
    throw new InputError(`${source}: schemaVersion ${version} is newer than this slurmbench reads (${COMPARISON_DOCUMENT_VERSION}); upgrade slurmbench`)
  }
  checkSchema(ComparisonDocument, value, source)
  return value as ComparisonDocument
}

/** readComparison reads and validates a comparison file (`-` reads standard input). */
export async function readComparison(path: string): Promise<ComparisonDocument> {
  let text: string
  try {
    if (path === '-') {
      const chunks: Buffer[] = []
      let bytes = 0
      for await (const chunk of process.stdin) {
        bytes += (chunk as Buffer).length
        if (bytes > MAX_COMPARISON_BYTES) throw new InputError(`standard input: more than the ${MAX_COMPARISON_BYTES} bytes a comparison document may have`)
        chunks.push(chunk as Buffer)
      }
      text = Buffer.concat(chunks).toString('utf8')
    } else {
      const info = await stat(path)
      if (info.size > MAX_COMPARISON_BYTES)
        throw new InputError(`${path}: ${info.size} bytes, more than the ${MAX_COMPARISON_BYTES} a comparison document may have`)
      text = await readFile(path, 'utf8')
    }
  } catch (err) {
    if (err instanceof InputError) throw err
    throw cannotRead(path, err)
  }
  return parseComparison(text, path === '-' ? 'standard input' : path)
}
