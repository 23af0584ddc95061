import { expect, it } from 'vitest'
import { checkExchange } from './checkExchange.js'

const path = '/external/v1/opportunities/opp_1/stage'
const rateLimit = { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '999', 'x-ratelimit-reset': '1706184000' }
const exchange = (status: number, body: unknown, headers: Record<string, string> = rateLimit) => ({
  method: 'PATCH',
  path,
  status,
  headers,
  body: JSON.stringify(body),
})
const won = { id: 'opp_1', name: 'John Doe', status: 'won', won_at: '2024-01-25T10:00:00Z', updated_at: '2024-01-25T10:00:00Z' }

it('finds nothing in a documented success', () => {
  expect(checkExchange(exchange(200, { success: true, data: won }))).toEqual([])
})

it('accepts what the docs allow: null won_at in a lost answer, fractional seconds', () => {
  const lost = { ...won, status: 'lost', won_at: null, lost_at: '2024-01-25T10:00:00.539Z', updated_at: '2024-01-25T10:00:00.5Z' }
  expect(checkExchange(exchange(200, { success: true, data: lost }))).toEqual([])
})

it('says in words what a timestamp should look like', () => {
  expect(checkExchange(exchange(200, { success: true, data: { ...won, updated_at: '2026-11-25 19:19:01.933483+00' } }))).toEqual([
    { path: '$.data.updated_at', expected: 'a UTC timestamp such as 2024-01-25T10:00:00Z', actual: '2026-11-25 19:19:01.933483+00', message: 'not a UTC timestamp in the documented form' },
  ])
})

it('groups extra fields into one warning, telling documented resource fields from unknown ones', () => {
  expect(checkExchange(exchange(200, { success: true, data: { ...won, email: null, company: 'Acme', title: 'CTO' }, stage_change: {} }))).toEqual([
    { path: '$', expected: ['success', 'data'], actual: ['stage_change'], message: "1 extra field the docs' answer does not show; never mentioned in the docs: stage_change" },
    {
      path: '$.data',
      expected: ['id', 'name', 'status', 'won_at', 'lost_at', 'updated_at'],
      actual: ['email', 'company', 'title'],
      message: "3 extra fields the docs' answer does not show; of the documented opportunity resource: email, company; never mentioned in the docs: title",
    },
  ])
})

it('names an undocumented error code and a documented code on the wrong status', () => {
  expect(checkExchange(exchange(422, { success: false, error: { code: 'INVALID_STATUS', message: 'x' } }))).toEqual([
    { path: 'status', expected: 400, actual: 422, message: 'INVALID_STATUS is documented with HTTP 400' },
  ])
  expect(checkExchange(exchange(404, { success: false, error: { code: 'GONE', message: 'x' } }))).toContainEqual(
    expect.objectContaining({ path: '$.error.code', actual: 'GONE', message: 'undocumented error code "GONE"' }),
  )
})

it('names missing rate-limit headers in one warning, except on 401, and a 429 without Retry-After', () => {
  expect(checkExchange(exchange(200, { success: true, data: won }, {}))).toEqual([
    { path: 'header x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset', expected: 'present on every answer but 401', actual: null, message: 'missing x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset' },
  ])
  expect(checkExchange(exchange(401, { success: false, error: { code: 'MISSING_API_KEY', message: 'x' } }, {}))).toEqual([])
  const limited = { success: false, error: { code: 'RATE_LIMIT_EXCEEDED', message: 'x', retry_after: 60 } }
  expect(checkExchange(exchange(429, limited))).toEqual([
    { path: 'header retry-after', expected: 'whole seconds to wait, on every 429', actual: null, message: 'missing Retry-After on a 429' },
  ])
  expect(checkExchange(exchange(429, limited, { ...rateLimit, 'retry-after': '60' }))).toEqual([])
})

it('ignores paths the contract does not define, malformed ones included', () => {
  expect(checkExchange({ ...exchange(200, {}), path: '/health' })).toEqual([])
  expect(checkExchange({ ...exchange(200, {}), path: '/external/v1/opportunities/%E0%A4/stage' })).toEqual([])
})

it('takes an array for an array field and says "an array" when it is not one', () => {
  // The contact's tags once drew "expected a array, got [...]" from a mock that answers as documented.
  const contact = {
    id: 'cnt_1',
    name: 'John Doe',
    email: null,
    phone: null,
    company: null,
    position: null,
    source: 'other',
    linkedin_url: null,
    tags: ['prospect'],
    custom_fields: {},
    created_at: '2024-01-25T10:00:00Z',
    updated_at: '2024-01-25T10:00:00Z',
  }
  const read = (tags: unknown) => ({ ...exchange(200, { success: true, data: { ...contact, tags } }), method: 'GET', path: '/external/v1/contacts/cnt_1' })
  expect(checkExchange(read(['prospect']))).toEqual([])
  expect(checkExchange(read('prospect'))).toEqual([{ path: '$.data.tags', expected: 'an array', actual: 'prospect', message: 'tags is a string' }])
})
