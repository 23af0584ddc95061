import { endpoints } from '../../src/contract/endpoints.js'
import { expect, it, onTestFinished } from 'vitest'
import { startMockServer } from '../../src/server/startMockServer.js'
import type { MockServerOptions, RunningMockServer } from '../../src/server/createMockServer.js'
import { rawPatch, sendRaw } from '../support/rawHttp.js'
import { docsNow } from '../support/transports.js'

// Issue 15, item 6: a request that changed the store must be answered, whatever follows it on the
// connection (CONNECT, an Upgrade, a request after a refusal that closes the connection).

async function start(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const running = await startMockServer({ now: docsNow, ...options, port: 0 })
  onTestFinished(() => running.close())
  return running
}

const statusOf = (running: RunningMockServer) => running.mock.store.findOpportunity('opp_abc123def456')?.status
const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]))
const won = rawPatch(['Content-Length: 16'], '{"status":"won"}')
const connect = 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'

it('answers a request followed by a pipelined CONNECT, then refuses the CONNECT with 405 in the envelope', async () => {
  const running = await start()

  const exchange = await sendRaw(running.url, [won + connect], { keepOpen: true })

  expect(statusOf(running)).toBe('won')
  expect(statuses(exchange.text)).toEqual([200, 405])
  expect(exchange.text).toContain('"status":"won"')
  expect(exchange.ended).toBe('closed')
})

it('answers CONNECT with 405 METHOD_NOT_ALLOWED, an Allow header and the envelope, and keeps serving', async () => {
  const running = await start()

  const exchange = await sendRaw(running.url, [connect], { keepOpen: true })

  // The methods the documented endpoints use, from their definitions.
  const methods = [...new Set(endpoints.map((endpoint) => endpoint.method))]
  expect(exchange.status).toBe(405)
  expect(exchange.text.toLowerCase()).toContain(`allow: ${methods.join(', ').toLowerCase()}`)
  expect(exchange.json).toEqual({
    success: false,
    error: {
      code: 'METHOD_NOT_ALLOWED',
      message: `Method CONNECT is not allowed: the mock serves the GetRaze API and is not a proxy. Use ${methods.join(', ')} on the API's paths.`,
      details: { allow: methods },
    },
  })
  expect(exchange.ended).toBe('closed')
  const after = await fetch(`${running.url}/external/v1/opportunities/opp_abc123def456/stage`, {
    method: 'PATCH',
    headers: { 'x-api-key': 'YOUR_API_KEY' },
    body: '{"status":"lost"}',
  })
  expect(after.status).toBe(200)
})

it('does not process a request pipelined after a 417, so the store changes only with an answer', async () => {
  const running = await start()
  const before = statusOf(running)

  const exchange = await sendRaw(running.url, [rawPatch(['Expect: something-else', 'Content-Length: 17'], '{"status":"lost"}') + won], { keepOpen: true })

  expect(statuses(exchange.text)).toEqual([417])
  expect(statusOf(running)).toBe(before)
  expect(exchange.ended).toBe('closed')
})

it('does not process a request pipelined after a 413, so the store changes only with an answer', async () => {
  const running = await start({ maxBodyBytes: 20 })
  const before = statusOf(running)
  const oversized = rawPatch(['Content-Length: 30'], '{"status":"lost","pad":"12345"}'.slice(0, 30))

  const exchange = await sendRaw(running.url, [oversized + won], { keepOpen: true })

  expect(statuses(exchange.text)).toEqual([413])
  expect(statusOf(running)).toBe(before)
  expect(exchange.ended).toBe('closed')
})

it('answers a request that asks for an Upgrade like any other, then closes, so a request pipelined behind it is not left waiting', async () => {
  const running = await start()
  const upgrade = rawPatch(['Content-Length: 17', 'Connection: Upgrade', 'Upgrade: websocket'], '{"status":"lost"}')

  const exchange = await sendRaw(running.url, [upgrade + won], { keepOpen: true })

  expect(statuses(exchange.text)).toEqual([200])
  expect(exchange.text.toLowerCase()).toContain('connection: close')
  expect(statusOf(running)).toBe('lost')
  expect(exchange.ended).toBe('closed')
})

it('writes the error for bytes that fail to parse after the answers to every complete request before them, a delayed one included', async () => {
  const running = await start()
  await running.mock.faults.add({ delayMs: 300, times: 1, match: { method: 'PATCH' } })
  const lost = rawPatch(['Content-Length: 17'], '{"status":"lost"}')

  const exchange = await sendRaw(running.url, [lost + won + 'GARBAGE\r\n\r\n'], { keepOpen: true })

  expect(statuses(exchange.text)).toEqual([200, 200, 400])
  expect(statusOf(running)).toBe('won')
})
