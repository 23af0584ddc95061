import { getResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { opportunityStatuses } from '../src/contract/opportunityStatuses.js'
import { updateOpportunityStageContract } from '../src/contract/updateOpportunityStageContract.js'
import { operations } from '../src/core/operations/index.js'
import { createMockCore } from '../src/core/createMockCore.js'
import type { MockRequest } from '../src/core/MockRequest.js'
import { GetRazeMockError } from '../src/errors/GetRazeMockError.js'
import { createGetRazeMock } from '../src/handlers/createGetRazeMock.js'
import { createStore } from '../src/store/createStore.js'
import { parseFixtures } from '../src/store/parseFixtures.js'
import { defaultFixturesPath } from '../src/store/readFixtureFiles.js'
import { expectApiError, rateLimitHeaders, unixSeconds } from './support/assertions.js'
import { buildApiKey, buildFixtureFile, buildOpportunity } from './support/builders.js'
import { snapshotStore } from './support/snapshotStore.js'
import { docsNow, stagePath, transports } from './support/transports.js'
import type { ApiRequest } from './support/transports.js'
import { documentedResponse } from './support/documentedResponse.js'


const docsId = 'opp_abc123def456'
const otherAccountId = 'opp_other_account'

/** A JSON body of exactly `bytes` UTF-8 bytes, padded with `char` (one or two bytes long). */
function paddedBody(bytes: number, char: 'x' | 'é' = 'x'): string {
  const empty = '{"status":"won","padding":""}'
  const count = (bytes - empty.length) / Buffer.byteLength(char)
  if (!Number.isInteger(count) || count < 0) throw new Error(`cannot pad a body to ${bytes} bytes with ${char}`)
  return `{"status":"won","padding":"${char.repeat(count)}"}`
}

/** A clock the test moves by hand. */
function manualClock(start: string) {
  let current = new Date(start)
  return {
    now: () => new Date(current.getTime()),
    set(iso: string) {
      current = new Date(iso)
    },
  }
}

/** Keys that exist only to show the handling order; added to the default fixtures. */
function orderFixtures() {
  return buildFixtureFile({
    accounts: [],
    opportunities: [],
    apiKeys: [
      buildApiKey({ key: 'gr_test_expired_readonly', permissions: ['opportunities:read'], expiresAt: '2023-06-30T00:00:00Z' }),
      buildApiKey({ key: 'gr_test_used_up_readonly', permissions: ['opportunities:read'], rateLimit: 5, used: 5 }),
    ],
  })
}

interface OrderRow {
  /** The request, then which step of the handling order decides it. */
  rule: string
  request: ApiRequest
  status: number
  code: string
}

const orderRows: OrderRow[] = [
  {
    rule: 'an unknown path without a key (routing comes before the key)',
    request: { path: '/external/v1/campaigns', body: { status: 'won' } },
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    rule: 'GET on the stage path without a key (routing comes before the key)',
    request: { method: 'GET', path: stagePath(docsId) },
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    rule: 'a revoked key with a bad body (the key comes before the body)',
    request: { path: stagePath(docsId), key: 'gr_test_revoked', body: 'not json' },
    status: 401,
    code: 'INVALID_API_KEY',
  },
  {
    rule: 'an expired key without opportunities:write (expiry comes before permission)',
    request: { path: stagePath(docsId), key: 'gr_test_expired_readonly', body: { status: 'won' } },
    status: 401,
    code: 'EXPIRED_API_KEY',
  },
  {
    rule: 'a used-up key without opportunities:write (the rate limit comes before permission)',
    request: { path: stagePath(docsId), key: 'gr_test_used_up_readonly', body: { status: 'won' } },
    status: 429,
    code: 'RATE_LIMIT_EXCEEDED',
  },
  {
    rule: 'a key without opportunities:write sending a bad body (permission comes before the body)',
    request: { path: stagePath(docsId), key: 'gr_test_readonly', body: 'not json' },
    status: 403,
    code: 'INSUFFICIENT_PERMISSIONS',
  },
  {
    rule: 'a key without opportunities:write sending an oversized body (permission comes before the size limit)',
    request: { path: stagePath(docsId), key: 'gr_test_readonly', body: paddedBody(129) },
    status: 403,
    code: 'INSUFFICIENT_PERMISSIONS',
  },
  {
    rule: 'an oversized body that is not JSON (the size limit comes before parsing)',
    request: { path: stagePath(docsId), key: 'YOUR_API_KEY', body: 'x'.repeat(129) },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    rule: 'an unknown id with a bad status (the body comes before the lookup)',
    request: { path: stagePath('opp_doesnotexist'), key: 'YOUR_API_KEY', body: { status: 'closed' } },
    status: 400,
    code: 'INVALID_STATUS',
  },
  {
    rule: "another account's opportunity with a bad status (the body comes before the account check)",
    request: { path: stagePath(otherAccountId), key: 'YOUR_API_KEY', body: { status: 'closed' } },
    status: 400,
    code: 'INVALID_STATUS',
  },
]

/** Requests that would win the docs' opportunity if any check were skipped. */
const rejectedWins: Array<{ rejection: string; request: ApiRequest; status: number; code: string }> = [
  {
    rejection: 'a request without a key',
    request: { path: stagePath(docsId), body: { status: 'won' } },
    status: 401,
    code: 'MISSING_API_KEY',
  },
  {
    rejection: 'an unknown key',
    request: { path: stagePath(docsId), key: 'gr_live_unknown', body: { status: 'won' } },
    status: 401,
    code: 'INVALID_API_KEY',
  },
  {
    rejection: 'a revoked key',
    request: { path: stagePath(docsId), key: 'gr_test_revoked', body: { status: 'won' } },
    status: 401,
    code: 'INVALID_API_KEY',
  },
  {
    rejection: 'an expired key',
    request: { path: stagePath(docsId), key: 'gr_test_expired', body: { status: 'won' } },
    status: 401,
    code: 'EXPIRED_API_KEY',
  },
  {
    rejection: 'a rate-limited key',
    request: { path: stagePath(docsId), key: 'gr_test_ratelimited', body: { status: 'won' } },
    status: 429,
    code: 'RATE_LIMIT_EXCEEDED',
  },
  {
    rejection: 'a read-only key',
    request: { path: stagePath(docsId), key: 'gr_test_readonly', body: { status: 'won' } },
    status: 403,
    code: 'INSUFFICIENT_PERMISSIONS',
  },
  {
    rejection: "another account's key",
    request: { path: stagePath(docsId), key: 'gr_test_other_account', body: { status: 'won' } },
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    rejection: 'PUT on the stage path',
    request: { method: 'PUT', path: stagePath(docsId), key: 'YOUR_API_KEY', body: { status: 'won' } },
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    rejection: 'an oversized body',
    request: { path: stagePath(docsId), key: 'YOUR_API_KEY', body: paddedBody(129) },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
]

describe.each(transports)('$name', (transport) => {
  it("reproduces the docs' example response exactly with the clock frozen at 2024-01-25T10:00:00Z", async () => {
    const api = await transport.start({ now: '2024-01-25T10:00:00Z' })

    const response = await api.patchStage(docsId, { status: 'won' })

    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    // Stringified, so the docs' key order is checked too.
    expect(JSON.stringify(response.body)).toBe(JSON.stringify(documentedResponse))
  })

  it("keeps the contract's example equal to the docs' example", async () => {
    const api = await transport.start({ now: updateOpportunityStageContract.example.now })

    const response = await api.patchStage(updateOpportunityStageContract.example.params.id, updateOpportunityStageContract.example.body)

    expect(updateOpportunityStageContract.example.response).toEqual(documentedResponse)
    expect(response.body).toEqual(updateOpportunityStageContract.example.response)
  })

  it('stores the won status with won_at and updated_at set to now', async () => {
    const api = await transport.start()
    const before = structuredClone(api.store.findOpportunity(docsId)!)

    await api.patchStage(docsId, { status: 'won' })

    const stored = api.store.opportunities.findFirst((q) => q.where({ id: docsId }))
    expect(before).toMatchObject({ status: 'qualified', won_at: null })
    expect(stored).toEqual({ ...before, status: 'won', won_at: docsNow, updated_at: docsNow })
    expect(api.store.findOpportunity(docsId)).toBe(stored)
  })

  it('sets lost_at to now and answers with lost_at but no won_at when the status is lost', async () => {
    const api = await transport.start()

    const response = await api.patchStage(docsId, { status: 'lost' })

    expect(response.status).toBe(200)
    expect(response.body.data).toEqual({ id: docsId, name: 'John Doe', status: 'lost', lost_at: docsNow, updated_at: docsNow })
    expect(api.store.findOpportunity(docsId)).toMatchObject({ status: 'lost', lost_at: docsNow, won_at: null })
  })

  it.each(opportunityStatuses.filter((status) => status !== 'won' && status !== 'lost'))(
    'sets only status and updated_at when the status is %s',
    async (status) => {
      const api = await transport.start()

      const response = await api.patchStage(docsId, { status })

      expect(response.status).toBe(200)
      expect(response.body.data).toEqual({ id: docsId, name: 'John Doe', status, updated_at: docsNow })
      expect(api.store.findOpportunity(docsId)).toMatchObject({ status, won_at: null, lost_at: null, updated_at: docsNow })
    },
  )

  it("answers a won opportunity's move to lost with lost_at only", async () => {
    const api = await transport.start()
    await api.store.createOpportunity(buildOpportunity({ status: 'won', won_at: '2024-01-15T12:00:00Z' }))

    const response = await api.patchStage('opp_built', { status: 'lost' })

    expect(response.body.data).toEqual({ id: 'opp_built', name: 'Carla Mendes', status: 'lost', lost_at: docsNow, updated_at: docsNow })
  })

  it('stamps updated_at from the mock clock on each request, truncated to whole seconds', async () => {
    const clock = manualClock('2024-02-03T04:05:06.789Z')
    const api = await transport.start({ now: clock.now })

    const first = await api.patchStage(docsId, { status: 'proposal' })
    clock.set('2024-02-03T04:07:00.001Z')
    const second = await api.patchStage(docsId, { status: 'won' })

    expect(first.body.data?.updated_at).toBe('2024-02-03T04:05:06Z')
    expect(second.body.data).toMatchObject({ updated_at: '2024-02-03T04:07:00Z', won_at: '2024-02-03T04:07:00Z' })
  })

  it('ignores body fields other than status', async () => {
    const api = await transport.start()

    const response = await api.patchStage(docsId, { status: 'won', name: 'Someone Else', won_at: '2020-01-01T00:00:00Z' })

    expect(response.body).toEqual(documentedResponse)
    expect(api.store.findOpportunity(docsId)?.name).toBe('John Doe')
  })

  it('returns 401 MISSING_API_KEY when no key is sent in any of the three places', async () => {
    const api = await transport.start()

    const response = await api.request({ path: stagePath(docsId), body: { status: 'won' } })

    expectApiError(response, 401, 'MISSING_API_KEY')
  })

  it('accepts the key from the X-API-Key header', async () => {
    const api = await transport.start()

    const response = await api.request({ path: stagePath(docsId), headers: { 'X-API-Key': 'YOUR_API_KEY' }, body: { status: 'won' } })

    expect(response.body).toEqual(documentedResponse)
  })

  it('accepts the key from an Authorization: Bearer header, whatever the case of "Bearer"', async () => {
    const api = await transport.start()

    const upper = await api.request({ path: stagePath(docsId), headers: { Authorization: 'Bearer YOUR_API_KEY' }, body: { status: 'won' } })
    const lower = await api.request({ path: stagePath(docsId), headers: { Authorization: 'bearer YOUR_API_KEY' }, body: { status: 'won' } })

    expect([upper.status, lower.status]).toEqual([200, 200])
  })

  it('accepts the key from the api_key query parameter', async () => {
    const api = await transport.start()

    const response = await api.request({ path: `${stagePath(docsId)}?api_key=YOUR_API_KEY`, body: { status: 'won' } })

    expect(response.body).toEqual(documentedResponse)
  })

  it('uses the X-API-Key header over an Authorization: Bearer key', async () => {
    const api = await transport.start()

    const response = await api.request({
      path: stagePath(docsId),
      headers: { 'X-API-Key': 'gr_test_readonly', Authorization: 'Bearer YOUR_API_KEY' },
      body: { status: 'won' },
    })

    expectApiError(response, 403, 'INSUFFICIENT_PERMISSIONS')
  })

  it('uses an Authorization: Bearer key over the api_key query parameter', async () => {
    const api = await transport.start()

    const response = await api.request({
      path: `${stagePath(docsId)}?api_key=YOUR_API_KEY`,
      headers: { Authorization: 'Bearer gr_test_readonly' },
      body: { status: 'won' },
    })

    expectApiError(response, 403, 'INSUFFICIENT_PERMISSIONS')
  })

  it('does not take a key from an Authorization header of another scheme', async () => {
    const api = await transport.start()

    const response = await api.request({ path: stagePath(docsId), headers: { Authorization: 'Basic WU9VUl9BUElfS0VZOg==' }, body: { status: 'won' } })

    expectApiError(response, 401, 'MISSING_API_KEY')
  })

  it('returns 401 INVALID_API_KEY for an unknown key', async () => {
    const api = await transport.start()

    const response = await api.patchStage(docsId, { status: 'won' }, 'gr_live_doesnotexist')

    expectApiError(response, 401, 'INVALID_API_KEY')
  })

  it('returns 401 INVALID_API_KEY for a revoked key', async () => {
    const api = await transport.start()

    const response = await api.patchStage(docsId, { status: 'won' }, 'gr_test_revoked')

    expectApiError(response, 401, 'INVALID_API_KEY')
  })

  it('returns 401 EXPIRED_API_KEY for a key past its expiresAt by the mock clock', async () => {
    const api = await transport.start({ now: '2024-01-01T00:00:00Z' })

    const response = await api.patchStage(docsId, { status: 'won' }, 'gr_test_expired')

    expectApiError(response, 401, 'EXPIRED_API_KEY')
  })

  it('accepts a key before its expiresAt by the mock clock', async () => {
    const api = await transport.start({ now: '2023-12-31T23:59:58Z' })

    const response = await api.patchStage(docsId, { status: 'won' }, 'gr_test_expired')

    expect(response.status).toBe(200)
  })

  it.each([
    ['no key', undefined],
    ['an unknown key', 'gr_live_doesnotexist'],
    ['a revoked key', 'gr_test_revoked'],
    ['an expired key', 'gr_test_expired'],
  ])('sends no rate-limit headers with the 401 for %s', async (_, key) => {
    const api = await transport.start()

    const response = await api.request({ path: stagePath(docsId), key, body: { status: 'won' } })

    expect(response.status).toBe(401)
    expect(rateLimitHeaders(response)).toEqual({ limit: null, remaining: null, reset: null })
  })

  it('sends X-RateLimit-Limit, -Remaining and -Reset (Unix seconds of the next hourly window) on a success', async () => {
    const api = await transport.start({ now: '2024-01-25T10:20:00Z' })

    const response = await api.patchStage(docsId, { status: 'won' })

    expect(rateLimitHeaders(response)).toEqual({
      limit: '1000',
      remaining: '999',
      reset: String(unixSeconds('2024-01-25T11:00:00Z')),
    })
  })

  it('counts every request with a valid key against its window, rejected ones included, and says so in the headers', async () => {
    const api = await transport.start()

    const responses = [
      await api.patchStage(docsId, 'not json'),
      await api.patchStage(docsId, { status: 'closed' }),
      await api.patchStage('opp_unknown', { status: 'won' }),
      await api.patchStage(otherAccountId, { status: 'won' }),
      await api.patchStage(docsId, { status: 'won' }),
    ]

    expect(responses.map((response) => response.status)).toEqual([400, 400, 404, 404, 200])
    expect(responses.map((response) => rateLimitHeaders(response).remaining)).toEqual(['999', '998', '997', '996', '995'])
    for (const response of responses) expect(rateLimitHeaders(response).limit).toBe('1000')
  })

  it('sends rate-limit headers with the 403 for a key without permission', async () => {
    const api = await transport.start()

    const response = await api.patchStage(docsId, { status: 'won' }, 'gr_test_readonly')

    expect(rateLimitHeaders(response)).toEqual({ limit: '1000', remaining: '999', reset: String(unixSeconds('2024-01-25T11:00:00Z')) })
  })

  it('returns 429 RATE_LIMIT_EXCEEDED with error.retry_after and a Retry-After header once the hourly allowance is used', async () => {
    const api = await transport.start({ now: '2024-01-25T10:20:00Z' })
    await api.store.createApiKey(buildApiKey({ key: 'gr_test_two_per_hour', rateLimit: 2 }))
    const secondsLeft = unixSeconds('2024-01-25T11:00:00Z') - unixSeconds('2024-01-25T10:20:00Z')

    const allowed = [await api.patchStage(docsId, { status: 'qualified' }, 'gr_test_two_per_hour'), await api.patchStage(docsId, { status: 'proposal' }, 'gr_test_two_per_hour')]
    const before = snapshotStore(api.store)
    const limited = await api.patchStage(docsId, { status: 'won' }, 'gr_test_two_per_hour')

    expect(allowed.map((response) => rateLimitHeaders(response).remaining)).toEqual(['1', '0'])
    expectApiError(limited, 429, 'RATE_LIMIT_EXCEEDED')
    expect(limited.body.error?.retry_after).toBe(secondsLeft)
    expect(limited.headers.get('retry-after')).toBe(String(secondsLeft))
    expect(rateLimitHeaders(limited)).toEqual({ limit: '2', remaining: '0', reset: String(unixSeconds('2024-01-25T11:00:00Z')) })
    expect(snapshotStore(api.store)).toEqual(before)
  })

  it('answers gr_test_ratelimited with 429 at once, as its allowance is already used', async () => {
    const api = await transport.start()

    const response = await api.patchStage(docsId, { status: 'won' }, 'gr_test_ratelimited')

    expectApiError(response, 429, 'RATE_LIMIT_EXCEEDED')
    expect(rateLimitHeaders(response)).toMatchObject({ limit: '100', remaining: '0' })
  })

  it('starts a fresh allowance when the clock reaches the next hourly window', async () => {
    const clock = manualClock('2024-01-25T10:59:59Z')
    const api = await transport.start({ now: clock.now })

    const limited = await api.patchStage(docsId, { status: 'won' }, 'gr_test_ratelimited')
    clock.set('2024-01-25T11:00:00Z')
    const fresh = await api.patchStage(docsId, { status: 'won' }, 'gr_test_ratelimited')

    expect(limited.status).toBe(429)
    expect(limited.body.error?.retry_after).toBe(1)
    expect(fresh.status).toBe(200)
    expect(rateLimitHeaders(fresh)).toEqual({ limit: '100', remaining: '99', reset: String(unixSeconds('2024-01-25T12:00:00Z')) })
  })

  it('counts each key in its own window', async () => {
    const api = await transport.start()
    await api.store.createApiKey(buildApiKey({ key: 'gr_test_one_per_hour', rateLimit: 1 }))

    await api.patchStage(docsId, { status: 'won' }, 'gr_test_one_per_hour')
    const limited = await api.patchStage(docsId, { status: 'won' }, 'gr_test_one_per_hour')
    const otherKey = await api.patchStage(docsId, { status: 'won' }, 'YOUR_API_KEY')

    expect([limited.status, otherKey.status]).toEqual([429, 200])
    expect(rateLimitHeaders(otherKey).remaining).toBe('999')
  })

  it('restores the fixtures and clears rate-limit counters on reset()', async () => {
    const api = await transport.start()
    const fixturesAsSeeded = snapshotStore(api.store)
    await api.patchStage(docsId, { status: 'won' })
    await api.store.createOpportunity(buildOpportunity())

    await api.reset()
    const response = await api.patchStage(docsId, { status: 'lost' })

    expect(rateLimitHeaders(response).remaining).toBe('999')
    await api.reset()
    expect(snapshotStore(api.store)).toEqual(fixturesAsSeeded)
  })

  it('returns 403 INSUFFICIENT_PERMISSIONS for a key without opportunities:write', async () => {
    const api = await transport.start()

    const response = await api.patchStage(docsId, { status: 'won' }, 'gr_test_readonly')

    expectApiError(response, 403, 'INSUFFICIENT_PERMISSIONS')
    expect(api.store.findOpportunity(docsId)?.status).toBe('qualified')
  })

  it('accepts a key that holds the opportunities:* wildcard', async () => {
    const api = await transport.start()

    const response = await api.patchStage(docsId, { status: 'won' }, 'gr_test_wildcard')

    expect(response.body).toEqual(documentedResponse)
  })

  it('accepts a key that holds the * wildcard', async () => {
    const api = await transport.start()
    await api.store.createApiKey(buildApiKey({ key: 'gr_test_everything', permissions: ['*'] }))

    const response = await api.patchStage(docsId, { status: 'won' }, 'gr_test_everything')

    expect(response.body).toEqual(documentedResponse)
  })

  it('returns 403 INSUFFICIENT_PERMISSIONS for a key whose wildcard covers another resource', async () => {
    const api = await transport.start()
    await api.store.createApiKey(buildApiKey({ key: 'gr_test_contacts', permissions: ['contacts:*', 'opportunities:read', 'opportunities:delete'] }))

    const response = await api.patchStage(docsId, { status: 'won' }, 'gr_test_contacts')

    expectApiError(response, 403, 'INSUFFICIENT_PERMISSIONS')
  })

  it.each([
    ['truncated JSON', '{"status":'],
    ['a bare word', 'won'],
    ['single-quoted JSON', "{'status':'won'}"],
    ['empty', ''],
  ])('returns 400 VALIDATION_ERROR for a body that is %s', async (_, body) => {
    const api = await transport.start()

    const response = await api.request({ path: stagePath(docsId), key: 'YOUR_API_KEY', headers: { 'content-type': 'application/json' }, body })

    expectApiError(response, 400, 'VALIDATION_ERROR')
  })

  it.each([['[]'], ['[{"status":"won"}]'], ['"won"'], ['null'], ['42'], ['true']])(
    'returns 400 VALIDATION_ERROR for the JSON body %s, which is not an object',
    async (body) => {
      const api = await transport.start()

      const response = await api.patchStage(docsId, body)

      expectApiError(response, 400, 'VALIDATION_ERROR')
    },
  )

  it.each([
    ['missing', {}],
    ['null', { status: null }],
    ['a number', { status: 5 }],
    ['an array', { status: ['won'] }],
    ['an object', { status: { value: 'won' } }],
    ['an empty string', { status: '' }],
    ['an unknown value', { status: 'closed' }],
    ['a value in the wrong case', { status: 'WON' }],
  ])('returns 400 INVALID_STATUS listing the allowed values when status is %s', async (_, body) => {
    const api = await transport.start()

    const response = await api.patchStage(docsId, body)

    expectApiError(response, 400, 'INVALID_STATUS')
    expect(response.body.error?.message).toContain(opportunityStatuses.join(', '))
    expect(response.body.error?.details?.allowed).toEqual([...opportunityStatuses])
  })

  it('returns 404 NOT_FOUND "Opportunity not found" for an unknown opportunity id', async () => {
    const api = await transport.start()

    const response = await api.patchStage('opp_doesnotexist', { status: 'won' })

    expectApiError(response, 404, 'NOT_FOUND')
    expect(response.body.error?.message).toBe('Opportunity not found')
  })

  it("answers another account's opportunity exactly as an unknown id, and leaves it unchanged", async () => {
    const api = await transport.start()
    const before = snapshotStore(api.store)

    const foreign = await api.patchStage(otherAccountId, { status: 'won' }, 'YOUR_API_KEY')
    const unknown = await api.patchStage('opp_doesnotexist', { status: 'won' }, 'YOUR_API_KEY')

    expectApiError(foreign, 404, 'NOT_FOUND')
    expect(foreign.body.error?.message).toBe('Opportunity not found')
    expect(JSON.stringify(foreign.body).replaceAll(otherAccountId, 'ID')).toBe(JSON.stringify(unknown.body).replaceAll('opp_doesnotexist', 'ID'))
    expect(snapshotStore(api.store)).toEqual(before)
  })

  it("lets a second account's key update that account's own opportunity but not the first account's", async () => {
    const api = await transport.start()

    const own = await api.patchStage(otherAccountId, { status: 'won' }, 'gr_test_other_account')
    const foreign = await api.patchStage(docsId, { status: 'won' }, 'gr_test_other_account')

    expect(own.body.data).toMatchObject({ id: otherAccountId, status: 'won', won_at: docsNow })
    expectApiError(foreign, 404, 'NOT_FOUND')
  })

  it.each(['GET', 'POST', 'PUT', 'DELETE'])('returns 405 METHOD_NOT_ALLOWED with Allow: PATCH for %s on the stage path', async (method) => {
    const api = await transport.start()

    const response = await api.request({
      method,
      path: stagePath(docsId),
      key: 'YOUR_API_KEY',
      body: method === 'GET' ? undefined : { status: 'won' },
    })

    expectApiError(response, 405, 'METHOD_NOT_ALLOWED')
    expect(response.headers.get('allow')).toBe('PATCH')
  })

  it.each([
    '/external/v1/campaigns',
    `/external/v1/opportunities/${docsId}/stage/extra`,
    '/external/v1/opportunities//stage',
  ])('returns a 404 NOT_FOUND envelope for the unknown path %s', async (path) => {
    const api = await transport.start()

    const response = await api.request({ path, key: 'YOUR_API_KEY', body: { status: 'won' } })

    expectApiError(response, 404, 'NOT_FOUND')
    expect(response.body.error?.message).not.toBe('Opportunity not found')
  })

  it('returns 413 PAYLOAD_TOO_LARGE for a body one byte over maxBodyBytes and accepts one at the limit', async () => {
    const api = await transport.start({ maxBodyBytes: 64 })

    const atLimit = await api.patchStage(docsId, paddedBody(64))
    const over = await api.patchStage('opp_demo_new', paddedBody(65))

    expect(atLimit.status).toBe(200)
    expectApiError(over, 413, 'PAYLOAD_TOO_LARGE')
    expect(api.store.findOpportunity('opp_demo_new')?.status).toBe('new')
  })

  it('measures the body limit in UTF-8 bytes, not characters', async () => {
    const api = await transport.start({ maxBodyBytes: 64 })
    const body = paddedBody(69, 'é')

    const response = await api.patchStage(docsId, body)

    expect(body.length).toBeLessThanOrEqual(64)
    expectApiError(response, 413, 'PAYLOAD_TOO_LARGE')
  })

  it('limits bodies to 1 MiB by default', async () => {
    const api = await transport.start()

    const atLimit = await api.patchStage(docsId, paddedBody(1024 * 1024))
    const over = await api.patchStage(docsId, paddedBody(1024 * 1024 + 1))

    expect(atLimit.status).toBe(200)
    expectApiError(over, 413, 'PAYLOAD_TOO_LARGE')
  })

  // A loop rather than it.each: `$rule` would be quoted and cut short in the test names.
  for (const { rule, request, status, code } of orderRows) {
    it(`answers ${status} ${code} to ${rule}`, async () => {
      const api = await transport.start({ fixtures: [defaultFixturesPath(), orderFixtures()], maxBodyBytes: 128 })

      const response = await api.request(request)

      expectApiError(response, status, code)
    })
  }

  for (const { rejection, request, status, code } of rejectedWins) {
    it(`changes nothing in the store when it rejects ${rejection} with ${status} ${code}`, async () => {
      const api = await transport.start({ maxBodyBytes: 128 })
      const before = snapshotStore(api.store)

      const response = await api.request(request)

      expectApiError(response, status, code)
      expect(snapshotStore(api.store)).toEqual(before)
    })
  }

  it('answers 500 INTERNAL_ERROR when the store throws, reports the error, changes nothing and keeps answering', async () => {
    const api = await transport.start()
    const fault = new Error('disk on fire')
    vi.spyOn(api.store, 'findOpportunity').mockImplementationOnce(() => {
      throw fault
    })
    const before = snapshotStore(api.store)

    const failed = await api.patchStage(docsId, { status: 'won' })
    const unchanged = snapshotStore(api.store)
    const next = await api.patchStage(docsId, { status: 'won' })

    expectApiError(failed, 500, 'INTERNAL_ERROR')
    expect(failed.body.error?.message).not.toContain('disk on fire')
    expect(api.unexpectedErrors).toEqual([fault])
    expect(unchanged).toEqual(before)
    expect(next.body).toEqual(documentedResponse)
  })
})

it('answers requests to any origin when createGetRazeMock gets no baseUrl', async () => {
  const mock = createGetRazeMock({ now: docsNow })
  const request = new Request(`http://localhost:5173${stagePath(docsId)}`, {
    method: 'PATCH',
    headers: { 'X-API-Key': 'YOUR_API_KEY' },
    body: JSON.stringify({ status: 'won' }),
  })

  const response = await getResponse(mock.handlers, request)

  expect(await response?.json()).toEqual(documentedResponse)
})

it('answers only its own origin, with or without a trailing /external/v1, when createGetRazeMock gets a baseUrl', async () => {
  const bare = createGetRazeMock({ baseUrl: 'https://app.getraze.com' })
  const withApiPath = createGetRazeMock({ baseUrl: 'https://app.getraze.com/external/v1' })
  const request = (origin: string) => new Request(`${origin}${stagePath(docsId)}`, { method: 'PATCH', headers: { 'X-API-Key': 'YOUR_API_KEY' }, body: '{"status":"won"}' })

  const own = await getResponse(bare.handlers, request('https://app.getraze.com'))
  const ownWithApiPath = await getResponse(withApiPath.handlers, request('https://app.getraze.com'))
  const foreign = await getResponse(bare.handlers, request('http://localhost:5173'))

  expect([own?.status, ownWithApiPath?.status, foreign]).toEqual([200, 200, undefined])
})

it('throws INVALID_OPTION for a baseUrl that is not an absolute URL', () => {
  expect(() => createGetRazeMock({ baseUrl: 'app.getraze.com' })).toThrow(
    new GetRazeMockError(
      'INVALID_OPTION',
      'Failed to create the GetRaze mock: baseUrl "app.getraze.com" is not an absolute URL. Pass one like https://app.getraze.com.',
    ),
  )
})

it('answers 500 INTERNAL_ERROR from the core when an injected operation throws, then answers the next request', async () => {
  const store = createStore()
  await store.seed(parseFixtures([{ source: 'inline', data: buildFixtureFile() }]))
  const errors: unknown[] = []
  const fault = new TypeError('operation bug')
  let calls = 0
  const core = createMockCore({
    store,
    clock: () => new Date(docsNow),
    onUnexpectedError: (error) => errors.push(error),
    operations: {
      ...operations,
      updateOpportunityStage: () => {
        calls++
        if (calls === 1) throw fault
        return { status: 200, body: { success: true, data: { calls } } }
      },
    },
  })
  const request: MockRequest = {
    method: 'PATCH',
    path: stagePath('opp_built'),
    query: '',
    header: (name) => (name === 'x-api-key' ? 'gr_test_built' : null),
    body: '{"status":"won"}',
  }

  const failed = core.handle(request)
  const next = core.handle(request)

  expect(failed).toMatchObject({ status: 500, body: { success: false, error: { code: 'INTERNAL_ERROR' } } })
  expect(errors).toEqual([fault])
  expect(next).toMatchObject({ status: 200, body: { success: true, data: { calls: 2 } } })
})
