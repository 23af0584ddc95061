import { endpoints } from '../contract/endpoints.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import type { ResourceDefinition } from '../contract/resources.js'
import { apiError } from '../core/apiError.js'
import { errorAnswers } from '../core/errorAnswers.js'
import type { MockRuntime } from '../runtime/createMockRuntime.js'
import { checkFilter } from '../control/createJournal.js'
import { quoteName, quoteValue } from '../control/quoteValue.js'
import type { JournalFilter } from '../control/TestControl.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { parseFixtures } from '../store/parseFixtures.js'
import { createMockStateHandler, describeMockStateEndpoint } from '../states/mockStateEndpoint.js'
import { adminError } from './adminError.js'
import type { AdminResponse } from './AdminResponse.js'

/** The path every admin route lives under. */
export const adminBasePath = '/__admin'

/** An admin request, as the adapter read it. */
export interface AdminRequest {
  method: string
  /** The path after `/__admin`, e.g. `/requests`. */
  path: string
  /** Query string without `?`. */
  query: string
  body: string | undefined
  bodyTooLarge?: boolean
  /** The `Content-Type` header; a body must be `application/json`. */
  contentType?: string
  /** The `Host` the client called, for answers that name the server's own URL. */
  host?: string
}


/** What a route's handler gets. */
export interface AdminRouteContext {
  runtime: MockRuntime
  request: AdminRequest
  /** State the router keeps across requests, such as what the admin API has added since the last reset. */
  state: AdminRouterState
  /** The `:name` segments of the route's path. */
  params: Record<string, string>
  /** The body parsed as JSON (`undefined` when empty); a bad one has already been answered 400. */
  json: unknown
}

/** One admin route: `path` is relative to `/__admin` and may hold `:name` segments. */
export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  handle(context: AdminRouteContext): AdminResponse | Promise<AdminResponse>
}

/** How many records of each section `POST /fixtures` added (or replaced by id). */
export interface AddedFixtures {
  accounts: number
  apiKeys: number
  campaigns: number
  users: number
  opportunities: number
  contacts: number
}

/** What the router keeps across requests. */
export interface AdminRouterState {
  /** Bytes of fixture documents `POST /fixtures` has added since the start or the last `POST /reset`. */
  fixtureBytes: number
  /** The most it may add between resets. */
  maxFixtureBytes: number
}

/**
 * Most bytes of fixture documents `POST /__admin/fixtures` adds between resets. A request body is
 * at most `maxBodyBytes` already, but nothing bounded the sum: 150 posts of 1 MiB added 771 MB
 * (issue 15). Larger data sets belong in fixture files.
 */
export const maxAdminFixtureBytes = 16 * 1024 * 1024

const noContent: AdminResponse = { status: 204 }

function badRequest(message: string, field?: string): AdminResponse {
  return apiError('VALIDATION_ERROR', message, field === undefined ? undefined : { field })
}

function clockState(runtime: MockRuntime) {
  return { now: runtime.clock.now().toISOString(), frozen: runtime.clock.frozen }
}

/** The filter of `GET /__admin/requests`, from its query string. */
function filterFromQuery(query: string): JournalFilter {
  const filter: Record<string, unknown> = {}
  for (const [name, value] of new URLSearchParams(query)) {
    if (name === 'apiKey') {
      throw new GetRazeMockError('INVALID_OPTION', 'Failed to read the request journal: query parameter "apiKey" would put a key in a URL. Send the filter in the body of POST /__admin/requests/find.')
    }
    if (name === 'status') {
      if (!/^\d{3}$/.test(value)) {
        throw new GetRazeMockError('INVALID_OPTION', `Failed to read the request journal: query parameter "status" ${quoteValue(value)} is not an HTTP status. Pass e.g. status=429.`)
      }
      filter.status = Number(value)
    } else if (name === 'code') {
      filter.code = value === '' || value === 'null' ? null : value
    } else {
      filter[name] = value
    }
  }
  return checkFilter(filter, 'read the request journal')
}

/** `GET /<collection>/:id` for each resource the endpoints name: the whole stored record, `account` included. */
function recordRoutes(): AdminRoute[] {
  const resources = new Map<string, ResourceDefinition>()
  for (const endpoint of endpoints as readonly EndpointDefinition[]) if (endpoint.resource) resources.set(endpoint.resource.collection, endpoint.resource)
  return [...resources.values()].map((resource) => ({
    method: 'GET',
    path: `/${resource.collection}/:id`,
    handle: ({ runtime, params }) => {
      const record = runtime.store.findRecord(resource.collection, params.id!)
      return record ? { status: 200, body: record } : errorAnswers.notFound(resource, params.id ?? null)
    },
  }))
}

