import type { z } from 'zod'
import { allowedValues } from '../contract/answerableErrors.js'
import { endpoints as defaultEndpoints } from '../contract/endpoints.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { grantsPermission } from '../contract/permissions.js'
import type { ApiKeyRecord } from '../contract/schemas.js'
import type { MockStore } from '../store/createStore.js'
import { apiError, toMockResponse } from './apiError.js'
import { errorAnswers } from './errorAnswers.js'
import type { OperationResult } from './apiError.js'
import { createRateLimiter } from './createRateLimiter.js'
import type { RateLimiter } from './createRateLimiter.js'
import { compileRoutes } from './matchRoute.js'
import { extractApiKey } from './extractApiKey.js'
import { createIdGenerator } from './createIdGenerator.js'
import type { MockExchange, MockRequest, MockResponse } from './MockRequest.js'
import { operations as defaultOperations } from './operations/index.js'
import type { Operation, OperationContext } from './operations/Operation.js'

/** Options of `createMockCore`. */
export interface MockCoreOptions {
  /** The data the operations read and write. */
  store: MockStore
  /** The mock's clock. */
  clock: () => Date
  /**
   * Largest request body accepted, in bytes; larger ones get 413 `PAYLOAD_TOO_LARGE`.
   * @default 1048576
   */
  maxBodyBytes?: number
  /**
   * Called with any unexpected error before the core answers 500 `INTERNAL_ERROR`.
   * @default (error) => console.error(error)
   */
  onUnexpectedError?: (error: unknown) => void
  /**
   * Endpoints to serve and the operations behind them.
   * @default every documented endpoint
   */
  endpoints?: readonly EndpointDefinition[]
  /**
   * The operation of each endpoint, by `operationId`; checked when the core is created.
   * @default the operations registry (`src/core/operations/index.ts`)
   */
  operations?: Readonly<Record<string, Operation<never, never>>>
  /**
   * The rate-limit counters, when something else must read them too (test faults answer with
   * the key's real limits).
   * @default a fresh one
   */
  rateLimiter?: RateLimiter
  /**
   * Makes generated ids (`cnt_...`, `opp_...`) reproducible: the same seed gives the same ids in
   * the same order, again after `resetIds()`.
   * @default random ids
   */
  seed?: string | number
}

/** The environment-neutral mock: one `handle` shared by the msw handlers and the standalone server. */
export interface MockCore {
  handle(request: MockRequest): MockResponse
  /**
   * The 500 `INTERNAL_ERROR` answer for a fault outside `handle` (an adapter that could not read
   * the request, say), after reporting the error: every adapter answers in the envelope.
   */
  fail(error: unknown): MockResponse
  /** Forgets every rate-limit count. */
  resetRateLimits(): void
  /** Starts the seeded id sequence again (no effect without a `seed`). */
  resetIds(): void
  /**
   * Calls `listener` after every handled request with the request and its answer. Returns a
   * function that removes the listener. With no listener the core does no extra work.
   */
  observe(listener: (exchange: MockExchange) => void, options?: ObserveOptions): () => void
}

/** Options of `MockCore.observe`. */
export interface ObserveOptions {
  /**
   * Whether the listener reads `exchange.record`, the named record as it was before the request.
   * Copying it costs every request something, so a listener that never reads it says so.
   * @default true
   */
  record?: boolean
}

const utf8 = new TextEncoder()
/**
 * The high-resolution timer, read once: Node defines the global `performance` as a getter that
 * runs on every access, and observed requests read it twice each.
 */
const timer = globalThis.performance
const jsonContentType = 'application/json; charset=utf-8'

/** Longest string a validation error echoes back in `details.received`. */
const maxEchoedStringLength = 64

/**
 * What a validation error may echo of the client's input: short strings, numbers, booleans and
 * `null` as they are; anything else only by its kind, so the answer stays small and flat however
 * large or deeply nested the input was.
 *
 * @example
 * describeReceived('WON') // 'WON'
 * describeReceived([[[]]]) // '(array)'
 * describeReceived('x'.repeat(500)) // '(string of 500 characters)'
 */
