import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { createGetRazeMock } from '../handlers/createGetRazeMock.js'
import { GetRazeApiError } from './GetRazeApiError.js'
import { updateOpportunityStage } from './updateOpportunityStage.js'

const baseUrl = 'https://app.getraze.com'
const mock = createGetRazeMock({ baseUrl, now: '2024-01-25T10:00:00Z' })
const server = setupServer(...mock.handlers)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => mock.reset())
afterAll(() => server.close())

async function rejection(call: Promise<unknown>): Promise<GetRazeApiError> {
  const error = await call.then(() => undefined, (reason: unknown) => reason)
  expect(error).toBeInstanceOf(GetRazeApiError)
  return error as GetRazeApiError
}

it('resolves to the documented opportunity when moving it to won', async () => {
  const data = await updateOpportunityStage({ baseUrl, apiKey: 'YOUR_API_KEY' }, 'opp_abc123def456', 'won')
  expect(data).toEqual({
    id: 'opp_abc123def456',
    name: 'John Doe',
    status: 'won',
    won_at: '2024-01-25T10:00:00Z',
    updated_at: '2024-01-25T10:00:00Z',
  })
})

it('accepts a base URL that already ends in /external/v1', async () => {
  const data = await updateOpportunityStage({ baseUrl: `${baseUrl}/external/v1/`, apiKey: 'YOUR_API_KEY' }, 'opp_demo_new', 'contacted')
  expect(data.status).toBe('contacted')
})

it('rejects with the status, code and message of a documented error', async () => {
  const error = await rejection(updateOpportunityStage({ baseUrl, apiKey: 'YOUR_API_KEY' }, 'opp_missing', 'won'))
  expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'Opportunity not found' })
  expect(error.details).toEqual({ resource: 'opportunity', id: 'opp_missing' })
})

it('rejects a rate-limited call with retryAfter in seconds', async () => {
  const error = await rejection(updateOpportunityStage({ baseUrl, apiKey: 'gr_test_ratelimited' }, 'opp_abc123def456', 'won'))
  expect(error).toMatchObject({ status: 429, code: 'RATE_LIMIT_EXCEEDED', retryAfter: 3600 })
})

it('rejects with MISSING_API_KEY when no key is given', async () => {
  const error = await rejection(updateOpportunityStage({ baseUrl }, 'opp_abc123def456', 'won'))
  expect(error).toMatchObject({ status: 401, code: 'MISSING_API_KEY' })
})

it('rejects with UNEXPECTED_RESPONSE when the answer is not the documented envelope', async () => {
  const fakeFetch = (async () => new Response('<html>gateway timeout</html>', { status: 504 })) as typeof fetch
  const error = await rejection(updateOpportunityStage({ baseUrl, apiKey: 'k', fetch: fakeFetch }, 'opp_1', 'won'))
  expect(error).toMatchObject({ status: 504, code: 'UNEXPECTED_RESPONSE' })
  expect(error.message).toBe(
    'Failed to update the opportunity stage: the API answered 504 without the documented JSON envelope. Check baseUrl (https://app.getraze.com).',
  )
})

it('percent-encodes the opportunity id in the path', async () => {
  const urls: string[] = []
  const recordingFetch = (async (url: string) => {
    urls.push(url)
    return Response.json({ success: true, data: { id: 'a/b', name: 'x', status: 'new', updated_at: '2024-01-25T10:00:00Z' } })
  }) as unknown as typeof fetch
  await updateOpportunityStage({ baseUrl, apiKey: 'k', fetch: recordingFetch }, 'a/b', 'new')
  expect(urls).toEqual(['https://app.getraze.com/external/v1/opportunities/a%2Fb/stage'])
})
