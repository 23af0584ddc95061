import { Agent, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, it, onTestFinished } from 'vitest'
import { GetRazeMockError } from '../src/errors/GetRazeMockError.js'
import { createMockServer } from '../src/server/createMockServer.js'
import type { MockServerOptions, RunningMockServer } from '../src/server/createMockServer.js'
import { maskApiKey } from '../src/server/createRequestListener.js'
import type { RequestLogEntry } from '../src/server/createRequestListener.js'
import { startMockServer } from '../src/server/startMockServer.js'
import { docsNow, stagePath } from './support/transports.js'

const docsStage = stagePath('opp_abc123def456')
const appOrigin = 'http://localhost:5173'

/** Starts a server on a free port that is closed when the test finishes. */
async function start(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const running = await startMockServer({ now: docsNow, ...options, port: 0 })
  onTestFinished(() => running.close())
  return running
}

/** A comma-separated header as a lower-cased list. */
function headerList(value: string | null): string[] {
  return (value ?? '').split(',').map((item) => item.trim().toLowerCase()).filter(Boolean)
}

function preflight(url: string, origin: string) {
  return fetch(`${url}${docsStage}`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'x-api-key, content-type' },
  })
}

function patchFrom(url: string, origin: string) {
  return fetch(`${url}${docsStage}`, {
    method: 'PATCH',
    headers: { Origin: origin, 'X-API-Key': 'YOUR_API_KEY', 'Content-Type': 'application/json' },
    body: JSON.stringify({ status: 'won' }),
  })
}

it("answers a CORS preflight without a key, allowing any origin, PATCH and the API's request headers", async () => {
  const { url } = await start()

  const response = await preflight(url, appOrigin)

  expect(response.status).toBe(204)
  expect(response.headers.get('access-control-allow-origin')).toBe('*')
  expect(headerList(response.headers.get('access-control-allow-methods'))).toContain('patch')
  expect(headerList(response.headers.get('access-control-allow-headers'))).toEqual(
    expect.arrayContaining(['x-api-key', 'content-type', 'authorization']),
  )
})

it('exposes the rate-limit and Retry-After headers to browsers on API responses', async () => {
  const { url } = await start()

  const response = await patchFrom(url, appOrigin)

  expect(response.status).toBe(200)
  expect(response.headers.get('access-control-allow-origin')).toBe('*')
  expect(headerList(response.headers.get('access-control-expose-headers'))).toEqual(
    expect.arrayContaining(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']),
  )
})

it('reflects an origin from the configured list and varies on Origin', async () => {
  const { url } = await start({ cors: { origins: ['http://localhost:3000', appOrigin] } })

  const preflightResponse = await preflight(url, appOrigin)
  const response = await patchFrom(url, appOrigin)

  for (const answer of [preflightResponse, response]) {
    expect(answer.headers.get('access-control-allow-origin')).toBe(appOrigin)
    expect(headerList(answer.headers.get('vary'))).toContain('origin')
  }
  expect(headerList(response.headers.get('access-control-expose-headers'))).toContain('x-ratelimit-remaining')
})

it('sends no CORS headers to an origin outside the configured list', async () => {
  const { url } = await start({ cors: { origins: [appOrigin] } })

  const preflightResponse = await preflight(url, 'http://evil.example')
  const response = await patchFrom(url, 'http://evil.example')

  for (const answer of [preflightResponse, response]) {
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    expect(answer.headers.get('access-control-allow-headers')).toBeNull()
    expect(answer.headers.get('access-control-expose-headers')).toBeNull()
  }
  expect(response.status).toBe(200)
})

it('sends no CORS headers at all when cors is false', async () => {
  const { url } = await start({ cors: false })

  const preflightResponse = await preflight(url, appOrigin)
  const response = await patchFrom(url, appOrigin)

  for (const answer of [preflightResponse, response]) {
    const corsHeaders = [...answer.headers.keys()].filter((name) => name.startsWith('access-control-'))
    expect(corsHeaders).toEqual([])
  }
})

it('answers an unknown path outside the API with a 404 NOT_FOUND envelope', async () => {
  const { url } = await start()

  const response = await fetch(`${url}/`)
  const body = (await response.json()) as { success: boolean; error: { code: string } }

  expect(response.status).toBe(404)
  expect(body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } })
})

it('rejects with PORT_IN_USE when the port is taken', async () => {
  const first = await start()
  const port = Number(new URL(first.url).port)

  const failure = startMockServer({ port })

  await expect(failure).rejects.toBeInstanceOf(GetRazeMockError)
  await expect(failure).rejects.toMatchObject({
    code: 'PORT_IN_USE',
    message: `Failed to start the mock server: port ${port} on 127.0.0.1 is already in use. Stop the other process or pass another port (port: 0 picks a free one).`,
  })
})