export function describeReceived(value: unknown): unknown {
  if (value === undefined || value === null) return null
  if (typeof value === 'string') {
    return value.length <= maxEchoedStringLength ? value : `(string of ${value.length} characters)`
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value
  return Array.isArray(value) ? '(array)' : `(${typeof value})`
}


/** An endpoint with what the pipeline needs of it, worked out once. */
interface ServedEndpoint {
  operation: Operation<unknown, unknown>
  /** The values each field with an error rule allows, for the error's message. */
  allowed: Readonly<Record<string, readonly unknown[]>>
}

/**
 * Pairs every endpoint with its operation and checks what the type system cannot see from
 * JavaScript or a cast: a missing operation once answered every request 500 "operation is not a
 * function"; now the mock refuses to start, naming the endpoint.
 */
function serveEndpoints(endpoints: readonly EndpointDefinition[], operations: Readonly<Record<string, unknown>>): Map<EndpointDefinition, ServedEndpoint> {
  const served = new Map<EndpointDefinition, ServedEndpoint>()
  for (const endpoint of endpoints) {
    const operation = operations[endpoint.operationId]
    if (typeof operation !== 'function') {
      throw new GetRazeMockError(
        'INVALID_OPTION',
        `Failed to create the mock: endpoint ${endpoint.operationId} (${endpoint.method} ${endpoint.path}) has no operation. Add one under that name to the operations registry (src/core/operations/index.ts).`,
      )
    }
    const allowed: Record<string, readonly unknown[]> = {}
    if (endpoint.fieldErrors) {
      for (const [field, rule] of Object.entries(endpoint.fieldErrors)) {
        if (rule.message !== undefined) continue
        const values = allowedValues(endpoint, field)
        if (values.length === 0) {
          throw new GetRazeMockError(
            'INVALID_OPTION',
            `Failed to create the mock: endpoint ${endpoint.operationId} has an error rule for "${field}", which is not an enum field of its body. Give the rule to an enum field, give it a message, or drop it.`,
          )
        }
        allowed[field] = values
      }
    }
    served.set(endpoint, { operation: operation as Operation<unknown, unknown>, allowed })
  }
  return served
}

/** The field a validation issue is about, and the sentence the docs' `details.fields` map gives it. */
function humanise(field: string): string {
  const words = field.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * Every body problem at once, in the docs' format (`details.fields`: "Name is required"), unless
 * the first problem is on a field with a code of its own (`INVALID_STATUS`, `INVALID_EMAIL`):
 * then that code answers, as the endpoint's page lists it.
 */
function answerBodyIssues(endpoint: EndpointDefinition, served: ServedEndpoint, json: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): OperationResult {
  const first = String(issues[0]!.path[0] ?? '')
  const rule = endpoint.fieldErrors?.[first]
  if (rule) {
    const received = describeReceived(json[first])
    return rule.message === undefined
      ? errorAnswers.invalidValue(rule, first, served.allowed[first] ?? [], received)
      : errorAnswers.invalidField(rule, first, received)
  }
  const fields: Record<string, string> = {}
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '')
    if (field !== '' && !(field in fields)) fields[field] = `${humanise(field)} ${issue.message}`
  }
  return errorAnswers.validationFailed(fields)
}

function validateBody(endpoint: EndpointDefinition, served: ServedEndpoint, request: MockRequest, maxBodyBytes: number) {
  const schema = endpoint.body
  if (!schema) return { value: undefined }
  const text = request.body ?? ''
  // String length is a lower bound of the UTF-8 size; only measure bytes when it could matter.
  if (request.bodyTooLarge || (text.length * 3 > maxBodyBytes && utf8.encode(text).length > maxBodyBytes)) {
    return { error: errorAnswers.payloadTooLarge(maxBodyBytes) }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { error: text.trim() === '' ? errorAnswers.bodyRequired() : errorAnswers.bodyNotJson() }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { error: errorAnswers.bodyNotObject() }
  }
  const result = schema.safeParse(json)
  if (result.success) return { value: result.data }
  return { error: answerBodyIssues(endpoint, served, json as Record<string, unknown>, result.error.issues) }
}

/**
 * The query parameters as the endpoint's schema reads them. A parameter given twice is refused
 * rather than guessed at (`?status=new&status=won` is not an "or").
 */
