import { describe, expect, it } from 'vitest'
import { parseTokenText, tokenUser } from '../../../testbed/exporter/slurm-auth.ts'

const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`

describe('slurm auth', () => {
  it('reads a token file as scontrol token writes it, or a bare token', () => {
    expect(parseTokenText('SLURM_JWT=abc.def.ghi\n')).toBe('abc.def.ghi')
    expect(parseTokenText('export SLURM_JWT=abc.def.ghi')).toBe('abc.def.ghi')
    expect(parseTokenText('\n  abc.def.ghi  \n')).toBe('abc.def.ghi')
    expect(parseTokenText('')).toBe('')
  })

  it("reads the token's user from its sun or username claim", () => {
    expect(tokenUser(jwt({ sun: 'slurm', exp: 1 }))).toBe('slurm')
    expect(tokenUser(jwt({ username: 'alice' }))).toBe('alice')
    expect(tokenUser(jwt({ exp: 1 }))).toBeUndefined()
    expect(tokenUser('not-a-jwt')).toBeUndefined()
  })
})