/**
 * The admin API's routes, in the order they are matched. Add routes here (or pass them to
 * `createAdminRouter` as `extraRoutes`, e.g. `GET /openapi.json`).
 */
export const adminRoutes: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/requests',
    handle: ({ runtime, request }) => ({ status: 200, body: { requests: runtime.journal.list(filterFromQuery(request.query)) } }),
  },
  {
    method: 'DELETE',
    path: '/requests',
    handle: ({ runtime }) => {
      runtime.journal.clear()
      return noContent
    },
  },
  {
    method: 'POST',
    path: '/requests/find',
    handle: ({ runtime, json }) => ({ status: 200, body: { requests: runtime.journal.list(checkFilter(json, 'read the request journal')) } }),
  },
  {
    method: 'POST',
    path: '/requests/count',
    handle: ({ runtime, json }) => ({ status: 200, body: { count: runtime.journal.count(checkFilter(json, 'count requests')) } }),
  },
  {
    // expectCalls over HTTP: the verdict and its near-miss message come from the same code.
    method: 'POST',
    path: '/requests/verify',
    handle: ({ runtime, json }) => {
      const { filter, times, ...rest } = (json ?? {}) as { filter?: unknown; times?: unknown }
      const extra = Object.keys(rest)[0]
      if (extra !== undefined) return badRequest(`Failed to verify calls: unknown field ${quoteName(extra)}. Send { "filter": {...}, "times": n }.`, extra)
      if (!Number.isInteger(times)) return badRequest(`Failed to verify calls: "times" ${quoteValue(times)} is not a whole number. Send e.g. { "filter": {}, "times": 1 }.`, 'times')
      try {
        runtime.expectCalls(checkFilter(filter, 'verify calls'), times as number)
        return { status: 200, body: { ok: true } }
      } catch (error) {
        if (error instanceof GetRazeMockError && (error.code === 'CALLS_MISMATCH' || error.code === 'JOURNAL_DISABLED')) {
          return { status: 200, body: { ok: false, code: error.code, message: error.message } }
        }
        throw error
      }
    },
  },
  {
    method: 'POST',
    path: '/faults',
    handle: ({ runtime, json }) => ({ status: 201, body: { id: runtime.faults.add(json as never) } }),
  },
  { method: 'GET', path: '/faults', handle: ({ runtime }) => ({ status: 200, body: { faults: runtime.faults.list() } }) },
  {
    method: 'DELETE',
    path: '/faults',
    handle: ({ runtime }) => {
      runtime.faults.clear()
      return noContent
    },
  },
  {
    method: 'DELETE',
    path: '/faults/:id',
    handle: ({ runtime, params }) =>
      runtime.faults.remove(params.id!) ? noContent : apiError('NOT_FOUND', `Fault ${quoteValue(params.id)} not found; it may have expired.`, { resource: 'fault', id: params.id }),
  },
  { method: 'GET', path: '/clock', handle: ({ runtime }) => ({ status: 200, body: clockState(runtime) }) },
  {
    method: 'PUT',
    path: '/clock',
    handle: ({ runtime, json }) => {
      const body = json as Record<string, unknown> | undefined
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return badRequest('Failed to set the clock: the body must be { "now": ISO } or { "advance": seconds }. Send one of them.')
      }
      const extra = Object.keys(body).find((name) => name !== 'now' && name !== 'advance')
      if (extra !== undefined) return badRequest(`Failed to set the clock: unknown field ${quoteName(extra)}. Send { "now": ISO } or { "advance": seconds }.`, extra)
      if ((body.now === undefined) === (body.advance === undefined)) {
        return badRequest('Failed to set the clock: send exactly one of "now" and "advance". Send { "now": "2024-01-25T10:00:00Z" } or { "advance": 60 }.', 'now')
      }
      const field = body.now !== undefined ? 'now' : 'advance'
      try {
        if (body.now !== undefined) {
          if (typeof body.now !== 'string' || Number.isNaN(Date.parse(body.now))) {
            return badRequest(`Failed to set the clock: "now" ${quoteValue(body.now)} is not an ISO 8601 timestamp. Send e.g. "2024-01-25T10:00:00Z".`, 'now')
          }
          runtime.clock.set(body.now)
        } else {
          if (typeof body.advance !== 'number') {
            return badRequest(`Failed to advance the clock: "advance" ${quoteValue(body.advance)} is not a number of seconds. Send e.g. { "advance": 60 }.`, 'advance')
          }
          runtime.clock.advance(body.advance)
        }
      } catch (error) {
        // The clock refuses an instant out of range before it changes; name the body's field.
        if (error instanceof GetRazeMockError && error.code === 'INVALID_OPTION') return badRequest(error.message, field)
        throw error
      }
      return { status: 200, body: clockState(runtime) }
    },
  },
  {
    method: 'DELETE',
    path: '/clock',
    handle: ({ runtime }) => {
      runtime.clock.real()
      return { status: 200, body: clockState(runtime) }
    },
  },
  {
    method: 'POST',
    path: '/reset',
    handle: ({ runtime, state }) => {
      // Answered as soon as the store is back; the collections, which no admin route reads, fill
      // on their next use rather than on the request path (1,000,000 records took 47 s).
      runtime.resetState()
      state.fixtureBytes = 0
      return noContent
    },
  },
  {
    method: 'POST',
    path: '/fixtures',
    handle: async ({ runtime, json, request, state }) => {
      const { store } = runtime
      const bytes = utf8Length(request.body ?? '')
      if (state.fixtureBytes + bytes > state.maxFixtureBytes) {
        return adminError(
          'LIMIT_EXCEEDED',
          `Failed to add fixtures: the admin API has added ${state.fixtureBytes} bytes of fixtures since the last reset, and these ${bytes} would pass its limit of ${state.maxFixtureBytes}. Reset the mock (POST /__admin/reset), or load large data sets from fixture files (--fixtures).`,
          { limit: state.maxFixtureBytes, used: state.fixtureBytes },
        )
      }
      await store.filled()
      // The whole document is checked before anything is stored, so a bad one changes nothing.
      const fixtures = parseFixtures([{ source: 'POST /__admin/fixtures', data: json }], {
        action: 'add fixtures',
        accountExists: (id) => store.accounts.findFirst((q) => q.where({ id })) !== undefined,
      })
      // Accounts first: every other record names one.
      for (const account of fixtures.accounts) await store.createAccount(account)
      for (const apiKey of fixtures.apiKeys) await store.createApiKey(apiKey)
      for (const campaign of fixtures.campaigns) await store.createCampaign(campaign)
      for (const user of fixtures.users) await store.createUser(user)
      for (const opportunity of fixtures.opportunities) await store.createOpportunity(opportunity)
      for (const contact of fixtures.contacts) await store.createContact(contact)
      state.fixtureBytes += bytes
      const added: AddedFixtures = {
        accounts: fixtures.accounts.length,
        apiKeys: fixtures.apiKeys.length,
        campaigns: fixtures.campaigns.length,
        users: fixtures.users.length,
        opportunities: fixtures.opportunities.length,
        contacts: fixtures.contacts.length,
      }
      return { status: 201, body: { added } }
    },
  },
  // Pact's state-change calls, answered with the kit's own states: `serve` as a provider for any
  // pact that uses them. `verify` recognises a getraze-mock by the GET (decision 0101).
  { method: 'GET', path: '/provider-states', handle: () => ({ status: 200, body: describeMockStateEndpoint() }) },
  {
    method: 'POST',
    path: '/provider-states',
    handle: async ({ runtime, json, state }) => {
      const answer = stateChangeAnswer(await createMockStateHandler(runtime).handle(json))
      // A teardown resets the mock as POST /reset does, the fixtures added since included.
      if ((json as { action?: unknown } | undefined)?.action === 'teardown' && answer.status < 400) state.fixtureBytes = 0
      return answer
    },
  },
  // One read route per kind of record an endpoint names, from the definitions (GET /opportunities/:id, ...).
  ...recordRoutes(),
]

