// An Express provider for provider teams to copy: the eleven GetRaze endpoints on a store of its
// own (a small repository layer with rows in the provider's own shape, as a real provider has
// over its database), with the provider-state endpoint from getraze-mock/provider mounted next
// to it. Its own ids are UUIDs; keys are stored as hashes; rate-limit counters live on the key
// row; rows hold Dates and camelCase columns, and the API's JSON is mapped from them at the edge.
//
// Run it: `npx tsx examples/provider/createExpressProvider.ts`, then
// `npx getraze-mock verify --provider-base-url http://127.0.0.1:3000 \
//    --provider-states-setup-url http://127.0.0.1:3000/_pact/provider-states`.
import { createHash, randomUUID } from 'node:crypto'
import express from 'express'
import type { Express, NextFunction, Request, Response } from 'express'
// In your own provider: import { createProviderStateHandler } from 'getraze-mock/provider'
import { createProviderStateHandler } from '../../src/provider/index.js'
import type { ProviderStateHandlers } from '../../src/provider/index.js'

/** This provider's own pipeline; the documented statuses map onto it (see the README's guide). */
const pipeline = ['new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const
type Stage = (typeof pipeline)[number]
const leadSources = ['linkedin', 'google_maps', 'list', 'paid_traffic', 'other'] as const

interface KeyRow {
  hash: string
  tenantId: string
  permissions: string[]
  revokedAt: Date | null
  expiresAt: Date | null
  hourlyLimit: number
  usedThisHour: number
}

interface PersonColumns {
  fullName: string
  emailAddress: string | null
  phoneNumber: string | null
  companyName: string | null
  jobTitle: string | null
  leadSource: string
  linkedinUrl: string | null
}

interface ContactRow extends PersonColumns {
  id: string
  tenantId: string
  labels: string[]
  extra: Record<string, string | number | boolean | null>
  createdAt: Date
  updatedAt: Date
}

interface OpportunityRow extends PersonColumns {
  id: string
  tenantId: string
  stage: Stage
  dealValue: number | null
  currency: string
  notes: string | null
  campaign: { id: string; name: string } | null
  ownerId: string | null
  wonAt: Date | null
  lostAt: Date | null
  createdAt: Date
  updatedAt: Date
}

interface UserRow {
  id: string
  tenantId: string
  displayName: string
}

/** The tenant the provider states create their rows in (the key states name none). */
const testTenant = 'tenant_pact'

/** The provider's store: what its states and its endpoints both go through. */
export function createStore() {
  const keys = new Map<string, KeyRow>()
  const contacts = new Map<string, ContactRow>()
  const opportunities = new Map<string, OpportunityRow>()
  const users = new Map<string, UserRow>()
  const hash = (key: string) => createHash('sha256').update(key).digest('hex')
  const person = (row: Partial<PersonColumns>): PersonColumns => ({
    fullName: 'John Doe',
    emailAddress: null,
    phoneNumber: null,
    companyName: null,
    jobTitle: null,
    leadSource: 'other',
    linkedinUrl: null,
    ...row,
  })
  return {
    insertKey(key: string, row: Partial<Omit<KeyRow, 'hash'>> = {}) {
      const stored: KeyRow = { hash: hash(key), tenantId: testTenant, permissions: ['opportunities:read', 'opportunities:write'], revokedAt: null, expiresAt: null, hourlyLimit: 1000, usedThisHour: 0, ...row }
      keys.set(stored.hash, stored)
      return stored
    },
    findKey: (key: string) => keys.get(hash(key)),
    insertContact(row: Partial<Omit<ContactRow, 'id' | 'createdAt' | 'updatedAt'>> & { tenantId: string }) {
      const now = new Date()
      const stored: ContactRow = { id: randomUUID(), labels: [], extra: {}, createdAt: now, updatedAt: now, ...person(row), ...row }
      contacts.set(stored.id, stored)
      return stored
    },
    findContact: (tenantId: string, id: string) => (contacts.get(id)?.tenantId === tenantId ? contacts.get(id) : undefined),
    contactsOf: (tenantId: string) => [...contacts.values()].filter((row) => row.tenantId === tenantId),
    deleteContact: (id: string) => contacts.delete(id),
    insertOpportunity(row: Partial<Omit<OpportunityRow, 'id' | 'createdAt' | 'updatedAt'>> & { tenantId: string }) {
      const now = new Date()
      const stored: OpportunityRow = {
        id: randomUUID(),
        stage: 'new',
        dealValue: null,
        currency: 'BRL',
        notes: null,
        campaign: null,
        ownerId: null,
        wonAt: null,
        lostAt: null,
        createdAt: now,
        updatedAt: now,
        ...person(row),
        ...row,
      }
      opportunities.set(stored.id, stored)
      return stored
    },
    findOpportunity: (tenantId: string, id: string) => (opportunities.get(id)?.tenantId === tenantId ? opportunities.get(id) : undefined),
    opportunitiesOf: (tenantId: string) => [...opportunities.values()].filter((row) => row.tenantId === tenantId),
    deleteOpportunity: (id: string) => opportunities.delete(id),
    upsertUser: (row: UserRow) => users.set(row.id, row),
    findUser: (tenantId: string, id: string) => (users.get(id)?.tenantId === tenantId ? users.get(id) : undefined),
    truncate() {
      keys.clear()
      contacts.clear()
      opportunities.clear()
      users.clear()
    },
  }
}

export type ExampleStore = ReturnType<typeof createStore>

const timestamp = (date: Date) => `${date.toISOString().slice(0, 19)}Z`

// --- From the API's JSON to rows and back ---------------------------------------------------

/** The API's person fields and the provider's columns for them. */
const personColumns = {
  name: 'fullName',
  email: 'emailAddress',
  phone: 'phoneNumber',
  company: 'companyName',
  position: 'jobTitle',
  source: 'leadSource',
  linkedin_url: 'linkedinUrl',
} as const satisfies Record<string, keyof PersonColumns>

function contactJson(row: ContactRow) {
  return {
    id: row.id,
    name: row.fullName,
    email: row.emailAddress,
    phone: row.phoneNumber,
    company: row.companyName,
    position: row.jobTitle,
    source: row.leadSource,
    linkedin_url: row.linkedinUrl,
    tags: row.labels,
    custom_fields: row.extra,
    created_at: timestamp(row.createdAt),
    updated_at: timestamp(row.updatedAt),
  }
}

function opportunityJson(row: OpportunityRow, owner: UserRow | undefined) {
  return {
    id: row.id,
    name: row.fullName,
    email: row.emailAddress,
    phone: row.phoneNumber,
    company: row.companyName,
    position: row.jobTitle,
    status: row.stage,
    source: row.leadSource,
    deal_value: row.dealValue,
    deal_currency: row.currency,
    linkedin_url: row.linkedinUrl,
    notes: row.notes,
    campaign: row.campaign,
    responsible_user: owner ? { id: owner.id, name: owner.displayName } : null,
    won_at: row.wonAt && timestamp(row.wonAt),
    lost_at: row.lostAt && timestamp(row.lostAt),
    created_at: timestamp(row.createdAt),
    updated_at: timestamp(row.updatedAt),
  }
}

/** The list page's item: the ids of the campaign and the assigned user rather than the objects. */
function opportunityListItem(row: OpportunityRow) {
  return {
    id: row.id,
    name: row.fullName,
    email: row.emailAddress,
    phone: row.phoneNumber,
    company: row.companyName,
    position: row.jobTitle,
    status: row.stage,
    source: row.leadSource,
    deal_value: row.dealValue,
    deal_currency: row.currency,
    campaign_id: row.campaign?.id ?? null,
    responsible_user_id: row.ownerId,
    created_at: timestamp(row.createdAt),
    updated_at: timestamp(row.updatedAt),
  }
}

// --- Errors in the documented envelope ------------------------------------------------------

class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
  }
}

