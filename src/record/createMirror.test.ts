import { expect, it } from 'vitest'
import { createMirror } from './createMirror.js'
import type { CapturedExchange } from './createMirror.js'

const record = { id: 'opp_1', name: 'Ana', status: 'qualified', created_at: '2024-01-15T10:30:00Z', updated_at: '2024-01-20T14:00:00Z' }

function exchange(overrides: Partial<CapturedExchange> & { data?: unknown; error?: { code: string; message: string } }): CapturedExchange {
  const { data, error, ...rest } = overrides
  return {
    method: 'GET',
    path: '/external/v1/opportunities/opp_1',
    query: '',
    requestHeaders: { 'x-api-key': 'live_key_1' },
    requestBody: undefined,
    status: 200,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: JSON.stringify(error ? { success: false, error } : { success: true, data: data ?? record }),
    at: new Date(),
    ...rest,
  }
}

const mirror = () => createMirror({ consumer: 'c', maxRecords: 100, maxKeys: 10, onNotice: () => undefined })

it('keeps answering as a target that sends no rate-limit headers, past the mock\'s own default limit', () => {
  const shadow = mirror()
  const statuses = new Set<number>()
  for (let request = 0; request < 1005; request++) statuses.add(shadow.process(exchange({}))!.answer.status)
  expect([...statuses]).toEqual([200])
})

