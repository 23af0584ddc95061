import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { endpoints } from '../contract/endpoints.js'
import { createGetRazeMock } from '../handlers/createGetRazeMock.js'
import { createGetRazeClient } from './createGetRazeClient.js'
import { GetRazeApiError } from './GetRazeApiError.js'

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