const invalidField = (fields: Record<string, string>) =>
  new ApiProblem(400, 'VALIDATION_ERROR', `Validation failed: ${Object.values(fields).join('; ')}.`, { fields })

/** A body field's rule: `undefined` when the value fits, else what is wrong with it. */
type Rule = (value: unknown) => string | undefined
const rules = {
  name: ((value) => (typeof value === 'string' && value.trim() !== '' ? undefined : 'Name must be a non-blank string')) as Rule,
  text: (label: string): Rule => (value) => (value === null || typeof value === 'string' ? undefined : `${label} must be a string or null`),
  email: ((value) =>
    value === null || (typeof value === 'string' && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value)) ? undefined : 'Email format is invalid') as Rule,
  choice: (label: string, values: readonly string[]): Rule => (value) => (values.includes(value as string) ? undefined : `${label} must be one of ${values.join(', ')}`),
  amount: ((value) => (value === null || (typeof value === 'number' && value >= 0) ? undefined : 'Deal value must be a number that is not negative')) as Rule,
  currency: ((value) => (typeof value === 'string' && /^[A-Z]{3}$/.test(value) ? undefined : 'Deal currency must be a code such as BRL')) as Rule,
  tags: ((value) => (Array.isArray(value) && value.every((tag) => typeof tag === 'string' && tag.trim() !== '') ? undefined : 'Tags must be an array of strings')) as Rule,
  customFields: ((value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => item === null || typeof item !== 'object')
      ? undefined
      : 'Custom fields must be an object of flat values') as Rule,
  userId: ((value) => (value === null || (typeof value === 'string' && value !== '') ? undefined : 'Responsible user id must be a string')) as Rule,
}