it('refuses for the limit when the target does, from the count the target answered', () => {
  const shadow = mirror()
  const limits = (remaining: string) => ({ 'content-type': 'application/json', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': remaining, 'x-ratelimit-reset': '1' })
  expect(shadow.process(exchange({ responseHeaders: limits('1') }))!.answer.headers['x-ratelimit-remaining']).toBe('1')
  const limited = shadow.process(exchange({ status: 429, responseHeaders: limits('0'), error: { code: 'RATE_LIMIT_EXCEEDED', message: 'slow down' } }))!
  expect(limited.answer.status).toBe(429)
  expect(limited.behaviour).toBe('rateLimited')
})

it('undoes a change the target refused, so the next answer does not differ for it', () => {
  const shadow = mirror()
  shadow.process(exchange({}))
  const refused = shadow.process(
    exchange({ method: 'PATCH', path: '/external/v1/opportunities/opp_1/stage', requestBody: '{"status":"won"}', status: 400, error: { code: 'VALIDATION_ERROR', message: 'stage_id is required' } }),
  )!
  expect(refused.answer.status).toBe(200)
  const after = shadow.process(exchange({}))!
  expect((after.answer.body as { data: { status: string } }).data.status).toBe('qualified')
})

it('treats a key the target accepted before and now refuses as revoked, and answers as the target from then on', () => {
  const shadow = mirror()
  shadow.process(exchange({}))
  const refused = shadow.process(exchange({ status: 401, error: { code: 'INVALID_API_KEY', message: 'Invalid or expired API key.' } }))!
  expect(refused).toMatchObject({ keyAcceptedBefore: true, answer: { status: 200 } })
  expect(shadow.process(exchange({ status: 401, error: { code: 'INVALID_API_KEY', message: 'Invalid or expired API key.' } }))!.answer.status).toBe(401)
})

it('writes the records as first seen and the key as a placeholder with the permissions proven', () => {
  const shadow = mirror()
  shadow.process(exchange({}))
  shadow.process(exchange({ method: 'PATCH', path: '/external/v1/opportunities/opp_1/stage', requestBody: '{"status":"won"}', data: { id: 'opp_1', name: 'Ana', status: 'won', won_at: '2024-01-25T10:00:00Z', updated_at: '2024-01-25T10:00:00Z' } }))
  const fixtures = shadow.fixtures() as { apiKeys: Array<{ key: string; permissions: string[] }>; opportunities: Array<{ status: string }> }
  expect(fixtures.apiKeys.map((key) => [key.key, key.permissions])).toEqual([['gr_recorded_1', ['opportunities:read', 'opportunities:write']]])
  expect(fixtures.opportunities.map((opportunity) => opportunity.status)).toEqual(['qualified'])
  expect(JSON.stringify(fixtures)).not.toContain('live_key_1')
})

const contact = { id: 'cnt_1', name: 'Ana', email: 'ana@acme.example', phone: null, company: 'Acme', position: null, source: 'other', linkedin_url: null, tags: [], custom_fields: {}, created_at: '2024-01-15T10:30:00Z', updated_at: '2024-01-20T14:00:00Z' }
const contactsPage = (contacts: object[], total = contacts.length) => ({ contacts, pagination: { page: 1, limit: 20, total, total_pages: Math.ceil(total / 20) } })
const get = (path: string, data: unknown) => exchange({ path, data })
const listed = (answer: { body: unknown }) => {
  const data = (answer.body as { data: { contacts: Array<{ id: string; company: string | null }>; pagination: { total: number } } }).data
  return { ids: data.contacts.map((item) => item.id), total: data.pagination.total }
}

it('writes a record the target changed through the store, so the mock\'s list filters and totals follow it', () => {
  const shadow = mirror()
  shadow.process(get('/external/v1/contacts/cnt_1', contact))
  const changed = { ...contact, company: 'Beta', updated_at: '2024-01-21T09:00:00Z' }
  // Changed outside the traffic: the target's next answer shows it, and the mock follows.
  shadow.process(get('/external/v1/contacts/cnt_1', changed))
  const beta = shadow.process(exchange({ path: '/external/v1/contacts', query: 'company=Beta', data: contactsPage([changed]) }))!
  expect(listed(beta.answer)).toEqual({ ids: ['cnt_1'], total: 1 })
  const acme = shadow.process(exchange({ path: '/external/v1/contacts', query: 'company=Acme', data: contactsPage([]) }))!
  expect(listed(acme.answer)).toEqual({ ids: [], total: 0 })
})

it('holds a record the target created under the target\'s id, and drops the one the mock made', () => {
  const shadow = mirror()
  shadow.process(get('/external/v1/contacts/cnt_1', contact))
  const created = { ...contact, id: '7d3c9a52-created', name: 'Bruno', email: 'bruno@acme.example', created_at: '2024-01-22T08:00:00Z', updated_at: '2024-01-22T08:00:00Z' }
  const create = shadow.process(exchange({ method: 'POST', path: '/external/v1/contacts', requestBody: '{"name":"Bruno","email":"bruno@acme.example"}', status: 201, data: created }))!
  expect(create.answer.status).toBe(201)
  const mockId = (create.answer.body as { data: { id: string } }).data.id
  expect(mockId).not.toBe(created.id)
  const again = shadow.process(get(`/external/v1/contacts/${created.id}`, created))!
  expect(again).toMatchObject({ comparable: true, answer: { status: 200, body: { data: { id: created.id, name: 'Bruno' } } } })
  expect(shadow.process(exchange({ path: `/external/v1/contacts/${mockId}`, status: 404, error: { code: 'NOT_FOUND', message: 'Contact not found' } }))!.answer.status).toBe(404)
  const all = shadow.process(exchange({ path: '/external/v1/contacts', data: contactsPage([created, contact]) }))!
  expect(listed(all.answer)).toEqual({ ids: [created.id, 'cnt_1'], total: 2 })
  // The fixtures hold what was there before the traffic: the created record is left out.
  expect((shadow.fixtures() as { contacts: Array<{ id: string }> }).contacts.map((record) => record.id)).toEqual(['cnt_1'])
})

it('forgets a record the target deleted: a later GET answers 404 in the mock as at the target, and the fixtures keep it', () => {
  const shadow = mirror()
  shadow.process(get('/external/v1/contacts/cnt_1', contact))
  const deleted = shadow.process(exchange({ method: 'DELETE', path: '/external/v1/contacts/cnt_1', responseBody: JSON.stringify({ success: true, message: 'Contact deleted successfully' }) }))!
  expect(deleted.answer.status).toBe(200)
  const after = shadow.process(exchange({ path: '/external/v1/contacts/cnt_1', status: 404, error: { code: 'NOT_FOUND', message: 'Contact not found' } }))!
  expect(after).toMatchObject({ comparable: true, answer: { status: 404 } })
  expect(listed(shadow.process(exchange({ path: '/external/v1/contacts', data: contactsPage([]) }))!.answer)).toEqual({ ids: [], total: 0 })
  expect((shadow.fixtures() as { contacts: Array<{ id: string }> }).contacts.map((record) => record.id)).toEqual(['cnt_1'])
})

it('answers 409 ALREADY_EXISTS as the target does to a create with the e-mail a contact took outside the traffic', () => {
  const shadow = mirror()
  shadow.process(get('/external/v1/contacts/cnt_1', contact))
  // Another client changed the address: the target's next answer shows it, the mock follows.
  shadow.process(get('/external/v1/contacts/cnt_1', { ...contact, email: 'ana.new@acme.example' }))
  const conflict = (email: string) =>
    shadow.process(exchange({ method: 'POST', path: '/external/v1/contacts', requestBody: JSON.stringify({ name: 'Ana again', email }), status: 409, error: { code: 'ALREADY_EXISTS', message: 'Contact with this email already exists' } }))!
  expect(conflict('ana.new@acme.example').answer.status).toBe(409)
  expect(conflict('ana.new@acme.example').behaviour).toBe('alreadyExists')
  // The old address is free again: the mock creates, the target's refusal is a difference.
  expect(conflict('ana@acme.example').answer.status).toBe(201)
})

it('fills in what a list item left out from a later answer instead of answering defaults, and writes the campaigns and users records name', () => {
  const shadow = mirror()
  const item = { id: 'opp_1', name: 'Ana', email: null, phone: null, company: null, position: null, status: 'qualified', source: 'linkedin', deal_value: 100, deal_currency: 'BRL', campaign_id: 'camp_1', responsible_user_id: 'usr_1', created_at: '2024-01-15T10:30:00Z', updated_at: '2024-01-20T14:00:00Z' }
  shadow.process(exchange({ path: '/external/v1/opportunities', data: { opportunities: [item], pagination: { page: 1, limit: 20, total: 1, total_pages: 1 } } }))
  const { campaign_id: _campaign, responsible_user_id: _user, ...fields } = item
  const whole = { ...fields, linkedin_url: 'https://linkedin.com/in/ana', notes: 'Met at the fair', campaign: { id: 'camp_1', name: 'Fair' }, responsible_user: { id: 'usr_1', name: 'Maria' }, won_at: null, lost_at: null }
  const read = shadow.process(get('/external/v1/opportunities/opp_1', whole))!
  expect((read.answer.body as { data: unknown }).data).toEqual(whole)
  const fixtures = shadow.fixtures() as { campaigns: unknown[]; users: unknown[]; opportunities: Array<Record<string, unknown>>; accounts: Array<{ id: string }> }
  const account = fixtures.accounts[0]!.id
  expect(fixtures.campaigns).toEqual([{ id: 'camp_1', account, name: 'Fair' }])
  expect(fixtures.users).toEqual([{ id: 'usr_1', account, name: 'Maria' }])
  expect(fixtures.opportunities[0]).toMatchObject({ notes: 'Met at the fair', campaign: { id: 'camp_1', name: 'Fair' }, responsible_user: { id: 'usr_1', name: 'Maria' } })
})

it('takes in the user a create assigns when the target accepts it, so the mock accepts it too', () => {
  const shadow = mirror()
  const created = { id: 'opp_9', name: 'Caio', status: 'new', source: 'other', deal_currency: 'BRL', responsible_user_id: 'usr_7', created_at: '2024-01-22T08:00:00Z' }
  const create = shadow.process(exchange({ method: 'POST', path: '/external/v1/opportunities', requestBody: '{"name":"Caio","responsible_user_id":"usr_7"}', status: 201, data: created }))!
  expect(create.answer.status).toBe(201)
  expect(create.behaviour).toBe('createdForUser')
})

it('counts records the traffic creates and deletes towards maxRecords only while they are held', () => {
  const notices: string[] = []
  const shadow = createMirror({ consumer: 'c', maxRecords: 3, maxKeys: 10, onNotice: (message) => notices.push(message) })
  const create = (index: number) => {
    const created = { ...contact, id: `created_${index}`, email: `c${index}@acme.example` }
    const body = JSON.stringify({ name: 'Ana', email: created.email })
    return shadow.process(exchange({ method: 'POST', path: '/external/v1/contacts', requestBody: body, status: 201, data: created }))!
  }
  for (let index = 0; index < 50; index++) {
    expect(create(index).answer.status).toBe(201)
    shadow.process(exchange({ method: 'DELETE', path: `/external/v1/contacts/created_${index}`, responseBody: JSON.stringify({ success: true, message: 'Contact deleted successfully' }) }))
  }
  expect(notices).toEqual([])
  for (let index = 50; index < 54; index++) create(index)
  expect(notices).toEqual(['The recorder holds 3 records, the most it keeps (maxRecords, --max-records); later records are forwarded but neither written to the fixtures nor shadowed.'])
  // Held: the three it could keep; the fourth is not in the mock, so a request naming it is not compared.
  expect(shadow.process(get('/external/v1/contacts/created_52', { ...contact, id: 'created_52' }))!.comparable).toBe(true)
  expect(shadow.process(get('/external/v1/contacts/created_53', { ...contact, id: 'created_53' }))!.comparable).toBe(false)
})

it('gives a key seen after two accounts merged an account of its own', () => {
  const shadow = mirror()
  const read = (key: string, id: string) => shadow.process(exchange({ requestHeaders: { 'x-api-key': key }, path: `/external/v1/contacts/${id}`, data: { ...contact, id } }))
  read('key_a', 'cnt_a')
  read('key_b', 'cnt_b')
  // key_a sees key_b's record: one account for both.
  read('key_a', 'cnt_b')
  read('key_c', 'cnt_c')
  const fixtures = shadow.fixtures() as { apiKeys: Array<{ key: string; account: string }>; accounts: Array<{ id: string }> }
  const accountOf = new Map(fixtures.apiKeys.map((key) => [key.key, key.account]))
  expect(accountOf.get('gr_recorded_1')).toBe(accountOf.get('gr_recorded_2'))
  expect(accountOf.get('gr_recorded_3')).not.toBe(accountOf.get('gr_recorded_1'))
  expect(fixtures.accounts).toHaveLength(2)
})
