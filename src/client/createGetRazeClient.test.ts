import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { endpoints } from '../contract/endpoints.js'
import { createGetRazeMock } from '../handlers/createGetRazeMock.js'
import { createGetRazeClient } from './createGetRazeClient.js'
import { GetRazeApiError } from './GetRazeApiError.js'
import { requestEndpoint } from './requestEndpoint.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'

const baseUrl = 'https://app.getraze.com'
const mock = createGetRazeMock({ baseUrl, now: '2024-01-25T10:00:00Z' })
const server = setupServer(...mock.handlers)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => mock.reset())
afterAll(() => server.close())

it('has one method per documented endpoint, grouped by resource', () => {
  const client = createGetRazeClient({ baseUrl, apiKey: 'YOUR_API_KEY' }) as unknown as Record<string, Record<string, unknown>>
  for (const endpoint of endpoints) expect(typeof client[endpoint.client.group]?.[endpoint.client.method]).toBe('function')
})

/** A mock of its own behind another origin, so a call through the client and a plain fetch meet the same data. */
const twinUrl = 'https://twin.getraze.com'
const twin = createGetRazeMock({ baseUrl: twinUrl, now: '2024-01-25T10:00:00Z', seed: 'client' })
const seeded = createGetRazeMock({ baseUrl: 'https://seeded.getraze.com', now: '2024-01-25T10:00:00Z', seed: 'client' })
server.use(...twin.handlers, ...seeded.handlers)

it("answers each endpoint's example through its method with what the API's envelope carries", async () => {
  const client = createGetRazeClient({ baseUrl: 'https://seeded.getraze.com', apiKey: 'YOUR_API_KEY' }) as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>
  for (const endpoint of endpoints as readonly EndpointDefinition[]) {
    const { params, query, body } = endpoint.example
    await Promise.all([twin.reset(), seeded.reset()])
    const search = query ? `?${new URLSearchParams(query)}` : ''
    const raw = await fetch(`${twinUrl}${endpoint.path.replace(/:(\w+)/g, (_, name: string) => params[name]!)}${search}`, {
      method: endpoint.method,
      headers: { 'X-API-Key': 'YOUR_API_KEY', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const { success: _success, ...envelope } = (await raw.json()) as Record<string, unknown>
    const args = [...(endpoint.path.match(/:\w+/g) ?? []).map((param) => params[param.slice(1)]), ...(endpoint.body ? [body] : []), ...(endpoint.query ? [query] : [])]
    const answer = await client[endpoint.client.group]![endpoint.client.method]!(...args)
    expect(raw.status, `${endpoint.method} ${endpoint.path}`).toBe(endpoint.successStatus ?? 200)
    expect(answer, `${endpoint.method} ${endpoint.path}`).toEqual('data' in envelope ? envelope.data : envelope)
  }
})

it('sends query parameters by name, numbers as digits and lists comma-separated, and leaves out undefined ones', async () => {
  const urls: string[] = []
  const list = (endpoints as readonly EndpointDefinition[]).find((endpoint) => endpoint.query && !endpoint.path.includes(':'))
  const recording = (async (url: string) => {
    urls.push(url)
    return Response.json({ success: true, data: {} })
  }) as unknown as typeof fetch
  const endpoint = list ?? { ...endpoints[0], query: {} as never, path: '/external/v1/things' }
  await requestEndpoint(endpoint as EndpointDefinition, { baseUrl, apiKey: 'k', fetch: recording }, { query: { search: 'jo hn', page: 2, tags: ['a', 'b'], company: undefined } })
  expect(urls).toEqual([`https://app.getraze.com${endpoint.path}?search=jo+hn&page=2&tags=a%2Cb`])
})

it('moves an opportunity through the generic method as the docs show', async () => {
  const client = createGetRazeClient({ baseUrl: `${baseUrl}/external/v1`, apiKey: 'YOUR_API_KEY' })
  expect(await client.opportunities.updateStage('opp_abc123def456', { status: 'won' })).toEqual({
    id: 'opp_abc123def456',
    name: 'John Doe',
    status: 'won',
    won_at: '2024-01-25T10:00:00Z',
    updated_at: '2024-01-25T10:00:00Z',
  })
})

it('rejects with the API error and names what it was doing when the answer is not the envelope', async () => {
  const client = createGetRazeClient({ baseUrl, apiKey: 'gr_test_readonly' })
  await expect(client.opportunities.updateStage('opp_abc123def456', { status: 'won' })).rejects.toMatchObject({ status: 403, code: 'INSUFFICIENT_PERMISSIONS' })
  const broken = createGetRazeClient({ baseUrl, apiKey: 'k', fetch: async () => new Response('<html>', { status: 502 }) })
  const error = await broken.opportunities.updateStage('opp_1', { status: 'won' }).catch((reason: unknown) => reason)
  expect(error).toBeInstanceOf(GetRazeApiError)
  expect((error as Error).message).toBe('Failed to update the opportunity stage: the API answered 502 without the documented JSON envelope. Check baseUrl (https://app.getraze.com).')
})
