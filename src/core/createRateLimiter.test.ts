import { expect, it } from 'vitest'
import { apiKeySchema } from '../contract/schemas.js'
import type { ApiKeyInput, ApiKeyRecord } from '../contract/schemas.js'
import { createRateLimiter } from './createRateLimiter.js'

function buildKey(overrides: Partial<ApiKeyInput> = {}): ApiKeyRecord {
  return apiKeySchema.parse({ key: 'gr_test_limiter', account: 'acc_demo', permissions: ['opportunities:write'], ...overrides })
}

const at = (iso: string) => new Date(iso)
const unixSeconds = (iso: string) => Date.parse(iso) / 1000

it('allows requests up to the limit and counts down the remaining ones', () => {
  const limiter = createRateLimiter()
  const key = buildKey({ rateLimit: 3 })

  const verdicts = [1, 2, 3, 4].map(() => limiter.consume(key, at('2024-01-25T10:00:00Z')))

  expect(verdicts.map(({ allowed, remaining }) => ({ allowed, remaining }))).toEqual([
    { allowed: true, remaining: 2 },
    { allowed: true, remaining: 1 },
    { allowed: true, remaining: 0 },
    { allowed: false, remaining: 0 },
  ])
  expect(verdicts.every((verdict) => verdict.limit === 3)).toBe(true)
})

it('uses a limit of 1000 for a key that sets none', () => {
  const verdict = createRateLimiter().consume(buildKey(), at('2024-01-25T10:00:00Z'))

  expect({ limit: verdict.limit, remaining: verdict.remaining }).toEqual({ limit: 1000, remaining: 999 })
})

it('aligns windows to the hour: reset is the next full hour in Unix seconds', () => {
  const limiter = createRateLimiter()

  const verdict = limiter.consume(buildKey(), at('2024-01-25T10:20:30Z'))

  expect(verdict.reset).toBe(unixSeconds('2024-01-25T11:00:00Z'))
  expect(verdict.retryAfter).toBe(unixSeconds('2024-01-25T11:00:00Z') - unixSeconds('2024-01-25T10:20:30Z'))
})

it('starts a window at the full hour with the whole hour to wait', () => {
  const verdict = createRateLimiter().consume(buildKey(), at('2024-01-25T11:00:00Z'))

  expect(verdict.reset).toBe(unixSeconds('2024-01-25T12:00:00Z'))
  expect(verdict.retryAfter).toBe(3600)
})

it('asks to retry after at least one second in the last fraction of a window', () => {
  const verdict = createRateLimiter().consume(buildKey(), at('2024-01-25T10:59:59.900Z'))

  expect(verdict.retryAfter).toBe(1)
})

it('forgets the count when the next window starts', () => {
  const limiter = createRateLimiter()
  const key = buildKey({ rateLimit: 1 })
  limiter.consume(key, at('2024-01-25T10:59:00Z'))

  const limited = limiter.consume(key, at('2024-01-25T10:59:59Z'))
  const fresh = limiter.consume(key, at('2024-01-25T11:00:00Z'))

  expect([limited.allowed, fresh.allowed]).toEqual([false, true])
  expect(fresh.remaining).toBe(0)
})

it("seeds a key's count with its fixture `used` value in the window it is first seen", () => {
  const limiter = createRateLimiter()
  const key = buildKey({ rateLimit: 10, used: 8 })

  const first = limiter.consume(key, at('2024-01-25T10:00:00Z'))
  const nextHour = limiter.consume(key, at('2024-01-25T11:00:00Z'))

  expect(first.remaining).toBe(1)
  expect(nextHour.remaining).toBe(9)
})

it('refuses a key whose fixture says its allowance is used up', () => {
  const verdict = createRateLimiter().consume(buildKey({ rateLimit: 100, used: 100 }), at('2024-01-25T10:00:00Z'))

  expect({ allowed: verdict.allowed, remaining: verdict.remaining }).toEqual({ allowed: false, remaining: 0 })
})

it('counts each key on its own', () => {
  const limiter = createRateLimiter()
  const first = buildKey({ key: 'gr_test_a', rateLimit: 1 })
  const second = buildKey({ key: 'gr_test_b', rateLimit: 1 })
  limiter.consume(first, at('2024-01-25T10:00:00Z'))

  expect(limiter.consume(first, at('2024-01-25T10:00:01Z')).allowed).toBe(false)
  expect(limiter.consume(second, at('2024-01-25T10:00:01Z')).allowed).toBe(true)
})

it('forgets every count on reset()', () => {
  const limiter = createRateLimiter()
  const key = buildKey({ rateLimit: 2 })
  limiter.consume(key, at('2024-01-25T10:00:00Z'))
  limiter.consume(key, at('2024-01-25T10:00:00Z'))

  limiter.reset()
  const verdict = limiter.consume(key, at('2024-01-25T10:00:01Z'))

  expect({ allowed: verdict.allowed, remaining: verdict.remaining }).toEqual({ allowed: true, remaining: 1 })
})
