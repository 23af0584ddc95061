// A worked example for provider teams: a small GetRaze-like provider serving the eleven
// documented endpoints (contacts and opportunities: list, get, create, update, delete, and the
// stage update) on an in-memory store of its own, written from the API reference and the
// fidelity notes, not from getraze-mock's code. Like the production service it generates its own
// ids (UUIDs). Next to it sits the provider-state endpoint that getraze-mock's pacts need,
// covering every state, built with createProviderStateHandler from getraze-mock/provider. Pact
// POSTs {state, params, action} to the endpoint; for `setup` it answers with the values it
// generated ({ "id": "..." }), which Pact injects into the interaction's path and expected body.
//
// Run it: `npx tsx examples/provider/createExampleProvider.ts`, then
// `npx getraze-mock verify --provider-base-url http://127.0.0.1:3000 \
//    --provider-states-setup-url http://127.0.0.1:3000/_pact/provider-states`.
import { createHash, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, Server } from 'node:http'
// In your own provider: import { createProviderStateHandler } from 'getraze-mock/provider'
import { createProviderStateHandler } from '../../src/provider/index.js'
import type { ProviderStateHandlers } from '../../src/provider/index.js'

const statuses = ['new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost']
const sources = ['linkedin', 'google_maps', 'list', 'paid_traffic', 'other']
/** The account every state creates records in (the key states name none). */
const stateAccount = 'acc_states'

interface StoredKey {
  account: string
  permissions: string[]
  revoked: boolean
  expired: boolean
  used: number
  limit: number
}

type Json = Record<string, unknown>
/** A stored record: the documented fields, plus the account it belongs to. */
type Stored = Json & { id: string; account: string; created_at: string; updated_at: string }

export interface ExampleProviderOptions {
  /**
   * `generate`: ids are the provider's own UUIDs, whatever the state's params say (production).
   * `accept`: a state's `id` param is used as the id.
   * @default 'generate'
   */
  ids?: 'generate' | 'accept'
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
// Like a real provider, store only a hash of each key: any key a consumer picks can be stored.
const hashKey = (key: string) => createHash('sha256').update(key).digest('hex')

async function readBody(request: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of request) text += chunk
  return text
}

/** An answer: status, body and the headers to send with it. */
interface Answer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

const fail = (status: number, code: string, message: string, details?: Json): Answer => ({
  status,
  body: { success: false, error: { code, message, ...(details ? { details } : {}) } },
})

// The documented resources, field by field, in the order the get pages show them.
const contactFields = ['name', 'email', 'phone', 'company', 'position', 'source', 'linkedin_url', 'tags', 'custom_fields']
const opportunityFields = ['name', 'email', 'phone', 'company', 'position', 'status', 'source', 'deal_value', 'deal_currency', 'linkedin_url', 'notes']

/** One field's check: the sentence a `details.fields` entry gives, or nothing when it fits. */
type Check = (value: unknown) => string | undefined
const name: Check = (value) => (typeof value === 'string' && value.trim() !== '' ? undefined : 'must be a non-blank string')
const text: Check = (value) => (value === null || typeof value === 'string' ? undefined : 'must be a string or null')
const email: Check = (value) => text(value) ?? (value === null || /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value as string) ? undefined : 'format is invalid')
const oneOf = (values: string[]): Check => (value) => (values.includes(value as string) ? undefined : `must be one of ${values.join(', ')}`)
const amount: Check = (value) => (value === null || (typeof value === 'number' && Number.isFinite(value) && value >= 0) ? undefined : 'must be a number that is not negative, or null')
const currency: Check = (value) => (typeof value === 'string' && /^[A-Z]{3}$/.test(value) ? undefined : 'must be a three-letter currency code such as BRL')
const tags: Check = (value) => (Array.isArray(value) && value.every((tag) => typeof tag === 'string' && tag.trim() !== '') ? undefined : 'must be an array of non-blank strings')
const customFields: Check = (value) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item))
    ? undefined
    : 'must be an object of flat values'
const reference: Check = (value) => (value === null || (typeof value === 'string' && value !== '') ? undefined : 'must be a user id or null')

