import { afterEach, expect, it, vi } from 'vitest'
import type { MockExchange, MockRequest } from '../core/MockRequest.js'
import { maskApiKey as maskForLog } from '../server/createRequestListener.js'
import { createJournal } from './createJournal.js'
import { maskApiKey, maskQuery } from './maskRequest.js'

function buildRequest(overrides: Partial<MockRequest> = {}): MockRequest {
  return { method: 'PATCH', path: '/external/v1/opportunities/opp_1/stage', query: '', header: () => undefined, body: '{"status":"won"}', ...overrides }
}

function record(journal: ReturnType<typeof createJournal>, status: number, overrides: Partial<MockRequest> = {}) {
  journal.record({
    request: buildRequest(overrides),
    at: new Date('2024-01-25T10:00:00Z'),
    status,
    responseBody: status === 200 ? { success: true } : { success: false, error: { code: 'NOT_FOUND' } },
    apiKey: 'gr_live_abcdef123456',
    resourceId: 'opp_1',
    resource: 'opportunity',
    durationMs: 0.25,
  })
}

it('masks keys exactly as the request log does', () => {
  for (const key of ['YOUR_API_KEY', 'gr_live_abcdef123456', 'ab', '']) expect(maskApiKey(key)).toBe(maskForLog(key))
})

it('masks a query key whose name is percent-encoded, as the request log does', () => {
  for (const query of ['api%5Fkey=gr_live_secret_value', '%61pi_key=gr_live_secret_value&x=1', 'api_k%65y=gr_live_secret_value']) {
    expect(maskQuery(query)).not.toContain('gr_live_secret_value')
    expect(maskQuery(query)).toContain('gr_liv***')
  }
})

it('masks key headers, Bearer tokens and api_key query values as it records', () => {
  const journal = createJournal(5)
  record(journal, 200, {
    query: 'api_key=gr_live_abcdef123456&x=1',
    headers: { 'x-api-key': 'gr_live_abcdef123456', authorization: 'Bearer gr_live_abcdef123456', accept: ['a', 'b'] },
  })

  const [entry] = journal.list()

  expect(entry).toMatchObject({
    query: 'api_key=gr_liv***&x=1',
    headers: { 'x-api-key': 'gr_liv***', authorization: 'Bearer gr_liv***', accept: 'a, b' },
    apiKey: 'gr_liv***',
    body: { status: 'won' },
    durationMs: 0.25,
  })
  expect(JSON.stringify(journal.list())).not.toContain('abcdef')
})

it('drops the oldest entries past its size and says so when a verification fails', () => {
  const journal = createJournal(2)
  record(journal, 200)
  record(journal, 404)
  record(journal, 404)

  expect(journal.list().map((entry) => entry.id)).toEqual(['2', '3'])
  expect(() => journal.expectCalls({ status: 200 }, 1)).toThrow(
    [
      'Failed to verify calls: expected 1 request matching status 200, found 0.',
      'Near misses (closest first):',
      '  #3 PATCH /external/v1/opportunities/opp_1/stage -> 404 NOT_FOUND: status 404, expected 200',
      '  #2 PATCH /external/v1/opportunities/opp_1/stage -> 404 NOT_FOUND: status 404, expected 200',
      'Only the last 2 requests are kept; 1 older ones were dropped.',
      'Check the request your code sends, or the filter.',
    ].join('\n'),
  )
})

it('says the journal is empty when a verification expects calls that never came', () => {
  const journal = createJournal(10)

  expect(() => journal.expectCalls({ method: 'PATCH' }, 1)).toThrow(
    'Failed to verify calls: expected 1 request matching method "PATCH", found 0.\nThe journal is empty: no request reached the mock since the start or the last reset.',
  )
})

it('reports too many matches, listing the other requests', () => {
  const journal = createJournal(10)
  record(journal, 200)
  record(journal, 200)

  expect(() => journal.expectCalls({}, 1)).toThrow('Failed to verify calls: expected 1 request matching any request, found 2.')
})

