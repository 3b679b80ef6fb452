// Reading compare's inputs: `path` or `label=path`, in the Go benchmark format or as a results
// JSON document, told apart by content (a JSON document starts with `{`).
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { parseGoBench } from './gofmt-read.ts'
import { InputError } from '../../common/input-error.ts'
import { parseResults } from './json.ts'
import { type SampleSet, sampleSetFromGoBench, sampleSetFromResults } from '../compare/sample-set.ts'

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
  if (text.trimStart().startsWith('{')) return sampleSetFromResults(parseResults(text, source), source, label)
  const set = sampleSetFromGoBench(parseGoBench(text, source), label)
  if (set.series.length === 0)
    throw new InputError(
      `${source}: no benchmark results found; expected lines like "BenchmarkX 100 1234 ns/op" (Go benchmark format) or a results JSON document`,
    )
  return set
}

/** loadSampleSet reads one input. */
export async function loadSampleSet(spec: InputSpec): Promise<SampleSet> {
  let text: string
  try {
    text = await readFile(spec.path, 'utf8')
  } catch (err) {
    throw new InputError(`${spec.path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  return sampleSetFromText(text, spec.path, spec.label)
}
