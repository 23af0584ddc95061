import { setupServer } from 'msw/node'
import { onTestFinished } from 'vitest'
import { connectAdmin } from '../../src/admin/connectAdmin.js'
import type { TestControl } from '../../src/control/TestControl.js'
import type { MockRuntimeOptions } from '../../src/runtime/createMockRuntime.js'
import { createGetRazeMock } from '../../src/handlers/createGetRazeMock.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import type { MockStore } from '../../src/store/createStore.js'
import { docsNow, docsOrigin, stagePath } from './transports.js'
import type { ApiBody } from './transports.js'

/** One request to the mock under control. */
export interface ControlledRequest {
  /** @default 'PATCH' */
  method?: string
  /** @default the stage path of opp_abc123def456 */
  path?: string
  /** Sent as `X-API-Key`. @default 'YOUR_API_KEY' */
  key?: string | null
  headers?: Record<string, string>
  /** @default { status: 'won' } */
  body?: unknown
  signal?: AbortSignal
}

export interface ControlledResponse {
  status: number
  headers: Headers
  body: ApiBody
}

/** A mock, the control over it, and a way to call it. Closed when the current test finishes. */
export interface ControlledMock {
  /** Either implementation: answers are values or promises, so always `await` them. */
  control: TestControl<boolean>
  /** The store, read in process (both implementations run in this process). */
  store: MockStore
  send(request?: ControlledRequest): Promise<ControlledResponse>
}

export interface ControlTarget {
  name: string
  start(options?: Pick<MockRuntimeOptions, 'now' | 'journalSize'>): Promise<ControlledMock>
}

async function send(origin: string, request: ControlledRequest = {}): Promise<ControlledResponse> {
  const headers = new Headers(request.headers)
  const key = request.key === undefined ? 'YOUR_API_KEY' : request.key
  if (key !== null) headers.set('x-api-key', key)
  const method = request.method ?? 'PATCH'
  const body = method === 'GET' ? undefined : request.body === undefined ? { status: 'won' } : request.body
  if (body !== undefined) headers.set('content-type', 'application/json')
  const response = await fetch(`${origin}${request.path ?? stagePath('opp_abc123def456')}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: request.signal,
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as ApiBody }
}

/** `createGetRazeMock` behind msw's `setupServer`: the control is the mock itself. */
export const mswInProcess: ControlTarget = {
  name: 'in process: createGetRazeMock (msw setupServer)',
  async start(options = {}) {
    const mock = createGetRazeMock({ now: docsNow, ...options, baseUrl: docsOrigin })
    const server = setupServer(...mock.handlers)
    server.listen({ onUnhandledRequest: 'error' })
    onTestFinished(() => server.close())
    return { control: mock, store: mock.store, send: (request) => send(docsOrigin, request) }
  },
}

/** The standalone server, controlled through `startMockServer().mock`. */
export const serverInProcess: ControlTarget = {
  name: 'in process: startMockServer().mock',
  async start(options = {}) {
    const running = await startMockServer({ now: docsNow, ...options, port: 0 })
    onTestFinished(() => running.close())
    return { control: running.mock, store: running.mock.store, send: (request) => send(running.url, request) }
  },
}

/** The standalone server, controlled over HTTP through `connectAdmin`. */
export const overAdminHttp: ControlTarget = {
  name: 'over HTTP: connectAdmin(url)',
  async start(options = {}) {
    const running = await startMockServer({ now: docsNow, ...options, port: 0 })
    onTestFinished(() => running.close())
    return { control: connectAdmin(running.url), store: running.mock.store, send: (request) => send(running.url, request) }
  },
}

export const controlTargets: readonly ControlTarget[] = [mswInProcess, serverInProcess, overAdminHttp]
