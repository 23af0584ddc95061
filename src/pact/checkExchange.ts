import { apiErrors } from '../contract/apiErrors.js'
import type { ApiErrorCode } from '../contract/apiErrors.js'
import { endpoints } from '../contract/endpoints.js'
import { opportunityStatuses } from '../contract/opportunityStatuses.js'
import { opportunitySchema, stageUpdateDataSchema } from '../contract/schemas.js'
import { compileRoutes } from '../core/matchRoute.js'
import type { Exchange } from './createExchangeRecorder.js'
import { summariseText } from './summariseText.js'

/**
 * A difference between what a provider sent and what the pact or the docs describe.
 * `expected` and `actual` are JSON values (`null` when absent); `expected` may be a phrase
 * in words when no single value is expected ("a UTC timestamp such as 2024-01-25T10:00:00Z").
 */
export interface Difference {
  /** JSON path (`$.data.won_at`), `status`, `header <name>`, `state "<name>"` or `request`. */
  path: string
  expected: unknown
  actual: unknown
  message: string
  /**
   * What kind of finding it is: `pact` (Pact's verdict against an exact value), `pact-matcher`
   * (Pact's verdict against a matcher, which `expected` describes in words), `provider-state`
   * (a state that was not set up), `pact-review` (the pact asks for what the docs or the state
   * set do not have) or `documented-contract` (the answer differs from the docs).
   * @default undefined (not said)
   */
  category?: DifferenceCategory
}

/** The kinds of `Difference`. */
export type DifferenceCategory = 'pact' | 'pact-matcher' | 'provider-state' | 'pact-review' | 'documented-contract'

const matchRoute = compileRoutes(endpoints)
const rateLimitHeaders = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']
// The pact's own timestamp matcher: UTC, fractions of a second allowed.
const utcTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/
const timestampInWords = 'a UTC timestamp such as 2024-01-25T10:00:00Z'
const stageAnswerFields = Object.keys(stageUpdateDataSchema.shape)
// The documented opportunity resource ("get opportunity"), less the mock's own `account`.
const resourceFields = new Set(Object.keys(opportunitySchema.shape).filter((field) => field !== 'account'))
const documentedErrorFields = new Set(['code', 'message', 'details', 'retry_after'])

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** One warning for all extra fields of an object, told apart by whether the docs know them. */
function extraFields(path: string, object: Record<string, unknown>, allowed: readonly string[], resource: Set<string>): Difference[] {
  const extra = Object.keys(object).filter((field) => !allowed.includes(field))
  if (extra.length === 0) return []
  const known = extra.filter((field) => resource.has(field))
  const unknown = extra.filter((field) => !resource.has(field))
  const parts = [
    known.length > 0 ? `of the documented opportunity resource: ${known.join(', ')}` : '',
    unknown.length > 0 ? `never mentioned in the docs: ${unknown.join(', ')}` : '',
  ].filter(Boolean)
  return [
    {
      path,
      expected: allowed,
      actual: extra,
      message: `${extra.length} extra field${extra.length === 1 ? '' : 's'} the docs' answer does not show; ${parts.join('; ')}`,
    },
  ]
}

function checkTimestamp(path: string, value: unknown, nullable: boolean): Difference[] {
  if (value === undefined || (nullable && value === null)) return []
  if (typeof value === 'string' && utcTimestamp.test(value)) return []
  return [{ path, expected: nullable ? `${timestampInWords}, or null` : timestampInWords, actual: value ?? null, message: 'not a UTC timestamp in the documented form' }]
}

function checkSuccess(body: Record<string, unknown>): Difference[] {
  const differences: Difference[] = []
  if (body.success !== true) differences.push({ path: '$.success', expected: true, actual: body.success ?? null, message: 'a 2xx answer should say success: true' })
  differences.push(...extraFields('$', body, ['success', 'data'], new Set()))
  const data = body.data
  if (!isObject(data)) {
    differences.push({ path: '$.data', expected: 'the updated opportunity (an object)', actual: data ?? null, message: `data is ${describe(data)}` })
    return differences
  }
  for (const field of ['id', 'name'] as const) {
    if (typeof data[field] !== 'string') {
      differences.push({ path: `$.data.${field}`, expected: 'a string', actual: data[field] ?? null, message: data[field] === undefined ? `missing ${field}` : `${field} is ${describe(data[field])}` })
    }
  }
  if (typeof data.status !== 'string' || !(opportunityStatuses as readonly string[]).includes(data.status)) {
    differences.push({ path: '$.data.status', expected: `one of ${opportunityStatuses.join(', ')}`, actual: data.status ?? null, message: 'not a documented status' })
  }
  if (data.updated_at === undefined) differences.push({ path: '$.data.updated_at', expected: timestampInWords, actual: null, message: 'missing updated_at' })
  differences.push(...checkTimestamp('$.data.updated_at', data.updated_at, false))
  // The resource documents won_at and lost_at as null until set, so null is not a drift.
  differences.push(...checkTimestamp('$.data.won_at', data.won_at, true), ...checkTimestamp('$.data.lost_at', data.lost_at, true))
  // A field of the documented resource, even where the docs' answer omits it, keeps its form.
  differences.push(...checkTimestamp('$.data.created_at', data.created_at, false))
  differences.push(...extraFields('$.data', data, stageAnswerFields, resourceFields))
  return differences
}

