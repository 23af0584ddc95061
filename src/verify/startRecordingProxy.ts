import { request as httpRequest } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { ExchangeRecorder } from './createExchangeRecorder.js'
import { listenGuarded, readBody, sendJson } from './loopbackHttp.js'

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length'])

function flatten(headers: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]))
}

/** What the proxy adds to every request, so Pact never holds a credential it could print. */
export interface ProxyCredentials {
  /** `--header` values: replace the pact's header of the same name. */
  headers?: Record<string, string>
  /** From credentials in the provider URL: sent unless the request carries its own. */
  authorization?: string
}

/**
 * A recording reverse proxy in front of the provider, so the report can compare what the
 * provider really sent with the documented schemas (Pact only checks what the pact names).
 * It also adds the caller's credentials: Pact sends requests without them and so cannot log them.
 * It serves only requests under the run's `secret` path (`listenGuarded`), so nothing else on
 * the machine can use it to reach the provider with those credentials. A pact's request may
 * carry an `Origin` header of its own, so `Origin` is not refused here: the secret is the guard.
 *
 * @example
 * const proxy = await startRecordingProxy('https://staging.example.com', recorder, secret, { headers: { 'X-Gateway-Key': key } })
 */
export async function startRecordingProxy(target: string, recorder: ExchangeRecorder, secret: string, credentials: ProxyCredentials = {}) {
  const base = new URL(target)
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest
  const prefix = base.pathname.replace(/\/+$/, '')

  const relay = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request)
    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !hopByHop.has(name)) headers[name] = value
    }
    const sentHeaders = { ...headers }
    if (credentials.authorization && headers.authorization === undefined) headers.authorization = credentials.authorization
    for (const [name, value] of Object.entries(credentials.headers ?? {})) headers[name.toLowerCase()] = value
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
          sentPath: `${prefix}${request.url ?? '/'}`,
          requestHeaders: flatten(sentHeaders),
          requestBody: body,
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
  }
  return listenGuarded(
    secret,
    (request, response) => {
      relay(request, response).catch(() => response.destroy())
    },
    { allowOrigin: true },
  )
}

