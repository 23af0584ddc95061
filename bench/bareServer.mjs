// The bench's reference point: the least a Node server can do to answer the stage update on
// this machine. It reads and parses the JSON body and writes the documented JSON, with no store,
// no validation beyond the status field and no routing beyond a path check.
//
// Plain JavaScript on purpose, so it starts with bare `node` (no TypeScript loader in its
// start-up time or its RSS), like the built `getraze-mock` binary.
//
// Usage: node bench/bareServer.mjs <port> <frozen ISO instant>
import { createServer } from 'node:http'

const port = Number(process.argv[2] ?? 0)
const now = process.argv[3] ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
const prefix = '/external/v1/opportunities/'
const suffix = '/stage'

const server = createServer({ keepAliveTimeout: 5000 }, (request, response) => {
  const chunks = []
  request.on('data', (chunk) => chunks.push(chunk))
  request.on('end', () => {
    const url = request.url ?? '/'
    let status = 404
    let payload = { success: false, error: { code: 'NOT_FOUND', message: 'Not found' } }
    if (request.method === 'PATCH' && url.startsWith(prefix) && url.endsWith(suffix)) {
      let body
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        body = undefined
      }
      if (typeof body?.status === 'string') {
        status = 200
        const id = url.slice(prefix.length, url.length - suffix.length)
        payload = {
          success: true,
          data: {
            id,
            name: 'John Doe',
            status: body.status,
            ...(body.status === 'won' ? { won_at: now } : {}),
            ...(body.status === 'lost' ? { lost_at: now } : {}),
            updated_at: now,
          },
        }
      } else {
        status = 400
        payload = { success: false, error: { code: 'INVALID_STATUS', message: 'Status value is not valid.' } }
      }
    }
    const json = JSON.stringify(payload)
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(json)),
    })
    response.end(json)
  })
})

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`bare server listening on http://127.0.0.1:${server.address().port}\n`)
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close()
    server.closeAllConnections()
  })
}