it('rejects with SERVER_START_FAILED naming the options, not CLI flags, for an address it cannot bind', async () => {
  // 203.0.113.0/24 is reserved for documentation (RFC 5737): no machine has it, so listen fails.
  const failure = startMockServer({ port: 0, host: '203.0.113.1' })

  await expect(failure).rejects.toMatchObject({
    code: 'SERVER_START_FAILED',
    message: 'Failed to start the mock server: cannot listen on 203.0.113.1:0 (EADDRNOTAVAIL). Check the host and port options.',
  })
})

it('binds 127.0.0.1 by default and reports that address in its url', async () => {
  const { server, listen } = createMockServer({ port: 0 })
  const running = await listen()
  onTestFinished(() => running.close())

  const address = server.address() as AddressInfo

  expect(address.address).toBe('127.0.0.1')
  expect(running.url).toBe(`http://127.0.0.1:${address.port}`)
})

it('logs each request with the X-API-Key value masked', async () => {
  const entries: RequestLogEntry[] = []
  const { url } = await start({ onRequest: (entry) => entries.push(entry) })

  await patchFrom(url, appOrigin)

  expect(entries).toEqual([
    { method: 'PATCH', path: docsStage, status: 200, durationMs: expect.any(Number), apiKey: maskApiKey('YOUR_API_KEY') },
  ])
  expect(JSON.stringify(entries)).not.toContain('YOUR_API_KEY')
})

it('masks a key sent as ?api_key= in the logged path and keeps the other query parameters', async () => {
  const entries: RequestLogEntry[] = []
  const { url } = await start({ onRequest: (entry) => entries.push(entry) })

  await fetch(`${url}${docsStage}?trace=1&api_key=YOUR_API_KEY&lang=pt`, { method: 'PATCH', body: '{"status":"won"}' })

  expect(entries[0]).toMatchObject({
    path: `${docsStage}?trace=1&api_key=${maskApiKey('YOUR_API_KEY')}&lang=pt`,
    status: 200,
    apiKey: maskApiKey('YOUR_API_KEY'),
  })
  expect(JSON.stringify(entries)).not.toContain('YOUR_API_KEY')
})

it('masks rejected keys too, and logs requests without a key as keyless', async () => {
  const entries: RequestLogEntry[] = []
  const { url } = await start({ onRequest: (entry) => entries.push(entry) })

  await fetch(`${url}${docsStage}`, { method: 'PATCH', headers: { Authorization: 'Bearer gr_live_secret_value_1234' }, body: '{}' })
  await fetch(`${url}${docsStage}`, { method: 'PATCH', body: '{}' })

  expect(entries.map(({ status, apiKey }) => ({ status, apiKey }))).toEqual([
    { status: 401, apiKey: maskApiKey('gr_live_secret_value_1234') },
    { status: 401, apiKey: undefined },
  ])
  expect(JSON.stringify(entries)).not.toContain('secret_value')
})

it('keeps serving when a logged ?api_key= value is not valid percent-encoding', async () => {
  const entries: RequestLogEntry[] = []
  const { url } = await start({ onRequest: (entry) => entries.push(entry) })

  const malformed = await fetch(`${url}${docsStage}?api_key=%E0%A4`, { method: 'PATCH', body: '{"status":"won"}' })
  const next = await fetch(`${url}${docsStage}`, { method: 'PATCH', headers: { 'X-API-Key': 'YOUR_API_KEY' }, body: '{"status":"won"}' })

  expect([malformed.status, next.status]).toEqual([401, 200])
  expect(entries.map((entry) => entry.path)).toEqual([expect.not.stringContaining('%E0'), docsStage])
})

it('masks a key to at most its first third, never more than six characters', () => {
  expect(maskApiKey('gr_live_abcdef123456')).toBe('gr_liv***')
  expect(maskApiKey('abcdefghi')).toBe('abc***')
  expect(maskApiKey('ab')).toBe('***')
})

it('resolves close() while a keep-alive connection is open, then refuses new connections', async () => {
  // The idle connection would outlive the test's time limit, so a close() that waited for it would
  // fail the test however slow the machine; a 5 s limit beside the 5 s default raced on a busy one.
  const running = await startMockServer({ port: 0, keepAliveTimeoutMs: 120_000 })
  const agent = new Agent({ keepAlive: true })
  onTestFinished(() => agent.destroy())
  const status = await new Promise<number | undefined>((resolve, reject) => {
    const request = httpRequest(`${running.url}${docsStage}`, { method: 'PATCH', agent, headers: { 'X-API-Key': 'YOUR_API_KEY' } }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode))
    })
    request.on('error', reject)
    request.end('{"status":"won"}')
  })
  expect(status).toBe(200)
  expect(Object.values(agent.freeSockets).flat()).toHaveLength(1)

  await running.close()

  await expect(fetch(`${running.url}${docsStage}`, { method: 'PATCH' })).rejects.toThrow()
  await expect(running.close()).resolves.toBeUndefined()
})
