// Issue 17: the four contacts endpoints besides "get" (list, create, update, delete), each added
// as its definition and its operation only. These tests run every documented outcome, each
// page's example, and the choices of decisions/0091 and 0110 against both adapters.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildableBehaviours, planInteraction } from '../../src/consumer/planInteraction.js'
import { createContactContract } from '../../src/contract/createContactContract.js'
import { deleteContactContract } from '../../src/contract/deleteContactContract.js'
import { getContactContract } from '../../src/contract/getContactContract.js'
import { listContactsContract } from '../../src/contract/listContactsContract.js'
import { updateContactContract } from '../../src/contract/updateContactContract.js'
import type { ContactInput } from '../../src/contract/schemas.js'
import { addInteraction, formatDriftReport, reviewPact, verifyPacts } from '../../src/pact/index.js'
import { createMockRuntime } from '../../src/runtime/createMockRuntime.js'
import type { MockStore } from '../../src/store/createStore.js'
import { expectApiError } from '../support/assertions.js'
import { docsNow, transports } from '../support/transports.js'
import type { ApiResponse, MockApi, StartOptions } from '../support/transports.js'

const list = listContactsContract
const get = getContactContract
const create = createContactContract
const update = updateContactContract
const remove = deleteContactContract

const demoIds = ['cnt_abc123def456', 'cnt_demo_maria', 'cnt_demo_pedro', 'cnt_demo_lucia']
const generatedId = /^cnt_[a-z0-9]{12}$/

/** A contact of the demo account for a test's own fixtures. */
function contact(id: string, fields: Partial<ContactInput> = {}): ContactInput {
  return { id, account: 'acc_demo', name: `Contact ${id}`, created_at: '2024-02-01T00:00:00Z', updated_at: '2024-02-01T00:00:00Z', ...fields }
}

/** Everything a contacts write could change: the records, the lists' view of them, and the opportunities. */
function snapshot(store: MockStore): unknown {
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const listed = (account: string) =>
    store.listRecords('contacts', account, { filters: [], sortBy: 'created_at', descending: true, offset: 0, limit: 10_000 })
  return JSON.parse(
    JSON.stringify({
      contacts: store.contacts.findMany().sort(byId),
      opportunities: store.opportunities.findMany().sort(byId),
      demo: listed('acc_demo'),
      other: listed('acc_other'),
    }),
  )
}

function ids(response: ApiResponse): string[] {
  return (response.body.data!.contacts as Array<{ id: string }>).map((item) => item.id)
}

function pagination(response: ApiResponse): unknown {
  return response.body.data!.pagination
}

async function listIds(api: MockApi, query: Record<string, string>, key?: string): Promise<string[]> {
  const response = await api.callEndpoint(list, { query, ...(key ? { key } : {}) })
  expect(response.status).toBe(200)
  return ids(response)
}

/** The ids of two contacts created on a fresh runtime with `seed`, through its core. */
function createdIds(seed: string): string[] {
  const runtime = createMockRuntime({ seed, now: docsNow })
  return ['One', 'Two'].map((name) => {
    const response = runtime.core.handle({
      method: 'POST',
      path: create.path,
      query: '',
      header: (header) => ({ 'x-api-key': 'YOUR_API_KEY', 'content-type': 'application/json' })[header],
      body: JSON.stringify({ name }),
    })
    return String((response.body as { data: { id: string } }).data.id)
  })
}

async function start(transport: (typeof transports)[number], options: StartOptions = {}): Promise<MockApi> {
  return transport.start(options)
}

