// Issue 17, "everything that holds for the stage endpoint holds for every endpoint": one suite,
// parametrised by the endpoint registry, over both adapters. It names no endpoint: an endpoint
// added to `endpoints` is covered by it as it stands. Each page's example, the three key
// mechanisms, the three 401s, the 403 and the wildcards, the rate-limit budget and its headers,
// tenant isolation, the envelope of every error, 405 with Allow and CORS.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { apiErrors } from '../../src/contract/apiErrors.js'
import type { ApiErrorCode } from '../../src/contract/apiErrors.js'
import { endpoints } from '../../src/contract/endpoints.js'
import type { EndpointDefinition, HttpMethod } from '../../src/contract/EndpointDefinition.js'
import { grantablePermissions } from '../../src/contract/permissions.js'
import type { ListingDefinition, ResourceDefinition } from '../../src/contract/resources.js'
import { errorEnvelopeSchema } from '../../src/contract/schemas.js'
import { defaultFixturesPath } from '../../src/store/readFixtureFiles.js'
import type { MockStore } from '../../src/store/createStore.js'
import { overHttp, pathOf, transports } from '../support/transports.js'
import type { ApiResponse, EndpointCall, MockApi } from '../support/transports.js'

const all = endpoints as readonly EndpointDefinition[]
/** Every kind of record an endpoint names, from the definitions. */
const resources = [...new Map(all.flatMap((endpoint) => (endpoint.resource ? [[endpoint.resource.collection, endpoint.resource] as const] : []))).values()]
/** The default fixtures, read as a file: the oracle of what the examples answer. */
const fixtures = JSON.parse(readFileSync(defaultFixturesPath(), 'utf8')) as Record<string, Array<Record<string, unknown>>>
const methods: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
const docsKey = 'YOUR_API_KEY'

/** The example's request, with `key` sent as `X-API-Key` (`null`: none). */
function exampleCall(endpoint: EndpointDefinition, overrides: EndpointCall = {}): EndpointCall {
  const { params, query, body } = endpoint.example
  return { params, ...(query ? { query } : {}), ...(body !== undefined ? { body } : {}), ...overrides }
}

function successStatus(endpoint: EndpointDefinition): number {
  return endpoint.successStatus ?? 200
}

/** The envelope of an error, its code documented with the status it came with. */
function expectEnvelope(response: ApiResponse, code: ApiErrorCode): void {
  expect(errorEnvelopeSchema.safeParse(response.body).success, response.text).toBe(true)
  expect(response.body.error?.code).toBe(code)
  expect(response.status).toBe(apiErrors[code].status)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
}

function expectRateLimitHeaders(response: ApiResponse): void {
  for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) expect(response.headers.get(name), name).toMatch(/^\d+$/)
}

/** The resource whose records a list answer holds (`data.contacts`: contacts). */
function listedResource(body: unknown): ResourceDefinition | undefined {
  const data = (body as { data?: Record<string, unknown> }).data ?? {}
  return resources.find((resource) => Array.isArray(data[resource.plural]))
}

/** The resource an endpoint writes or reads: the one its path names, or the one its answer lists or creates. */
function resourceOf(endpoint: EndpointDefinition): ResourceDefinition | undefined {
  if (endpoint.resource) return endpoint.resource
  const listed = listedResource(endpoint.example.response)
  if (listed) return listed
  const id = (endpoint.example.response as { data?: { id?: unknown } }).data?.id
  return resources.find((resource) => typeof id === 'string' && id.startsWith(resource.idPrefix))
}

/** Every record of the records' collections, by account, as JSON: what a request may have changed. */
function snapshotAccount(store: MockStore, account: string): string {
  return JSON.stringify(
    resources.map((resource) =>
      store.listRecords(resource.collection, account, { filters: [], sortBy: 'created_at', descending: true, offset: 0, limit: 100_000 }).records,
    ),
  )
}

