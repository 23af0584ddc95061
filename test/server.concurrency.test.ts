import { expect, it, onTestFinished } from 'vitest'
import { opportunityStatuses } from '../src/contract/opportunityStatuses.js'
import type { MockExchange } from '../src/core/MockRequest.js'
import { startMockServer } from '../src/server/startMockServer.js'
import type { MockServerOptions } from '../src/server/createMockServer.js'
import { buildApiKey, buildFixtureFile, buildOpportunity } from './support/builders.js'
import { stagePath } from './support/transports.js'

// Issue 8: concurrency on the real server. Bounded: 1,000 requests each, on 127.0.0.1.

async function start(options: MockServerOptions) {
  const running = await startMockServer({ ...options, port: 0 })
  onTestFinished(() => running.close())
  const exchanges: MockExchange[] = []
  running.mock.core.observe((exchange) => exchanges.push(exchange))
  return { ...running, exchanges }
}

function patch(url: string, id: string, status: string, key = 'gr_test_built') {
  return fetch(`${url}${stagePath(id)}`, { method: 'PATCH', headers: { 'x-api-key': key }, body: JSON.stringify({ status }) })
}

const statusOf = (exchange: MockExchange) => (JSON.parse(exchange.request.body!) as { status: string }).status

it('ends 1,000 concurrent updates of one record in the state of the last 200, updated_at never going back', async () => {
  const fixtures = buildFixtureFile({ apiKeys: [buildApiKey({ rateLimit: 10_000 })] })
  const { url, mock, exchanges } = await start({ fixtures })

  const responses = await Promise.all(Array.from({ length: 1000 }, (_, i) => patch(url, 'opp_built', opportunityStatuses[i % 7]!)))

  expect(responses.map((response) => response.status)).toEqual(Array(1000).fill(200))
  const successes = exchanges.filter((exchange) => exchange.response.status === 200)
  expect(successes).toHaveLength(1000)
  const last = successes.at(-1)!
  const stored = mock.store.findOpportunity('opp_built')!
  expect(stored.status).toBe(statusOf(last))
  expect(stored.updated_at).toBe((last.response.body as { data: { updated_at: string } }).data.updated_at)
  const stamps = successes.map((exchange) => Date.parse((exchange.response.body as { data: { updated_at: string } }).data.updated_at))
  expect(stamps.every((stamp, i) => i === 0 || stamp >= stamps[i - 1]!)).toBe(true)
})

it('ends 1,000 concurrent updates of many records each in the state of its own last 200', async () => {
  const ids = Array.from({ length: 20 }, (_, i) => `opp_many_${i}`)
  const fixtures = buildFixtureFile({
    apiKeys: [buildApiKey({ rateLimit: 10_000 })],
    opportunities: ids.map((id) => buildOpportunity({ id })),
  })
  const { url, mock, exchanges } = await start({ fixtures })

  await Promise.all(Array.from({ length: 1000 }, (_, i) => patch(url, ids[(i * 7) % ids.length]!, opportunityStatuses[i % 7]!)))

  for (const id of ids) {
    const last = exchanges.filter((exchange) => exchange.params.id === id && exchange.response.status === 200).at(-1)!
    expect(mock.store.findOpportunity(id)!.status).toBe(statusOf(last))
  }
})

it('counts the rate limit exactly under 1,000 concurrent requests', async () => {
  const fixtures = buildFixtureFile({ apiKeys: [buildApiKey({ rateLimit: 300, used: 0 })] })
  const { url } = await start({ fixtures, now: '2024-01-25T10:00:00Z' })

  const responses = await Promise.all(Array.from({ length: 1000 }, () => patch(url, 'opp_built', 'won')))

  const allowed = responses.filter((response) => response.status === 200)
  const limited = responses.filter((response) => response.status === 429)
  expect(allowed).toHaveLength(300)
  expect(limited).toHaveLength(700)
  const remaining = allowed.map((response) => Number(response.headers.get('x-ratelimit-remaining'))).sort((a, b) => a - b)
  expect(remaining).toEqual(Array.from({ length: 300 }, (_, i) => i))
})
