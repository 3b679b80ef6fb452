// The response cache answers only for the model state an answer was made at, in bounded memory.
import { describe, expect, it } from 'vitest'
import { cacheKey, modelStamp, ResponseCache } from '../../../testbed/mock-slurm/response-cache.ts'

describe('ResponseCache', () => {
  it('hits for the same stamp only', () => {
    const cache = new ResponseCache()
    const key = cacheKey('/slurm/v0.0.42/ping', 'v0.0.42', 'root', '127.0.0.1:6820(fd:10)')
    cache.set(key, modelStamp(100, 3), Buffer.from('{}'))
    expect(cache.get(key, modelStamp(100, 3))?.toString()).toBe('{}')
    expect(cache.get(key, modelStamp(100, 4))).toBeUndefined()
    expect(cache.get(key, modelStamp(101, 3))).toBeUndefined()
    expect(cache.get(cacheKey('/slurm/v0.0.42/ping', 'v0.0.42', 'alice', '127.0.0.1:6820(fd:10)'), modelStamp(100, 3))).toBeUndefined()
  })

  it('is cleared when full, and replacing a key does not count as growth', () => {
    const cache = new ResponseCache(2)
    cache.set('a', '1', Buffer.from('a'))
    cache.set('b', '1', Buffer.from('b'))
    cache.set('b', '2', Buffer.from('b2'))
    expect(cache.size).toBe(2)
    cache.set('c', '1', Buffer.from('c'))
    expect(cache.size).toBe(1)
    expect(cache.get('a', '1')).toBeUndefined()
    expect(cache.get('c', '1')?.toString()).toBe('c')
  })
})
