// Reading a results document as a stream of JSON tokens (stream-json), one sample at a time: a
// whole-file JSON.parse of a 200 MB document took 39 s and 2.5 GB. Every part is validated
// against the same schema as readResults, with the same JSON paths in errors.
import { createReadStream } from 'node:fs'
import { parser } from 'stream-json'
import Assembler from 'stream-json/assembler.js'
import { InputError } from '../../common/input-error.ts'
import { checkDurations, checkSchema } from './schema-check.ts'
import { BenchmarkResult, RESULTS_SCHEMA_VERSION, ResultsDocument, Sample } from './schema.ts'
import { addSampleValues, requiredUnits } from './sample-units.ts'

/** StreamedBenchmark is one benchmark without its samples, and their values by unit (as written). */
export interface StreamedBenchmark {
  readonly bench: Omit<BenchmarkResult, 'samples'>
  readonly index: number
  readonly valuesByUnit: ReadonlyMap<string, readonly number[]>
}

/** DocumentHeader is a results document without its benchmarks. */
export type DocumentHeader = Omit<ResultsDocument, 'benchmarks'>

type Token = Parameters<Assembler['consume']>[0]

function tokenText(tok: Token): string | undefined {
  return 'value' in tok && typeof tok.value === 'string' ? tok.value : undefined
}

const STARTS = new Set(['startObject', 'startArray'])
const ENDS = new Set(['endObject', 'endArray'])

/**
 * streamResults reads the results document at `path`, handing each benchmark to `onBenchmark`
 * as soon as it ends, and resolves to the rest of the document; `source` names it in errors.
 */
export async function streamResults(path: string, source: string, onBenchmark: (b: StreamedBenchmark) => void): Promise<DocumentHeader> {
  const header = new Assembler()
  // Where the token stream is: the document, the benchmarks array, one benchmark, its samples array, one sample.
  let mode: 'top' | 'benchmarks' | 'bench' | 'samples' | 'sample' = 'top'
  let depth = 0
  let topKey: string | undefined
  let benchKey: string | undefined
  let bench = new Assembler()
  let sample = new Assembler()
  let benchIndex = -1
  let sampleIndex = -1
  let valuesByUnit = new Map<string, number[]>()
  let firstUnits: string | undefined

  const finishSample = (): void => {
    const value = sample.current as { metrics?: Record<string, unknown> }
    const at = `/benchmarks/${benchIndex}/samples/${sampleIndex}`
    checkSchema(Sample, value, source, at)
    const metrics = value.metrics as Record<string, number>
    const units = requiredUnits(Object.keys(metrics).sort())
    if (firstUnits === undefined) firstUnits = units
    else if (units !== firstUnits) {
      const name = (bench.current as { name?: unknown } | undefined)?.name
      throw new InputError(
        `${source}: at ${at}/metrics: mismatched units for ${typeof name === 'string' ? name : `benchmark ${benchIndex}`}: found "${units}", expected "${firstUnits}" as in sample 0`,
      )
    }
    checkDurations(metrics, source, at)
    addSampleValues(valuesByUnit, metrics, sampleIndex)
  }
  const finishBench = (): void => {
    checkSchema(BenchmarkResult, bench.current, source, `/benchmarks/${benchIndex}`)
    const { samples: _samples, ...rest } = bench.current as BenchmarkResult
    onBenchmark({ bench: rest, index: benchIndex, valuesByUnit })
  }
  const startBench = (): void => {
    bench = new Assembler()
    benchIndex++
    sampleIndex = -1
    benchKey = undefined
    valuesByUnit = new Map()
    firstUnits = undefined
  }

  // The benchmarks and samples lists: the document or benchmark keeps an empty list; the elements go their own way.
  const enterList = (parent: Assembler, tok: Token, list: 'benchmarks' | 'samples'): void => {
    parent.consume(tok)
    parent.consume({ name: 'endArray' })
    depth++
    mode = list
  }

  const consume = (tok: Token): void => {
    const starts = STARTS.has(tok.name)
    const ends = ENDS.has(tok.name)
    switch (mode) {
      case 'top':
        if (depth === 1 && tok.name === 'keyValue') topKey = tokenText(tok)
        if (depth === 1 && topKey === 'schemaVersion' && tok.name === 'numberValue' && Number(tokenText(tok)) > RESULTS_SCHEMA_VERSION) {
          throw new InputError(`${source}: schemaVersion ${tokenText(tok)} is newer than this slurmbench reads (${RESULTS_SCHEMA_VERSION}); upgrade slurmbench`)
        }
        if (depth === 1 && topKey === 'benchmarks' && tok.name === 'startArray') {
          enterList(header, tok, 'benchmarks')
          return
        }
        header.consume(tok)
        break
      case 'benchmarks':
        if (tok.name === 'endArray') {
          depth--
          mode = 'top'
          topKey = undefined
          return
        }
        startBench()
        bench.consume(tok)
        if (starts) {
          depth++
          mode = 'bench'
        } else finishBench()
        return
      case 'bench':
        if (depth === 3 && tok.name === 'keyValue') benchKey = tokenText(tok)
        if (depth === 3 && benchKey === 'samples' && tok.name === 'startArray') {
          enterList(bench, tok, 'samples')
          return
        }
        bench.consume(tok)
        if (starts) depth++
        if (ends && --depth === 2) {
          finishBench()
          mode = 'benchmarks'
        }
        return
      case 'samples':
        if (tok.name === 'endArray') {
          depth--
          mode = 'bench'
          benchKey = undefined
          return
        }
        sample = new Assembler()
        sampleIndex++
        sample.consume(tok)
        if (starts) {
          depth++
          mode = 'sample'
        } else finishSample()
        return
      case 'sample':
        sample.consume(tok)
        if (starts) depth++
        if (ends && --depth === 4) {
          finishSample()
          mode = 'samples'
        }
        return
    }
    if (starts) depth++
    if (ends) depth--
  }

  const tokens = createReadStream(path).pipe(parser.asStream({ streamValues: false }))
  try {
    for await (const tok of tokens as AsyncIterable<Token>) consume(tok)
  } catch (err) {
    tokens.destroy()
    if (err instanceof InputError) throw err
    throw new InputError(`${source}: not valid JSON (${(err as Error).message}); the file may be truncated`)
  }
  const doc = header.current as unknown
  checkSchema(ResultsDocument, doc, source)
  const { benchmarks: _benchmarks, ...rest } = doc as ResultsDocument
  return rest
}
