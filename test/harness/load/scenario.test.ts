// Scenario files: the shipped ones, validation errors that name the file and JSON path, and
// command-line overrides.
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildPlan, peakTarget, planDurationNs } from '../../../harness/load/plan.ts'
import { applyFlagOverrides, applySets, listScenarios, readScenario, resolveScenarioPath, validateScenario } from '../../../harness/load/scenario.ts'
import type { ScenarioFile } from '../../../harness/load/scenario-schema.ts'

const minutes = (ns: number): number => ns / 60e9

describe('shipped scenarios', () => {
  it('the five issue scenarios and the two open-model ones validate and have the promised shape', async () => {
    const names = await listScenarios()
    expect(names).toEqual(['baseline', 'capacity', 'endurance', 'open-constant', 'open-ramping', 'spike', 'stress'])
    const plans = Object.fromEntries(
      await Promise.all(
        names.map(async (name) => {
          const path = await resolveScenarioPath(name)
          return [name, buildPlan(await readScenario(path), path, name)] as const
        }),
      ),
    )
    const shape = (name: string) => {
      const plan = plans[name] as ReturnType<typeof buildPlan>
      return [plan.model, peakTarget(plan), minutes(planDurationNs(plan))]
    }
    expect(shape('baseline')).toEqual(['closed', 10, 10])
    expect(shape('stress')).toEqual(['closed', 100, 15])
    expect(shape('spike')).toEqual(['closed', 200, 5])
    expect(shape('endurance')).toEqual(['closed', 50, 60])
    expect(shape('capacity')).toEqual(['closed', 500, 20])
    expect(shape('open-constant')).toEqual(['open', 50, 10])
    expect(shape('open-ramping')[0]).toBe('open')
    // The spike is sudden: 10 → 200 VUs within 10 s.
    const spike = plans.spike as ReturnType<typeof buildPlan>
    expect(spike.stages.some((s, i) => s.target === 200 && s.durationNs <= 10e9 && (spike.stages[i - 1]?.target ?? 0) <= 10)).toBe(true)
  })
})

describe('validation errors name the file and the JSON path', () => {
  const base = { executor: 'ramping-vus', stages: [{ duration: '1m', target: 10 }] }
  it.each([
    [
      { ...base, executor: 'ramp' },
      'f.json: at /executor: expected one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate, found "ramp"',
    ],
    [{ ...base, stages: [{ duration: '1m', target: 'ten' }] }, 'f.json: at /stages/0/target: expected number, found "ten"'],
    [{ ...base, stages: [] }, 'f.json: at /stages: expected array length to be greater or equal to 1'],
    [{ ...base, vus: 3 }, 'f.json: at /vus: unexpected property; allowed here:'],
    [{ ...base, thinkTime: 5 }, 'f.json: at /thinkTime: expected a Go duration such as "100ms", or {"min": "50ms", "max": "150ms"}, found 5'],
    [{ executor: 'constant-arrival-rate', rate: 10, duration: '1m' }, 'f.json: at /preAllocatedVUs: required property is missing'],
  ])('%j', (value, message) => {
    expect(() => validateScenario(value, 'f.json')).toThrow(message)
  })
  it('reports bad durations and inconsistent fields at their path', () => {
    const plan = (value: object) => buildPlan(validateScenario(value, 'f.json'), 'f.json', 'f')
    expect(() =>
      plan({
        ...base,
        stages: [
          { duration: '1m', target: 1 },
          { duration: '10 minutes', target: 1 },
        ],
      }),
    ).toThrow('f.json: at /stages/1/duration: expected a Go duration such as "10m" or "1.5s", found "10 minutes"')
    expect(() => plan({ executor: 'constant-arrival-rate', rate: 10, duration: '1m', preAllocatedVUs: 10, maxVUs: 5 })).toThrow(
      'f.json: at /maxVUs: 5 is below preAllocatedVUs (10)',
    )
    expect(() => plan({ executor: 'constant-vus', vus: 1, duration: '1m', thinkTime: { min: '2s', max: '1s' } })).toThrow(
      'f.json: at /thinkTime: max (1s) is below min (2s)',
    )
    expect(() => plan({ ...base, stages: [{ duration: '1m', target: 1.5 }] })).toThrow('f.json: at /stages/0/target: VU targets are whole numbers')
  })
  it('reports a file that is not JSON with its line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'load-scenario-'))
    const path = join(dir, 'bad.json')
    await writeFile(path, '{\n  "executor": "constant-vus"\n  "vus": 1\n}')
    await expect(readScenario(path)).rejects.toThrow(`${path}:3:3: not valid JSON`)
  })
})

describe('overrides', () => {
  const ramp: ScenarioFile = {
    executor: 'ramping-vus',
    startVUs: 10,
    stages: [
      { duration: '1m', target: 100 },
      { duration: '3m', target: 50 },
    ],
  }
  it('--vus scales a ramp so its peak is the given count', () => {
    const s = applyFlagOverrides(ramp, { vus: 20 })
    expect(s.executor === 'ramping-vus' && [s.startVUs, s.stages.map((x) => x.target)]).toEqual([2, [20, 10]])
  })
  it('--duration scales a ramp to the given total, keeping proportions', () => {
    const s = applyFlagOverrides(ramp, { duration: '40s' })
    expect(s.executor === 'ramping-vus' && s.stages.map((x) => x.duration)).toEqual(['10000ms', '30000ms'])
  })
  it('--rate applies to arrival-rate scenarios only', () => {
    const open: ScenarioFile = { executor: 'constant-arrival-rate', rate: 50, duration: '1m', preAllocatedVUs: 5 }
    expect(applyFlagOverrides(open, { rate: 7 })).toMatchObject({ rate: 7 })
    expect(() => applyFlagOverrides(ramp, { rate: 7 })).toThrow(/--rate: scenario uses ramping-vus/)
    expect(() => applyFlagOverrides(open, { thinkTime: '1s' })).toThrow(/--think-time: .*open model/)
    expect(() => applyFlagOverrides(ramp, { timeout: 'soon' })).toThrow(/--timeout: expected a Go duration/)
  })
  it('--set edits any field and is validated again', () => {
    const s = applySets(ramp, ['stages.1.target=75', 'request.timeout=5s', 'request.headers.x-mock-fault=latency=10ms'])
    expect(s).toMatchObject({ stages: [{ target: 100 }, { target: 75 }], request: { timeout: '5s', headers: { 'x-mock-fault': 'latency=10ms' } } })
    expect(() => applySets(ramp, ['stages.0.target=lots'])).toThrow('--set stages.0.target=lots: at /stages/0/target: expected number, found "lots"')
    expect(() => applySets(ramp, ['startVUs.x=1'])).toThrow(/startVUs is 10, not an object/)
    expect(() => applySets(ramp, ['nonsense'])).toThrow(/expected key.path=value/)
  })
})
