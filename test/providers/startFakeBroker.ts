// A minimal Pact Broker on loopback: the HAL links pact-core follows to fetch pacts for
// verification, record the provider's branch version and take the verification results.
// Every request is logged so tests can check what the kit made Pact send.
import { createServer } from 'node:http'
import { listen as startProvider } from '../../src/verify/loopbackHttp.js'

export interface BrokerRequest {
  method: string
  url: string
  authorization: string | undefined
  body: unknown
}

export async function startFakeBroker(pact: Record<string, unknown>, provider: string) {
  const requests: BrokerRequest[] = []
  let base = ''
  const server = createServer(async (request, response) => {
    let text = ''
    for await (const chunk of request) text += chunk
    const url = request.url ?? '/'
    requests.push({ method: request.method ?? 'GET', url, authorization: request.headers.authorization, body: text ? JSON.parse(text) : undefined })
    const send = (body: unknown, status = 200) => {
      response.writeHead(status, { 'Content-Type': 'application/hal+json' })
      response.end(JSON.stringify(body))
    }
    const forVerification = `${base}/pacts/provider/${provider}/for-verification`
    if (url === '/') {
      return send({ _links: { 'pb:provider-pacts-for-verification': { href: `${base}/pacts/provider/{provider}/for-verification`, templated: true } } })
    }
    if (url.endsWith('/for-verification') && request.method === 'GET') return send({ _links: { self: { href: forVerification } } })
    if (url.endsWith('/for-verification')) {
      return send({
        _embedded: {
          pacts: [
            {
              shortDescription: 'latest from main',
              verificationProperties: { pending: false, notices: [] },
              _links: { self: { href: `${base}/pacts/1`, name: 'stage client pact' } },
            },
          ],
        },
      })
    }
    if (url === '/pacts/1') {
      return send({
        ...pact,
        _links: {
          'pb:publish-verification-results': { href: `${base}/pacts/1/verification-results` },
          'pb:provider': { href: `${base}/pacticipants/${provider}` },
        },
      })
    }
    if (url === `/pacticipants/${provider}`) {
      return send({
        _links: {
          self: { href: `${base}/pacticipants/${provider}` },
          'pb:branch-version': { href: `${base}/pacticipants/${provider}/branches/{branch}/versions/{version}`, templated: true },
        },
      })
    }
    if (url.startsWith(`/pacticipants/${provider}/branches/`)) return send({ _links: { self: { href: `${base}${url}` } } })
    if (url.startsWith('/pacts/1/verification-results')) return send({}, 201)
    return send({}, 404)
  })
  const running = await startProvider(server)
  base = running.url
  return { url: running.url, requests, close: running.close }
}
