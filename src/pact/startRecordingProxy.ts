import { createServer, request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { ExchangeRecorder } from './createExchangeRecorder.js'
import { listen, readBody, sendJson } from './loopbackHttp.js'

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length'])

/**
 * A recording reverse proxy in front of the provider, so the report can compare what the
 * provider really sent with the documented schemas (Pact only checks what the pact names).
 *
 * @example
 * const proxy = await startRecordingProxy('https://staging.example.com', recorder)
 */
export async function startRecordingProxy(target: string, recorder: ExchangeRecorder) {
  const base = new URL(target)
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest
  const prefix = base.pathname.replace(/\/+$/, '')

  const server = createServer(async (request, response) => {
    const body = await readBody(request)
    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !hopByHop.has(name)) headers[name] = value
    }
    if (body) headers['content-length'] = String(Buffer.byteLength(body))
    const outgoing = send(
      { protocol: base.protocol, hostname: base.hostname, port: base.port, method: request.method, path: `${prefix}${request.url}`, headers },
      async (upstream) => {
        const answer = await readBody(upstream)
        const answerHeaders: Record<string, string> = {}
        for (const [name, value] of Object.entries(upstream.headers)) {
          if (value !== undefined && !hopByHop.has(name)) answerHeaders[name] = Array.isArray(value) ? value.join(', ') : value
        }
        recorder.exchange({
          method: request.method ?? 'GET',
          path: request.url ?? '/',
          status: upstream.statusCode ?? 0,
          headers: answerHeaders,
          body: answer,
        })
        response.writeHead(upstream.statusCode ?? 502, { ...answerHeaders, 'content-length': String(Buffer.byteLength(answer)) })
        response.end(answer)
      },
    )
    outgoing.on('error', (error) => {
      sendJson(response, 502, { error: `Failed to reach the provider at ${target}: ${error.message}.` })
    })
    outgoing.end(body)
  })
  return listen(server)
}

