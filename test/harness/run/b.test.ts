// B's semantics in-process (no worker): timer, loop(), runParallel, metrics, sub-benchmark order.
import { describe, expect, it } from 'vitest'
import type { B, PB } from '../../../harness/api.ts'
import { BenchB, type RunSettings } from '../../../harness/run/b.ts'
import { NameRegistry } from '../../../harness/run/names.ts'

function settings(procs = 1, onSub: RunSettings['onSub'] = async () => true, warn?: (message: string) => void): RunSettings {
  const names = new NameRegistry()
  return { procs, uniqueName: (parent, sub) => names.unique(parent, sub), onSub, ...(warn === undefined ? {} : { warn }) }
}

describe('BenchB', () => {
  it('excludes time spent with the timer stopped and before resetTimer', async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
    const b = new BenchB(
      'BenchmarkT',
      async (b) => {
        await sleep(120) // setup, reset away
        b.resetTimer()
        await sleep(5)
        b.stopTimer()
        await sleep(120) // excluded
        b.startTimer()
      },
      settings(),
    )
    await b.runN(1)
    // Timers fire late, never early: the window is at least 5 ms, and far from the 245 ms in total.
    expect(b.timedNs).toBeGreaterThanOrEqual(4e6)
    expect(b.timedNs).toBeLessThan(115e6)
  })

  it('resetTimer deletes reported metrics; reportMetric rejects bad units', async () => {
    const b = new BenchB(
      'BenchmarkM',
      (b) => {
        b.reportMetric(1, 'gone/op')
        b.resetTimer()
        b.reportMetric(2, 'kept/op')
      },
      settings(),
    )
    await b.runN(1)
    expect([...b.extra]).toEqual([['kept/op', 2]])
    const bad = new BenchB('BenchmarkBad', (b) => b.reportMetric(1, 'has space'), settings())
    await bad.runN(1)
    expect(bad.failure?.message).toMatch(/must not contain whitespace/)
  })

  it('loop() runs a fixed count exactly and commits b.N afterwards, b.N is 0 inside', async () => {
    let inside = -1
    let calls = 0
    const b = new BenchB(
      'BenchmarkL',
      (b) => {
        while (b.loop()) {
          calls++
          inside = b.N
        }
      },
      settings(),
    )
    b.loopFixedIterations = 37
    await b.runN(1)
    expect([calls, inside, b.N, b.failure]).toEqual([37, 0, 37, undefined])
  })

  it('loop() ramps to the goal within one call with cumulative N', async () => {
    let calls = 0
    const b = new BenchB(
      'BenchmarkL',
      (b) => {
        while (b.loop()) calls++
      },
      settings(),
    )
    b.loopGoalNs = 5e6
    await b.runN(1)
    expect(b.N).toBe(calls)
    expect(b.timedNs).toBeGreaterThanOrEqual(5e6)
  })

  it('loop() fails on an early exit and when the timer is stopped', async () => {
    const early = new BenchB(
      'BenchmarkE',
      (b) => {
        while (b.loop()) break
      },
      settings(),
    )
    early.loopFixedIterations = 10
    await early.runN(1)
    expect(early.failure?.message).toMatch(/returned without B.loop\(\) == false/)
    const stopped = new BenchB(
      'BenchmarkS',
      (b) => {
        b.stopTimer()
        while (b.loop()) {
          // never
        }
      },
      settings(),
    )
    await stopped.runN(1)
    expect(stopped.failure?.message).toMatch(/timer stopped/)
  })

  it('runParallel shares exactly N iterations among parallelism × procs concurrent bodies', async () => {
    let total = 0
    let active = 0
    let maxActive = 0
    const b = new BenchB(
      'BenchmarkP',
      async (b: B) => {
        b.setParallelism(3)
        await b.runParallel(async (pb: PB) => {
          active++
          maxActive = Math.max(maxActive, active)
          while (pb.next()) {
            total++
            await new Promise((resolve) => setImmediate(resolve))
          }
          active--
        })
      },
      settings(2),
    )
    b.previousN = 1000
    b.previousDurationNs = 1e9 // grain 1: every next() claims one iteration
    await b.runN(500)
    expect(total).toBe(500)
    expect(maxActive).toBe(6)
  })

  it('runParallel fails when a body returns before pb.next() is false', async () => {
    const b = new BenchB('BenchmarkP', (b) => b.runParallel(() => {}), settings())
    await b.runN(10)
    expect(b.failure?.message).toMatch(/body exited without pb.next\(\) == false/)
  })

  it('runs un-awaited sub-benchmarks one after another, in call order, named as Go', async () => {
    const order: string[] = []
    let running = 0
    const onSub: RunSettings['onSub'] = async (_parent, name) => {
      running++
      expect(running).toBe(1)
      order.push(name)
      await new Promise((resolve) => setTimeout(resolve, 2))
      running--
      return true
    }
    const b = new BenchB(
      'BenchmarkR',
      (b) => {
        void b.run('a b', () => {})
        void b.run('a b', () => {})
        void b.run('', () => {})
      },
      settings(1, onSub),
    )
    await b.runN(1)
    expect(order).toEqual(['BenchmarkR/a_b', 'BenchmarkR/a_b#01', 'BenchmarkR/#00'])
    expect(b.hasSub).toBe(true)
  })

  it("hands each run its own B with that run's N, and b.log names the benchmark's line", async () => {
    const seen: Array<{ b: B; n: number; name: string }> = []
    const b = new BenchB(
      'BenchmarkView',
      (view) => {
        seen.push({ b: view, n: view.N, name: view.name })
        view.log('n', view.N)
      },
      settings(),
    )
    await b.runN(1)
    await b.runN(100)
    expect(seen.map((s) => [s.n, s.name])).toEqual([
      [1, 'BenchmarkView'],
      [100, 'BenchmarkView'],
    ])
    expect(seen[0]?.b).not.toBe(seen[1]?.b) // a fresh B per run keeps N constant within it
    expect(b.N).toBe(100)
    expect(b.logLines).toEqual([expect.stringMatching(/^b\.test\.ts:\d+: n 1$/), expect.stringMatching(/^b\.test\.ts:\d+: n 100$/)])
  })

  it('skip and fatal end the function and are recorded', async () => {
    const skipped = new BenchB('BenchmarkS', (b) => b.skip('no cluster'), settings())
    await skipped.runN(1)
    expect(skipped.skipReason).toBe('no cluster')
    const thrown = new BenchB(
      'BenchmarkT',
      async () => {
        throw new TypeError('bad')
      },
      settings(),
    )
    await thrown.runN(1)
    expect(thrown.failure?.message).toBe('TypeError: bad')
    expect(thrown.failure?.stack).toMatch(/b\.test\.ts/)
  })

  it("a skip or fatal caught by the benchmark's own try/catch still ends it, and the outcome says so", async () => {
    let after = 0
    const skipped = new BenchB(
      'BenchmarkCaughtSkip',
      (b) => {
        try {
          b.skip('no cluster')
        } catch {
          // swallowed: the benchmark carries on
        }
        after++
      },
      settings(),
    )
    await skipped.runN(1)
    expect(after).toBe(1)
    expect(skipped.finished).toBe(true)
    expect(skipped.skipReason).toMatch(/^no cluster\n\(the benchmark's own try\/catch caught b\.skip's signal/)
    const failed = new BenchB(
      'BenchmarkCaughtFatal',
      async (b) => {
        try {
          b.fatal('broken')
        } catch (err) {
          if (err instanceof TypeError) throw err
        }
      },
      settings(),
    )
    await failed.runN(1)
    expect(failed.failure?.message).toMatch(/^broken\n\(the benchmark's own try\/catch caught b\.fatal's signal.*ends failed/)
    // A signal that reaches the harness is not noted.
    const plain = new BenchB('BenchmarkFatal', (b) => b.fatal('broken'), settings())
    await plain.runN(1)
    expect(plain.failure?.message).toBe('broken')
  })

  it('cleanup runs the registered functions once, last first, after the last run; a throw fails the benchmark', async () => {
    const order: string[] = []
    let started = 0
    const b = new BenchB(
      'BenchmarkCleanup',
      (b) => {
        if (started++ === 0) {
          b.cleanup(() => void order.push('first registered'))
          b.cleanup(async () => {
            await new Promise((resolve) => setImmediate(resolve))
            order.push('second registered')
          })
        }
      },
      settings(),
    )
    await b.runN(1)
    await b.runN(100)
    expect(order).toEqual([]) // not after each run, as Go's B.Cleanup: after the last one
    expect(await b.runCleanups()).toBeUndefined()
    expect(order).toEqual(['second registered', 'first registered'])
    expect(await b.runCleanups()).toBeUndefined() // each runs once
    expect(order).toHaveLength(2)

    let ranAfterThrow = false
    const bad = new BenchB(
      'BenchmarkBadCleanup',
      (b) => {
        b.cleanup(() => {
          ranAfterThrow = true
        })
        b.cleanup(() => {
          throw new Error('server would not stop')
        })
      },
      settings(),
    )
    await bad.runN(1)
    expect((await bad.runCleanups())?.message).toBe('cleanup: Error: server would not stop')
    expect(ranAfterThrow).toBe(true)
    expect(bad.failure?.message).toBe('cleanup: Error: server would not stop')
  })

  it("warns once when runParallel's body is synchronous with -cpu above 1, not at -cpu=1 or for an async body", async () => {
    const syncBody = (b: B) =>
      b.runParallel((pb) => {
        while (pb.next()) sinkValue++
      })
    let sinkValue = 0
    const warned: string[] = []
    const b = new BenchB(
      'BenchmarkSync-2',
      syncBody,
      settings(2, undefined, (m) => warned.push(m)),
    )
    await b.runN(10)
    await b.runN(100)
    expect(warned).toHaveLength(1)
    expect(warned[0]).toMatch(/^BenchmarkSync: runParallel's body is synchronous.*not in parallel on CPUs/)
    const one = new BenchB(
      'BenchmarkSync',
      syncBody,
      settings(1, undefined, (m) => warned.push(m)),
    )
    await one.runN(10)
    const asyncBody = new BenchB(
      'BenchmarkAsync-2',
      (b) =>
        b.runParallel(async (pb) => {
          while (pb.next()) await null
        }),
      settings(2, undefined, (m) => warned.push(m)),
    )
    await asyncBody.runN(10)
    expect(warned).toHaveLength(1)
    expect(sinkValue).toBe(120)
  })

  it('elapsedNs reads the timed duration in nanoseconds', async () => {
    let readNs = 0
    const b = new BenchB(
      'BenchmarkE',
      async (b) => {
        await new Promise((resolve) => setTimeout(resolve, 20))
        readNs = b.elapsedNs()
      },
      settings(),
    )
    await b.runN(1)
    expect(readNs).toBeGreaterThanOrEqual(15e6) // 20 ms of timer, never less than ~15 ms in ns
    expect(readNs).toBeLessThan(20e9)
  })
})