function checkError(body: Record<string, unknown>, status: number): Difference[] {
  const differences: Difference[] = []
  if (body.success !== false) differences.push({ path: '$.success', expected: false, actual: body.success ?? null, message: 'an error answer should say success: false' })
  differences.push(...extraFields('$', body, ['success', 'error'], new Set()))
  const error = body.error
  if (!isObject(error)) {
    differences.push({ path: '$.error', expected: 'an object with code and message', actual: error ?? null, message: 'not the documented error envelope' })
    return differences
  }
  if (typeof error.message !== 'string') differences.push({ path: '$.error.message', expected: 'a string', actual: error.message ?? null, message: 'missing error.message' })
  const code = error.code
  if (typeof code !== 'string') {
    differences.push({ path: '$.error.code', expected: 'a documented error code', actual: code ?? null, message: 'missing error.code' })
  } else {
    const known = apiErrors[code as ApiErrorCode]
    if (!known || !known.documented) {
      differences.push({ path: '$.error.code', expected: 'a documented error code', actual: code, message: `undocumented error code "${code}"` })
    } else if (known.status !== status) {
      differences.push({ path: 'status', expected: known.status, actual: status, message: `${code} is documented with HTTP ${known.status}` })
    }
  }
  differences.push(...extraFields('$.error', error, [...documentedErrorFields], new Set()))
  return differences
}

function checkHeaders(exchange: Exchange): Difference[] {
  const differences: Difference[] = []
  if (exchange.status !== 401) {
    const missing = rateLimitHeaders.filter((header) => exchange.headers[header] === undefined)
    if (missing.length > 0) {
      differences.push({ path: `header ${missing.join(', ')}`, expected: 'present on every answer but 401', actual: null, message: `missing ${missing.join(', ')}` })
    }
  }
  if (exchange.status === 429) {
    const retryAfter = exchange.headers['retry-after']
    if (retryAfter === undefined || !/^\d+$/.test(retryAfter)) {
      differences.push({ path: 'header retry-after', expected: 'whole seconds to wait, on every 429', actual: retryAfter ?? null, message: retryAfter === undefined ? 'missing Retry-After on a 429' : 'Retry-After is not whole seconds' })
    }
  }
  return differences
}

/**
 * Compares one recorded answer with the documented contract: the success shape (with extra
 * fields grouped into one warning, documented resource fields told apart from unknown ones),
 * the error envelope, documented codes and their statuses, timestamps as the pact matches
 * them, the rate-limit headers and `Retry-After` on 429. These are warnings next to Pact's own
 * verdict, which ignores extra fields.
 *
 * @example
 * checkExchange({ method: 'PATCH', path, status: 200, headers, body })
 */
export function checkExchange(exchange: Exchange): Difference[] {
  let route: ReturnType<typeof matchRoute>
  try {
    route = matchRoute(exchange.method, exchange.path.split('?')[0]!)
  } catch {
    // A malformed escape in the path: not a documented route, so nothing to compare.
    return []
  }
  if (route.kind !== 'endpoint') return []
  let body: unknown
  try {
    body = JSON.parse(exchange.body)
  } catch {
    return [{ path: '$', expected: 'a JSON body', actual: summariseText(exchange.body, exchange.headers['content-type']), message: 'the body is not JSON' }, ...checkHeaders(exchange)]
  }
  if (!isObject(body)) return [{ path: '$', expected: 'a JSON object', actual: body, message: `the body is ${describe(body)}` }, ...checkHeaders(exchange)]
  const ok = exchange.status >= 200 && exchange.status < 300
  return [...(ok ? checkSuccess(body) : checkError(body, exchange.status)), ...checkHeaders(exchange)]
}
