// Reading compare's inputs: `path` or `label=path`, in the Go benchmark format or as a results
// JSON document, told apart by content (a JSON document starts with `{`).
import { constants, createReadStream, existsSync } from 'node:fs'
import { access, open, readFile, stat } from 'node:fs/promises'
import { GoBenchReader, parseGoBench } from '../results/gofmt-read.ts'
import { streamResults } from '../results/json-stream.ts'
import { InputError } from '../../common/input-error.ts'
import { cannotRead } from '../../common/read-input.ts'
import { parseResults } from '../results/json.ts'
import { parseBaseline, sampleSetFromBaseline } from '../baseline/baseline-file.ts'
import { GoBenchSeriesBuilder, ResultsSeriesBuilder, type SampleSet, sampleSetFromGoBench, sampleSetFromResults } from '../compare/sample-set.ts'

/** InputSpec is a parsed command-line input: its column label and its path. */
export interface InputSpec {
  readonly label: string
  readonly path: string
}

/** parseInputSpec splits `label=path` (benchstat's syntax) unless the whole argument names a file. */
export function parseInputSpec(arg: string): InputSpec {
  const eq = arg.indexOf('=')
  if (eq > 0 && !existsSync(arg)) return { label: arg.slice(0, eq), path: arg.slice(eq + 1) }
  return { label: arg, path: arg }
}

/** sampleSetFromText parses text of either format. */
export function sampleSetFromText(text: string, source: string, label: string): SampleSet {
  if (text.trim() === '')
    throw new InputError(`${source}: empty file; expected Go benchmark output (lines like "BenchmarkX 100 1234 ns/op") or a slurmbench results JSON document`)
  if (text.trimStart().startsWith('{')) {
    // A baseline file (baselines/<class>/<name>.json) holds the same samples under another shape.
    if (/"kind"\s*:\s*"slurmbench\.baseline"/.test(text.slice(0, 4096))) return sampleSetFromBaseline(parseBaseline(text, source), source, label)
    return sampleSetFromResults(parseResults(text, source), source, label)
  }
  const set = sampleSetFromGoBench(parseGoBench(text, source), label)
  if (set.series.length === 0)
    throw new InputError(
      `${source}: no benchmark results found; expected lines like "BenchmarkX 100 1234 ns/op" (Go benchmark format) or a results JSON document`,
    )
  return set
}

/** checkInputs checks what is cheap before any input is read: distinct labels, and every file readable. */
export async function checkInputs(specs: readonly InputSpec[]): Promise<void> {
  const labels = new Set<string>()
  for (const spec of specs) {
    if (labels.has(spec.label)) throw new InputError(`two inputs are labelled "${spec.label}"; name them with label=path`)
    labels.add(spec.label)
  }
  for (const spec of specs) {
    try {
      await access(spec.path, constants.R_OK)
    } catch (err) {
      throw cannotRead(spec.path, err)
    }
  }
}

// READ_CHUNK_BYTES is how much of a file is looked at to tell the formats apart.
const READ_CHUNK_BYTES = 64 * 1024

// firstCharacter returns the file's first non-whitespace character, or '' for a blank file.
async function firstCharacter(path: string): Promise<string> {
  const file = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(READ_CHUNK_BYTES)
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) return ''
      const match = /\S/.exec(buffer.toString('latin1', 0, bytesRead))
      if (match !== null) return match[0]
    }
  } finally {
    await file.close()
  }
}

// streamGoBench reads the Go benchmark format line by line.
async function streamGoBench(spec: InputSpec): Promise<SampleSet> {
  const builder = new GoBenchSeriesBuilder(spec.path)
  const reader = new GoBenchReader(spec.path, (r) => builder.add(r))
  let rest = ''
  for await (const chunk of createReadStream(spec.path, { encoding: 'utf8' }) as AsyncIterable<string>) {
    let from = 0
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
      reader.push(rest + chunk.slice(from, nl))
      rest = ''
      from = nl + 1
    }
    rest += chunk.slice(from)
  }
  reader.push(rest)
  const set = builder.finish(reader.units, spec.label)
  if (set.series.length === 0)
    throw new InputError(
      `${spec.path}: no benchmark results found; expected lines like "BenchmarkX 100 1234 ns/op" (Go benchmark format) or a results JSON document`,
    )
  return set
}

/**
 * STREAM_JSON_ABOVE_BYTES is the size above which a results document is streamed token by token:
 * JSON.parse needs about ten times the file in memory but is ~20× faster than stream-json's
 * tokenizer (62 MB: 1 s against 23 s on a 2-core VM), so smaller files are parsed whole.
 */
export const STREAM_JSON_ABOVE_BYTES = 32 * 1024 * 1024

// streamResultsSet reads a results document benchmark by benchmark.
async function streamResultsSet(spec: InputSpec): Promise<SampleSet> {
  const builder = new ResultsSeriesBuilder(spec.path)
  const header = await streamResults(spec.path, spec.path, (b) => builder.add(b.bench, b.index, b.valuesByUnit))
  return builder.finish(header.environment, header.warnings, spec.label)
}

/** LoadOptions tune how an input is read. */
export interface LoadOptions {
  /** Results documents larger than this are streamed (default STREAM_JSON_ABOVE_BYTES). */
  readonly streamJsonAboveBytes?: number
}

/** loadSampleSet reads one input: Go format line by line, results JSON whole or (when large) as a stream. */
export async function loadSampleSet(spec: InputSpec, options: LoadOptions = {}): Promise<SampleSet> {
  let first: string
  try {
    first = await firstCharacter(spec.path)
  } catch (err) {
    throw cannotRead(spec.path, err)
  }
  if (first === '')
    throw new InputError(
      `${spec.path}: empty file; expected Go benchmark output (lines like "BenchmarkX 100 1234 ns/op") or a slurmbench results JSON document`,
    )
  if (first !== '{') return streamGoBench(spec)
  if ((await stat(spec.path)).size > (options.streamJsonAboveBytes ?? STREAM_JSON_ABOVE_BYTES)) return streamResultsSet(spec)
  return sampleSetFromText(await readFile(spec.path, 'utf8'), spec.path, spec.label)
}
