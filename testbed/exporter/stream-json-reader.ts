// The same job as JsonListStream, built on stream-json 3 (tokenizer + pick + streamArray), kept
// for comparison only: benchmarks/cpu/exporter-json-parse.bench.ts measures both on real answers.

import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Writable } from 'node:stream'
import chain from 'stream-chain'
import { parser } from 'stream-json'
import { pick } from 'stream-json/filters/pick.js'
import { streamArray } from 'stream-json/streamers/stream-array.js'

/** readListWithStreamJson calls `onItem` for each element of the `listKey` list of the JSON in `chunks`. */
export async function readListWithStreamJson(chunks: readonly Buffer[], listKey: string, onItem: (item: unknown) => void): Promise<number> {
  let count = 0
  await pipeline(
    Readable.from(chunks),
    chain([parser(), pick({ filter: listKey }), streamArray()]),
    new Writable({
      objectMode: true,
      write(item: { value: unknown }, _encoding, done) {
        count++
        onItem(item.value)
        done()
      },
    }),
  )
  return count
}
