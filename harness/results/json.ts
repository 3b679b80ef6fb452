// Reading and writing the JSON results document; every read is validated against the schema.
import { writeFileAtomic } from './atomic-file.ts'
import { InputError } from '../../common/input-error.ts'
import { readInputText } from '../../common/read-input.ts'
import { checkDurations, checkSchema } from './schema-check.ts'
import { RESULTS_SCHEMA_VERSION, ResultsDocument } from './schema.ts'

/** parseResults validates `text` as a results document; `source` names it in errors. */
export function parseResults(text: string, source: string): ResultsDocument {
  if (text.trim() === '') throw new InputError(`${source}: empty file, expected a slurmbench results JSON document`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new InputError(`${source}: not valid JSON (${(err as Error).message}); the file may be truncated`)
  }
  if (typeof value === 'object' && value !== null && 'schemaVersion' in value) {
    const version = (value as { schemaVersion: unknown }).schemaVersion
    if (typeof version === 'number' && version > RESULTS_SCHEMA_VERSION) {
      throw new InputError(`${source}: schemaVersion ${version} is newer than this slurmbench reads (${RESULTS_SCHEMA_VERSION}); upgrade slurmbench`)
    }
  }
  checkSchema(ResultsDocument, value, source)
  const doc = value as ResultsDocument
  for (const [i, bench] of doc.benchmarks.entries()) {
    for (const [j, sample] of bench.samples.entries()) checkDurations(sample.metrics, source, `/benchmarks/${i}/samples/${j}`)
  }
  return doc
}

/** readResults reads and validates a results file. */
export async function readResults(path: string): Promise<ResultsDocument> {
  return parseResults(await readInputText(path), path)
}

/** writeResults writes a results document atomically, pretty-printed for diffs. */
export async function writeResults(path: string, doc: ResultsDocument): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(doc, null, 2) + '\n')
}
