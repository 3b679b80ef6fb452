import { describe, expect, it } from 'vitest'
import { helpFlags, shellWords, slurmbenchInvocations, unknownFlags } from './cli-invocations.ts'

describe('slurmbenchInvocations', () => {
  it('finds command lines and splits them as the shell would', () => {
    const script = [
      'set -u',
      '# slurmbench bench in a comment',
      'slurmbench load /x.json --target "$T" --out "$d/a b.json" || status=$?',
      'if [ -s f ]; then slurmbench compare "ref=$r" new.txt >"$d/c.txt"; fi',
      'exec slurmbench bench -count 3',
    ].join('\n')
    expect(slurmbenchInvocations(script).map((i) => i.words)).toEqual([
      ['slurmbench', 'load', '/x.json', '--target', '$T', '--out', '$d/a b.json'],
      ['slurmbench', 'compare', 'ref=$r', 'new.txt'],
      ['slurmbench', 'bench', '-count', '3'],
    ])
    expect(shellWords('a \'b c\' "" d;e')).toEqual(['a', 'b c', '', 'd;e'])
  })
})

describe('helpFlags and unknownFlags', () => {
  const help = [
    "Flags (Go's -flag=value or --flag value):",
    '  -target url              load this URL',
    '  -abort-on-fail           stop the run',
    '  -out, -json, -o file     write the results',
    '  -format text|csv|markdown|json   output format',
    '  -h, --help               show this help',
  ].join('\n')
  const flags = helpFlags(help)

  it('reads names, aliases and whether a value follows', () => {
    expect(flags).toEqual([
      { names: ['target'], takesValue: true },
      { names: ['abort-on-fail'], takesValue: false },
      { names: ['out', 'json', 'o'], takesValue: true },
      { names: ['format'], takesValue: true },
      { names: ['h', 'help'], takesValue: false },
    ])
  })

  it('reports flags the help does not list, skipping values', () => {
    expect(unknownFlags(['x.json', '--target', '-nodes', '--abort-on-fail', '-json=f', '--shard', '1/2'], flags)).toEqual(['--shard'])
  })
})
