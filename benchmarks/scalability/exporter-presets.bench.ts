// The headline figures: scrape latency percentiles and the exporter's peak RSS for the mock's
// presets (small 500 nodes/5,000 jobs … xl 50,000/500,000). Goals for large: p95 ≤ 2 s and
// ≤ 512 MiB. Run with a fixed count of scrapes for stable percentiles:
//   node bin/slurmbench.js bench -full -bench 'ScrapePreset/preset=large' -benchtime 5x -timeout 30m benchmarks/scalability
// Beside latency each mode reports what the answers hold: collection-s (how long the collection
// served took), age-p50-s and age-max-s (how old the data served was; in background mode sampled
// over a refresh cycle), background-mode (1 when the exporter answered from the background),
// exporter-cpu-% (its CPU share meanwhile) and first-complete-s (spawn to first complete answer).
import { type B, full } from 'slurmbench'
import { scrapeSweep } from '../../testbed/rig/workloads.ts'

/** PRESET_SHAPES mirrors testbed/mock-slurm's presets (cluster/presets.ts). */
const PRESET_SHAPES = {
  small: { nodes: 500, jobs: 5_000, users: 200 },
  medium: { nodes: 3_000, jobs: 30_000, users: 1_000 },
  large: { nodes: 10_000, jobs: 100_000, users: 3_000 },
  xl: { nodes: 50_000, jobs: 500_000, users: 5_000 },
} as const

export async function BenchmarkScrapePreset(b: B) {
  // Each preset costs the mock's generation plus seconds to minutes per scrape: -full only.
  if (!full()) b.skip('presets run with -full (npm run bench:full)')
  for (const preset of ['small', 'medium', 'large', 'xl'] as const) {
    const shape = PRESET_SHAPES[preset]
    // auto: the exporter's default configuration (10 s scrape timeout; on demand until a
    // collection takes more than 5 s, then background) — the headline.
    await b.run(`preset=${preset}/mode=auto`, (b) => scrapeSweep(b, shape, { collectionMode: 'auto' }))
    // on-demand: every scrape collects, with the rig's long timeouts so that it measures how long.
    await b.run(`preset=${preset}/mode=on-demand`, (b) => scrapeSweep(b, shape, { collectionMode: 'on-demand' }))
    // background: scrapes are answered from the latest collection, refreshed continuously.
    await b.run(`preset=${preset}/mode=background`, (b) => scrapeSweep(b, shape, { collectionMode: 'background' }))
  }
}