/** A key of the demo account with exactly these permissions, added to the running mock. */
async function keyWith(api: MockApi, permissions: readonly string[], name = `gr_test_${permissions.join('_').replace(/[^a-z_]/g, '')}`): Promise<string> {
  await api.store.createApiKey({ key: name, account: 'acc_demo', permissions: [...permissions] as never, rateLimit: 1000 })
  return name
}

/** Another method of the endpoint's path and what that path allows, from the registry. */
function otherMethod(endpoint: EndpointDefinition): { method: HttpMethod; allow: string } {
  const template = endpoint.path
  const allowed = all.filter((candidate) => candidate.path === template).map((candidate) => candidate.method)
  return { method: methods.find((method) => !allowed.includes(method))!, allow: allowed.join(', ') }
}

/** The page of stored records a list example answers: the key's account, the example's filters, newest first. */
function expectedPage(listing: ListingDefinition, collection: string, query: Readonly<Record<string, string>>) {
  const filters = Object.entries(query).filter(([name]) => name in listing.filters)
  const matching = (fixtures[collection] ?? []).filter(
    (record) =>
      record.account === 'acc_demo' &&
      filters.every(([name, value]) => {
        const filter = listing.filters[name]!
        const held = filter.of(record as never)
        const values = Array.isArray(held) ? held : [held]
        return value.split(',').every((wanted) => values.some((have) => (filter.caseInsensitive ? String(have).toLowerCase() === wanted.toLowerCase() : have === wanted)))
      }),
  )
  const sorted = matching.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)) || String(b.id).localeCompare(String(a.id)))
  const page = Number(query.page ?? 1)
  const limit = Number(query.limit ?? 20)
  return { ids: sorted.slice((page - 1) * limit, page * limit).map((record) => record.id), total: sorted.length, page, limit }
}

/**
 * The example's response with the differences decision 0091 documents put in, each asserted
 * first: a created record's id is generated (prefix and 12 characters); a list holds the real
 * page and total of the default fixtures (the pages' 150 and 85 are illustrations), the docs'
 * record among them; an answer shows the stored custom fields where a page's example shows `{}`.
 * What is left must be the example byte for byte.
 */
function documentedAnswer(endpoint: EndpointDefinition, actual: Record<string, any>): { expected: unknown; differences: string[] } {
  const expected = structuredClone(endpoint.example.response) as Record<string, any>
  const differences: string[] = []
  const resource = resourceOf(endpoint)
  const data = expected.data as Record<string, any> | undefined
  if (data && typeof data.id === 'string' && endpoint.resource === undefined && actual.data?.id !== data.id) {
    expect(actual.data.id).toMatch(new RegExp(`^${resource!.idPrefix}[a-z0-9]{12}$`))
    data.id = actual.data.id
    differences.push('generated id')
  }
  const listed = listedResource(expected)
  if (data && listed) {
    const page = expectedPage(listed.listing, listed.collection, endpoint.example.query ?? {})
    const items = actual.data[listed.plural] as Array<Record<string, unknown>>
    expect(items.map((item) => item.id)).toEqual(page.ids)
    expect(actual.data.pagination).toEqual({ page: page.page, limit: page.limit, total: page.total, total_pages: Math.ceil(page.total / page.limit) })
    // Every item shows the fields the example's item shows, in its order; the docs' record as the example shows it.
    const shown = data[listed.plural] as Array<Record<string, unknown>>
    for (const item of items) expect(Object.keys(item)).toEqual(Object.keys(shown[0]!))
    for (const example of shown) {
      const answered = items.find((item) => item.id === example.id)
      if (answered) expect({ ...answered, custom_fields: example.custom_fields }).toEqual(example)
    }
    if (JSON.stringify(items) !== JSON.stringify(shown)) differences.push('the real page')
    if (JSON.stringify(actual.data.pagination) !== JSON.stringify(data.pagination)) differences.push('the real total')
    data[listed.plural] = items
    data.pagination = actual.data.pagination
  }
  if (data && !listed && data.custom_fields !== undefined && JSON.stringify(data.custom_fields) !== JSON.stringify(actual.data.custom_fields)) {
    const stored = (fixtures[resource!.collection] ?? []).find((record) => record.id === data.id)
    expect(actual.data.custom_fields).toEqual({ ...(stored?.custom_fields as object), ...(endpoint.example.body as { custom_fields?: object } | undefined)?.custom_fields })
    data.custom_fields = actual.data.custom_fields
    differences.push('stored custom fields')
  }
  return { expected, differences }
}

