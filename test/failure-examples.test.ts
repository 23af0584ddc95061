/**
 * The README's "Testing how your app handles failure" examples, as they are printed there: an app
 * function that calls GetRaze, and vitest tests that script failures with the mock. If this file
 * and the README drift apart, fix the README.
 */
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { createGetRazeMock, GetRazeApiError, updateOpportunityStage } from '../src/index.js'

// --- the app under test -------------------------------------------------------------------
interface CloseDealOptions {
  /** Waits before a retry; tests pass one that moves the mock's clock instead of sleeping. */
  wait?: (seconds: number) => Promise<void> | void
  timeoutMs?: number
}

/** Marks a deal won, retrying once after a 429 (honouring Retry-After) or a 5xx. */
async function closeDeal(id: string, { wait = sleep, timeoutMs = 5000 }: CloseDealOptions = {}) {
  const client = {
    baseUrl: 'https://app.getraze.com',
    apiKey: 'YOUR_API_KEY',
    fetch: (url: RequestInfo | URL, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
  }
  try {
    return await updateOpportunityStage(client, id, 'won')
  } catch (error) {
    if (!(error instanceof GetRazeApiError) || (error.status !== 429 && error.status < 500)) throw error
    await wait(error.retryAfter ?? 1)
    return updateOpportunityStage(client, id, 'won')
  }
}

function sleep(seconds: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000))
}

// --- the tests ----------------------------------------------------------------------------
const mock = createGetRazeMock({ now: '2024-01-25T10:00:00Z', baseUrl: 'https://app.getraze.com' })
const server = setupServer(...mock.handlers)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => mock.reset()) // fixtures, journal, faults and clock back to the start
afterAll(() => server.close())

it('waits as long as Retry-After says, then retries', async () => {
  mock.faults.add({ error: 'RATE_LIMIT_EXCEEDED', times: 1 })
  const waited: number[] = []

  const deal = await closeDeal('opp_abc123def456', {
    wait: (seconds) => {
      waited.push(seconds)
      mock.clock.advance(seconds) // no real sleep: the mock's time moves instead
    },
  })

  expect(waited).toEqual([3600]) // the window ends at 11:00
  expect(deal.won_at).toBe('2024-01-25T11:00:00Z')
  mock.expectCalls({ method: 'PATCH', opportunityId: 'opp_abc123def456' }, 2)
  mock.expectCalls({ status: 429 }, 1)
})

it('retries once after a 500 and succeeds', async () => {
  mock.faults.add({ error: 'INTERNAL_ERROR', times: 1 })

  const deal = await closeDeal('opp_abc123def456', { wait: () => {} })

  expect(deal.status).toBe('won')
  expect(mock.journal.list().map((entry) => entry.status)).toEqual([500, 200])
})

it('gives up when GetRaze does not answer in time', async () => {
  mock.faults.add({ network: 'timeout' })

  await expect(closeDeal('opp_abc123def456', { timeoutMs: 200 })).rejects.toThrow(/timeout|aborted/i)
  mock.expectCalls({ method: 'PATCH' }, 1)
  expect(mock.store.findOpportunity('opp_abc123def456')?.status).toBe('negotiation')
})
