// The reference for `getraze-mock record`: the least a Node forwarding proxy does. It passes
// each request on to the target over a keep-alive agent (the connection's own headers dropped,
// Host rewritten) and streams the answer back, keeping nothing. `record` does the same forwarding
// plus a copy of each body, the mirror mock, the pact and the shadow; the bench prices that
// difference as a ratio of CPU per request.
//
// Plain JavaScript on purpose, so it starts with bare `node`, like the built binary.
//
// Usage: node bench/bareProxy.mjs <port> <target base URL>
import { Agent, createServer, request as forward } from 'node:http'

const port = Number(process.argv[2] ?? 0)
const target = new URL(process.argv[3] ?? 'http://127.0.0.1:4010')
const agent = new Agent({ keepAlive: true, maxSockets: 64 })
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'])

function endToEnd(headers) {
  const kept = {}
  for (const [name, value] of Object.entries(headers)) if (!hopByHop.has(name)) kept[name] = value
  return kept
}

const server = createServer({ keepAliveTimeout: 5000 }, (request, response) => {
  const headers = endToEnd(request.headers)
  headers.host = target.host
  const upstream = forward({ hostname: target.hostname, port: target.port, method: request.method, path: request.url, headers, agent }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers))
    answer.pipe(response)
  })
  upstream.on('error', () => {
    if (!response.headersSent) response.writeHead(502)
    response.end()
  })
  request.pipe(upstream)
})

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`bare proxy listening on http://127.0.0.1:${server.address().port}\n`)
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close()
    server.closeAllConnections()
    agent.destroy()
  })
}
