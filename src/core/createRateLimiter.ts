import type { ApiKeyRecord } from '../contract/schemas.js'

const windowSeconds = 3600

/** The rate-limit verdict for one request, with the values of the `X-RateLimit-*` headers. */
export interface RateLimitVerdict {
  allowed: boolean
  limit: number
  remaining: number
  /** Unix seconds when the current window ends. */
  reset: number
  /** Seconds until then (at least 1), for `Retry-After`. */
  retryAfter: number
}

/** Per-key request counts in hourly windows. */
export interface RateLimiter {
  consume(apiKey: ApiKeyRecord, now: Date): RateLimitVerdict
  peek(apiKey: ApiKeyRecord, now: Date): RateLimitVerdict
  reset(): void
}

/**
 * Counts requests per key in fixed hourly windows aligned to the clock's hour, so a frozen
 * clock gives stable `X-RateLimit-Reset` values. A key's fixture `used` seeds its count in the
 * window where the key is first seen. Counters hang off the key records, so reseeding the store
 * starts them afresh.
 *
 * @example
 * const limiter = createRateLimiter()
 * limiter.consume(apiKey, new Date()).allowed
 */
export function createRateLimiter(): RateLimiter {
  let counters = new WeakMap<ApiKeyRecord, { window: number; count: number }>()

  return {
    consume(apiKey: ApiKeyRecord, now: Date): RateLimitVerdict {
      const seconds = Math.floor(now.getTime() / 1000)
      const window = Math.floor(seconds / windowSeconds)
      let counter = counters.get(apiKey)
      if (!counter) {
        counter = { window, count: apiKey.used }
        counters.set(apiKey, counter)
      } else if (counter.window !== window) {
        counter.window = window
        counter.count = 0
      }
      const reset = (window + 1) * windowSeconds
      const allowed = counter.count < apiKey.rateLimit
      if (allowed) counter.count++
      return {
        allowed,
        limit: apiKey.rateLimit,
        remaining: Math.max(0, apiKey.rateLimit - counter.count),
        reset,
        retryAfter: Math.max(1, reset - seconds),
      }
    },
    /**
     * The verdict `consume` would give, without counting the request: for answers that must
     * show the key's limits but change nothing (test faults).
     */
    peek(apiKey: ApiKeyRecord, now: Date): RateLimitVerdict {
      const seconds = Math.floor(now.getTime() / 1000)
      const window = Math.floor(seconds / windowSeconds)
      const counter = counters.get(apiKey)
      const count = !counter ? apiKey.used : counter.window !== window ? 0 : counter.count
      const reset = (window + 1) * windowSeconds
      return {
        allowed: count < apiKey.rateLimit,
        limit: apiKey.rateLimit,
        remaining: Math.max(0, apiKey.rateLimit - count),
        reset,
        retryAfter: Math.max(1, reset - seconds),
      }
    },
    /** Forgets every count. */
    reset() {
      counters = new WeakMap()
    },
  }
}