/**
 * A state change's answer from the provider-state endpoint's contract, with its failures in the
 * admin API's envelope: 400 `VALIDATION_ERROR` naming the field (an unknown `state`, a bad
 * `params.*`, an `action` other than setup or teardown), 500 `INTERNAL_ERROR` for a state that
 * failed. Either way the message is the handler's own ("Failed to set up provider state ...").
 */
function stateChangeAnswer(result: { status: number; body: Record<string, unknown> }): AdminResponse {
  if (result.status < 400) return { status: result.status, body: result.body }
  const message = String(result.body.error)
  if (result.status >= 500) return apiError('INTERNAL_ERROR', message)
  const param = /param "([^"]*)"/.exec(message)?.[1]
  const field = param !== undefined ? `params.${param}` : /: action /.test(message) ? 'action' : /no such state/.test(message) ? 'state' : undefined
  return badRequest(message, field)
}

const utf8 = new TextEncoder()

function utf8Length(text: string): number {
  // String length is a lower bound of the UTF-8 size; measure only when it could matter.
  return text.length * 3 <= 1024 ? text.length * 3 : utf8.encode(text).length
}

/** Whether a `Content-Type` names JSON: `application/json`, with or without parameters. */
function isJsonContentType(value: string | undefined): boolean {
  return value !== undefined && /^\s*application\/json\s*(;|$)/i.test(value)
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/')
  const have = path.split('/')
  if (want.length !== have.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) {
      if (have[i] === '') return undefined
      try {
        params[want[i]!.slice(1)] = decodeURIComponent(have[i]!)
      } catch {
        return undefined
      }
    } else if (want[i] !== have[i]) {
      return undefined
    }
  }
  return params
}

