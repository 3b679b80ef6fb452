// The public API's type test: what a benchmark author writes against `slurmbench` must type-check,
// and misuse must not (each @ts-expect-error fails the check when the line becomes valid). Checked
// by `tsc --noEmit -p .` here, and against the packed package's .d.ts by package.int.test.ts.
import { type B, type BenchmarkFunction, full, type PB, sink } from 'slurmbench'

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false
function assertType<T extends true>(): T | undefined {
  return undefined
}

export function BenchmarkLoop(b: B): void {
  b.reportAllocs()
  while (b.loop()) sink(JSON.parse('{"a":1}'))
}

export async function BenchmarkSizes(b: B): Promise<void> {
  for (const size of full() ? [10, 1000, 100_000] : [10, 1000]) {
    const passed: boolean = await b.run(`size=${size}`, (sub) => {
      sub.setBytes(size)
      for (let i = 0; i < sub.N; i++) sink(new Array(size).fill(i))
      sub.reportMetric(size / sub.N, 'items/op')
    })
    if (!passed) b.log('size', size, 'failed')
  }
}

export async function BenchmarkParallel(b: B): Promise<void> {
  b.setParallelism(4)
  await b.runParallel(async (pb: PB) => {
    while (pb.next()) await Promise.resolve()
  })
  b.resetTimer()
  b.stopTimer()
  b.startTimer()
  const elapsedNs: number = b.elapsedNs()
  if (elapsedNs < 0) b.fatal('negative time')
  if (b.name === '') b.skip('unnamed')
}

export const asValue: BenchmarkFunction = BenchmarkLoop
assertType<Equal<ReturnType<B['fatal']>, never>>()
assertType<Equal<ReturnType<typeof full>, boolean>>()
assertType<Equal<Parameters<BenchmarkFunction>, [b: B]>>()

export function BenchmarkMisuse(b: B): void {
  // @ts-expect-error N is read-only: the harness sets it
  b.N = 10
  // @ts-expect-error reportMetric takes a value and a unit
  b.reportMetric(1)
  // @ts-expect-error run's function receives a B, not a number
  void b.run('x', (n: number) => n)
  // @ts-expect-error a benchmark function takes one B
  const wrong: BenchmarkFunction = (x: string) => x
  sink(wrong)
}
