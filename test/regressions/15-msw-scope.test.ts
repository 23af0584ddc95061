import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { endpoints } from '../../src/contract/endpoints.js'
import { createGetRazeMock } from '../../src/handlers/createGetRazeMock.js'

// Issue 15, item 10: without a baseUrl the msw handlers answered any URL with /external/v1/ in
// it, so another API's requests got GetRaze's 404 and onUnhandledRequest never fired.

const mock = createGetRazeMock({ now: '2024-01-25T10:00:00Z' })
const unhandled: string[] = []
const server = setupServer(...mock.handlers)

beforeAll(() =>
  server.listen({
    onUnhandledRequest(request) {
      unhandled.push(request.url)
      // Keeps the request off the network (msw answers a throwing callback with its own 500).
      throw new Error(`unhandled: ${request.url}`)
    },
  }),
)
afterEach(async () => {
  unhandled.length = 0
  await mock.reset()
})
afterAll(() => server.close())

const patch = (url: string) =>
  fetch(url, { method: 'PATCH', headers: { 'x-api-key': 'YOUR_API_KEY', 'content-type': 'application/json' }, body: '{"status":"won"}' })

it.each([
  'https://other-api.example/v2/external/v1/orders/1',
  'https://other-api.example/v2/external/v1/opportunities/opp_abc123def456/stage',
  'https://other-api.example/external/v1/orders/1',
  'https://other-api.example/external/v1/opportunitiesarchive/1',
  'https://other-api.example/external/v1/',
])('leaves %s to onUnhandledRequest', async (url) => {
  const response = await patch(url)

  expect(unhandled).toEqual([url])
  expect(response.statusText).toBe('Unhandled Exception')
  expect(mock.store.findOpportunity('opp_abc123def456')?.status).toBe('qualified')
})

it('answers the stage path on any origin, query included', async () => {
  const response = await patch('https://api.example.test/external/v1/opportunities/opp_abc123def456/stage?trace=1')

  expect(response.status).toBe(200)
  expect(unhandled).toEqual([])
})

it.each([
  // The prefix itself is the list and create endpoints' path since issue 17 (a PATCH there is a 405).
  ['the prefix with a trailing slash', 'https://app.example/external/v1/opportunities/'],
  ['an unknown path under it', 'https://app.example/external/v1/opportunities/opp_abc123def456/notes'],
  ['another case', 'https://app.example/EXTERNAL/V1/Opportunities/opp_abc123def456/stage'],
])('answers %s under a documented prefix with the 404 envelope', async (_name, url) => {
  const response = await patch(url)

  expect(response.status).toBe(404)
  expect(await response.json()).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } })
  expect(unhandled).toEqual([])
})

it("claims every documented endpoint's path, from the contracts", async () => {
  for (const endpoint of endpoints) {
    const params: Readonly<Record<string, string>> = endpoint.example.params
    const path = endpoint.path.replace(/:(\w+)/g, (_match, name: string) => params[name] ?? 'x')
    const response = await fetch(`https://app.example${path}`, { method: endpoint.method, headers: { 'x-api-key': 'YOUR_API_KEY' }, body: endpoint.method === 'GET' ? undefined : '{}' })

    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
  }
  expect(unhandled).toEqual([])
})

it('with a baseUrl, still answers an unknown path under its base path with the 404 envelope', async () => {
  const scoped = createGetRazeMock({ baseUrl: 'https://app.getraze.com' })
  server.use(...scoped.handlers)

  const response = await patch('https://app.getraze.com/external/v1/campaigns')

  expect(response.status).toBe(404)
  expect(unhandled).toEqual([])
  server.resetHandlers()
})
