import { expect, it } from 'vitest'
import { createMirror } from './createMirror.js'
import type { CapturedExchange } from './createMirror.js'

const record = { id: 'opp_1', name: 'Ana', status: 'qualified', created_at: '2024-01-15T10:30:00Z', updated_at: '2024-01-20T14:00:00Z' }

function exchange(overrides: Partial<CapturedExchange> & { data?: unknown; error?: { code: string; message: string } }): CapturedExchange {
  const { data, error, ...rest } = overrides
  return {
    method: 'GET',
    path: '/external/v1/opportunities/opp_1',
    query: '',
    requestHeaders: { 'x-api-key': 'live_key_1' },
    requestBody: undefined,
    status: 200,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: JSON.stringify(error ? { success: false, error } : { success: true, data: data ?? record }),
    at: new Date(),
    ...rest,
  }
}

const mirror = () => createMirror({ consumer: 'c', maxRecords: 100, maxKeys: 10, onNotice: () => undefined })

it('keeps answering as a target that sends no rate-limit headers, past the mock\'s own default limit', () => {
  const shadow = mirror()
  const statuses = new Set<number>()
  for (let request = 0; request < 1005; request++) statuses.add(shadow.process(exchange({}))!.answer.status)
  expect([...statuses]).toEqual([200])
})

it('refuses for the limit when the target does, from the count the target answered', () => {
  const shadow = mirror()
  const limits = (remaining: string) => ({ 'content-type': 'application/json', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': remaining, 'x-ratelimit-reset': '1' })
  expect(shadow.process(exchange({ responseHeaders: limits('1') }))!.answer.headers['x-ratelimit-remaining']).toBe('1')
  const limited = shadow.process(exchange({ status: 429, responseHeaders: limits('0'), error: { code: 'RATE_LIMIT_EXCEEDED', message: 'slow down' } }))!
  expect(limited.answer.status).toBe(429)
  expect(limited.behaviour).toBe('rateLimited')
})

it('undoes a change the target refused, so the next answer does not differ for it', () => {
  const shadow = mirror()
  shadow.process(exchange({}))
  const refused = shadow.process(
    exchange({ method: 'PATCH', path: '/external/v1/opportunities/opp_1/stage', requestBody: '{"status":"won"}', status: 400, error: { code: 'VALIDATION_ERROR', message: 'stage_id is required' } }),
  )!
  expect(refused.answer.status).toBe(200)
  const after = shadow.process(exchange({}))!
  expect((after.answer.body as { data: { status: string } }).data.status).toBe('qualified')
})

it('treats a key the target accepted before and now refuses as revoked, and answers as the target from then on', () => {
  const shadow = mirror()
  shadow.process(exchange({}))
  const refused = shadow.process(exchange({ status: 401, error: { code: 'INVALID_API_KEY', message: 'Invalid or expired API key.' } }))!
  expect(refused).toMatchObject({ keyAcceptedBefore: true, answer: { status: 200 } })
  expect(shadow.process(exchange({ status: 401, error: { code: 'INVALID_API_KEY', message: 'Invalid or expired API key.' } }))!.answer.status).toBe(401)
})

it('writes the records as first seen and the key as a placeholder with the permissions proven', () => {
  const shadow = mirror()
  shadow.process(exchange({}))
  shadow.process(exchange({ method: 'PATCH', path: '/external/v1/opportunities/opp_1/stage', requestBody: '{"status":"won"}', data: { id: 'opp_1', name: 'Ana', status: 'won', won_at: '2024-01-25T10:00:00Z', updated_at: '2024-01-25T10:00:00Z' } }))
  const fixtures = shadow.fixtures() as { apiKeys: Array<{ key: string; permissions: string[] }>; opportunities: Array<{ status: string }> }
  expect(fixtures.apiKeys.map((key) => [key.key, key.permissions])).toEqual([['gr_recorded_1', ['opportunities:read', 'opportunities:write']]])
  expect(fixtures.opportunities.map((opportunity) => opportunity.status)).toEqual(['qualified'])
  expect(JSON.stringify(fixtures)).not.toContain('live_key_1')
})
