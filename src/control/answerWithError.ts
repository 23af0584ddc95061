import { apiErrors } from '../contract/apiErrors.js'
import type { ApiErrorCode } from '../contract/apiErrors.js'
import type { EndpointContract } from '../contract/EndpointContract.js'
import { formatTimestamp } from '../contract/formatTimestamp.js'
import { apiError, transportErrorMessages } from '../core/apiError.js'
import { errorAnswers } from '../core/errorAnswers.js'
import type { OperationResult } from '../core/apiError.js'
import type { RateLimiter } from '../core/createRateLimiter.js'
import type { MockResponse } from '../core/MockRequest.js'
import type { MockStore } from '../store/createStore.js'

/** What a scripted error answer is built from. */
export interface ErrorAnswerContext {
  store: MockStore
  rateLimiter: RateLimiter
  now: Date
  /** The raw key the request presented. */
  apiKey: string | undefined
  /** The endpoint the path routes to, if any. */
  endpoint: EndpointContract | undefined
  opportunityId: string | undefined
}

const jsonContentType = 'application/json; charset=utf-8'
const defaultRateLimit = 1000

/** The envelope of each code: the pipeline's own answers (`errorAnswers`) where the request has what they need. */
function envelope(code: ApiErrorCode, context: ErrorAnswerContext, limit: { limit: number; reset: number; retryAfter: number }): OperationResult {
  const key = context.apiKey === undefined ? undefined : context.store.findApiKey(context.apiKey)
  switch (code) {
    case 'MISSING_API_KEY':
      return errorAnswers.missingApiKey()
    case 'INVALID_API_KEY':
      return errorAnswers.invalidApiKey()
    case 'EXPIRED_API_KEY':
      return errorAnswers.expiredApiKey(key?.expiresAt ?? formatTimestamp(context.now))
    case 'RATE_LIMIT_EXCEEDED':
      return errorAnswers.rateLimited(limit.limit, limit.reset, limit.retryAfter)
    case 'INSUFFICIENT_PERMISSIONS':
      return errorAnswers.insufficientPermissions(context.endpoint?.permission ?? 'opportunities:write', key?.permissions ?? [])
    case 'NOT_FOUND':
      return errorAnswers.opportunityNotFound(context.opportunityId ?? null)
    case 'INVALID_STATUS':
      return errorAnswers.invalidStatus('status', null)
    case 'VALIDATION_ERROR':
      return errorAnswers.bodyNotJson()
    case 'MISSING_REQUIRED_FIELD':
      return apiError(code, 'Field "status" is required.', { field: 'status' })
    case 'INVALID_PARAMETER':
      return apiError(code, 'Parameter "id" is not valid.', { field: 'id' })
    case 'CONFLICT':
      return apiError(code, 'The request conflicts with the current state of the resource.')
    case 'INTERNAL_ERROR':
      return errorAnswers.internalError()
    case 'METHOD_NOT_ALLOWED':
      return apiError(code, `Method is not allowed on this path. Use ${context.endpoint?.method ?? 'PATCH'}.`, {
        allow: [context.endpoint?.method ?? 'PATCH'],
      })
    case 'PAYLOAD_TOO_LARGE':
      return apiError(code, 'Request body exceeds the size limit.')
    case 'REQUEST_TIMEOUT':
    case 'EXPECTATION_FAILED':
    case 'HEADERS_TOO_LARGE':
      return apiError(code, transportErrorMessages[code])
  }
}

/**
 * Answers `code` as the pipeline would for this request, without counting it against the rate
 * limit or changing any data: the documented envelope and status, and the key's real
 * `X-RateLimit-*` headers (none on a 401; `Retry-After` on a 429, from the clock).
 *
 * @example
 * answerWithError('RATE_LIMIT_EXCEEDED', { store, rateLimiter, now: clock(), apiKey, endpoint, opportunityId })
 */
export function answerWithError(code: ApiErrorCode, context: ErrorAnswerContext): MockResponse {
  const status = apiErrors[code].status
  const key = context.apiKey === undefined ? undefined : context.store.findApiKey(context.apiKey)
  const usable = key && !key.revoked && (key.expiresAt === null || context.now.getTime() <= Date.parse(key.expiresAt))
  const seconds = Math.floor(context.now.getTime() / 1000)
  const verdict = usable
    ? context.rateLimiter.peek(key, context.now)
    : { limit: key?.rateLimit ?? defaultRateLimit, remaining: 0, reset: (Math.floor(seconds / 3600) + 1) * 3600, retryAfter: 0 }
  const retryAfter = Math.max(1, verdict.reset - seconds)
  const result = envelope(code, context, { limit: verdict.limit, reset: verdict.reset, retryAfter })
  const headers: Record<string, string> = {}
  // As the pipeline: limits once the key is known and valid; a 429 always states them.
  if (status !== 401 && (usable || code === 'RATE_LIMIT_EXCEEDED')) {
    headers['x-ratelimit-limit'] = String(verdict.limit)
    headers['x-ratelimit-remaining'] = code === 'RATE_LIMIT_EXCEEDED' ? '0' : String(verdict.remaining)
    headers['x-ratelimit-reset'] = String(verdict.reset)
  }
  if (code === 'RATE_LIMIT_EXCEEDED') headers['retry-after'] = String(retryAfter)
  if (code === 'METHOD_NOT_ALLOWED') headers.allow = context.endpoint?.method ?? 'PATCH'
  headers['content-type'] = jsonContentType
  const response: MockResponse = { status, headers, body: result.body, text: JSON.stringify(result.body) }
  if (context.apiKey !== undefined) response.apiKey = context.apiKey
  return response
}
