// Imported first by every worker bundle (bundle.ts), so it is installed before the benchmark file
// loads: an exception nobody catches, including one thrown while the benchmark module itself is
// evaluated, is printed with source-mapped frames (workers run without --enable-source-maps, see
// source-map.ts) and ends the worker, as Node's default handler would.
import { sourceMapStack } from './source-map.ts'

process.on('uncaughtException', (err) => {
  const text = err instanceof Error && err.stack !== undefined ? sourceMapStack(err.stack) : `Uncaught ${String(err)}`
  process.stderr.write(`${text}\n`)
  process.exit(1)
})
