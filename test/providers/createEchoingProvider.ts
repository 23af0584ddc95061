// A provider that echoes everything it is sent: each API answer is a 400 error (`{"error":{...}}`) whose
// message, details and headers repeat the request's headers and body, and the state endpoint
// answers every setup with the request's headers as the injected values. Whatever credential
// the kit adds (a --header value, basic auth from a URL's password) comes back in the answer,
// so it is where a secret printed from the provider's side would show (issue 15, item 3).
import { createServer } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'

export interface EchoingProviderOptions {
  /** The path of its state endpoint. @default '/_pact/provider-states' */
  statesPath?: string
}

const flat = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value ?? '')]))

/** Creates the echoing provider (not listening): `{ server }`. */
export function createEchoingProvider(options: EchoingProviderOptions = {}) {
  const statesPath = options.statesPath ?? '/_pact/provider-states'
  const server = createServer(async (request, response) => {
    let body = ''
    for await (const chunk of request) body += chunk
    const headers = flat(request.headers)
    const everything = Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('; ')
    if (request.url === statesPath) {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ id: 'echo', headers, body, authorization: headers.authorization ?? null }))
      return
    }
    // Header values may not hold every character a request header can: the echo keeps them safe.
    const echoHeaders: Record<string, string> = { 'content-type': 'application/json' }
    for (const [name, value] of Object.entries(headers)) {
      if (/^[\x20-\x7e]*$/.test(value)) echoHeaders[`x-echo-${name}`] = value
    }
    response.writeHead(400, echoHeaders)
    // No `success` field. Pact prints the diff of a whole body (the echo) only when the first body
    // mismatch it lists is at `$`, and it lists them in an order that changes from run to run. With
    // `success: false`, a pact's success answer had two (`$` lacks `data`, `$.success`), so in one run
    // of 8 no diff showed the echo; without it, `$` lacks `data` and `success` is the only one.
    response.end(
      JSON.stringify({
        error: { code: 'VALIDATION_ERROR', message: `Failed to read the request: ${everything} body ${body}`, details: { headers, body, url: request.url } },
      }),
    )
  })
  return { server }
}
