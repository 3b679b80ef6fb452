// Small answers kept until the model changes: serializing and pretty-printing a 730-byte /ping
// cost 3× a bare server's whole request in a profile, and exporters ask the same small questions
// every scrape.

/** RESPONSE_CACHE_ENTRIES bounds the cache; it is cleared when full (keys are few in practice). */
export const RESPONSE_CACHE_ENTRIES = 2_048

/** ResponseCache maps a request key to the body of its last 200 answer and the model stamp it was made at. */
export class ResponseCache {
  private readonly entries = new Map<string, { stamp: string; body: Buffer }>()

  constructor(private readonly maxEntries = RESPONSE_CACHE_ENTRIES) {}

  /** get returns the body cached for `key` if it was made at `stamp`, else undefined. */
  get(key: string, stamp: string): Buffer | undefined {
    const hit = this.entries.get(key)
    return hit !== undefined && hit.stamp === stamp ? hit.body : undefined
  }

  /** set caches `body` for `key` at `stamp`, clearing the cache first when it is full. */
  set(key: string, stamp: string, body: Buffer): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) this.entries.clear()
    this.entries.set(key, { stamp, body })
  }

  /** size is the number of cached answers. */
  get size(): number {
    return this.entries.size
  }
}

/** cacheKey names an answer: the path, version, user and client (meta.client differs by each). */
export function cacheKey(pathname: string, version: string, user: string, client: string): string {
  return `${pathname}|${version}|${user}|${client}`
}

/** modelStamp names the model's state: an answer made at another stamp is stale. */
export function modelStamp(nowSec: number, events: number): string {
  return `${nowSec}:${events}`
}
