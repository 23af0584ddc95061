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

it('names an extra field with its path and value', () => {
  expect(checkExchange(exchange(200, { success: true, data: { ...won, deal_value: 10 } }))).toEqual([
    { path: '$.data.deal_value', expected: 'absent (not in the documented response)', actual: '10', message: 'extra field "deal_value"' },
  ])
})

it('names an undocumented error code and a documented code on the wrong status', () => {
  const differences = checkExchange(exchange(422, { success: false, error: { code: 'INVALID_STATUS', message: 'x' } }))
  expect(differences).toEqual([{ path: 'status', expected: '400', actual: '422', message: 'INVALID_STATUS is documented with HTTP 400' }])
  expect(checkExchange(exchange(404, { success: false, error: { code: 'GONE', message: 'x' } }))).toContainEqual(
    expect.objectContaining({ path: '$.error.code', message: 'undocumented error code "GONE"' }),
  )
})

it('names missing rate-limit headers except on 401', () => {
  expect(checkExchange(exchange(200, { success: true, data: won }, {})).map((difference) => difference.path)).toEqual([
    'header x-ratelimit-limit',
    'header x-ratelimit-remaining',
    'header x-ratelimit-reset',
  ])
  expect(checkExchange(exchange(401, { success: false, error: { code: 'MISSING_API_KEY', message: 'x' } }, {}))).toEqual([])
})

it('ignores paths the contract does not define', () => {
  expect(checkExchange({ ...exchange(200, {}), path: '/health' })).toEqual([])
})
