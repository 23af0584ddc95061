import { http, HttpResponse } from 'msw'
import type { HttpHandler } from 'msw'
import { apiBasePath } from '../contract/apiBasePath.js'
import { createMockRuntime } from '../core/createMockRuntime.js'
import type { MockRuntime, MockRuntimeOptions } from '../core/createMockRuntime.js'
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
export interface GetRazeMock extends TestControl<true> {
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

function resolveBase(baseUrl: string | undefined): { pattern: string; prefix: string } {
  if (baseUrl === undefined) return { pattern: `*${apiBasePath}/*`, prefix: '' }
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
  return { pattern: `${url.origin}${prefix}${apiBasePath}/*`, prefix }
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
 */
export function createGetRazeMock(options: GetRazeMockOptions = {}): GetRazeMock {
  const { pattern, prefix } = resolveBase(options.baseUrl)
  const runtime = createMockRuntime(options)

  const handler = http.all(pattern, async ({ request }) => {
    const url = new URL(request.url)
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
    const mockRequest = {
      method: request.method,
      path: prefix ? url.pathname.slice(prefix.length) : url.pathname,
      query: url.search.slice(1),
      header: (name: string) => request.headers.get(name),
      body: hasBody ? await request.text() : undefined,
      headers: request.headers,
    }
    const fault = runtime.planFault(mockRequest)
    if (fault) {
      const answer = await applyFaultInMsw(fault, runtime, request.signal)
      if (answer) return answer
    }
    const response = runtime.core.handle(mockRequest)
    return new HttpResponse(JSON.stringify(response.body), { status: response.status, headers: response.headers })
  })

  return {
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
  }
}