/** How a write endpoint reads its body: each field's check, and the page's own code for some fields. */
interface BodyRules {
  required?: string[]
  fields: Record<string, Check>
  /** Field → [code, message]: the error a page lists for that field. */
  codes?: Record<string, [string, string]>
}

const contactBody: BodyRules = {
  fields: { name, email, phone: text, company: text, position: text, linkedin_url: text, source: oneOf(sources), tags, custom_fields: customFields },
}
const opportunityBody: BodyRules = {
  fields: {
    name,
    email,
    phone: text,
    company: text,
    position: text,
    status: oneOf(statuses),
    source: oneOf(sources),
    deal_value: amount,
    deal_currency: currency,
    linkedin_url: text,
    notes: text,
    responsible_user_id: reference,
  },
}

/**
 * Validates a body against the rules: a JSON object, the required fields, each field sent. The
 * first failing field answers its page's own code if it has one; otherwise VALIDATION_ERROR
 * lists every failing field ("Name is required").
 */
function validate(raw: string, rules: BodyRules): { body: Json } | { error: Answer } {
  let body: unknown
  try {
    body = JSON.parse(raw)
  } catch {
    return { error: fail(400, 'VALIDATION_ERROR', raw.trim() === '' ? 'Request body is required.' : 'Request body is not valid JSON.') }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: fail(400, 'VALIDATION_ERROR', 'Request body must be a JSON object.') }
  const given = body as Json
  const problems: Record<string, string> = {}
  for (const [field, check] of Object.entries(rules.fields)) {
    const label = field.charAt(0).toUpperCase() + field.slice(1).replace(/_/g, ' ')
    if (given[field] === undefined) {
      if (rules.required?.includes(field)) problems[field] = `${label} is required`
      continue
    }
    const problem = check(given[field])
    if (problem) problems[field] = `${label} ${problem}`
  }
  const first = Object.keys(problems)[0]
  if (first === undefined) return { body: given }
  const own = rules.codes?.[first]
  if (own) return { error: fail(400, own[0], own[1], { field: first }) }
  return { error: fail(400, 'VALIDATION_ERROR', `Validation failed: ${Object.values(problems).join('; ')}.`, { fields: problems }) }
}

/**
 * Creates the example provider (not listening). Every API request it serves is recorded in
 * `requests` (its path) so tests can see which ids arrived.
 */
