// Runs hot.bundle.mjs's functions under V8's profilers and writes the raw profiles:
// node profile-driver.mjs OUT_DIR → OUT_DIR/cpu.json (Profiler.stop), OUT_DIR/heap.json (getSamplingProfile).
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import { allocating, hotLoop } from './hot.bundle.mjs'

const out = process.argv[2]
const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.setSamplingInterval', { interval: 100 })
await session.post('Profiler.start')
let sum = 0
for (const end = Date.now() + 400; Date.now() < end; ) sum += hotLoop(10_000)
const { profile } = await session.post('Profiler.stop')
writeFileSync(join(out, 'cpu.json'), JSON.stringify(profile))

await session.post('HeapProfiler.enable')
await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
let kept = 0
for (let i = 0; i < 300; i++) kept += allocating(1000).length
const { profile: heap } = await session.post('HeapProfiler.getSamplingProfile')
await session.post('HeapProfiler.stopSampling')
writeFileSync(join(out, 'heap.json'), JSON.stringify(heap))
process.stdout.write(`${sum > 0} ${kept}\n`)
