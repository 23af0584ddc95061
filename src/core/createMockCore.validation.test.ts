// The pipeline's generic request checks, on endpoints defined here for the purpose: the query
// (INVALID_PARAMETER) and the body (VALIDATION_ERROR with the docs' details.fields, or a field's own
// code), before any operation runs; a create's 201; seeded ids.
import { z } from 'zod'
import { beforeEach, expect, it } from 'vitest'
import { optionalChoice, optionalCustomFields, optionalEmail, optionalTags, requiredText } from '../contract/bodyFields.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import { leadSources } from '../contract/leadSources.js'
import { listQuerySchema } from '../contract/listQuery.js'
import type { ListParams } from '../contract/listQuery.js'
import { contactResource } from '../contract/resources.js'
import { createStore } from '../store/createStore.js'
import type { MockStore } from '../store/createStore.js'
import { ok } from './apiError.js'
import { createMockCore } from './createMockCore.js'
import type { MockCore } from './createMockCore.js'
import type { Operation } from './operations/Operation.js'

const base = { summary: '', action: 'test', permission: 'contacts:write', client: { group: 'test', method: 'test' }, response: z.unknown(), errors: [], behaviours: {} } as const
const createThing = {
  ...base,
  operationId: 'createThing',
  method: 'POST',
  path: '/external/v1/things',
  successStatus: 201,
  body: z.looseObject({ name: requiredText, email: optionalEmail, source: optionalChoice(leadSources), tags: optionalTags, custom_fields: optionalCustomFields }),
  fieldErrors: { email: { code: 'INVALID_EMAIL', label: 'Email', message: 'Email format is invalid.' }, source: { code: 'INVALID_SOURCE', label: 'Source' } },
  example: { params: {}, now: '2024-01-25T10:00:00Z', response: {} },
} satisfies EndpointDefinition
const listThings = {
  ...base,
  operationId: 'listThings',
  method: 'GET',
  path: '/external/v1/things',
  permission: 'contacts:read',
  query: listQuerySchema(contactResource.listing),
  example: { params: {}, now: '2024-01-25T10:00:00Z', response: {} },
} satisfies EndpointDefinition

let store: MockStore
let core: MockCore
let calls: unknown[]
const operations: Record<string, Operation<never, never>> = {
  createThing: ((context: { body: unknown; newId: (resource: typeof contactResource) => string }) => {
    calls.push(context.body)
    return ok({ id: context.newId(contactResource) })
  }) as never,
  listThings: ((context: { query: ListParams }) => {
    calls.push(context.query)
    return ok(context.query)
  }) as never,
}

function create(seed?: string) {
  store = createStore()
  void store.seed({
    accounts: [{ id: 'acc', name: '' }],
    apiKeys: [{ key: 'k', account: 'acc', permissions: ['*'], rateLimit: 1000, used: 0, revoked: false, expiresAt: null }],
    campaigns: [],
    users: [],
    opportunities: [],
    contacts: [],
  })
  core = createMockCore({ store, clock: () => new Date('2024-01-25T10:00:00Z'), endpoints: [createThing, listThings], operations, ...(seed === undefined ? {} : { seed }) })
}

beforeEach(() => {
  calls = []
  create()
})

const header = (name: string) => (name === 'x-api-key' ? 'k' : undefined)
const post = (body: unknown) => core.handle({ method: 'POST', path: '/external/v1/things', query: '', header, body: JSON.stringify(body) })
const list = (query: string) => core.handle({ method: 'GET', path: '/external/v1/things', query, header, body: undefined })
const error = (response: { body: unknown }) => (response.body as { error: { code: string; message: string; details?: unknown } }).error

it('answers every body problem at once as VALIDATION_ERROR in the docs format, without calling the operation', () => {
  const response = post({ tags: 'hot', custom_fields: { a: { b: 1 } } })

  expect(response.status).toBe(400)
  expect(error(response)).toEqual({
    code: 'VALIDATION_ERROR',
    message: 'Validation failed: name is required; tags must be an array of non-blank strings; custom fields must be an object whose values are strings, numbers, booleans or null.',
    details: {
      fields: {
        name: 'Name is required',
        tags: 'Tags must be an array of non-blank strings',
        custom_fields: 'Custom fields must be an object whose values are strings, numbers, booleans or null',
      },
    },
  })
  expect(calls).toEqual([])
})