it('keeps the body text when it is not JSON, and null when there is none', () => {
  const journal = createJournal(3)
  record(journal, 200, { body: 'not json' })
  record(journal, 200, { body: undefined })

  expect(journal.list().map((entry) => entry.body)).toEqual(['not json', null])
})

it('refuses a filter field it does not know, naming it', () => {
  const journal = createJournal(3)

  expect(() => journal.count({ colour: 'red' } as never)).toThrow(
    'Failed to read the request journal: unknown filter field "colour". Use method, path, status, code, resourceId, opportunityId, apiKey.',
  )
})

it('masks raw header pairs whatever their case, and joins repeated headers', () => {
  const journal = createJournal(2)
  record(journal, 200, { headers: ['X-API-Key', 'gr_live_abcdef123456', 'Authorization', 'Bearer gr_live_abcdef123456', 'Accept', 'a', 'accept', 'b'] })

  expect(journal.list()[0]!.headers).toEqual({ 'x-api-key': 'gr_liv***', authorization: 'Bearer gr_liv***', accept: 'a, b' })
})

it('keeps a body over 16 KB clipped, as text', () => {
  const journal = createJournal(2)
  const long = JSON.stringify({ status: 'won', notes: 'x'.repeat(20_000) })
  record(journal, 200, { body: long })

  const [entry] = journal.list()

  expect(entry!.body).toBe(long.slice(0, 16 * 1024))
})

it('drops the oldest entries when their text no longer fits its fixed buffer, whatever the count allows', () => {
  const journal = createJournal(100)
  const big = 'y'.repeat(16 * 1024)
  for (let i = 0; i < 100; i++) record(journal, 200, { body: big, path: `/p/${i}` })

  const entries = journal.list()

  expect(entries.length).toBeGreaterThan(10)
  expect(entries.length).toBeLessThan(100)
  expect(entries.at(-1)).toMatchObject({ id: '100', path: '/p/99', body: big })
  // Every kept entry reads back whole: nothing was overwritten under it.
  for (const entry of entries) expect(entry.path).toBe(`/p/${Number(entry.id) - 1}`)
  expect(() => journal.expectCalls({ status: 500 }, 1)).toThrow(`Only the last ${entries.length} requests are kept; ${100 - entries.length} older ones were dropped.`)
})

/** A pipeline exchange as the core hands it to the journal (queued, written in batches). */
function exchange(status: number, overrides: Partial<MockRequest> = {}): MockExchange {
  return {
    request: buildRequest(overrides),
    response: { status, headers: {}, body: status === 200 ? { success: true } : { success: false, error: { code: 'NOT_FOUND' } }, text: '', apiKey: 'gr_live_abcdef123456' },
    at: new Date('2024-01-25T10:00:00Z'),
    params: { id: 'opp_1' },
    operationId: 'updateOpportunityStage',
    durationMs: 0.25,
  }
}

afterEach(() => {
  vi.useRealTimers()
})

it('shows every queued exchange to every read, in the order the requests were answered', () => {
  const journal = createJournal(500)
  for (let i = 0; i < 150; i++) journal.recordExchange(exchange(200, { path: `/p/${i}` }))
  // A fault answered now comes after the exchanges answered before it.
  record(journal, 404, { path: '/fault' })
  journal.recordExchange(exchange(200, { path: '/last' }))

  expect(journal.recorded).toBe(152)
  expect(journal.count({ status: 200 })).toBe(151)
  const paths = journal.list().map((entry) => entry.path)
  expect(paths.slice(0, 3)).toEqual(['/p/0', '/p/1', '/p/2'])
  expect(paths.slice(-3)).toEqual(['/p/149', '/fault', '/last'])
  expect(() => journal.expectCalls({ path: '/last' }, 1)).not.toThrow()
})

