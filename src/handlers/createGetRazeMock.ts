import { http, HttpResponse } from 'msw'
import type { HttpHandler } from 'msw'
import { apiBasePath } from '../contract/apiBasePath.js'
import { endpoints } from '../contract/endpoints.js'
import { createMockRuntime } from '../runtime/createMockRuntime.js'
import type { MockRuntime, MockRuntimeOptions } from '../runtime/createMockRuntime.js'
import type { ExchangeSource, MockResponse } from '../core/MockRequest.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { TestControl } from '../control/TestControl.js'
import { applyFaultInMsw } from './applyFaultInMsw.js'

/** Options of `createGetRazeMock`. */
export interface GetRazeMockOptions extends MockRuntimeOptions {
  /**
   * The origin the handlers answer for. A trailing `/external/v1` is accepted and ignored.
   * @default any origin
   * @example 'https://app.getraze.com'
   */
  baseUrl?: string
}

/**
 * An in-process GetRaze API: msw handlers over a seeded store, with test control (journal,
 * `expectCalls`, faults, clock).
 */
export interface GetRazeMock extends TestControl<true>, ExchangeSource {
  /** Request handlers for msw's `setupServer` (Node) or `setupWorker` (browser). */
  handlers: HttpHandler[]
  /** The in-memory data, for seeding and assertions. */
  store: MockRuntime['store']
  /**
   * Settles once the `@msw/data` collections hold every fixture; await it before querying them.
   * Requests need not wait: they read the store's indexes, which hold the fixtures from the start.
   */
  ready: Promise<void>
  /** The mock's clock: call it for the current instant, or control it. */
  clock: MockRuntime['clock']
  /**
   * Restores the fixtures, clears rate-limit counters, the journal and faults, and puts the
   * clock back. Call it in `afterEach`.
   */
  reset(): Promise<void>
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/**
 * The first path segments of the documented routes under the base path (`opportunities`), from
 * the endpoint contracts, so a new endpoint is matched without touching this file.
 */
function documentedPrefixes(): string[] {
  const segments = endpoints.map((endpoint) => endpoint.path.slice(apiBasePath.length).split('/')[1] ?? '')
  return [...new Set(segments.filter((segment) => segment !== '' && !segment.startsWith(':')))]
}

/**
 * The URLs the handler answers, as a RegExp rather than an msw path pattern: msw decodes the
 * parameters of string patterns with `decodeURIComponent` during handler lookup, so a malformed
 * escape such as `/opportunities/%E0%A4/stage` threw inside msw and got msw's own 500 with a
 * stack instead of the envelope. A RegExp without groups has nothing to decode; the core decodes
 * the id itself and answers the 404 envelope. msw tests it against the origin and path, without
 * the query. Case-insensitive, as msw's patterns are, so a request to `/EXTERNAL/v1/...` still
 * gets the mock's 404 rather than falling through.
 *
 * Without a `baseUrl` any origin may be GetRaze's, so the handler claims only what is surely
 * GetRaze's: paths that start with the base path and one of the documented routes' prefixes
 * (`/external/v1/opportunities` and below). Another API's `/v2/external/v1/orders/1` falls
 * through to msw's `onUnhandledRequest`. With a `baseUrl`, everything under its base path is
 * GetRaze's, and an unknown path there gets the API's 404.
 */
function resolveBase(baseUrl: string | undefined): { pattern: RegExp; prefix: string } {
  if (baseUrl === undefined) {
    const prefixes = documentedPrefixes().map(escapeRegExp).join('|')
    return { pattern: new RegExp(`^[a-z][a-z0-9+.-]*:\\/\\/[^/]*${escapeRegExp(apiBasePath)}\\/(?:${prefixes})(?:\\/|$)`, 'i'), prefix: '' }
  }
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch (error) {
    throw new GetRazeMockError(
      'INVALID_OPTION',
      `Failed to create the GetRaze mock: baseUrl ${JSON.stringify(baseUrl)} is not an absolute URL. Pass one like https://app.getraze.com.`,
      { cause: error },
    )
  }
  const prefix = url.pathname.replace(/\/+$/, '').replace(new RegExp(`${apiBasePath}$`), '')
  return { pattern: new RegExp(`^${escapeRegExp(`${url.origin}${prefix}${apiBasePath}/`)}`, 'i'), prefix }
}

/**
 * Creates the GetRaze mock for msw: the documented behaviour of the external API, backed by an
 * in-memory store seeded from fixtures.
 *
 * @example
 * import { setupServer } from 'msw/node'
 * import { createGetRazeMock } from 'getraze-mock'
 *
 * const mock = createGetRazeMock({ now: '2024-01-25T10:00:00Z' })
 * const server = setupServer(...mock.handlers)
 * beforeAll(() => server.listen())
 * afterEach(() => mock.reset())
 * afterAll(() => server.close())
 * @see startMockServer for the same behaviour over real HTTP
 * @see docs/getraze-api.md (shipped in the package) for the documented API behaviour it follows
 */
export function createGetRazeMock(options: GetRazeMockOptions = {}): GetRazeMock {
  const { pattern, prefix } = resolveBase(options.baseUrl)
  const runtime = createMockRuntime(options)

  const handler = http.all(pattern, async ({ request }) => {
    let response: MockResponse
    try {
      const url = new URL(request.url)
      const mockRequest = {
        method: request.method,
        path: prefix ? url.pathname.slice(prefix.length) : url.pathname,
        query: url.search.slice(1),
        header: (name: string) => request.headers.get(name),
        // An empty body is no body, as the server reads it (a DELETE sent without one).
        body: request.method !== 'GET' && request.method !== 'HEAD' ? (await request.text()) || undefined : undefined,
        headers: request.headers,
      }
      const fault = runtime.planFault(mockRequest)
      if (fault) {
        const answer = await applyFaultInMsw(fault, runtime, request.signal)
        if (answer) return answer
      }
      response = runtime.core.handle(mockRequest)
    } catch (error) {
      // Reading the body can fail (an aborted stream); the client still gets the envelope.
      response = runtime.core.fail(error)
    }
    return new HttpResponse(response.text, { status: response.status, headers: response.headers })
  })

  const mock: GetRazeMock = {
    handlers: [handler],
    get store() {
      return runtime.store
    },
    get ready() {
      return runtime.ready
    },
    reset: runtime.reset,
    journal: runtime.journal,
    faults: runtime.faults,
    clock: runtime.clock,
    expectCalls: runtime.expectCalls,
    observe: runtime.observe,
  }
  return mock
}
