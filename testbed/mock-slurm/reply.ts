// Writing responses: whole small payloads, streamed large lists, plain-text errors. Every JSON
// body goes through the version's compiled serializer, pretty-printed unless compact was asked.
import type { ServerResponse } from 'node:http'
import { BodyWriter, type BodyWriterOptions } from './body-writer.ts'
import { PrettyPrinter } from './pretty.ts'
import type { Meta, SlurmError, SlurmWarning } from './records/meta.ts'
import type { RecordTemplate } from './record-template.ts'
import type { ResponseSerializers, Serialize } from './serialize.ts'
import type { ResponseKind } from './versions.ts'

/** Reply is everything needed to answer one request. */
export interface Reply {
  res: ServerResponse
  serializers: ResponseSerializers
  meta: Meta
  body: BodyWriterOptions
  /** capture, when set, is handed every whole (non-streamed) JSON body sent, for the response cache. */
  capture?: (status: number, text: string) => void
}

const JSON_TYPE = 'application/json'

/** sendText answers with a text/plain body, as slurmrestd does for its transport-level errors. */
export function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** sendJsonBytes answers with an already serialized and encoded JSON body (a response cache hit). */
export function sendJsonBytes(res: ServerResponse, status: number, body: Buffer): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': body.length })
  res.end(body)
}

/** sendNotModified answers 304 with no body (update_time newer than the data, RFC 7232 §4.1). */
export function sendNotModified(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(304)
  res.end()
}

function finishJson(reply: Reply, status: number, compact: string): void {
  const { res } = reply
  if (res.headersSent || res.destroyed) return
  const text = reply.body.pretty ? new PrettyPrinter().write(compact) : compact
  reply.capture?.(status, text)
  if (reply.body.slowBodyBytesPerSec > 0 || reply.body.truncateAtBytes >= 0) {
    res.writeHead(status, { 'content-type': JSON_TYPE })
    const writer = new BodyWriter(res, { ...reply.body, pretty: false })
    void Promise.resolve(writer.write(text)).then(() => writer.end())
    return
  }
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** sendPayload answers with a whole response of `kind`: payload keys plus meta, errors, warnings. */
export function sendPayload(
  reply: Reply,
  status: number,
  kind: ResponseKind,
  payload: Record<string, unknown>,
  errors: SlurmError[] = [],
  warnings: SlurmWarning[] = [],
): void {
  finishJson(reply, status, reply.serializers.response(kind)({ ...payload, meta: reply.meta, errors, warnings }))
}

/**
 * sendUnshapedJson answers with an object whose key set the spec does not describe (slurmrestd's
 * "unknown node" answer has no `nodes` and puts `errors` first); JSON.stringify keeps its order.
 */
export function sendUnshapedJson(reply: Reply, status: number, value: object): void {
  finishJson(reply, status, JSON.stringify(value))
}

/**
 * sendErrorsOnly answers with only `errors`, `warnings` and `meta`, in that order: slurmrestd's
 * answer when a handler fails before it has a payload (an unknown node or partition, a refused
 * token on /nodes).
 */
export function sendErrorsOnly(reply: Reply, status: number, errors: SlurmError[], warnings: SlurmWarning[] = []): void {
  finishJson(reply, status, JSON.stringify({ errors, warnings, meta: reply.meta }))
}

/** ListSource yields the records of a streamed list; `undefined` skips slot i (a filter). */
export interface ListSource {
  count: number
  at(i: number): object | undefined
  /**
   * constants, when set, are the properties every record has the same; at() then returns only
   * the other properties (always the same keys), and the list is written with a record template.
   */
  constants?: Readonly<Record<string, unknown>>
}

/**
 * streamList answers with a response of `kind` whose list `listKey` is written record by record
 * from `source`, in bounded memory. The envelope around the list is the serializer's own output
 * for an empty list, cut at the list, so key order and the other keys stay exactly the spec's.
 */
export async function streamList(
  reply: Reply,
  status: number,
  kind: ResponseKind,
  listKey: string,
  source: ListSource,
  rest: Record<string, unknown>,
  itemSerializer?: Serialize,
): Promise<void> {
  const { res } = reply
  if (res.headersSent || res.destroyed) return
  const marker = `"${listKey}":[`
  let envelope = reply.serializers.response(kind)({ [listKey]: [], ...rest, meta: reply.meta, errors: [], warnings: [] })
  // A list the spec's response does not declare (jobs/state) goes first, before meta.
  if (!envelope.includes(`${marker}]`)) envelope = `{${marker}]${envelope === '{}' ? '' : ','}${envelope.slice(1)}`
  const cut = envelope.indexOf(`${marker}]`)
  const head = envelope.slice(0, cut + marker.length)
  const tail = envelope.slice(cut + marker.length)
  // Without constants the list is written with the item serializer, else with a template built
  // from the first record's keys.
  const item = itemSerializer ?? (source.constants === undefined ? reply.serializers.item(kind, listKey) : undefined)
  let template: RecordTemplate | undefined
  res.writeHead(status, { 'content-type': JSON_TYPE })
  const writer = new BodyWriter(res, reply.body)
  await writer.write(head)
  let separator = ''
  for (let i = 0; i < source.count; i++) {
    const record = source.at(i)
    if (record === undefined) continue
    let text: string
    if (item !== undefined) {
      text = item(record)
    } else {
      template ??= reply.serializers.template(kind, listKey, source.constants!, Object.keys(record))
      text = template.serialize(record as Record<string, unknown>)
    }
    const wait = writer.write(separator + text)
    separator = ','
    if (wait !== undefined) await wait
    // The client left: stop producing; nothing else holds the records.
    if (writer.closed) return
  }
  await writer.write(tail)
  await writer.end()
}
