// Decoding and encoding slurmrestd's node list, the largest response an exporter handles on every
// scrape: JSON.parse, JSON.stringify, and fast-json-stringify compiled from the TypeBox schema.
// Sub-benchmarks are named impl=…/nodes=… so that `benchstat -col /impl` puts the encoders side
// by side. MB/s is computed from the JSON text's length.
import fastJson from 'fast-json-stringify'
import { type B, full, sink } from 'slurmbench'
import { slurmNodesJson, slurmNodesResponse } from '../fixtures/slurm-nodes.ts'
import { SlurmNodesResponseSchema } from '../fixtures/slurm-node-schema.ts'

// 100 nodes is the largest real sample (24.05); 1,000 a mid-sized cluster; 10,000 a large one.
function nodeCounts(): number[] {
  return full() ? [10, 100, 1_000, 10_000] : [1_000]
}

/** BenchmarkParseNodes decodes a `GET /slurm/v0.0.43/nodes` body with JSON.parse. */
export async function BenchmarkParseNodes(b: B) {
  for (const nodes of nodeCounts()) {
    await b.run(`nodes=${nodes}`, (b) => {
      const text = slurmNodesJson(nodes)
      b.setBytes(Buffer.byteLength(text))
      b.reportAllocs()
      b.resetTimer()
      for (let i = 0; i < b.N; i++) sink(JSON.parse(text))
    })
  }
}

/** BenchmarkStringifyNodes encodes the same response with JSON.stringify and with fast-json-stringify. */
export async function BenchmarkStringifyNodes(b: B) {
  // Compiling the serializer is one-off work an exporter does at start-up, so it is not timed.
  const stringifyCompiled = fastJson(SlurmNodesResponseSchema)
  const encoders: ReadonlyArray<readonly [string, (value: unknown) => string]> = [
    ['JSON.stringify', (value) => JSON.stringify(value)],
    ['fast-json-stringify', (value) => stringifyCompiled(value as object)],
  ]
  for (const [impl, encode] of encoders) {
    for (const nodes of nodeCounts()) {
      await b.run(`impl=${impl}/nodes=${nodes}`, (b) => {
        const response = slurmNodesResponse(nodes)
        const text = encode(response)
        // A faster encoder that drops or reorders fields would win unfairly: insist on equal output.
        if (text !== JSON.stringify(response))
          b.fatal(`${impl} output differs from JSON.stringify (${text.length} vs ${JSON.stringify(response).length} chars)`)
        b.setBytes(Buffer.byteLength(text))
        b.reportAllocs()
        b.resetTimer()
        for (let i = 0; i < b.N; i++) sink(encode(response))
      })
    }
  }
}