describe.each(transports)('$name', (transport) => {
  it("answers the list page's example request with the account's contacts, newest first, and their real total", async () => {
    const api = await start(transport, { now: list.example.now })
    const response = await api.callEndpoint(list, { query: list.example.query })
    expect(response.status).toBe(200)
    expect(response.body).toEqual(list.example.response)
    const first = (response.body.data!.contacts as unknown[])[0] as Record<string, unknown>
    expect(Object.keys(first)).toEqual(Object.keys(list.example.response.data.contacts[0]!))
    // The page shows `custom_fields: {}` for this contact; a list answers the stored ones.
    expect(first.custom_fields).toEqual({ industry: 'Technology', company_size: '50-200' })
  })

  it("answers the create page's example body with the page's example response, the id generated and the timestamps the clock's", async () => {
    const api = await start(transport, { now: create.example.now })
    const response = await api.callEndpoint(create, { body: create.example.body })
    expect(response.status).toBe(201)
    const data = response.body.data!
    expect(data.id).toMatch(generatedId)
    expect({ ...response.body, data: { ...data, id: create.example.response.data.id } }).toEqual(create.example.response)
    expect(Object.keys(data)).toEqual(Object.keys(create.example.response.data))
    const stored = await api.callEndpoint(get, { params: { id: String(data.id) } })
    expect(stored.body.data).toEqual({ ...data, linkedin_url: null })
  })

  it("answers the update page's example with the whole contact, keeping the custom fields it did not send", async () => {
    const api = await start(transport, { now: update.example.now })
    const response = await api.callEndpoint(update, { params: update.example.params, body: update.example.body })
    expect(response.status).toBe(200)
    expect(response.body).toEqual(update.example.response)
    expect(Object.keys(response.body.data!)).toEqual(Object.keys(update.example.response.data))
    // The page's example shows `custom_fields: {}`: the one place the mock differs from it.
    expect(response.body.data!.custom_fields).toEqual({ industry: 'Technology', company_size: '50-200' })
  })

  it("answers the delete page's example with its message, and 404 for the contact after", async () => {
    const api = await start(transport, { now: remove.example.now })
    const response = await api.callEndpoint(remove, { params: remove.example.params })
    expect(response.status).toBe(200)
    expect(response.body).toEqual(remove.example.response)
    expect(response.body).toEqual({ success: true, message: 'Contact deleted successfully' })
    const params = remove.example.params
    for (const after of [
      await api.callEndpoint(get, { params }),
      await api.callEndpoint(update, { params, body: { position: 'CTO' } }),
      await api.callEndpoint(remove, { params }),
    ]) {
      expect(after.body.error).toEqual({ code: 'NOT_FOUND', message: 'Contact not found', details: { resource: 'contact', id: 'cnt_abc123def456' } })
    }
    expect(await listIds(api, {})).toEqual(demoIds.slice(1))
  })

  it('pages the list 20 at a time by default, up to 100, with the total and the number of pages', async () => {
    const extra = Array.from({ length: 45 }, (_, index) => contact(`cnt_page_${String(index).padStart(2, '0')}`, { created_at: `2024-03-01T00:00:${String(index).padStart(2, '0')}Z` }))
    const api = await start(transport, { fixtures: ['default', { contacts: extra }] })
    const first = await api.callEndpoint(list)
    expect(pagination(first)).toEqual({ page: 1, limit: 20, total: 49, total_pages: 3 })
    expect(ids(first)).toEqual(extra.slice(25).reverse().map((record) => record.id))
    const third = await api.callEndpoint(list, { query: { page: '3' } })
    expect(pagination(third)).toEqual({ page: 3, limit: 20, total: 49, total_pages: 3 })
    expect(ids(third)).toEqual([...extra.slice(0, 5).reverse().map((record) => record.id), ...demoIds])
    const all = await api.callEndpoint(list, { query: { limit: '100' } })
    expect(pagination(all)).toEqual({ page: 1, limit: 100, total: 49, total_pages: 1 })
    expect(ids(all)).toHaveLength(49)
    const one = await api.callEndpoint(list, { query: { limit: '1', page: '49' } })
    expect([ids(one), pagination(one)]).toEqual([['cnt_demo_lucia'], { page: 49, limit: 1, total: 49, total_pages: 49 }])
  })

  it('answers a page past the last one with no contacts and the real total', async () => {
    const api = await start(transport)
    const past = await api.callEndpoint(list, { query: { page: '2' } })
    expect(past.body.data).toEqual({ contacts: [], pagination: { page: 2, limit: 20, total: 4, total_pages: 1 } })
    const far = await api.callEndpoint(list, { query: { page: '1000000000', limit: '100' } })
    expect(far.body.data).toEqual({ contacts: [], pagination: { page: 1000000000, limit: 100, total: 4, total_pages: 1 } })
  })

  it('answers 400 INVALID_PARAMETER naming each bad query parameter and what it allows', async () => {
    const api = await start(transport)
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ page: '0' }, 'page', 'Query parameter "page" must be a whole number from 1 to 1000000000.'],
      [{ page: 'two' }, 'page', 'Query parameter "page" must be a whole number from 1 to 1000000000.'],
      [{ page: '1000000001' }, 'page', 'Query parameter "page" must be a whole number from 1 to 1000000000.'],
      [{ limit: '0' }, 'limit', 'Query parameter "limit" must be a whole number from 1 to 100.'],
      [{ limit: '101' }, 'limit', 'Query parameter "limit" must be a whole number from 1 to 100.'],
      [{ limit: '2.5' }, 'limit', 'Query parameter "limit" must be a whole number from 1 to 100.'],
      [{ sort_by: 'phone' }, 'sort_by', 'Query parameter "sort_by" must be one of created_at, updated_at, name, email, company.'],
      [{ sort_order: 'up' }, 'sort_order', 'Query parameter "sort_order" must be asc or desc.'],
      [{ source: 'facebook' }, 'source', 'Query parameter "source" must be one of linkedin, google_maps, list, paid_traffic, other.'],
    ]
    for (const [query, parameter, message] of cases) {
      const response = await api.callEndpoint(list, { query })
      expectApiError(response, 400, 'INVALID_PARAMETER')
      expect(response.body.error).toEqual({ code: 'INVALID_PARAMETER', message, details: { parameter, received: Object.values(query)[0] } })
    }
    const twice = await api.request({ method: 'GET', path: '/external/v1/contacts?source=list&source=other', key: 'YOUR_API_KEY' })
    expect(twice.body.error).toEqual({
      code: 'INVALID_PARAMETER',
      message: 'Query parameter "source" is given more than once. Give it once.',
      details: { parameter: 'source', received: 'other' },
    })
    // Unknown parameters, and parameters sent empty, are ignored.
    expect(await listIds(api, { status: 'won', search: '', company: '' })).toEqual(demoIds)
  })

  it('filters by company and email ignoring case, by source, and by every tag listed', async () => {
    const api = await start(transport)
    expect(await listIds(api, { company: 'acme INC' })).toEqual(['cnt_abc123def456'])
    expect(await listIds(api, { company: 'Acme' })).toEqual([])
    expect(await listIds(api, { email: 'MARIA@Globex.example' })).toEqual(['cnt_demo_maria'])
    expect(await listIds(api, { source: 'list' })).toEqual(['cnt_demo_pedro'])
    expect(await listIds(api, { source: 'paid_traffic' })).toEqual([])
    expect(await listIds(api, { tags: 'prospect' })).toEqual(['cnt_abc123def456', 'cnt_demo_maria'])
    expect(await listIds(api, { tags: 'decision-maker' })).toEqual(['cnt_abc123def456', 'cnt_demo_pedro'])
    expect(await listIds(api, { tags: 'prospect,decision-maker' })).toEqual(['cnt_abc123def456'])
    expect(await listIds(api, { tags: ' tech , decision-maker ' })).toEqual(['cnt_demo_pedro'])
    expect(await listIds(api, { tags: 'Prospect' })).toEqual([])
    expect(await listIds(api, { tags: 'prospect', source: 'google_maps' })).toEqual(['cnt_demo_maria'])
    const filtered = await api.callEndpoint(list, { query: { tags: 'prospect', limit: '1' } })
    expect([ids(filtered), pagination(filtered)]).toEqual([['cnt_abc123def456'], { page: 1, limit: 1, total: 2, total_pages: 2 }])
  })

  it('searches name, e-mail and company for a piece of text, ignoring case', async () => {
    const api = await start(transport)
    expect(await listIds(api, { search: 'FERREIRA' })).toEqual(['cnt_demo_lucia'])
    expect(await listIds(api, { search: 'initech.example' })).toEqual(['cnt_demo_pedro'])
    expect(await listIds(api, { search: 'globex' })).toEqual(['cnt_demo_maria'])
    expect(await listIds(api, { search: 'A' })).toEqual(demoIds)
    expect(await listIds(api, { search: 'CEO' })).toEqual([])
    expect(await listIds(api, { search: '+5511' })).toEqual([])
    const searched = await api.callEndpoint(list, { query: { search: 'john', limit: '5' } })
    expect([ids(searched), pagination(searched)]).toEqual([['cnt_abc123def456'], { page: 1, limit: 5, total: 1, total_pages: 1 }])
  })

  it('sorts by each documented field in either order, text ignoring case, contacts without the field last in ascending order', async () => {
    const api = await start(transport)
    expect(await listIds(api, { sort_by: 'created_at', sort_order: 'asc' })).toEqual([...demoIds].reverse())
    expect(await listIds(api, { sort_by: 'updated_at', sort_order: 'asc' })).toEqual(['cnt_demo_lucia', 'cnt_demo_maria', 'cnt_demo_pedro', 'cnt_abc123def456'])
    expect(await listIds(api, { sort_by: 'updated_at' })).toEqual(['cnt_abc123def456', 'cnt_demo_pedro', 'cnt_demo_maria', 'cnt_demo_lucia'])
    expect(await listIds(api, { sort_by: 'name', sort_order: 'asc' })).toEqual(['cnt_abc123def456', 'cnt_demo_lucia', 'cnt_demo_maria', 'cnt_demo_pedro'])
    expect(await listIds(api, { sort_by: 'email', sort_order: 'asc' })).toEqual(['cnt_abc123def456', 'cnt_demo_maria', 'cnt_demo_pedro', 'cnt_demo_lucia'])
    expect(await listIds(api, { sort_by: 'company', sort_order: 'asc' })).toEqual(['cnt_abc123def456', 'cnt_demo_maria', 'cnt_demo_pedro', 'cnt_demo_lucia'])
    expect(await listIds(api, { sort_by: 'company', sort_order: 'desc' })).toEqual(['cnt_demo_lucia', 'cnt_demo_pedro', 'cnt_demo_maria', 'cnt_abc123def456'])
  })

  it('sorts text ignoring case and breaks ties by creation then id, so pages never overlap', async () => {
    const api = await start(transport, {
      fixtures: [
        'default',
        {
          contacts: [
            contact('cnt_case_b', { name: 'bob', company: 'Same' }),
            contact('cnt_case_a', { name: 'Alice', company: 'Same' }),
            contact('cnt_case_c', { name: 'Carol', company: 'Same' }),
            contact('cnt_tie_2', { name: 'Zed', company: 'Same', created_at: '2024-01-01T00:00:00Z' }),
          ],
        },
      ],
    })
    const same = { company: 'same' }
    expect(await listIds(api, { ...same, sort_by: 'name', sort_order: 'asc' })).toEqual(['cnt_case_a', 'cnt_case_b', 'cnt_case_c', 'cnt_tie_2'])
    // All four have the same company: created_at, then id, decide.
    const ascending = await listIds(api, { ...same, sort_by: 'company', sort_order: 'asc' })
    expect(ascending).toEqual(['cnt_tie_2', 'cnt_case_a', 'cnt_case_b', 'cnt_case_c'])
    expect(await listIds(api, { ...same, sort_by: 'company', sort_order: 'desc' })).toEqual([...ascending].reverse())
    const paged: string[] = []
    for (const page of ['1', '2', '3', '4']) paged.push(...(await listIds(api, { ...same, sort_by: 'company', sort_order: 'asc', limit: '1', page })))
    expect(paged).toEqual(ascending)
    expect(await listIds(api, { ...same, sort_by: 'company', sort_order: 'asc' })).toEqual(ascending)
  })

  it("never lists another account's contacts, and answers 404 for them by id", async () => {
    const api = await start(transport)
    const before = snapshot(api.store)
    expect(await listIds(api, {})).not.toContain('cnt_other_account')
    expect(await listIds(api, { search: 'otto' })).toEqual([])
    expect(await listIds(api, { company: 'Other Company' })).toEqual([])
    expect(await listIds(api, {}, 'gr_test_other_account')).toEqual(['cnt_other_account'])
    const params = { id: 'cnt_other_account' }
    for (const response of [
      await api.callEndpoint(update, { params, body: { name: 'Taken over' } }),
      await api.callEndpoint(remove, { params }),
    ]) {
      expectApiError(response, 404, 'NOT_FOUND')
      expect(response.body.error?.details).toEqual({ resource: 'contact', id: 'cnt_other_account' })
    }
    expect(snapshot(api.store)).toEqual(before)
  })

  it('answers 400 VALIDATION_ERROR with every field problem when the first one has no code of its own, and changes nothing', async () => {
    const api = await start(transport)
    const before = snapshot(api.store)
    const missingName = await api.callEndpoint(create, { body: { email: 'not-an-email', phone: 5511, source: 'facebook' } })
    expectApiError(missingName, 400, 'VALIDATION_ERROR')
    expect(missingName.body.error).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'Validation failed: name is required; email format is invalid; phone must be a string or null; source must be one of linkedin, google_maps, list, paid_traffic, other.',
      details: {
        fields: {
          name: 'Name is required',
          email: 'Email format is invalid',
          phone: 'Phone must be a string or null',
          source: 'Source must be one of linkedin, google_maps, list, paid_traffic, other',
        },
      },
    })
    const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
      [{ name: '   ' }, { name: 'Name must not be blank' }],
      [{ name: 42 }, { name: 'Name must be a string' }],
      [{ name: 'Jane', source: 'facebook' }, { source: 'Source must be one of linkedin, google_maps, list, paid_traffic, other' }],
      [{ name: 'Jane', tags: 'hot-lead' }, { tags: 'Tags must be an array of non-blank strings' }],
      [{ name: 'Jane', tags: ['ok', ''] }, { tags: 'Tags must be an array of non-blank strings' }],
      [{ name: 'Jane', custom_fields: { nested: { deep: true } } }, { custom_fields: 'Custom fields must be an object whose values are strings, numbers, booleans or null' }],
      [{ name: 'Jane', custom_fields: ['a'] }, { custom_fields: 'Custom fields must be an object whose values are strings, numbers, booleans or null' }],
      [{ name: 'Jane', company: 7, linkedin_url: false }, { company: 'Company must be a string or null', linkedin_url: 'Linkedin url must be a string or null' }],
    ]
    for (const [body, fields] of cases) {
      const response = await api.callEndpoint(create, { body })
      expectApiError(response, 400, 'VALIDATION_ERROR')
      expect(response.body.error?.details).toEqual({ fields })
    }
    for (const body of ['{"name":', '', '[]']) {
      expectApiError(await api.request({ method: 'POST', path: '/external/v1/contacts', key: 'YOUR_API_KEY', body, headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_ERROR')
    }
    expect(snapshot(api.store)).toEqual(before)
  })

  it('answers 400 INVALID_EMAIL to a create whose e-mail address is malformed, and changes nothing', async () => {
    const api = await start(transport)
    const before = snapshot(api.store)
    for (const email of ['jane.company.com', 'jane@company', 'jane doe@company.com', '@company.com', 42]) {
      const response = await api.callEndpoint(create, { body: { name: 'Jane Smith', email, phone: 3 } })
      expectApiError(response, 400, 'INVALID_EMAIL')
      expect(response.body.error).toEqual({ code: 'INVALID_EMAIL', message: 'Email format is invalid.', details: { field: 'email', received: email } })
    }
    expect(snapshot(api.store)).toEqual(before)
  })

  it('answers 409 ALREADY_EXISTS to a create whose e-mail address a contact of the account has, ignoring case, and changes nothing', async () => {
    const api = await start(transport)
    const before = snapshot(api.store)
    const response = await api.callEndpoint(create, { body: { name: 'Johnny', email: 'JOHN@Example.com' } })
    expectApiError(response, 409, 'ALREADY_EXISTS')
    expect(response.body.error).toEqual({ code: 'ALREADY_EXISTS', message: 'Contact with this email already exists', details: { field: 'email', id: 'cnt_abc123def456' } })
    expect(snapshot(api.store)).toEqual(before)
    // Another account's contacts never conflict, either way.
    const ours = await api.callEndpoint(create, { body: { name: 'Otto', email: 'otto@other.example' } })
    const theirs = await api.callEndpoint(create, { body: { name: 'John', email: 'john@example.com' }, key: 'gr_test_other_account' })
    expect([ours.status, theirs.status]).toEqual([201, 201])
    // A second create with the new address conflicts with the first.
    const again = await api.callEndpoint(create, { body: { name: 'Otto again', email: 'Otto@Other.example' } })
    expect(again.body.error?.details).toEqual({ field: 'email', id: ours.body.data!.id })
  })

  it('creates a contact with the fields sent, null as sent, the defaults, and ignores fields the page does not list', async () => {
    const api = await start(transport)
    const response = await api.callEndpoint(create, {
      body: { id: 'cnt_chosen00000', account: 'acc_other', status: 'won', name: 'Ana', email: null, company: null, source: 'linkedin', custom_fields: { size: 10, vip: true, gone: null } },
    })
    expect(response.status).toBe(201)
    const { id, created_at, updated_at, ...rest } = response.body.data!
    expect(id).toMatch(generatedId)
    expect(id).not.toBe('cnt_chosen00000')
    expect([created_at, updated_at]).toEqual([docsNow, docsNow])
    expect(rest).toEqual({ name: 'Ana', email: null, company: null, source: 'linkedin', tags: [], custom_fields: { size: 10, vip: true } })
    expect(Object.keys(response.body.data!)).toEqual(['id', 'name', 'email', 'company', 'source', 'tags', 'custom_fields', 'created_at', 'updated_at'])
    const stored = await api.callEndpoint(get, { params: { id: String(id) } })
    expect(stored.body.data).toEqual({
      id,
      name: 'Ana',
      email: null,
      phone: null,
      company: null,
      position: null,
      source: 'linkedin',
      linkedin_url: null,
      tags: [],
      custom_fields: { size: 10, vip: true },
      created_at: docsNow,
      updated_at: docsNow,
    })
    expect(api.store.findContact(String(id))?.account).toBe('acc_demo')
    // The new contact is the newest in the list, and the filters know it.
    expect(await listIds(api, {})).toEqual([id, ...demoIds])
    expect(await listIds(api, { source: 'linkedin', tags: '' })).toEqual([id, 'cnt_abc123def456'])
  })

  it('changes only the fields a PUT sends and sets updated_at', async () => {
    const api = await start(transport)
    const { data: before } = (await api.callEndpoint(get, { params: { id: 'cnt_demo_pedro' } })).body
    const response = await api.callEndpoint(update, { params: { id: 'cnt_demo_pedro' }, body: { company: 'Initrode', source: 'linkedin', id: 'cnt_other' } })
    expect(response.status).toBe(200)
    expect(response.body.data).toEqual({ ...before, company: 'Initrode', updated_at: docsNow })
    const empty = await api.callEndpoint(update, { params: { id: 'cnt_demo_maria' }, body: {} })
    const { data: maria } = (await api.callEndpoint(get, { params: { id: 'cnt_demo_maria' } })).body
    expect(empty.body.data).toEqual(maria)
    expect(maria!.updated_at).toBe(docsNow)
  })

  it('replaces tags, merges custom fields by key (null removes one), and clears text fields sent as null', async () => {
    const api = await start(transport)
    const params = { id: 'cnt_abc123def456' }
    const response = await api.callEndpoint(update, {
      params,
      body: { tags: ['customer'], custom_fields: { company_size: '200-500', region: 'SP', industry: null }, phone: null, linkedin_url: null },
    })
    expect(response.status).toBe(200)
    expect(response.body.data).toMatchObject({ tags: ['customer'], custom_fields: { company_size: '200-500', region: 'SP' }, phone: null, linkedin_url: null, email: 'john@example.com' })
    expect(Object.keys(response.body.data!.custom_fields as object)).toEqual(['company_size', 'region'])
    const cleared = await api.callEndpoint(update, { params, body: { tags: [], custom_fields: {} } })
    expect(cleared.body.data).toMatchObject({ tags: [], custom_fields: { company_size: '200-500', region: 'SP' } })
    // Lists follow what changed.
    expect(await listIds(api, { tags: 'prospect' })).toEqual(['cnt_demo_maria'])
    await api.callEndpoint(update, { params, body: { company: 'GLOBEX', email: 'john@globex.example' } })
    expect(await listIds(api, { company: 'globex' })).toEqual(['cnt_abc123def456', 'cnt_demo_maria'])
    expect(await listIds(api, { email: 'john@example.com' })).toEqual([])
  })

  it('answers 400 VALIDATION_ERROR to a PUT with a malformed e-mail address or a bad field, and changes nothing', async () => {
    const api = await start(transport)
    const before = snapshot(api.store)
    const params = { id: 'cnt_abc123def456' }
    const email = await api.callEndpoint(update, { params, body: { email: 'john.example.com' } })
    expectApiError(email, 400, 'VALIDATION_ERROR')
    expect(email.body.error).toEqual({ code: 'VALIDATION_ERROR', message: 'Validation failed: email format is invalid.', details: { fields: { email: 'Email format is invalid' } } })
    const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
      [{ name: null }, { name: 'Name must be a string' }],
      [{ name: '' }, { name: 'Name must not be blank' }],
      [{ tags: null, custom_fields: null }, { tags: 'Tags must be an array of non-blank strings', custom_fields: 'Custom fields must be an object whose values are strings, numbers, booleans or null' }],
      [{ position: ['VP'], email: 'a@b.co' }, { position: 'Position must be a string or null' }],
    ]
    for (const [body, fields] of cases) {
      const response = await api.callEndpoint(update, { params, body })
      expectApiError(response, 400, 'VALIDATION_ERROR')
      expect(response.body.error?.details).toEqual({ fields })
    }
    expect(snapshot(api.store)).toEqual(before)
  })

  it("answers 409 ALREADY_EXISTS to a PUT taking another contact's e-mail address, ignoring case, but not for its own or another account's", async () => {
    const api = await start(transport)
    const before = snapshot(api.store)
    const params = { id: 'cnt_abc123def456' }
    const taken = await api.callEndpoint(update, { params, body: { email: 'Maria@GLOBEX.example', position: 'CFO' } })
    expectApiError(taken, 409, 'ALREADY_EXISTS')
    expect(taken.body.error?.details).toEqual({ field: 'email', id: 'cnt_demo_maria' })
    expect(snapshot(api.store)).toEqual(before)
    const own = await api.callEndpoint(update, { params, body: { email: 'JOHN@example.com' } })
    expect([own.status, own.body.data?.email]).toEqual([200, 'JOHN@example.com'])
    const otherAccount = await api.callEndpoint(update, { params, body: { email: 'otto@other.example' } })
    expect([otherAccount.status, otherAccount.body.data?.email]).toEqual([200, 'otto@other.example'])
    // The address it left is free again.
    const created = await api.callEndpoint(create, { body: { name: 'New John', email: 'john@example.com' } })
    expect(created.status).toBe(201)
  })

  it('names another holder when fixtures gave two contacts one address, even to a PUT of one of them keeping it', async () => {
    const shared = { email: 'team@acme.example' }
    const api = await start(transport, { fixtures: ['default', { contacts: [contact('cnt_twin_a', shared), contact('cnt_twin_b', { ...shared, created_at: '2024-02-02T00:00:00Z' })] }] })
    const keeping = await api.callEndpoint(update, { params: { id: 'cnt_twin_b' }, body: { email: 'TEAM@acme.example' } })
    expect(keeping.body.error?.details).toEqual({ field: 'email', id: 'cnt_twin_a' })
    const other = await api.callEndpoint(update, { params: { id: 'cnt_twin_a' }, body: { email: 'team@acme.example' } })
    expect(other.body.error?.details).toEqual({ field: 'email', id: 'cnt_twin_b' })
    expect((await api.callEndpoint(update, { params: { id: 'cnt_twin_a' }, body: { email: 'a@acme.example' } })).status).toBe(200)
    expect((await api.callEndpoint(update, { params: { id: 'cnt_twin_b' }, body: { email: 'team@acme.example' } })).status).toBe(200)
  })

  it('answers 404 to a PUT or DELETE of a contact that does not exist, and changes nothing', async () => {
    const api = await start(transport)
    const before = snapshot(api.store)
    const params = { id: 'cnt_missing' }
    for (const response of [await api.callEndpoint(update, { params, body: { name: 'Ghost' } }), await api.callEndpoint(remove, { params })]) {
      expectApiError(response, 404, 'NOT_FOUND')
      expect(response.body.error).toEqual({ code: 'NOT_FOUND', message: 'Contact not found', details: { resource: 'contact', id: 'cnt_missing' } })
    }
    // A bad body for a contact that does not exist is still the body's 400: the body is checked first.
    expectApiError(await api.callEndpoint(update, { params, body: { email: 'nope' } }), 400, 'VALIDATION_ERROR')
    expect(snapshot(api.store)).toEqual(before)
  })

  it('deletes only the contact: its account keeps its other contacts and every opportunity', async () => {
    const api = await start(transport)
    const opportunities = JSON.stringify(api.store.opportunities.findMany())
    const response = await api.callEndpoint(remove, { params: { id: 'cnt_demo_maria' } })
    expect(response.status).toBe(200)
    expect(JSON.stringify(api.store.opportunities.findMany())).toBe(opportunities)
    const remaining = await api.callEndpoint(list)
    expect([ids(remaining), pagination(remaining)]).toEqual([
      ['cnt_abc123def456', 'cnt_demo_pedro', 'cnt_demo_lucia'],
      { page: 1, limit: 20, total: 3, total_pages: 1 },
    ])
    expect(await listIds(api, { email: 'maria@globex.example' })).toEqual([])
    // Its address is free for a new contact.
    expect((await api.callEndpoint(create, { body: { name: 'Maria', email: 'maria@globex.example' } })).status).toBe(201)
  })

  it("answers 403 naming each endpoint's permission to a key without it, and changes nothing", async () => {
    const api = await start(transport)
    await api.store.createApiKey({ key: 'gr_test_contacts_all', account: 'acc_demo', permissions: ['contacts:*'] })
    const before = snapshot(api.store)
    const params = { id: 'cnt_abc123def456' }
    const readOnly = { key: 'gr_test_readonly' }
    const refused: Array<[ApiResponse, string]> = [
      [await api.callEndpoint(create, { ...readOnly, body: { name: 'Jane' } }), 'contacts:write'],
      [await api.callEndpoint(update, { ...readOnly, params, body: { name: 'Jane' } }), 'contacts:write'],
      [await api.callEndpoint(remove, { ...readOnly, params }), 'contacts:delete'],
      [await api.callEndpoint(list, { key: 'gr_test_wildcard' }), 'contacts:read'],
    ]
    for (const [response, permission] of refused) {
      expectApiError(response, 403, 'INSUFFICIENT_PERMISSIONS')
      expect(response.body.error?.message).toBe(`This API key lacks the ${permission} permission.`)
    }
    const missingKey = [
      await api.callEndpoint(list, { key: null }),
      await api.callEndpoint(create, { key: null, body: { name: 'Jane' } }),
      await api.callEndpoint(update, { key: null, params, body: { name: 'Jane' } }),
      await api.callEndpoint(remove, { key: null, params }),
    ]
    for (const response of missingKey) expectApiError(response, 401, 'MISSING_API_KEY')
    expect(snapshot(api.store)).toEqual(before)
    expect((await api.callEndpoint(list, readOnly)).status).toBe(200)
    const wildcard = { key: 'gr_test_contacts_all' }
    expect((await api.callEndpoint(update, { ...wildcard, params, body: { name: 'Jane' } })).status).toBe(200)
    expect((await api.callEndpoint(remove, { ...wildcard, params })).status).toBe(200)
  })

  it('gives created contacts the same ids under the same seed, again after reset, and other ids under another seed', async () => {
    const api = await start(transport, { seed: 'contacts-test' })
    const created = [
      String((await api.callEndpoint(create, { body: { name: 'One' } })).body.data!.id),
      String((await api.callEndpoint(create, { body: { name: 'Two' } })).body.data!.id),
    ]
    for (const id of created) expect(id).toMatch(generatedId)
    expect(created[0]).not.toBe(created[1])
    // Another mock (here the bare runtime, which no interceptor shares) with the same seed.
    expect(createdIds('contacts-test')).toEqual(created)
    expect(createdIds('another seed')).not.toEqual(created)
    await api.reset()
    expect(api.store.findContact(created[0]!)).toBeUndefined()
    expect(String((await api.callEndpoint(create, { body: { name: 'One' } })).body.data!.id)).toBe(created[0])
  })
})