it("answers a field's own code when the first problem is on that field: its fixed message, or its allowed values", () => {
  expect(error(post({ name: 'Jane', email: 'not-an-address' }))).toEqual({
    code: 'INVALID_EMAIL',
    message: 'Email format is invalid.',
    details: { field: 'email', received: 'not-an-address' },
  })
  expect(error(post({ name: 'Jane', source: 'LINKEDIN' }))).toEqual({
    code: 'INVALID_SOURCE',
    message: 'Source value is not valid. Allowed values: linkedin, google_maps, list, paid_traffic, other.',
    details: { field: 'source', allowed: [...leadSources], received: 'LINKEDIN' },
  })
  // The first problem (name, missing) has no code of its own: every field is listed.
  expect(error(post({ email: 'x' })).code).toBe('VALIDATION_ERROR')
  expect(calls).toEqual([])
})

it("answers a create with the definition's 201 and a generated id, ignoring fields the schema does not know", () => {
  const response = post({ name: 'Jane', shoe_size: 42 })

  expect(response.status).toBe(201)
  expect((response.body as { data: { id: string } }).data.id).toMatch(/^cnt_[a-z0-9]{12}$/)
  expect(calls).toEqual([{ name: 'Jane', shoe_size: 42 }])
})

it('gives the same ids under the same seed, and others under another', () => {
  const ids = (seed: string) => {
    create(seed)
    const first = [post({ name: 'a' }), post({ name: 'b' })].map((response) => (response.body as { data: { id: string } }).data.id)
    core.resetIds()
    const again = (post({ name: 'c' }).body as { data: { id: string } }).data.id
    return { first, again }
  }
  const one = ids('my-test')
  expect(ids('my-test')).toEqual(one)
  expect(one.again).toBe(one.first[0])
  expect(one.first[0]).not.toBe(one.first[1])
  expect(ids('other').first[0]).not.toBe(one.first[0])
})

it('hands the operation the parsed query with the documented defaults', () => {
  expect(list('').status).toBe(200)
  expect(calls).toEqual([{ page: 1, limit: 20, filters: [], sortBy: 'created_at', sortOrder: 'desc' }])
  list('page=3&limit=100&search=acme&tags=hot,%20tech,&company=Globex&sort_by=name&sort_order=asc&unknown=1&status=')
  expect(calls[1]).toEqual({
    page: 3,
    limit: 100,
    search: 'acme',
    filters: [
      { name: 'company', values: ['Globex'] },
      { name: 'tags', values: ['hot', 'tech'] },
    ],
    sortBy: 'name',
    sortOrder: 'asc',
  })
})

it.each([
  ['limit=0', 'limit', 'Query parameter "limit" must be a whole number from 1 to 100.', '0'],
  ['limit=101', 'limit', 'Query parameter "limit" must be a whole number from 1 to 100.', '101'],
  ['limit=2.5', 'limit', 'Query parameter "limit" must be a whole number from 1 to 100.', '2.5'],
  ['page=0', 'page', 'Query parameter "page" must be a whole number from 1 to 1000000000.', '0'],
  ['page=abc', 'page', 'Query parameter "page" must be a whole number from 1 to 1000000000.', 'abc'],
  ['sort_by=password', 'sort_by', 'Query parameter "sort_by" must be one of created_at, updated_at, name, email, company.', 'password'],
  ['sort_order=up', 'sort_order', 'Query parameter "sort_order" must be asc or desc.', 'up'],
  ['source=LinkedIn', 'source', 'Query parameter "source" must be one of linkedin, google_maps, list, paid_traffic, other.', 'LinkedIn'],
  ['limit=5&limit=6', 'limit', 'Query parameter "limit" is given more than once. Give it once.', '6'],
])('answers INVALID_PARAMETER naming the parameter and what it allows for ?%s', (query, parameter, message, received) => {
  const response = list(query)

  expect(response.status).toBe(400)
  expect(error(response)).toEqual({ code: 'INVALID_PARAMETER', message, details: { parameter, received } })
  expect(calls).toEqual([])
})
