// Microsecond statistics become seconds printed in their shortest round-tripping form.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { writeDiag } from '../../../testbed/exporter/collectors/diag.ts'
import { formatValue, serializeFamilies } from '../../../testbed/exporter/exposition.ts'
import { SeriesPolicy, SeriesSink } from '../../../testbed/exporter/series-policy.ts'
import { microsecondsToSeconds } from '../../../testbed/exporter/slurm-values.ts'

/** decimalSeconds writes `us` microseconds as seconds by moving the decimal point in the digits, no floating point. */
function decimalSeconds(us: number): string {
  const digits = String(us).padStart(7, '0')
  const whole = digits.slice(0, -6).replace(/^0+(?=\d)/, '')
  const fraction = digits.slice(-6).replace(/0+$/, '')
  return fraction === '' ? whole : `${whole}.${fraction}`
}

describe('diag values', () => {
  it('prints 228 µs as 0.000228, not 0.00022799999999999999', () => {
    const sink = new SeriesSink(new SeriesPolicy({ regexEngine: 'regexp' }))
    writeDiag({ schedule_cycle_last: 228, bf_cycle_mean: 1_000_001, rpcs_by_user: [{ user: 'root', count: 3, total_time: 7 }] }, sink)
    const text = Buffer.concat(
      serializeFamilies(
        sink.familyWriters.map((w) => w.family),
        'text',
      ),
    ).toString()
    expect(text).toMatch(/^slurm_scheduler_cycle_last_seconds 0\.000228$/m)
    expect(text).toMatch(/^slurm_backfill_cycle_mean_seconds 1\.000001$/m)
    expect(text).toMatch(/^slurm_rpc_user_messages_time_seconds_total\{user="root"\} 0\.000007$/m)
  })

  it('prints any whole number of microseconds as the exact decimal of its seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 50 }), (us) => {
        const text = formatValue(microsecondsToSeconds(us))
        expect(Number(text)).toBe(Number(decimalSeconds(us)))
        // JavaScript writes exponent notation from 1e21 on; below it, the digits must be the decimal's.
        if (!text.includes('e')) expect(text).toBe(decimalSeconds(us))
      }),
      { numRuns: 2_000 },
    )
  })
})