it('builds every behaviour of the four endpoints into a consumer pact that verify passes against the mock', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'getraze-contacts-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const consumer = 'contacts-builder'
  const pact = new PactV4({ consumer, provider: 'getraze-external-api', dir, logLevel: 'error' })
  const built: string[] = []
  for (const endpoint of [list, create, update, remove]) {
    for (const behaviour of buildableBehaviours(endpoint)) {
      // The plan says what the consumer's client sends; Pact's mock server checks it.
      const { request, response } = planInteraction(endpoint, behaviour)
      await addInteraction(pact, endpoint, behaviour).executeTest(async (server) => {
        const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : ''
        const answer = await fetch(`${server.url}${request.path}${query}`, {
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        })
        expect(answer.status).toBe(response.status)
      })
      built.push(`${endpoint.operationId} ${behaviour}`)
    }
  }
  expect(built).toHaveLength(32)
  const file = join(dir, `${consumer}-getraze-external-api.json`)
  const written = JSON.parse(readFileSync(file, 'utf8')) as { interactions: Array<Record<string, any>> }
  const conflict = written.interactions.find((interaction) => interaction.description === 'a request to update a contact with the e-mail address of another contact')!
  expect(conflict.providerStates.map((state: { name: string }) => state.name)).toEqual(['an API key exists', 'a contact exists', 'a contact exists'])
  expect(conflict.providerStates[1].params).toEqual({ email: 'maria@globex.example' })
  // Nothing for the review to find: the tables give every value a state or an injected id.
  expect(reviewPact(written)).toEqual([])
  const report = await verifyPacts({ pactUrls: [file] })
  expect(formatDriftReport(report)).toContain('Verification passed.')
  expect(report.interactions).toHaveLength(32)
})