function validateQuery(endpoint: EndpointDefinition, request: MockRequest) {
  const schema = endpoint.query
  if (!schema) return { value: undefined }
  const raw: Record<string, string> = {}
  for (const [name, value] of new URLSearchParams(request.query)) {
    if (name === 'api_key') continue
    if (name in raw) {
      return { error: errorAnswers.invalidParameter(`Query parameter "${name}" is given more than once. Give it once.`, name, describeReceived(value)) }
    }
    raw[name] = value
  }
  const result = schema.safeParse(raw)
  if (result.success) return { value: result.data }
  const issue = result.error.issues[0]!
  const name = String(issue.path[0] ?? '')
  return { error: errorAnswers.invalidParameter(issue.message, name, describeReceived(raw[name])) }
}

/**
 * A result with the request's rate-limit headers and key. Results are fresh objects per request,
 * so they are completed in place: no copies on the hot path.
 */
function withLimits(result: OperationResult & { apiKey?: string }, headers: Record<string, string>, key: string | undefined): OperationResult & { apiKey?: string } {
  if (result.headers) Object.assign(headers, result.headers)
  result.headers = headers
  result.apiKey = key
  return result
}

/**
 * Creates the request pipeline every adapter shares. Order: route (404/405), API key (401),
 * rate limit (429), permission (403), body (413/400), then the endpoint's operation.
 *
 * @example
 * const core = createMockCore({ store, clock: createClock() })
 * const response = core.handle({ method: 'PATCH', path, query: '', header, body })
 */
