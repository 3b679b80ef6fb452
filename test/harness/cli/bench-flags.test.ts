// Flag handling of `slurmbench bench`, in-process (the CLI's exit codes are covered in cli-bench).
import { describe, expect, it } from 'vitest'
import { BENCH_FLAGS, command, optionsFromArgs } from '../../../harness/cli/bench.ts'
import { parseArgs, UsageError } from '../../../harness/cli/flags.ts'

function options(...argv: string[]) {
  return optionsFromArgs(parseArgs(argv, BENCH_FLAGS))
}

describe('bench flags', () => {
  it('has Go defaults', () => {
    expect(options()).toMatchObject({
      bench: '.',
      count: 1,
      benchTime: '1s',
      benchmem: false,
      cpu: [1],
      timeoutMs: 600_000,
      full: false,
      verbose: false,
      paths: [],
    })
  })

  it('accepts Go spelling and the double-dash form alike', () => {
    const go = options(
      '-bench=JSON/nodes',
      '-count=5',
      '-benchtime=100ms',
      '-benchmem',
      '-cpu=1,4',
      '-timeout=5m',
      '-json=out.json',
      '-o',
      'out.txt',
      'benchmarks/cpu',
    )
    const dashes = options(
      '--bench',
      'JSON/nodes',
      '--count',
      '5',
      '--benchtime=100ms',
      '--benchmem',
      '--cpu',
      '1,4',
      '--timeout',
      '5m',
      '--json',
      'out.json',
      '--o=out.txt',
      'benchmarks/cpu',
    )
    expect(go).toEqual(dashes)
    expect(go).toMatchObject({
      bench: 'JSON/nodes',
      count: 5,
      benchTime: '100ms',
      benchmem: true,
      cpu: [1, 4],
      timeoutMs: 300_000,
      jsonPath: 'out.json',
      textPath: 'out.txt',
      paths: ['benchmarks/cpu'],
    })
  })

  it('-benchtime takes Nx and -timeout=0 disables the timeout, as Go', () => {
    expect(options('-benchtime=50x').benchTime).toBe('50x')
    expect(options('-timeout=0').timeoutMs).toBe(Infinity)
  })

  it.each([
    [['-count=0'], /flag -count: expected a whole number of at least 1, found 0/],
    [['-count=abc'], /flag -count: expected a whole number, found "abc"/],
    [['-benchtime=abc'], /flag -benchtime: .*found "abc"/],
    [['-benchtime=0s'], /flag -benchtime/],
    [['-cpu=0'], /flag -cpu: .*found "0"/],
    [['-cpu=1,x'], /flag -cpu: .*found "x"/],
    [['-timeout=soon'], /flag -timeout: .*found "soon"/],
    [['-bench=(unclosed'], /flag -bench: invalid regexp "\(unclosed"/],
    [['-max-old-space=1'], /flag -max-old-space: expected at least 16/],
    [['-nosuch'], /unknown flag -nosuch/],
  ])('%j is a usage error naming the flag', (argv, message) => {
    expect(() => options(...argv)).toThrow(UsageError)
    expect(() => options(...argv)).toThrow(message)
  })

  it('prints usage with the quick setting documented', async () => {
    let text = ''
    const write = process.stdout.write
    process.stdout.write = ((chunk: string) => {
      text += chunk
      return true
    }) as typeof process.stdout.write
    try {
      expect(await command.run(['--help'])).toBe(0)
    } finally {
      process.stdout.write = write
    }
    expect(text).toMatch(/usage: slurmbench bench/)
    expect(text).toMatch(/quick: 100ms/)
  })
})