it('numbers the requests answered before a clear, so the ids after it keep counting', () => {
  const journal = createJournal(10)
  journal.recordExchange(exchange(200))
  journal.recordExchange(exchange(200))
  journal.clear()
  journal.recordExchange(exchange(404))

  expect(journal.list().map((entry) => entry.id)).toEqual(['3'])
})

it('writes each queued request once when what hears its errors reads the journal', () => {
  const seen: string[][] = []
  const journal: ReturnType<typeof createJournal> = createJournal(10, () => seen.push(journal.list().map((entry) => entry.path)))
  const broken = {
    forEach: () => {
      throw new Error('headers cannot be read')
    },
  } as unknown as Headers
  journal.recordExchange(exchange(200, { path: '/before' }))
  journal.recordExchange(exchange(200, { path: '/broken', headers: broken }))
  journal.recordExchange(exchange(200, { path: '/after' }))

  expect(journal.list().map((entry) => entry.path)).toEqual(['/before', '/after'])
  expect(seen).toEqual([['/before']])
})

it('writes its queue on a timer, reporting a request it cannot copy instead of throwing', () => {
  vi.useFakeTimers()
  const errors: unknown[] = []
  const journal = createJournal(10, (error) => errors.push(error))
  const broken = { forEach: () => { throw new Error('headers cannot be read') } } as unknown as Headers
  journal.recordExchange(exchange(200, { path: '/before' }))
  journal.recordExchange(exchange(200, { path: '/broken', headers: broken }))
  journal.recordExchange(exchange(200, { path: '/after' }))

  expect(() => vi.runAllTimers()).not.toThrow()
  expect(errors).toEqual([new Error('headers cannot be read')])
  expect(journal.list().map((entry) => entry.path)).toEqual(['/before', '/after'])
})

it('masks the key of each request when requests repeat every other header', () => {
  const journal = createJournal(10)
  const headers = (key: string, accept: string) => ['Host', '127.0.0.1', 'X-API-Key', key, 'Accept', accept]
  journal.recordExchange(exchange(200, { headers: headers('gr_live_abcdef123456', 'a') }))
  journal.recordExchange(exchange(200, { headers: headers('gr_test_zyxwvu987654', 'a') }))
  journal.recordExchange(exchange(200, { headers: headers('gr_test_zyxwvu987654', 'b') }))
  journal.recordExchange(exchange(200, { headers: headers('gr_test_zyxwvu987654', 'b') }))

  expect(journal.list().map((entry) => entry.headers)).toEqual([
    { host: '127.0.0.1', 'x-api-key': 'gr_liv***', accept: 'a' },
    { host: '127.0.0.1', 'x-api-key': 'gr_tes***', accept: 'a' },
    { host: '127.0.0.1', 'x-api-key': 'gr_tes***', accept: 'b' },
    { host: '127.0.0.1', 'x-api-key': 'gr_tes***', accept: 'b' },
  ])
})

it('masks a key header that moves to the place another header had in the request before', () => {
  const journal = createJournal(10)
  journal.recordExchange(exchange(200, { headers: ['X-API-Key', 'gr_live_abcdef123456', 'Accept', 'gr_live_abcdef123456'] }))
  journal.recordExchange(exchange(200, { headers: ['Accept', 'gr_live_abcdef123456', 'X-API-Key', 'gr_live_abcdef123456'] }))
  journal.recordExchange(exchange(200, { headers: ['Accept', 'gr_live_abcdef123456', 'X-API-Key', 'gr_live_abcdef123456'] }))

  expect(journal.list().map((entry) => entry.headers)).toEqual([
    { 'x-api-key': 'gr_liv***', accept: 'gr_live_abcdef123456' },
    { accept: 'gr_live_abcdef123456', 'x-api-key': 'gr_liv***' },
    { accept: 'gr_live_abcdef123456', 'x-api-key': 'gr_liv***' },
  ])
})