describe.each(transports)('$name', (transport) => {
  describe.each(all.map((endpoint) => ({ endpoint, name: `${endpoint.method} ${endpoint.path}` })))('$name', ({ endpoint }) => {
    it("answers its page's example with the default fixtures at the example's instant, differing only where decision 0091 says", async () => {
      const api = await transport.start({ now: endpoint.example.now })
      const response = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: docsKey }))
      expect(response.status, response.text).toBe(successStatus(endpoint))
      const { expected, differences } = documentedAnswer(endpoint, response.body as Record<string, any>)
      expect(response.text).toBe(JSON.stringify(expected))
      // The get pages and the stage update are reproduced exactly, whatever the decision allows others.
      if (endpoint.method === 'GET' && endpoint.resource) expect(differences).toEqual([])
      if (endpoint.method === 'PATCH') expect(differences).toEqual([])
    })

    it('leaves the store as its example says: a deleted record is gone, a created or changed one reads back', async () => {
      const api = await transport.start({ now: endpoint.example.now })
      const response = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: docsKey }))
      expect(response.status).toBe(successStatus(endpoint))
      const resource = resourceOf(endpoint)
      const id = endpoint.example.params.id ?? (response.body.data?.id as string | undefined)
      const reader = all.find((candidate) => candidate.method === 'GET' && candidate.resource === resource && candidate.path.endsWith('/:id'))
      if (!reader || id === undefined || listedResource(response.body)) return
      const read = await api.callEndpoint(reader, { params: { id } })
      if (endpoint.method === 'DELETE') {
        expectEnvelope(read, 'NOT_FOUND')
        expect(api.store.findRecord(resource!.collection, id)).toBeUndefined()
        return
      }
      expect(read.status).toBe(200)
      for (const [field, value] of Object.entries((endpoint.example.body ?? {}) as Record<string, unknown>)) {
        if (field in read.body.data!) expect(read.body.data![field], field).toEqual(field === 'custom_fields' ? expect.objectContaining(value as object) : value)
      }
    })

    it('takes the key from X-API-Key, Authorization: Bearer and ?api_key=, answering the same', async () => {
      // Seeded, so a create answers the same id after each reset.
      const api = await transport.start({ now: endpoint.example.now, seed: 'every-endpoint' })
      const header = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: docsKey }))
      await api.reset()
      const bearer = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: null, headers: { authorization: `Bearer ${docsKey}` } }))
      await api.reset()
      const query = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: null, query: { ...endpoint.example.query, api_key: docsKey } }))
      expect([header.status, bearer.status, query.status]).toEqual([successStatus(endpoint), successStatus(endpoint), successStatus(endpoint)])
      expect(bearer.text).toBe(header.text)
      expect(query.text).toBe(header.text)
    })

    it('answers 401 MISSING_API_KEY, INVALID_API_KEY and EXPIRED_API_KEY in the envelope, without rate-limit headers', async () => {
      const api = await transport.start({ now: endpoint.example.now })
      const before = snapshotAccount(api.store, 'acc_demo')
      const missing = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: null }))
      const unknown = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: 'gr_live_nobody_has_this' }))
      const revoked = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: 'gr_test_revoked' }))
      const expired = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: 'gr_test_expired' }))
      expectEnvelope(missing, 'MISSING_API_KEY')
      expectEnvelope(unknown, 'INVALID_API_KEY')
      expectEnvelope(revoked, 'INVALID_API_KEY')
      expectEnvelope(expired, 'EXPIRED_API_KEY')
      for (const response of [missing, unknown, revoked, expired]) expect(response.headers.get('x-ratelimit-limit')).toBeNull()
      expect(snapshotAccount(api.store, 'acc_demo')).toBe(before)
    })

    it('answers 403 naming its permission to a key without it, and lets its resource wildcard and * through', async () => {
      const api = await transport.start({ now: endpoint.example.now })
      const before = snapshotAccount(api.store, 'acc_demo')
      const [resource] = endpoint.permission.split(':')
      const lacking = await keyWith(api, grantablePermissions.filter((permission) => permission !== endpoint.permission && !permission.endsWith(':*') && permission !== '*'))
      const otherWildcard = await keyWith(api, grantablePermissions.filter((permission) => permission.endsWith(':*') && !permission.startsWith(`${resource}:`)))
      const denied = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: lacking }))
      const deniedByWildcard = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: otherWildcard }))
      for (const response of [denied, deniedByWildcard]) {
        expectEnvelope(response, 'INSUFFICIENT_PERMISSIONS')
        expect(response.body.error?.message).toBe(`This API key lacks the ${endpoint.permission} permission.`)
        expect(response.body.error?.details).toMatchObject({ required: endpoint.permission })
        expectRateLimitHeaders(response)
      }
      expect(snapshotAccount(api.store, 'acc_demo')).toBe(before)
      const wildcard = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: await keyWith(api, [`${resource}:*`]) }))
      await api.reset()
      const everything = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: await keyWith(api, ['*'], 'gr_test_everything') }))
      expect([wildcard.status, everything.status]).toEqual([successStatus(endpoint), successStatus(endpoint)])
    })

    it("never shows or changes one account's records to another account's key", async () => {
      const api = await transport.start({ now: endpoint.example.now })
      const demo = snapshotAccount(api.store, 'acc_demo')
      const response = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: 'gr_test_other_account' }))
      expect(snapshotAccount(api.store, 'acc_demo')).toBe(demo)
      if (endpoint.resource) {
        expectEnvelope(response, 'NOT_FOUND')
        expect(response.body.error?.message).toBe(`${endpoint.resource.label} not found`)
        return
      }
      expect(response.status).toBe(successStatus(endpoint))
      const listed = listedResource(response.body)
      const ids = listed ? (response.body.data![listed.plural] as Array<{ id: string }>).map((item) => item.id) : [String(response.body.data?.id)]
      const resource = listed ?? resourceOf(endpoint)!
      for (const id of ids) expect(api.store.findRecord(resource.collection, id)?.account, id).toBe('acc_other')
    })

    it('answers its own errors in the envelope: a bad query, a bad body, an unknown id', async () => {
      const api = await transport.start({ now: endpoint.example.now })
      const before = snapshotAccount(api.store, 'acc_demo')
      const answers: ApiResponse[] = []
      if (endpoint.query) {
        const response = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: docsKey, query: { limit: '0' } }))
        expectEnvelope(response, 'INVALID_PARAMETER')
        expect(response.body.error?.details).toMatchObject({ parameter: 'limit', received: '0' })
        answers.push(response)
      }
      if (endpoint.body) {
        for (const body of ['[]', 'not json', '']) {
          const response = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: docsKey, body, headers: { 'content-type': 'application/json' } }))
          expectEnvelope(response, 'VALIDATION_ERROR')
          answers.push(response)
        }
      }
      if (endpoint.resource) {
        const response = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: docsKey, params: { ...endpoint.example.params, id: `${endpoint.resource.idPrefix}doesnotexist` } }))
        expectEnvelope(response, 'NOT_FOUND')
        expect(response.body.error).toEqual({
          code: 'NOT_FOUND',
          message: `${endpoint.resource.label} not found`,
          details: { resource: endpoint.resource.name, id: `${endpoint.resource.idPrefix}doesnotexist` },
        })
        answers.push(response)
      }
      for (const response of answers) expectRateLimitHeaders(response)
      expect(snapshotAccount(api.store, 'acc_demo')).toBe(before)
    })

    it('answers 405 with Allow listing the methods of its path to another method', async () => {
      const api = await transport.start({ now: endpoint.example.now })
      const { method, allow } = otherMethod(endpoint)
      const response = await api.request({ method, path: pathOf(endpoint, endpoint.example.params), key: docsKey, ...(method === 'GET' ? {} : { body: {} }) })
      expectEnvelope(response, 'METHOD_NOT_ALLOWED')
      expect(response.headers.get('allow')).toBe(allow)
    })
  })

  it('counts one hourly budget per key across every endpoint, with the rate-limit headers on every answer', async () => {
    const api = await transport.start()
    const key = 'gr_test_shared_budget'
    const limit = all.length + 2
    await api.store.createApiKey({ key, account: 'acc_demo', permissions: ['*'], rateLimit: limit })
    const remaining: string[] = []
    // Deletes last: the docs' examples delete the records the other examples read and change.
    const inOrder = [...all].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'))
    for (const endpoint of inOrder) {
      const response = await api.callEndpoint(endpoint, exampleCall(endpoint, { key }))
      expect(response.status, `${endpoint.method} ${endpoint.path}`).toBe(successStatus(endpoint))
      expectRateLimitHeaders(response)
      expect(response.headers.get('x-ratelimit-limit')).toBe(String(limit))
      remaining.push(response.headers.get('x-ratelimit-remaining')!)
    }
    expect(remaining).toEqual(all.map((_, index) => String(limit - index - 1)))
    // A rejected request counts too (its 404, 400 or 403 still carries the headers).
    const first = all[0]!
    const rejected = await api.callEndpoint(first, exampleCall(first, { key, params: { id: 'x_unknown' }, query: { limit: 'x' }, ...(first.body ? { body: [] } : {}) }))
    expect(rejected.status).toBeGreaterThanOrEqual(400)
    expectRateLimitHeaders(rejected)
    expect(rejected.headers.get('x-ratelimit-remaining')).toBe('1')
    await api.callEndpoint(all[1]!, exampleCall(all[1]!, { key }))
    for (const endpoint of all) {
      const limited = await api.callEndpoint(endpoint, exampleCall(endpoint, { key }))
      expectEnvelope(limited, 'RATE_LIMIT_EXCEEDED')
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    }
    // Another key of the same account has its own budget.
    expect((await api.callEndpoint(all[0]!, exampleCall(all[0]!, { key: docsKey }))).headers.get('x-ratelimit-remaining')).toBe('999')
  })
})

describe.each(all.map((endpoint) => ({ endpoint, name: `${endpoint.method} ${endpoint.path}` })))('CORS of $name', ({ endpoint }) => {
  it('answers the preflight for its method and exposes the rate-limit headers on its answer', async () => {
    const api = await overHttp.start({ now: endpoint.example.now })
    const url = new URL(pathOf(endpoint, endpoint.example.params), 'http://placeholder')
    const preflight = await api.request({
      method: 'OPTIONS',
      path: url.pathname,
      headers: { origin: 'https://app.example', 'access-control-request-method': endpoint.method, 'access-control-request-headers': 'x-api-key, content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-methods')?.split(', ')).toContain(endpoint.method)
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-API-Key/)
    const response = await api.callEndpoint(endpoint, exampleCall(endpoint, { key: docsKey, headers: { origin: 'https://app.example' } }))
    expect(response.status).toBe(successStatus(endpoint))
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-expose-headers')).toMatch(/X-RateLimit-Remaining/i)
  })
})
