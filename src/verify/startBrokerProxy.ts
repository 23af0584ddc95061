import { request as httpRequest } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { listenGuarded, readBody, sendJson } from './loopbackHttp.js'
import type { PactFile } from './pactFiles.js'

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length', 'accept-encoding', 'authorization'])

/**
 * A loopback proxy in front of a Pact Broker that adds the credentials itself, so Pact never
 * holds the broker token and cannot print it at any log level. The broker's absolute links
 * (HAL `href`s) are rewritten to point back at the proxy, so every call Pact follows goes
 * through it. Each pact the broker hands out passes through `preparePact` (interaction markers,
 * `--only`/`--state`). Only the run's own Pact reaches it (`listenGuarded`: the secret path,
 * a loopback `Host`, no `Origin`), so nothing else on the machine can call the broker with the
 * token.
 *
 * @example
 * const broker = await startBrokerProxy('https://broker.example', 'Bearer ' + token, secret)
 * // pactBrokerUrl: broker.url
 */
export async function startBrokerProxy(target: string, authorization: string | undefined, secret: string, preparePact: (pact: PactFile) => PactFile = (pact) => pact) {
  const base = new URL(target)
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest
  let proxyOrigin = ''
  const relay = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request)
    const headers: Record<string, string | string[]> = { 'accept-encoding': 'identity' }
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !hopByHop.has(name)) headers[name] = value
    }
    if (authorization) headers.authorization = authorization
    if (body) headers['content-length'] = String(Buffer.byteLength(body))
    const outgoing = send(
      { protocol: base.protocol, hostname: base.hostname, port: base.port, method: request.method, path: request.url, headers },
      async (upstream) => {
        let answer = (await readBody(upstream)).replaceAll(base.origin, proxyOrigin)
        try {
          const document = JSON.parse(answer) as PactFile
          if (Array.isArray(document.interactions)) answer = JSON.stringify(preparePact(document))
        } catch {
          // Not JSON: passed on as it is.
        }
        const answerHeaders: Record<string, string> = {}
        for (const [name, value] of Object.entries(upstream.headers)) {
          if (value !== undefined && !hopByHop.has(name)) answerHeaders[name] = Array.isArray(value) ? value.join(', ') : value
        }
        if (answerHeaders.location) answerHeaders.location = answerHeaders.location.replaceAll(base.origin, proxyOrigin)
        response.writeHead(upstream.statusCode ?? 502, { ...answerHeaders, 'content-length': String(Buffer.byteLength(answer)) })
        response.end(answer)
      },
    )
    outgoing.on('error', (error) => {
      sendJson(response, 502, { error: `Failed to reach the Pact Broker at ${base.origin}: ${error.message}.` })
    })
    outgoing.end(body)
  }
  const running = await listenGuarded(secret, (request, response) => {
    relay(request, response).catch(() => response.destroy())
  })
  // The broker's links point back here, secret included.
  proxyOrigin = running.url
  const prefix = base.pathname.replace(/\/+$/, '')
  return { url: `${running.url}${prefix}`, close: running.close }
}
