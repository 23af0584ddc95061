import { setupServer } from 'msw/node'
import { expect, it, onTestFinished } from 'vitest'
import { createGetRazeMock } from '../../src/handlers/createGetRazeMock.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import { rawPatch, sendRaw } from '../support/rawHttp.js'
import { docsNow } from '../support/transports.js'

// Cases the fuzz suite (test/fuzz/) found by shrinking, kept as named regressions.

it('answers a complete request before the 400 for junk that follows it on the same connection', async () => {
  const running = await startMockServer({ now: docsNow, port: 0 })
  onTestFinished(() => running.close())

  const exchange = await sendRaw(running.url, [`${rawPatch(['Content-Length: 17'], '{"status":"lost"}')}\u0001\u0002 junk`])

  const statuses = [...exchange.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]))
  expect(statuses).toEqual([200, 400])
  expect(running.mock.store.findOpportunity('opp_abc123def456')?.status).toBe('lost')
})

it('answers a path under /EXTERNAL/v1 in another case with the 404 envelope through msw', async () => {
  const mock = createGetRazeMock({ now: docsNow })
  const server = setupServer(...mock.handlers)
  server.listen({ onUnhandledRequest: 'error' })
  onTestFinished(() => server.close())

  const response = await fetch('https://app.getraze.com/EXTERNAL/v1/opportunities/opp_abc123def456/stage', {
    method: 'PATCH',
    headers: { 'x-api-key': 'YOUR_API_KEY' },
    body: '{"status":"won"}',
  })

  expect(response.status).toBe(404)
  expect(await response.json()).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } })
})

it('answers an HTTP/1.1 request without a Host header like any other, not with a bare 400', async () => {
  const running = await startMockServer({ now: docsNow, port: 0 })
  onTestFinished(() => running.close())

  const raw = rawPatch(['Content-Length: 16', 'Connection: close'], '{"status":"won"}').replace('Host: 127.0.0.1\r\n', '')
  const exchange = await sendRaw(running.url, [raw])

  expect(exchange.status).toBe(200)
  expect(exchange.json).toMatchObject({ success: true, data: { status: 'won' } })
})
