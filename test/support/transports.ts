import { setupServer } from 'msw/node'
import { onTestFinished } from 'vitest'
import type { MockRuntimeOptions } from '../../src/runtime/createMockRuntime.js'
import { createGetRazeMock } from '../../src/handlers/createGetRazeMock.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import type { MockStore } from '../../src/store/createStore.js'
import type { EndpointDefinition } from '../../src/contract/EndpointDefinition.js'
import { updateOpportunityStageContract } from '../../src/contract/updateOpportunityStageContract.js'

/** The instant of the docs' example response; tests freeze the clock there unless they say otherwise. */
export const docsNow = '2024-01-25T10:00:00Z'

/** The production origin, as the docs' examples call it. */
export const docsOrigin = 'https://app.getraze.com'

/**
 * An endpoint's path with its parameters filled in (percent-encoded).
 *
 * @example
 * pathOf(getOpportunityContract, { id: 'opp_1' }) // '/external/v1/opportunities/opp_1'
 */
export function pathOf(endpoint: Pick<EndpointDefinition, 'path'>, params: Readonly<Record<string, string>> = {}): string {
  return endpoint.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))
}

/** The stage path of an opportunity (the first endpoint's, which most older tests call). */
export function stagePath(id: string): string {
  return pathOf(updateOpportunityStageContract, { id })
}

/** One call of an endpoint, as its definition describes it. */
export interface EndpointCall {
  params?: Readonly<Record<string, string>>
  /** Query parameters, appended in order. */
  query?: Readonly<Record<string, string>>
  /** Sent as JSON; `undefined` sends no body. */
  body?: unknown
  /** Sent as `X-API-Key`; `null` sends none. @default 'YOUR_API_KEY' */
  key?: string | null
  headers?: Record<string, string>
}

/** One request to the mock. */
export interface ApiRequest {
  /** @default 'PATCH' */
  method?: string
  /** Path and query, e.g. `stagePath('opp_1') + '?api_key=x'`. */
  path: string
  /** Sent as `X-API-Key` when given. */
  key?: string
  headers?: Record<string, string>
  /** A string is sent as is; anything else as JSON. `undefined` sends no body. */
  body?: unknown
}

/** The documented envelopes, loosely typed for assertions. */
export interface ApiBody {
  success?: boolean
  data?: Record<string, unknown>
  /** A delete's answer. */
  message?: string
  error?: { code: string; message: string; details?: Record<string, unknown>; retry_after?: number }
}

export interface ApiResponse {
  status: number
  headers: Headers
  /** The parsed JSON body. */
  body: ApiBody
  /** The body as sent, for byte-for-byte comparisons. */
  text: string
}

/** Options a transport passes on to `createGetRazeMock` or `startMockServer`. */
export type StartOptions = Pick<MockRuntimeOptions, 'fixtures' | 'now' | 'maxBodyBytes' | 'seed'>

/** A running mock, whichever adapter serves it. It is closed when the current test finishes. */
export interface MockApi {
  readonly transport: string
  /** The store behind the adapter, for seeding and for asserting what changed. */
  readonly store: MockStore
  /** The mock's `reset()`: restores the fixtures and clears rate-limit counters. */
  reset(): Promise<void>
  /** Errors passed to `onUnexpectedError`, in order (collected instead of logged). */
  readonly unexpectedErrors: unknown[]
  request(request: ApiRequest): Promise<ApiResponse>
  /** Calls `endpoint` with its method, its path filled from `call.params`, the query and the body. */
  callEndpoint(endpoint: EndpointDefinition, call?: EndpointCall): Promise<ApiResponse>
  /** `PATCH` the stage of `id` with `body`, authenticated with `key` in `X-API-Key`. */
  patchStage(id: string, body: unknown, key?: string): Promise<ApiResponse>
}

export interface Transport {
  name: string
  /** Starts a fresh mock (clock frozen at `docsNow` unless `now` is given) that closes after the test. */
  start(options?: StartOptions): Promise<MockApi>
}

async function send(origin: string, request: ApiRequest): Promise<ApiResponse> {
  const headers = new Headers(request.headers)
  if (request.key !== undefined) headers.set('x-api-key', request.key)
  let body: string | undefined
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body)
    if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  }
  const response = await fetch(`${origin}${request.path}`, { method: request.method ?? 'PATCH', headers, body })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as ApiBody, text }
}

function toRequest(endpoint: EndpointDefinition, call: EndpointCall): ApiRequest {
  const query = new URLSearchParams(call.query).toString()
  const key = call.key === undefined ? 'YOUR_API_KEY' : call.key
  return {
    method: endpoint.method,
    path: `${pathOf(endpoint, call.params)}${query ? `?${query}` : ''}`,
    ...(key === null ? {} : { key }),
    ...(call.headers ? { headers: call.headers } : {}),
    body: call.body,
  }
}

function toApi(
  transport: string,
  origin: string,
  parts: { store: () => MockStore; reset: () => Promise<void>; unexpectedErrors: unknown[] },
): MockApi {
  return {
    transport,
    get store() {
      return parts.store()
    },
    reset: parts.reset,
    unexpectedErrors: parts.unexpectedErrors,
    request: (request) => send(origin, request),
    callEndpoint: (endpoint, call = {}) => send(origin, toRequest(endpoint, call)),
    patchStage: (id, body, key = 'YOUR_API_KEY') => send(origin, toRequest(updateOpportunityStageContract, { params: { id }, body, key })),
  }
}

/**
 * The msw handlers behind `setupServer`, answering `fetch` calls to the docs' origin. The
 * handlers are bound to that origin so they can never answer a request meant for a real server.
 */
export const inProcess: Transport = {
  name: 'in-process (msw setupServer)',
  async start(options = {}) {
    const unexpectedErrors: unknown[] = []
    const mock = createGetRazeMock({
      now: docsNow,
      ...options,
      baseUrl: docsOrigin,
      onUnexpectedError: (error) => unexpectedErrors.push(error),
    })
    const server = setupServer(...mock.handlers)
    server.listen({ onUnhandledRequest: 'error' })
    onTestFinished(() => server.close())
    await mock.ready
    return toApi(this.name, docsOrigin, { store: () => mock.store, reset: mock.reset, unexpectedErrors })
  },
}

/** The standalone `node:http` server on a free port of 127.0.0.1. */
export const overHttp: Transport = {
  name: 'over HTTP (startMockServer)',
  async start(options = {}) {
    const unexpectedErrors: unknown[] = []
    const running = await startMockServer({
      now: docsNow,
      ...options,
      port: 0,
      onUnexpectedError: (error) => unexpectedErrors.push(error),
    })
    onTestFinished(() => running.close())
    // The server answers at once; its @msw/data collections fill on first use. The tests query
    // them, so wait for that, as the README tells users to.
    await running.mock.ready
    return toApi(this.name, running.url, {
      store: () => running.mock.store,
      reset: running.mock.reset,
      unexpectedErrors,
    })
  },
}

/** Both adapters: run each behaviour with `describe.each(transports)('$name', ...)`. */
export const transports: readonly Transport[] = [inProcess, overHttp]