/** Options of `createAdminRouter`. */
export interface AdminRouterOptions {
  /** Routes served after the built-in ones, e.g. `GET /openapi.json`. @default [] */
  extraRoutes?: readonly AdminRoute[]
  /**
   * Most bytes of fixture documents `POST /fixtures` adds between resets (`POST /reset`); past it,
   * 409 `LIMIT_EXCEEDED`.
   * @default 16777216 (16 MiB)
   */
  maxFixtureBytes?: number
}

/**
 * The admin API over a mock runtime, environment-neutral: a request in, a JSON answer out.
 * Unknown paths get the 404 envelope, bad input the 400 envelope naming the field. Admin
 * requests never reach the pipeline, so they are neither journaled nor rate limited.
 *
 * @example
 * const route = createAdminRouter(runtime)
 * await route({ method: 'GET', path: '/clock', query: '', body: undefined })
 */
export function createAdminRouter(runtime: MockRuntime, options: AdminRouterOptions = {}) {
  const routes = [...adminRoutes, ...(options.extraRoutes ?? [])]
  const state: AdminRouterState = { fixtureBytes: 0, maxFixtureBytes: options.maxFixtureBytes ?? maxAdminFixtureBytes }

  return async function routeAdminRequest(request: AdminRequest): Promise<AdminResponse> {
    // Whatever the path: the body was not read, so nothing else can be answered.
    if (request.bodyTooLarge) {
      return apiError('PAYLOAD_TOO_LARGE', 'Failed to read the admin request: its body exceeds the size limit (--max-body-bytes). Send a smaller body.')
    }
    const allow: string[] = []
    for (const route of routes) {
      const params = matchPath(route.path, request.path)
      if (!params) continue
      if (route.method !== request.method) {
        allow.push(route.method)
        continue
      }
      let json: unknown
      if (request.body !== undefined && request.body.trim() !== '') {
        // A body of another type is what a form or a cross-origin page can send without a
        // preflight; the admin API takes JSON only (issue 15).
        if (!isJsonContentType(request.contentType)) {
          return adminError(
            'UNSUPPORTED_MEDIA_TYPE',
            `Failed to read the admin request: its body is ${request.contentType === undefined ? 'sent without a Content-Type' : `of type ${quoteValue(request.contentType)}`}. Send JSON with Content-Type: application/json.`,
          )
        }
        try {
          json = JSON.parse(request.body)
        } catch {
          return badRequest('Request body is not valid JSON.')
        }
      }
      try {
        return await route.handle({ runtime, request, params, json, state })
      } catch (error) {
        if (error instanceof GetRazeMockError && (error.code === 'INVALID_OPTION' || error.code === 'FIXTURE_INVALID')) {
          const field = (/field "([^"]+)"/.exec(error.message) ?? /"([^"]+)"/.exec(error.message))?.[1]
          return badRequest(error.message, field)
        }
        if (error instanceof GetRazeMockError && error.code === 'LIMIT_EXCEEDED') return adminError('LIMIT_EXCEEDED', error.message)
        throw error
      }
    }
    if (allow.length > 0) {
      const result = apiError('METHOD_NOT_ALLOWED', `Method ${request.method} is not allowed on ${adminBasePath}${request.path}. Use ${allow.join(', ')}.`, { allow })
      return { ...result, headers: { allow: allow.join(', ') } }
    }
    return apiError('NOT_FOUND', `Route ${request.method} ${adminBasePath}${request.path} not found.`)
  }
}

export type { AdminResponse }
export type AdminRouter = ReturnType<typeof createAdminRouter>
