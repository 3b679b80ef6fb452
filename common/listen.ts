// Starting a server on a host and port (0: any free one) and naming its URL, for every server of
// the tree: the mock, the exporter, and the test servers.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** DEFAULT_HOST is loopback: nothing this tree starts listens beyond the machine unless asked. */
export const DEFAULT_HOST = '127.0.0.1'

/** Listening is where a started server listens. */
export interface Listening {
  readonly host: string
  readonly port: number
  /** url is `http://host:port` with an IPv6 host in brackets. */
  readonly url: string
}

/** listen starts `server` on `host:port` and resolves once it listens; a bind error rejects. */
export async function listen(server: Server, port = 0, host = DEFAULT_HOST): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const bound = (server.address() as AddressInfo).port
  return { host, port: bound, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` }
}
