import { expect } from 'vitest'
import type { ApiResponse } from './transports.js'

/** The fields the documented error envelope allows inside `error`. */
const envelopeFields = ['code', 'message', 'details', 'retry_after']

/**
 * Asserts an error in the documented envelope: `{ success: false, error: { code, message, details? } }`,
 * with the given HTTP status and code and nothing else at either level.
 */
export function expectApiError(response: ApiResponse, status: number, code: string): void {
  expect({ status: response.status, code: response.body.error?.code }).toEqual({ status, code })
  expect(Object.keys(response.body).sort()).toEqual(['error', 'success'])
  expect(response.body.success).toBe(false)
  expect(response.body.error?.message).toEqual(expect.any(String))
  expect(response.body.error?.message).not.toBe('')
  for (const field of Object.keys(response.body.error ?? {})) expect(envelopeFields).toContain(field)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
}

/** The `X-RateLimit-*` headers of a response, `null` where absent. */
export function rateLimitHeaders(response: ApiResponse) {
  return {
    limit: response.headers.get('x-ratelimit-limit'),
    remaining: response.headers.get('x-ratelimit-remaining'),
    reset: response.headers.get('x-ratelimit-reset'),
  }
}

/** Unix seconds of an ISO instant, as `X-RateLimit-Reset` carries them. */
export function unixSeconds(iso: string): number {
  return Date.parse(iso) / 1000
}