export function createExampleProvider(options: ExampleProviderOptions = {}) {
  const keys = new Map<string, StoredKey>()
  const contacts = new Map<string, Stored>()
  const opportunities = new Map<string, Stored>()
  const users = new Map<string, { id: string; account: string; name: string }>()
  const requests: string[] = []
  const pickId = (given: unknown) => (options.ids === 'accept' && typeof given === 'string' ? given : randomUUID())

  // The provider-state endpoint, from getraze-mock/provider: one function per state the pacts
  // use, params already validated, and `satisfies ProviderStateHandlers` so that leaving a
  // state out is a type error. Each creates what it names and returns what the interaction needs
  // injected; teardown clears everything so interactions stay independent.
  const writer = ['opportunities:read', 'opportunities:write']
  const states = {
    'an opportunity exists': ({ id, status = 'new', ...fields }) => {
      const stored = pickId(id)
      const at = now()
      opportunities.set(stored, {
        id: stored,
        account: stateAccount,
        name: 'John Doe',
        ...fields,
        status,
        won_at: status === 'won' ? at : null,
        lost_at: status === 'lost' ? at : null,
        created_at: at,
        updated_at: at,
      })
      return { id: stored }
    },
    // An id this provider never handed out, in its own format.
    'no opportunity exists': ({ id }) => {
      const unused = pickId(id)
      opportunities.delete(unused)
      return { id: unused }
    },
    'a contact exists': ({ id, ...fields }) => {
      const stored = pickId(id)
      const at = now()
      contacts.set(stored, { id: stored, account: stateAccount, name: 'John Doe', source: 'other', tags: [], custom_fields: {}, ...fields, created_at: at, updated_at: at })
      return { id: stored }
    },
    'no contact exists': ({ id }) => {
      const unused = pickId(id)
      contacts.delete(unused)
      return { id: unused }
    },
    // Users keep the ids the pact names: an opportunity is assigned by that id.
    'a user exists': ({ id, name = 'Sales Rep' }) => {
      users.set(id, { id, account: stateAccount, name })
      return { id }
    },
    'an API key exists': ({ key, permissions }) => {
      keys.set(hashKey(key), { account: stateAccount, permissions, revoked: false, expired: false, used: 0, limit: 1000 })
    },
    'an API key has been revoked': ({ key }) => {
      keys.set(hashKey(key), { account: stateAccount, permissions: writer, revoked: true, expired: false, used: 0, limit: 1000 })
    },
    'an API key has expired': ({ key }) => {
      keys.set(hashKey(key), { account: stateAccount, permissions: writer, revoked: false, expired: true, used: 0, limit: 1000 })
    },
    // A used-up hourly allowance: the counter at the limit, so the next request is a 429.
    'an API key has used its hourly rate limit': ({ key }) => {
      keys.set(hashKey(key), { account: stateAccount, permissions: writer, revoked: false, expired: false, used: 100, limit: 100 })
    },
  } satisfies ProviderStateHandlers
  const providerStates = createProviderStateHandler(states, {
    teardown: () => {
      keys.clear()
      contacts.clear()
      opportunities.clear()
      users.clear()
    },
  })

  /** The key's checks, in the documented order: present, known and not revoked, not expired, within its hour, allowed. */
  function authorize(apiKey: string | undefined, permission: string): { key: StoredKey; headers: Record<string, string> } | { error: Answer } {
    if (!apiKey) return { error: fail(401, 'MISSING_API_KEY', 'API key is required') }
    const key = keys.get(hashKey(apiKey))
    if (!key || key.revoked) return { error: fail(401, 'INVALID_API_KEY', 'Invalid API key') }
    if (key.expired) return { error: fail(401, 'EXPIRED_API_KEY', 'API key has expired') }
    const reset = Math.ceil(Date.now() / 3_600_000) * 3600
    const limited = key.used >= key.limit
    if (!limited) key.used++
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(key.limit),
      'X-RateLimit-Remaining': String(key.limit - key.used),
      'X-RateLimit-Reset': String(reset),
    }
    if (limited) {
      const retryAfter = Math.max(1, reset - Math.floor(Date.now() / 1000))
      headers['Retry-After'] = String(retryAfter)
      const error = fail(429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded')
      ;(error.body as { error: Json }).error.retry_after = retryAfter
      return { error: { ...error, headers } }
    }
    const resource = permission.split(':')[0]
    if (!key.permissions.some((held) => held === permission || held === `${resource}:*` || held === '*')) {
      return { error: { ...fail(403, 'INSUFFICIENT_PERMISSIONS', `Missing ${permission}`), headers } }
    }
    return { key, headers }
  }

  // --- Contacts ---------------------------------------------------------------------------

  const contactOut = (record: Stored): Json => ({
    id: record.id,
    ...Object.fromEntries(contactFields.map((field) => [field, record[field] ?? (field === 'tags' ? [] : field === 'custom_fields' ? {} : null)])),
    created_at: record.created_at,
    updated_at: record.updated_at,
  })

  /** Another contact of the account that has this e-mail address, compared ignoring case. */
  const emailHolder = (account: string, address: unknown, except?: string) =>
    typeof address === 'string' ? [...contacts.values()].find((record) => record.account === account && record.id !== except && String(record.email ?? '').toLowerCase() === address.toLowerCase()) : undefined

  function createContact(account: string, raw: string): Answer {
    const checked = validate(raw, { ...contactBody, required: ['name'], codes: { email: ['INVALID_EMAIL', 'Email format is invalid.'] } })
    if ('error' in checked) return checked.error
    const { body } = checked
    const holder = emailHolder(account, body.email)
    if (holder) return fail(409, 'ALREADY_EXISTS', 'Contact with this email already exists', { id: holder.id })
    const at = now()
    const record: Stored = { id: randomUUID(), account, source: 'other', tags: [], custom_fields: {}, created_at: at, updated_at: at }
    for (const field of contactFields) if (body[field] !== undefined) record[field] = body[field]
    contacts.set(record.id, record)
    // The page's answer: the id, the fields sent, the defaults, the timestamps.
    const data: Json = { id: record.id }
    for (const field of contactFields) if (body[field] !== undefined || ['source', 'tags', 'custom_fields'].includes(field)) data[field] = record[field]
    return { status: 201, body: { success: true, data: { ...data, created_at: at, updated_at: at } } }
  }

  function updateContact(record: Stored, raw: string): Answer {
    const { source: _source, ...fields } = contactBody.fields
    const checked = validate(raw, { fields })
    if ('error' in checked) return checked.error
    const { body } = checked
    const holder = emailHolder(record.account, body.email, record.id)
    if (holder) return fail(409, 'ALREADY_EXISTS', 'Contact with this email already exists', { id: holder.id })
    for (const field of Object.keys(fields)) {
      if (body[field] === undefined) continue
      // Custom fields merge by key (null removes one); every other field is replaced.
      if (field === 'custom_fields') {
        const merged: Json = { ...(record.custom_fields as Json) }
        for (const [name, value] of Object.entries(body.custom_fields as Json)) {
          if (value === null) delete merged[name]
          else merged[name] = value
        }
        record.custom_fields = merged
      } else record[field] = body[field]
    }
    record.updated_at = now()
    return { status: 200, body: { success: true, data: contactOut(record) } }
  }

  // --- Opportunities ----------------------------------------------------------------------

  const idOf = (value: unknown) => (value && typeof value === 'object' ? (value as { id: string }).id : null)
  const opportunityOut = (record: Stored): Json => ({
    id: record.id,
    ...Object.fromEntries(opportunityFields.map((field) => [field, record[field] ?? (field === 'deal_currency' ? 'BRL' : null)])),
    campaign: record.campaign ?? null,
    responsible_user: record.responsible_user ?? null,
    won_at: record.won_at ?? null,
    lost_at: record.lost_at ?? null,
    created_at: record.created_at,
    updated_at: record.updated_at,
  })
  // The list page shows the ids of the campaign and the user, not the objects.
  const opportunityItem = (record: Stored): Json => {
    const { campaign, responsible_user, won_at: _won, lost_at: _lost, linkedin_url: _url, notes: _notes, created_at, updated_at, ...rest } = opportunityOut(record)
    return { ...rest, campaign_id: idOf(campaign), responsible_user_id: idOf(responsible_user), created_at, updated_at }
  }

  /** The user `responsible_user_id` names, in the caller's account; `undefined` when it names none there. */
  function assignee(account: string, id: unknown): { id: string; name: string } | null | undefined {
    if (id === undefined || id === null) return null
    const user = users.get(String(id))
    return user && user.account === account ? { id: user.id, name: user.name } : undefined
  }

  function createOpportunity(account: string, raw: string): Answer {
    const checked = validate(raw, {
      ...opportunityBody,
      required: ['name'],
      codes: { status: ['INVALID_STATUS', 'Status value is not valid'], source: ['INVALID_SOURCE', 'Source value is not valid'] },
    })
    if ('error' in checked) return checked.error
    const { body } = checked
    const user = assignee(account, body.responsible_user_id)
    if (user === undefined) {
      return fail(400, 'VALIDATION_ERROR', 'Validation failed: responsible user is not a user of this account.', { fields: { responsible_user_id: 'Responsible user is not a user of this account' } })
    }
    const at = now()
    const status = (body.status as string | undefined) ?? 'new'
    const record: Stored = { id: randomUUID(), account, name: '', status, source: 'other', deal_currency: 'BRL', created_at: at, updated_at: at }
    for (const field of opportunityFields) if (body[field] !== undefined) record[field] = body[field]
    record.responsible_user = user
    record.won_at = status === 'won' ? at : null
    record.lost_at = status === 'lost' ? at : null
    opportunities.set(record.id, record)
    // The page's answer: the id, the fields sent with the defaults, then created_at.
    const data: Json = { id: record.id }
    for (const field of opportunityFields) if (body[field] !== undefined || ['status', 'source', 'deal_currency'].includes(field)) data[field] = record[field]
    if (body.responsible_user_id !== undefined) data.responsible_user_id = body.responsible_user_id
    if (record.won_at) data.won_at = record.won_at
    if (record.lost_at) data.lost_at = record.lost_at
    return { status: 201, body: { success: true, data: { ...data, created_at: at } } }
  }

  function updateOpportunity(record: Stored, raw: string): Answer {
    const { status: _status, source: _source, linkedin_url: _url, ...fields } = opportunityBody.fields
    const checked = validate(raw, { fields })
    if ('error' in checked) return checked.error
    const { body } = checked
    // The status moves only through the stage endpoint, as the update page says.
    if (body.status !== undefined) {
      return fail(400, 'VALIDATION_ERROR', 'Validation failed: status changes through PATCH /external/v1/opportunities/:id/stage.', {
        fields: { status: 'Status can only be changed with PATCH /external/v1/opportunities/:id/stage' },
      })
    }
    const user = assignee(record.account, body.responsible_user_id)
    if (user === undefined) {
      return fail(400, 'VALIDATION_ERROR', 'Validation failed: responsible user is not a user of this account.', { fields: { responsible_user_id: 'Responsible user is not a user of this account' } })
    }
    const sent = Object.keys(fields).filter((field) => body[field] !== undefined)
    for (const field of sent) {
      if (field === 'responsible_user_id') record.responsible_user = user
      else record[field] = body[field]
    }
    record.updated_at = now()
    // The page's answer: what it always shows, then the other fields sent, then updated_at.
    const always = ['name', 'email', 'company', 'status', 'deal_value', 'deal_currency']
    const out = opportunityOut(record)
    const data: Json = { id: record.id, ...Object.fromEntries(always.map((field) => [field, out[field]])) }
    for (const field of sent) if (!always.includes(field)) data[field] = body[field]
    return { status: 200, body: { success: true, data: { ...data, updated_at: record.updated_at } } }
  }

  function updateStage(record: Stored, raw: string): Answer {
    const checked = validate(raw, { required: ['status'], fields: { status: oneOf(statuses) }, codes: { status: ['INVALID_STATUS', 'Status value is not valid'] } })
    if ('error' in checked) return checked.error
    const status = checked.body.status as string
    const at = now()
    record.status = status
    record.updated_at = at
    if (status === 'won') record.won_at = at
    if (status === 'lost') record.lost_at = at
    const data: Json = { id: record.id, name: record.name, status }
    if (status === 'won') data.won_at = record.won_at
    if (status === 'lost') data.lost_at = record.lost_at
    data.updated_at = at
    return { status: 200, body: { success: true, data } }
  }

  // --- Lists ------------------------------------------------------------------------------

  interface Listing {
    filters: Record<string, { of: (record: Stored) => unknown; allowed?: string[]; ignoreCase?: boolean; all?: boolean }>
    sortable: string[]
  }
  const contactListing: Listing = {
    filters: {
      company: { of: (record) => record.company, ignoreCase: true },
      email: { of: (record) => record.email, ignoreCase: true },
      source: { of: (record) => record.source, allowed: sources },
      tags: { of: (record) => record.tags, all: true },
    },
    sortable: ['created_at', 'updated_at', 'name', 'email', 'company'],
  }
  const opportunityListing: Listing = {
    filters: {
      status: { of: (record) => record.status, allowed: statuses },
      source: { of: (record) => record.source, allowed: sources },
      campaign_id: { of: (record) => idOf(record.campaign) },
      responsible_user_id: { of: (record) => idOf(record.responsible_user) },
    },
    sortable: ['created_at', 'updated_at', 'name', 'status', 'deal_value'],
  }

  function list(records: Iterable<Stored>, account: string, query: URLSearchParams, listing: Listing, plural: string, show: (record: Stored) => Json): Answer {
    const given = new Map<string, string>()
    for (const [name, value] of query) {
      if (name === 'api_key' || value === '') continue
      if (given.has(name)) return fail(400, 'INVALID_PARAMETER', `Query parameter "${name}" is given more than once.`, { parameter: name, received: value })
      given.set(name, value)
    }
    const bad = (name: string, allows: string) => fail(400, 'INVALID_PARAMETER', `Query parameter "${name}" must be ${allows}.`, { parameter: name, received: given.get(name) })
    const whole = (name: string, max: number, fallback: number) => {
      const value = given.get(name)
      if (value === undefined) return fallback
      return /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= max ? Number(value) : undefined
    }
    const page = whole('page', 1_000_000, 1)
    if (page === undefined) return bad('page', 'a whole number from 1')
    const limit = whole('limit', 100, 20)
    if (limit === undefined) return bad('limit', 'a whole number from 1 to 100')
    const sortBy = given.get('sort_by') ?? 'created_at'
    if (!listing.sortable.includes(sortBy)) return bad('sort_by', `one of ${listing.sortable.join(', ')}`)
    const order = given.get('sort_order') ?? 'desc'
    if (order !== 'asc' && order !== 'desc') return bad('sort_order', 'asc or desc')
    for (const [name, filter] of Object.entries(listing.filters)) {
      const value = given.get(name)
      if (value !== undefined && filter.allowed && !filter.allowed.includes(value)) return bad(name, `one of ${filter.allowed.join(', ')}`)
    }
    const search = given.get('search')?.toLowerCase()
    const same = (a: unknown, b: string, ignoreCase?: boolean) => (ignoreCase ? String(a ?? '').toLowerCase() === b.toLowerCase() : a === b)
    const matching = [...records].filter((record) => {
      if (record.account !== account) return false
      if (search && !['name', 'email', 'company'].some((field) => String(record[field] ?? '').toLowerCase().includes(search))) return false
      return Object.entries(listing.filters).every(([name, filter]) => {
        const value = given.get(name)
        if (value === undefined) return true
        const held = filter.of(record)
        if (filter.all) return value.split(',').map((item) => item.trim()).filter(Boolean).every((item) => Array.isArray(held) && held.includes(item))
        return same(held, value, filter.ignoreCase)
      })
    })
    // Missing values last when ascending, first when descending; ties by created_at, then id.
    const key = (record: Stored) => record[sortBy] ?? null
    const compare = (a: Stored, b: Stored) => {
      const [x, y] = [key(a), key(b)]
      if (x === y) return 0
      if (x === null) return 1
      if (y === null) return -1
      return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).toLowerCase().localeCompare(String(y).toLowerCase())
    }
    const direction = order === 'asc' ? 1 : -1
    matching.sort((a, b) => direction * (compare(a, b) || a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id)))
    const items = matching.slice((page - 1) * limit, page * limit).map(show)
    return { status: 200, body: { success: true, data: { [plural]: items, pagination: { page, limit, total: matching.length, total_pages: Math.ceil(matching.length / limit) } } } }
  }

  // --- Routing ----------------------------------------------------------------------------

  interface Route {
    method: string
    pattern: RegExp
    permission: string
    handle(match: { id: string | undefined; account: string; query: URLSearchParams; body: string }): Answer
  }
  const found = (records: Map<string, Stored>, id: string | undefined, account: string) => {
    const record = id === undefined ? undefined : records.get(id)
    return record && record.account === account ? record : undefined
  }
  const missing = (label: string) => fail(404, 'NOT_FOUND', `${label} not found`)
  const routes: Route[] = [
    { method: 'GET', pattern: /^\/external\/v1\/contacts$/, permission: 'contacts:read', handle: ({ account, query }) => list(contacts.values(), account, query, contactListing, 'contacts', contactOut) },
    { method: 'POST', pattern: /^\/external\/v1\/contacts$/, permission: 'contacts:write', handle: ({ account, body }) => createContact(account, body) },
    {
      method: 'GET',
      pattern: /^\/external\/v1\/contacts\/([^/]+)$/,
      permission: 'contacts:read',
      handle: ({ id, account }) => {
        const record = found(contacts, id, account)
        return record ? { status: 200, body: { success: true, data: contactOut(record) } } : missing('Contact')
      },
    },
    {
      method: 'PUT',
      pattern: /^\/external\/v1\/contacts\/([^/]+)$/,
      permission: 'contacts:write',
      handle: ({ id, account, body }) => {
        const record = found(contacts, id, account)
        return record ? updateContact(record, body) : missing('Contact')
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/external\/v1\/contacts\/([^/]+)$/,
      permission: 'contacts:delete',
      handle: ({ id, account }) => {
        const record = found(contacts, id, account)
        if (!record) return missing('Contact')
        contacts.delete(record.id)
        return { status: 200, body: { success: true, message: 'Contact deleted successfully' } }
      },
    },
    {
      method: 'GET',
      pattern: /^\/external\/v1\/opportunities$/,
      permission: 'opportunities:read',
      handle: ({ account, query }) => list(opportunities.values(), account, query, opportunityListing, 'opportunities', opportunityItem),
    },
    { method: 'POST', pattern: /^\/external\/v1\/opportunities$/, permission: 'opportunities:write', handle: ({ account, body }) => createOpportunity(account, body) },
    {
      method: 'GET',
      pattern: /^\/external\/v1\/opportunities\/([^/]+)$/,
      permission: 'opportunities:read',
      handle: ({ id, account }) => {
        const record = found(opportunities, id, account)
        return record ? { status: 200, body: { success: true, data: opportunityOut(record) } } : missing('Opportunity')
      },
    },
    {
      method: 'PUT',
      pattern: /^\/external\/v1\/opportunities\/([^/]+)$/,
      permission: 'opportunities:write',
      handle: ({ id, account, body }) => {
        const record = found(opportunities, id, account)
        return record ? updateOpportunity(record, body) : missing('Opportunity')
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/external\/v1\/opportunities\/([^/]+)$/,
      permission: 'opportunities:delete',
      handle: ({ id, account }) => {
        const record = found(opportunities, id, account)
        if (!record) return missing('Opportunity')
        opportunities.delete(record.id)
        return { status: 200, body: { success: true, message: 'Opportunity deleted successfully' } }
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/external\/v1\/opportunities\/([^/]+)\/stage$/,
      permission: 'opportunities:write',
      handle: ({ id, account, body }) => {
        // The body first: an invalid status is answered whatever the id.
        const checked = validate(body, { required: ['status'], fields: { status: oneOf(statuses) }, codes: { status: ['INVALID_STATUS', 'Status value is not valid'] } })
        if ('error' in checked) return checked.error
        const record = found(opportunities, id, account)
        return record ? updateStage(record, body) : missing('Opportunity')
      },
    },
  ]

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://provider.local')
    const send = (answer: Answer) => {
      response.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', ...answer.headers })
      response.end(JSON.stringify(answer.body))
    }
    if (url.pathname === '/_pact/provider-states') {
      providerStates(request, response)
      return
    }
    const onPath = routes.filter((route) => route.pattern.test(url.pathname))
    const route = onPath.find((candidate) => candidate.method === request.method)
    if (!route) {
      if (onPath.length === 0) return send(fail(404, 'NOT_FOUND', 'Route not found'))
      return send({ ...fail(405, 'METHOD_NOT_ALLOWED', 'Method not allowed'), headers: { Allow: onPath.map((candidate) => candidate.method).join(', ') } })
    }
    requests.push(url.pathname)
    const apiKey = (request.headers['x-api-key'] as string | undefined) ?? request.headers.authorization?.replace(/^Bearer /i, '') ?? url.searchParams.get('api_key') ?? undefined
    const body = await readBody(request)
    const auth = authorize(apiKey, route.permission)
    if ('error' in auth) return send(auth.error)
    const match = route.pattern.exec(url.pathname)!
    const answer = route.handle({ id: match[1] === undefined ? undefined : decodeURIComponent(match[1]), account: auth.key.account, query: url.searchParams, body })
    send({ ...answer, headers: { ...auth.headers, ...answer.headers } })
  })

  return { server, requests }
}

// Started directly: listen on port 3000 (or $PORT).
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const port = Number(process.env.PORT ?? 3000)
  createExampleProvider().server.listen(port, '127.0.0.1', () => {
    console.log(`example provider on http://127.0.0.1:${port} (states: POST /_pact/provider-states)`)
  })
}