export function createMockCore(options: MockCoreOptions): MockCore {
  const { store, clock } = options
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const onUnexpectedError = options.onUnexpectedError ?? ((error: unknown) => console.error(error))
  const endpoints = options.endpoints ?? defaultEndpoints
  const served = serveEndpoints(endpoints, options.operations ?? defaultOperations)
  const matchRoute = compileRoutes(endpoints)
  const rateLimiter = options.rateLimiter ?? createRateLimiter()
  const ids = createIdGenerator(options.seed)
  const newId: OperationContext['newId'] = (resource) => ids.next(resource, (id) => store.findRecord(resource.collection, id) !== undefined)

  function authenticate(request: MockRequest, now: Date) {
    const key = extractApiKey(request)
    if (key === undefined) {
      return { error: errorAnswers.missingApiKey() }
    }
    const apiKey = store.findApiKey(key)
    if (!apiKey || apiKey.revoked) {
      return { key, error: errorAnswers.invalidApiKey() }
    }
    // Expired once the clock is past `expiresAt`: at that very second the key still works.
    if (apiKey.expiresAt !== null && now.getTime() > Date.parse(apiKey.expiresAt)) {
      return { key, error: errorAnswers.expiredApiKey(apiKey.expiresAt) }
    }
    return { key, apiKey }
  }

  /** The request's rate-limit headers once known, so even a 500 after that step carries them. */
  let limitHeaders: Record<string, string> | undefined
  /** The matched route of the request being handled, for observers. */
  // Plain variables, not an object: they are set on every request, observed or not.
  let matchedParams: Readonly<Record<string, string>> | undefined
  let matchedOperationId: string | undefined
  let matchedNow: Date | undefined
  let matchedRecord: Readonly<Record<string, unknown>> | undefined
  /** Each observer, and whether it reads `exchange.record`. */
  const observers = new Map<(exchange: MockExchange) => void, boolean>()
  /** Observers that read `exchange.record`. */
  let recordReaders = 0
  // A key's limit and its window's end repeat from one request to the next: their header text is
  // made when they change, not per request (large numbers are slow to turn into text).
  let limitNumber = Number.NaN
  let limitText = ''
  let resetNumber = Number.NaN
  let resetText = ''

  function run(request: MockRequest): OperationResult & { apiKey?: string } {
    limitHeaders = undefined
    matchedParams = undefined
    matchedOperationId = undefined
    matchedNow = undefined
    matchedRecord = undefined
    const route = matchRoute(request.method, request.path)
    if (route.kind === 'not-found') {
      return errorAnswers.routeNotFound(request.method, request.path)
    }
    if (route.kind === 'method-not-allowed') {
      return errorAnswers.methodNotAllowed(request.method, route.allow)
    }
    const { endpoint, params } = route
    matchedParams = params
    matchedOperationId = endpoint.operationId
    // Observers (recordPact) need the record as it was, which an update or a delete changes. A
    // shallow copy is enough: the store replaces fields (`updateRecord`), it never edits a
    // field's array or object in place.
    if (recordReaders > 0 && endpoint.resource && params.id !== undefined) {
      const record = store.findRecord(endpoint.resource.collection, params.id)
      if (record) matchedRecord = { ...record }
    }
    const now = clock()
    matchedNow = now

    const auth = authenticate(request, now)
    if (auth.error) return { ...auth.error, apiKey: auth.key }
    const apiKey = auth.apiKey as ApiKeyRecord

    const limit = rateLimiter.consume(apiKey, now)
    if (limit.limit !== limitNumber) limitText = String((limitNumber = limit.limit))
    if (limit.reset !== resetNumber) resetText = String((resetNumber = limit.reset))
    const headers: Record<string, string> = {
      'x-ratelimit-limit': limitText,
      'x-ratelimit-remaining': String(limit.remaining),
      'x-ratelimit-reset': resetText,
    }
    limitHeaders = headers
    if (!limit.allowed) {
      headers['retry-after'] = String(limit.retryAfter)
      return withLimits(errorAnswers.rateLimited(limit.limit, limit.reset, limit.retryAfter), headers, auth.key)
    }
    if (!grantsPermission(apiKey.permissions, endpoint.permission)) {
      return withLimits(errorAnswers.insufficientPermissions(endpoint.permission, apiKey.permissions), headers, auth.key)
    }
    const entry = served.get(endpoint)!
    // The query before the body: a list's bad parameter is answered whatever the body holds.
    const query = validateQuery(endpoint, request)
    if (query.error) return withLimits(query.error, headers, auth.key)
    const body = validateBody(endpoint, entry, request, maxBodyBytes)
    if (body.error) return withLimits(body.error, headers, auth.key)

    const result = entry.operation({ params, body: body.value, query: query.value, apiKey, store, now, newId })
    // A create's success is 201, as its definition says; its operation just answers `ok(data)`.
    if (result.status === 200 && endpoint.successStatus !== undefined) result.status = endpoint.successStatus
    return withLimits(result, headers, auth.key)
  }

  function notify(request: MockRequest, response: MockResponse, started: number, before: OperationResult['before']) {
    const exchange: MockExchange = {
      request,
      response,
      // The instant the pipeline worked with (rate limit, timestamps); the clock for unknown routes.
      at: matchedNow ?? clock(),
      params: matchedParams ?? {},
      operationId: matchedOperationId,
      durationMs: timer.now() - started,
    }
    if (before !== undefined) exchange.before = before
    if (matchedRecord !== undefined) exchange.record = matchedRecord
    for (const listener of observers.keys()) {
      try {
        listener(exchange)
      } catch (error) {
        // An observer's fault must not change the answer the client gets.
        onUnexpectedError(error)
      }
    }
  }

  return {
    handle(request) {
      const started = observers.size > 0 ? timer.now() : 0
      let result: OperationResult & { apiKey?: string }
      let text: string
      // Serialising is part of the guarded path: whatever an operation returns, the client gets
      // the envelope and the adapter never sees a throw.
      try {
        result = run(request)
        text = JSON.stringify(result.body)
      } catch (error) {
        onUnexpectedError(error)
        result = errorAnswers.internalError()
        if (limitHeaders) result.headers = limitHeaders
        text = JSON.stringify(result.body)
      }
      // Every result carries its own headers object (or none), so adding to it is safe.
      const headers = result.headers ?? {}
      headers['content-type'] = jsonContentType
      const response: MockResponse = { status: result.status, headers, body: result.body, text }
      if (result.apiKey !== undefined) response.apiKey = result.apiKey
      if (observers.size > 0) notify(request, response, started, result.before)
      return response
    },
    fail(error) {
      onUnexpectedError(error)
      return toMockResponse(errorAnswers.internalError())
    },
    resetRateLimits: () => rateLimiter.reset(),
    resetIds: () => ids.reset(),
    observe(listener, options) {
      // Added again, a listener is still called once, with its first options.
      if (!observers.has(listener)) {
        const readsRecord = options?.record !== false
        observers.set(listener, readsRecord)
        if (readsRecord) recordReaders++
      }
      return () => {
        const readsRecord = observers.get(listener)
        if (observers.delete(listener) && readsRecord) recordReaders--
      }
    },
  }
}
