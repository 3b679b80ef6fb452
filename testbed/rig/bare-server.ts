// The comparison server for the /ping benchmark: bare node:http answering every request with the
// same bytes and content type the mock sends, so the difference measures the mock's own work.
// Body from $BARE_SERVER_BODY; prints "listening on URL" like the mock's CLI.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const body = Buffer.from(process.env.BARE_SERVER_BODY ?? '{}')
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
  res.end(body)
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
})
const stop = () => {
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
