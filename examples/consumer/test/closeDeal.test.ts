import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { createGetRazeMock, GetRazeApiError } from 'getraze-mock'
import defaultFixtures from 'getraze-mock/fixtures/default.json' with { type: 'json' }
import { closeDeal } from '../src/closeDeal.js'

const mock = createGetRazeMock({ now: '2024-01-25T10:00:00Z', baseUrl: 'https://app.getraze.com' })
const server = setupServer(...mock.handlers)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => mock.reset())
afterAll(() => server.close())

it('marks the deal as won, as the API documents', async () => {
  const deal = await closeDeal('opp_abc123def456')

  expect(deal).toEqual({
    id: 'opp_abc123def456',
    name: 'John Doe',
    status: 'won',
    won_at: '2024-01-25T10:00:00Z',
    updated_at: '2024-01-25T10:00:00Z',
  })
  expect(mock.store.findOpportunity('opp_abc123def456')?.status).toBe('won')
})

it('puts the fixtures back on reset()', async () => {
  await closeDeal('opp_abc123def456')

  await mock.reset()

  const bundled = defaultFixtures.opportunities.find((opportunity) => opportunity.id === 'opp_abc123def456')
  expect(mock.store.findOpportunity('opp_abc123def456')?.status).toBe(bundled?.status)
  expect(bundled?.status).not.toBe('won')
})

it('closes a deal the test seeded in the store', async () => {
  await mock.store.createOpportunity({
    id: 'opp_seeded_in_test',
    account: 'acc_demo',
    name: 'Ada Lovelace',
    status: 'proposal',
    created_at: '2024-01-20T09:00:00Z',
    updated_at: '2024-01-20T09:00:00Z',
  })

  const deal = await closeDeal('opp_seeded_in_test')

  expect(deal).toMatchObject({ name: 'Ada Lovelace', status: 'won', won_at: '2024-01-25T10:00:00Z' })
})

it('rejects with the API error for a deal that does not exist', async () => {
  const failure = closeDeal('opp_does_not_exist')

  await expect(failure).rejects.toBeInstanceOf(GetRazeApiError)
  await expect(failure).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'Opportunity not found' })
})

it('takes the bundled fixtures as imported JSON, as a browser test would', () => {
  const browserStyle = createGetRazeMock({ fixtures: defaultFixtures })

  expect(browserStyle.store.findOpportunity('opp_abc123def456')?.name).toBe('John Doe')
})
