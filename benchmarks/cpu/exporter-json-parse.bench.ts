// Reading a slurmrestd /jobs answer: one JSON.parse of the whole body (impossible past ~512 MiB),
// the exporter's focused streaming reader parsing whole elements and picking only the jobs
// collector's members (what the exporter runs), and stream-json 3. MB/s from setBytes.
import { type B, full, sink } from 'slurmbench'
import { JOB_FIELDS } from '../../testbed/exporter/collectors/jobs.ts'
import { JsonListStream } from '../../testbed/exporter/json-list-stream.ts'
import { readListWithStreamJson } from '../../testbed/exporter/stream-json-reader.ts'
import { captureAnswers } from '../../testbed/rig/workloads.ts'

/** CHUNK_BYTES matches what a socket delivers: undici hands bodies over in ~64 KiB chunks. */
const CHUNK_BYTES = 64 * 1024

function chunked(body: Buffer): Buffer[] {
  const chunks: Buffer[] = []
  for (let i = 0; i < body.length; i += CHUNK_BYTES) chunks.push(body.subarray(i, i + CHUNK_BYTES))
  return chunks
}

export async function BenchmarkParseJobs(b: B) {
  for (const jobs of full() ? [1_000, 10_000] : [200]) {
    const parsers: [string, (body: Buffer, chunks: Buffer[]) => void | Promise<void>][] = [
      ['json-parse', (body) => sink(JSON.parse(body.toString('utf8')))],
      [
        'list-stream',
        (_body, chunks) => {
          const reader = new JsonListStream('jobs', sink)
          for (const chunk of chunks) reader.write(chunk)
          sink(reader.end())
        },
      ],
      [
        'list-stream-fields',
        (_body, chunks) => {
          const reader = new JsonListStream('jobs', sink, JOB_FIELDS)
          for (const chunk of chunks) reader.write(chunk)
          sink(reader.end())
        },
      ],
      ['stream-json', async (_body, chunks) => void (await readListWithStreamJson(chunks, 'jobs', sink))],
    ]
    for (const [name, parse] of parsers) {
      await b.run(`jobs=${jobs}/parser=${name}`, async (b) => {
        const { jobs: body } = (await captureAnswers({ nodes: Math.max(16, jobs / 10), jobs }, ['jobs'])) as { jobs: Buffer }
        const chunks = chunked(body)
        b.setBytes(body.length)
        b.resetTimer()
        for (let i = 0; i < b.N; i++) await parse(body, chunks)
      })
    }
  }
}