/**
 * Reads a JSON object body through the rules, in their order: a required field missing, or the
 * first value that does not fit. A field with a code of its own (the page lists one) answers
 * that code; the others answer VALIDATION_ERROR with every field that failed.
 */
function readBody(request: Request, fieldRules: Record<string, Rule>, options: { required?: string[]; codes?: Record<string, string> } = {}): Record<string, unknown> {
  const body = request.body as unknown
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiProblem(400, 'VALIDATION_ERROR', 'The body must be a JSON object.')
  const given = body as Record<string, unknown>
  const failed: Record<string, string> = {}
  for (const [field, rule] of Object.entries(fieldRules)) {
    if (given[field] === undefined) {
      if (options.required?.includes(field)) failed[field] = `${field.charAt(0).toUpperCase()}${field.slice(1)} is required`
      continue
    }
    const problem = rule(given[field])
    if (problem) failed[field] = problem
  }
  const [first] = Object.keys(failed)
  if (first === undefined) return given
  const code = options.codes?.[first]
  if (code) throw new ApiProblem(400, code, failed[first]!, { field: first })
  throw invalidField(failed)
}

const contactRules = {
  name: rules.name,
  email: rules.email,
  phone: rules.text('Phone'),
  company: rules.text('Company'),
  position: rules.text('Position'),
  linkedin_url: rules.text('LinkedIn URL'),
  source: rules.choice('Source', leadSources),
  tags: rules.tags,
  custom_fields: rules.customFields,
}

const opportunityRules = {
  name: rules.name,
  email: rules.email,
  phone: rules.text('Phone'),
  company: rules.text('Company'),
  position: rules.text('Position'),
  status: rules.choice('Status', pipeline),
  source: rules.choice('Source', leadSources),
  deal_value: rules.amount,
  deal_currency: rules.currency,
  linkedin_url: rules.text('LinkedIn URL'),
  notes: rules.text('Notes'),
  responsible_user_id: rules.userId,
}

/** The person columns a body sets. */
function personChanges(body: Record<string, unknown>): Partial<PersonColumns> {
  const changes: Record<string, unknown> = {}
  for (const [field, column] of Object.entries(personColumns)) if (body[field] !== undefined) changes[column] = body[field]
  return changes as Partial<PersonColumns>
}

// --- Lists ---------------------------------------------------------------------------------

interface ListOptions<Row> {
  filters: Record<string, { column: (row: Row) => unknown; values?: readonly string[]; caseInsensitive?: boolean; everyOf?: boolean }>
  sortable: Record<string, (row: Row) => string | number | null>
  search: (row: Row) => Array<string | null>
}

