import { allowedValues, answerableErrors, sharedErrorCodes } from '../contract/answerableErrors.js'
import { apiErrors } from '../contract/apiErrors.js'
import type { ApiErrorCode } from '../contract/apiErrors.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import { formatTimestamp } from '../contract/formatTimestamp.js'
import { apiError } from '../core/apiError.js'
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
  endpoint: EndpointDefinition | undefined
  /** The route's path parameters (`{ id }`); empty for an unknown route. */
  params: Readonly<Record<string, string>>
  method: string
  /** The request's path, for the unknown route's 404. */
  path: string
  /** The fault (its id, or `'prefer'`) that asks for the answer, so a 500 says it was scripted. */
  fault?: string
}

const jsonContentType = 'application/json; charset=utf-8'
const defaultRateLimit = 1000

/**
 * What a request to an unknown path can be answered: the key's outcomes and the rate limit (a
 * fault may stand in for them before any routing), a crash, and the route's own 404.
 */
const unknownRouteErrors: readonly ApiErrorCode[] = [...sharedErrorCodes.filter((code) => code !== 'INSUFFICIENT_PERMISSIONS'), 'NOT_FOUND']

/**
 * The documented errors a request to `endpoint` can be answered with (`undefined`: an unknown
 * path). Faults and `Prefer` answer only these.
 *
 * @example
 * errorsFor(updateOpportunityStageContract).includes('INVALID_STATUS') // true
 */
export function errorsFor(endpoint: EndpointDefinition | undefined): readonly ApiErrorCode[] {
  return endpoint ? answerableErrors(endpoint) : unknownRouteErrors
}

/** Names an endpoint in messages: `PATCH /external/v1/opportunities/:id/stage`. */
export function describeEndpoint(endpoint: EndpointDefinition | undefined): string {
  return endpoint ? `${endpoint.method} ${endpoint.path}` : 'a path the API does not have'
}

/**
 * The envelope of each code as `endpoint` words it: the pipeline's own answers (`errorAnswers`)
 * where the request has what they need, the endpoint's field rule for its own codes
 * (`INVALID_STATUS`), else the errors page's description.
 */
function envelope(code: ApiErrorCode, context: ErrorAnswerContext, limit: { limit: number; reset: number; retryAfter: number }): OperationResult {
  const { endpoint } = context
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
    case 'INTERNAL_ERROR':
      return context.fault === undefined ? errorAnswers.internalError() : errorAnswers.scriptedInternalError(context.fault)
    case 'VALIDATION_ERROR':
      return errorAnswers.bodyNotJson()
  }
  if (!endpoint) return errorAnswers.routeNotFound(context.method, context.path)
  if (code === 'INSUFFICIENT_PERMISSIONS') return errorAnswers.insufficientPermissions(endpoint.permission, key?.permissions ?? [])
  if (code === 'NOT_FOUND' && endpoint.resource) return errorAnswers.notFound(endpoint.resource, context.params.id ?? null)
  for (const [field, rule] of Object.entries(endpoint.fieldErrors ?? {})) {
    if (rule.code === code) return rule.message === undefined ? errorAnswers.invalidValue(rule, field, allowedValues(endpoint, field), null) : errorAnswers.invalidField(rule, field, null)
  }
  return apiError(code, `${apiErrors[code].description}.`)
}

/**
 * Answers `code` as the pipeline would for this request, without counting it against the rate
 * limit or changing any data: the documented envelope and status, worded for the endpoint, and
 * the key's real `X-RateLimit-*` headers (none on a 401; `Retry-After` on a 429, from the clock).
 * Callers check first that the endpoint can answer `code` (`errorsFor`).
 *
 * @example
 * answerWithError('RATE_LIMIT_EXCEEDED', { store, rateLimiter, now: clock(), apiKey, endpoint, params, method, path })
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
  headers['content-type'] = jsonContentType
  const response: MockResponse = { status, headers, body: result.body, text: JSON.stringify(result.body) }
  if (context.apiKey !== undefined) response.apiKey = context.apiKey
  return response
}
