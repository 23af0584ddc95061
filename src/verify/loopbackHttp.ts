import { timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Reads a whole request or response body as text. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Listens on a free loopback port. */
export async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** Answers with a JSON body. */
export function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}


/** A loopback server that serves only its own run (`listenGuarded`). */
export interface GuardedServer {
  /** The URL to hand to Pact: the server's origin and the run's secret path. */
  url: string
  close(): Promise<void>
}

/**
 * Why a request to a guarded server is refused, or `undefined` when it may pass: the path must
 * start with `/<secret>`, `Host` must name this server by a loopback name, and (unless the
 * server relays pact requests, which may carry one) there must be no `Origin`.
 */
function refusal(request: IncomingMessage, secret: string, port: number, allowOrigin: boolean): string | undefined {
  const url = request.url ?? ''
  const given = Buffer.from(url.slice(1, secret.length + 1))
  const wanted = Buffer.from(secret)
  const next = url.charAt(secret.length + 1)
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted) || !['', '/', '?'].includes(next)) return "the path lacks this run's secret"
  const host = (request.headers.host ?? '').toLowerCase()
  if (![`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host)) return `the Host ${JSON.stringify(host.slice(0, 100))} is not this server`
  if (!allowOrigin && request.headers.origin !== undefined) return 'it comes from a web page (Origin)'
  return undefined
}

/**
 * Listens on a free loopback port for the run's own Pact verifier only: a request whose path
 * does not start with `/<secret>`, whose `Host` is not this server's loopback address, or
 * (with `allowOrigin: false`) that carries an `Origin`, is answered 403 and goes no further.
 * The handler sees the path without the secret. Other programs on the machine cannot use the
 * server to reach a provider or broker with the credentials it adds.
 *
 * @example
 * const server = await listenGuarded(secret, (request, response) => relay(request, response))
 * // hand server.url (http://127.0.0.1:PORT/SECRET) to Pact
 */
export async function listenGuarded(
  secret: string,
  handle: (request: IncomingMessage, response: ServerResponse) => void,
  options: { allowOrigin?: boolean } = {},
): Promise<GuardedServer> {
  let port = 0
  const server = createServer((request, response) => {
    const reason = refusal(request, secret, port, options.allowOrigin ?? false)
    if (reason !== undefined) {
      request.resume()
      response.setHeader('connection', 'close')
      sendJson(response, 403, { error: `Failed to relay the request: ${reason}. This server serves one getraze-mock verify run only.` })
      return
    }
    const rest = (request.url ?? '').slice(secret.length + 1)
    request.url = rest.startsWith('/') ? rest : `/${rest}`
    handle(request, response)
  })
  const running = await listen(server)
  port = Number(new URL(running.url).port)
  return { url: `${running.url}/${secret}`, close: running.close }
}