/** One page of rows by the documented query parameters; a parameter that does not fit is a 400 INVALID_PARAMETER. */
function pageOf<Row extends { id: string; createdAt: Date }>(rows: Row[], query: Request['query'], options: ListOptions<Row>) {
  const param = (name: string) => {
    const value = query[name]
    if (Array.isArray(value)) throw new ApiProblem(400, 'INVALID_PARAMETER', `Give the query parameter "${name}" once.`, { parameter: name })
    return typeof value === 'string' && value !== '' ? value : undefined
  }
  const refuse = (name: string, allowed: string) => new ApiProblem(400, 'INVALID_PARAMETER', `The query parameter "${name}" must be ${allowed}.`, { parameter: name, received: param(name) })
  const count = (name: string, fallback: number, max: number) => {
    const value = param(name) ?? String(fallback)
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw refuse(name, `a whole number from 1 to ${max}`)
    return Number(value)
  }
  const page = count('page', 1, 1_000_000)
  const limit = count('limit', 20, 100)
  const sortBy = param('sort_by') ?? 'created_at'
  if (!(sortBy in options.sortable)) throw refuse('sort_by', `one of ${Object.keys(options.sortable).join(', ')}`)
  const order = param('sort_order') ?? 'desc'
  if (order !== 'asc' && order !== 'desc') throw refuse('sort_order', 'asc or desc')
  let matching = rows
  for (const [name, filter] of Object.entries(options.filters)) {
    const wanted = param(name)
    if (wanted === undefined) continue
    if (filter.values && !filter.values.includes(wanted)) throw refuse(name, `one of ${filter.values.join(', ')}`)
    matching = matching.filter((row) => {
      const held = filter.column(row)
      if (filter.everyOf) return wanted.split(',').map((item) => item.trim()).filter(Boolean).every((item) => (held as string[]).includes(item))
      return filter.caseInsensitive ? String(held ?? '').toLowerCase() === wanted.toLowerCase() : held === wanted
    })
  }
  const search = param('search')?.toLowerCase()
  if (search) matching = matching.filter((row) => options.search(row).some((value) => value?.toLowerCase().includes(search)))
  const key = options.sortable[sortBy]!
  const sign = order === 'asc' ? 1 : -1
  const sorted = [...matching].sort((a, b) => {
    const [x, y] = [key(a), key(b)]
    // Rows without the value: last going up, first going down; ties by creation, then id.
    const byValue = x === y ? 0 : x === null ? 1 : y === null ? -1 : typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en', { sensitivity: 'base' })
    return sign * (byValue || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
  })
  return { rows: sorted.slice((page - 1) * limit, page * limit), pagination: { page, limit, total: sorted.length, total_pages: Math.ceil(sorted.length / limit) } }
}

// --- The app -------------------------------------------------------------------------------

/** Creates the Express app (not listening) over a store. */
export function createExpressProvider(store: ExampleStore = createStore()): Express {
  const app = express()
  app.use(express.json())

  const stateHandlers = {
    'an opportunity exists': ({ id: _id, status = 'new', campaign = null, responsible_user = null, deal_value = null, deal_currency = 'BRL', notes = null, ...person }) => {
      const at = new Date()
      if (responsible_user) store.upsertUser({ id: responsible_user.id, tenantId: testTenant, displayName: responsible_user.name })
      const row = store.insertOpportunity({
        tenantId: testTenant,
        ...personChanges(person),
        stage: status,
        dealValue: deal_value,
        currency: deal_currency ?? 'BRL',
        notes,
        campaign,
        ownerId: responsible_user?.id ?? null,
        wonAt: status === 'won' ? at : null,
        lostAt: status === 'lost' ? at : null,
      })
      return { id: row.id }
    },
    // A UUID nobody inserted: this provider's own form, so the lookup answers 404.
    'no opportunity exists': () => ({ id: randomUUID() }),
    'a contact exists': ({ id: _id, tags = [], custom_fields = {}, ...person }) => ({
      id: store.insertContact({ tenantId: testTenant, ...personChanges(person), labels: tags, extra: custom_fields }).id,
    }),
    'no contact exists': () => ({ id: randomUUID() }),
    // Users keep the pact's ids: requests assign opportunities by them.
    'a user exists': ({ id, name = 'Sales Rep' }) => {
      store.upsertUser({ id, tenantId: testTenant, displayName: name })
      return { id }
    },
    'an API key exists': ({ key, permissions }) => {
      store.insertKey(key, { permissions })
    },
    'an API key has been revoked': ({ key }) => {
      store.insertKey(key, { revokedAt: new Date() })
    },
    'an API key has expired': ({ key }) => {
      store.insertKey(key, { expiresAt: new Date(Date.now() - 86_400_000) })
    },
    // Seeding a used-up rate limit: the counter at the limit, so the next request is a 429.
    'an API key has used its hourly rate limit': ({ key }) => {
      store.insertKey(key, { hourlyLimit: 100, usedThisHour: 100 })
    },
  } satisfies ProviderStateHandlers
  app.post('/_pact/provider-states', createProviderStateHandler(stateHandlers, { teardown: () => store.truncate() }))

  /** The key's checks for one permission, as middleware: 401s, the hour's counter and its headers, then 403. */
  const requireKey = (permission: string) => (request: Request, response: Response, next: NextFunction) => {
    const given = request.get('x-api-key') ?? request.get('authorization')?.replace(/^Bearer /i, '') ?? (request.query.api_key as string | undefined)
    if (!given) return next(new ApiProblem(401, 'MISSING_API_KEY', 'API key is required'))
    const key = store.findKey(given)
    if (!key || key.revokedAt) return next(new ApiProblem(401, 'INVALID_API_KEY', 'The API key is invalid or has been revoked.'))
    if (key.expiresAt && key.expiresAt <= new Date()) return next(new ApiProblem(401, 'EXPIRED_API_KEY', 'The API key has expired.'))
    const reset = Math.ceil(Date.now() / 3_600_000) * 3600
    const limited = key.usedThisHour >= key.hourlyLimit
    if (!limited) key.usedThisHour++
    response.set({ 'X-RateLimit-Limit': String(key.hourlyLimit), 'X-RateLimit-Remaining': String(key.hourlyLimit - key.usedThisHour), 'X-RateLimit-Reset': String(reset) })
    if (limited) {
      const retryAfter = Math.max(1, reset - Math.floor(Date.now() / 1000))
      response.set('Retry-After', String(retryAfter))
      return response.status(429).json({ success: false, error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Rate limit exceeded.', retry_after: retryAfter } })
    }
    const family = permission.split(':')[0]
    if (!key.permissions.some((held) => held === permission || held === `${family}:*` || held === '*')) {
      return next(new ApiProblem(403, 'INSUFFICIENT_PERMISSIONS', `This API key lacks the ${permission} permission.`))
    }
    response.locals.tenantId = key.tenantId
    return next()
  }
  const tenant = (response: Response) => response.locals.tenantId as string

  // Contacts.
  const contactOr404 = (response: Response, id: string) => {
    const row = store.findContact(tenant(response), id)
    if (!row) throw new ApiProblem(404, 'NOT_FOUND', 'Contact not found')
    return row
  }
  const emailTaken = (tenantId: string, email: unknown, except?: string) => {
    if (typeof email !== 'string') return
    const holder = store.contactsOf(tenantId).find((row) => row.id !== except && row.emailAddress?.toLowerCase() === email.toLowerCase())
    if (holder) throw new ApiProblem(409, 'ALREADY_EXISTS', 'Contact with this email already exists', { id: holder.id })
  }

  app.get('/external/v1/contacts', requireKey('contacts:read'), (request, response) => {
    const { rows, pagination } = pageOf(store.contactsOf(tenant(response)), request.query, {
      filters: {
        company: { column: (row) => row.companyName, caseInsensitive: true },
        email: { column: (row) => row.emailAddress, caseInsensitive: true },
        source: { column: (row) => row.leadSource, values: leadSources },
        tags: { column: (row) => row.labels, everyOf: true },
      },
      sortable: {
        created_at: (row) => row.createdAt.getTime(),
        updated_at: (row) => row.updatedAt.getTime(),
        name: (row) => row.fullName,
        email: (row) => row.emailAddress,
        company: (row) => row.companyName,
      },
      search: (row) => [row.fullName, row.emailAddress, row.companyName],
    })
    response.json({ success: true, data: { contacts: rows.map(contactJson), pagination } })
  })

  app.post('/external/v1/contacts', requireKey('contacts:write'), (request, response) => {
    const body = readBody(request, contactRules, { required: ['name'], codes: { email: 'INVALID_EMAIL' } })
    emailTaken(tenant(response), body.email)
    const row = store.insertContact({
      tenantId: tenant(response),
      ...personChanges(body),
      labels: (body.tags as string[] | undefined) ?? [],
      extra: (body.custom_fields as ContactRow['extra'] | undefined) ?? {},
    })
    // The page's answer: the fields sent and the defaults, not every column.
    const json = contactJson(row)
    const shown = Object.entries(json).filter(([field]) => !['email', 'phone', 'company', 'position', 'linkedin_url'].includes(field) || body[field] !== undefined)
    response.status(201).json({ success: true, data: Object.fromEntries(shown) })
  })

  app.get('/external/v1/contacts/:id', requireKey('contacts:read'), (request, response) => {
    response.json({ success: true, data: contactJson(contactOr404(response, String(request.params.id))) })
  })

  app.put('/external/v1/contacts/:id', requireKey('contacts:write'), (request, response) => {
    const { source: _notOnThisPage, ...updatable } = contactRules
    const body = readBody(request, updatable)
    const row = contactOr404(response, String(request.params.id))
    emailTaken(row.tenantId, body.email, row.id)
    Object.assign(row, personChanges(body))
    if (body.tags !== undefined) row.labels = body.tags as string[]
    // Custom fields merge by key; a key sent as null is removed.
    for (const [name, value] of Object.entries((body.custom_fields ?? {}) as ContactRow['extra'])) {
      if (value === null) delete row.extra[name]
      else row.extra[name] = value
    }
    row.updatedAt = new Date()
    response.json({ success: true, data: contactJson(row) })
  })

  app.delete('/external/v1/contacts/:id', requireKey('contacts:delete'), (request, response) => {
    store.deleteContact(contactOr404(response, String(request.params.id)).id)
    response.json({ success: true, message: 'Contact deleted successfully' })
  })

  // Opportunities.
  const opportunityOr404 = (response: Response, id: string) => {
    const row = store.findOpportunity(tenant(response), id)
    if (!row) throw new ApiProblem(404, 'NOT_FOUND', 'Opportunity not found')
    return row
  }
  const ownerFor = (tenantId: string, id: unknown) => {
    if (id === undefined || id === null) return null
    const user = store.findUser(tenantId, String(id))
    if (!user) throw invalidField({ responsible_user_id: 'Responsible user is not a user of this account' })
    return user
  }

  app.get('/external/v1/opportunities', requireKey('opportunities:read'), (request, response) => {
    const { rows, pagination } = pageOf(store.opportunitiesOf(tenant(response)), request.query, {
      filters: {
        status: { column: (row) => row.stage, values: pipeline },
        source: { column: (row) => row.leadSource, values: leadSources },
        campaign_id: { column: (row) => row.campaign?.id },
        responsible_user_id: { column: (row) => row.ownerId },
      },
      sortable: {
        created_at: (row) => row.createdAt.getTime(),
        updated_at: (row) => row.updatedAt.getTime(),
        name: (row) => row.fullName,
        status: (row) => row.stage,
        deal_value: (row) => row.dealValue,
      },
      search: (row) => [row.fullName, row.emailAddress, row.companyName],
    })
    response.json({ success: true, data: { opportunities: rows.map(opportunityListItem), pagination } })
  })

  app.post('/external/v1/opportunities', requireKey('opportunities:write'), (request, response) => {
    const body = readBody(request, opportunityRules, { required: ['name'], codes: { status: 'INVALID_STATUS', source: 'INVALID_SOURCE' } })
    const owner = ownerFor(tenant(response), body.responsible_user_id)
    const stage = (body.status as Stage | undefined) ?? 'new'
    const now = new Date()
    const row = store.insertOpportunity({
      tenantId: tenant(response),
      ...personChanges(body),
      stage,
      dealValue: (body.deal_value as number | null | undefined) ?? null,
      currency: (body.deal_currency as string | undefined) ?? 'BRL',
      notes: (body.notes as string | null | undefined) ?? null,
      ownerId: owner?.id ?? null,
      wonAt: stage === 'won' ? now : null,
      lostAt: stage === 'lost' ? now : null,
    })
    // The page's answer: the fields sent, the defaults, the closing instant of a won or lost one, created_at.
    const { responsible_user: _user, campaign: _campaign, updated_at: _updated, created_at, won_at, lost_at, ...json } = opportunityJson(row, owner ?? undefined)
    const defaults = ['id', 'name', 'status', 'source', 'deal_currency']
    const data: Record<string, unknown> = Object.fromEntries(Object.entries(json).filter(([field]) => defaults.includes(field) || body[field] !== undefined))
    if (body.responsible_user_id !== undefined) data.responsible_user_id = body.responsible_user_id
    response.status(201).json({ success: true, data: { ...data, ...(won_at ? { won_at } : {}), ...(lost_at ? { lost_at } : {}), created_at } })
  })

  app.get('/external/v1/opportunities/:id', requireKey('opportunities:read'), (request, response) => {
    const row = opportunityOr404(response, String(request.params.id))
    response.json({ success: true, data: opportunityJson(row, row.ownerId ? store.findUser(row.tenantId, row.ownerId) : undefined) })
  })

  app.put('/external/v1/opportunities/:id', requireKey('opportunities:write'), (request, response) => {
    const { status: _stage, source: _source, linkedin_url: _url, ...updatable } = opportunityRules
    const body = readBody(request, updatable)
    if (body.status !== undefined) throw invalidField({ status: 'Status can only be changed with PATCH /external/v1/opportunities/:id/stage' })
    const owner = body.responsible_user_id === undefined ? undefined : ownerFor(tenant(response), body.responsible_user_id)
    const row = opportunityOr404(response, String(request.params.id))
    Object.assign(row, personChanges({ ...body, source: undefined, linkedin_url: undefined }))
    if (body.deal_value !== undefined) row.dealValue = body.deal_value as number | null
    if (body.deal_currency !== undefined) row.currency = body.deal_currency as string
    if (body.notes !== undefined) row.notes = body.notes as string | null
    if (owner !== undefined) row.ownerId = owner?.id ?? null
    row.updatedAt = new Date()
    // The page's answer: the fields it always shows, the other fields sent, then updated_at.
    const json = opportunityJson(row, undefined)
    const data: Record<string, unknown> = { id: json.id, name: json.name, email: json.email, company: json.company, status: json.status, deal_value: json.deal_value, deal_currency: json.deal_currency }
    for (const field of Object.keys(updatable)) if (!(field in data) && body[field] !== undefined) data[field] = body[field]
    response.json({ success: true, data: { ...data, updated_at: json.updated_at } })
  })

  app.delete('/external/v1/opportunities/:id', requireKey('opportunities:delete'), (request, response) => {
    store.deleteOpportunity(opportunityOr404(response, String(request.params.id)).id)
    response.json({ success: true, message: 'Opportunity deleted successfully' })
  })

  app.patch('/external/v1/opportunities/:id/stage', requireKey('opportunities:write'), (request, response) => {
    const stage = readBody(request, { status: rules.choice('Status', pipeline) }, { required: ['status'], codes: { status: 'INVALID_STATUS' } }).status as Stage
    const opportunity = opportunityOr404(response, String(request.params.id))
    const now = new Date()
    opportunity.stage = stage
    opportunity.updatedAt = now
    if (stage === 'won') opportunity.wonAt = now
    if (stage === 'lost') opportunity.lostAt = now
    response.json({
      success: true,
      data: {
        id: opportunity.id,
        name: opportunity.fullName,
        status: opportunity.stage,
        ...(stage === 'won' && opportunity.wonAt ? { won_at: timestamp(opportunity.wonAt) } : {}),
        ...(stage === 'lost' && opportunity.lostAt ? { lost_at: timestamp(opportunity.lostAt) } : {}),
        updated_at: timestamp(opportunity.updatedAt),
      },
    })
  })

  // Every problem in the documented envelope; a body that is not JSON is a VALIDATION_ERROR.
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    if (error instanceof ApiProblem) {
      response.status(error.status).json({ success: false, error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } })
      return
    }
    const parseFailed = (error as { type?: string }).type === 'entity.parse.failed'
    response.status(parseFailed ? 400 : 500).json({ success: false, error: { code: parseFailed ? 'VALIDATION_ERROR' : 'INTERNAL_ERROR', message: parseFailed ? 'The body is not valid JSON.' : 'Something went wrong.' } })
  })
  return app
}

// Started directly: listen on port 3000 (or $PORT).
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const port = Number(process.env.PORT ?? 3000)
  createExpressProvider().listen(port, '127.0.0.1', () => {
    console.log(`Express example provider on http://127.0.0.1:${port} (states: POST /_pact/provider-states)`)
  })
}
