// A target for `getraze-mock record --shadow` that behaves as the production GetRaze provider
// was seen to (issues 9 and 18), with data of its own instead of provider states, since the
// recorder sees only traffic:
// - `data` is the whole stored row: columns the docs never mention (account_id, stage_id,
//   pipeline_id, score, ...), some documented fields renamed (title for position, profile_url
//   for linkedin_url, campaign_id/campaign_name for campaign, responsible_user_name for
//   responsible_user);
// - timestamps with milliseconds (2024-01-20T14:00:00.123Z);
// - an unknown status is 400 VALIDATION_ERROR, not INVALID_STATUS;
// - the newer version (`requireStageId`) needs `stage_id` in the stage body: 400
//   VALIDATION_ERROR "stage_id is required";
// - an expired key is 401 INVALID_API_KEY "Invalid or expired API key.";
// - 429 without a Retry-After header; 403 with extra required_permission and current_permissions.
// And on the contacts endpoints (list, get, create, delete), as a provider on PostgreSQL may:
// - whole rows again (account_id, owner_id, lead_score, deleted_at; title for position,
//   profile_url for linkedin_url), timestamps with milliseconds;
// - the list ignores sort_by and sort_order: oldest first, where the docs sort newest first;
// - a create with an e-mail another contact holds is the database's unique-constraint error as
//   400 VALIDATION_ERROR, not 409 ALREADY_EXISTS;
// - a delete answers 204 with no body, not 200 with a message.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { readJson } from './readJson.js'

const statuses = ['new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost']

interface Key {
  permissions: string[]
  limit: number
  used: number
  expired: boolean
}

export type Row = Record<string, unknown> & { id: string; status: string }

/** A stored row as this provider keeps it, with every column it answers. */
export function driftingRow(id: string, overrides: Partial<Row> = {}): Row {
  return {
    id,
    account_id: '5b0c3a52-8a43-4c2e-9a56-1f1f0e9f6a01',
    name: 'Ana Lima',
    email: 'ana.lima@acme.example',
    phone: '+5511988887777',
    company: 'Acme',
    title: 'CTO',
    status: 'qualified',
    stage_id: '0d3f7a3e-59a4-4f7e-9d0c-3c0b2a8f1e11',
    pipeline_id: '9a1e2b3c-4d5e-6f70-8192-a3b4c5d6e7f8',
    source: 'linkedin',
    deal_value: 12000,
    deal_currency: 'BRL',
    profile_url: 'https://linkedin.com/in/analima',
    notes: 'Met at the fair',
    campaign_id: 'camp_fair24',
    campaign_name: 'Fair 2024',
    responsible_user_name: 'Sales Rep',
    tags: [],
    score: 42,
    won_at: null,
    lost_at: null,
    created_at: '2024-01-15T10:30:00.000Z',
    updated_at: '2024-01-20T14:00:00.123Z',
    ...overrides,
  }
}

export type ContactRow = Record<string, unknown> & { id: string }

/** A stored contact row as this provider keeps it. */
export function driftingContact(id: string, overrides: Partial<ContactRow> = {}): ContactRow {
  return {
    id,
    account_id: '5b0c3a52-8a43-4c2e-9a56-1f1f0e9f6a01',
    owner_id: '77a0c3e1-2b4d-4f6a-8c9e-0d1e2f3a4b5c',
    name: 'Carla Reis',
    email: 'carla.reis@acme.example',
    phone: null,
    company: 'Acme',
    title: 'Buyer',
    source: 'linkedin',
    profile_url: null,
    tags: ['fair'],
    custom_fields: {},
    lead_score: 7,
    deleted_at: null,
    created_at: '2024-01-10T09:00:00.000Z',
    updated_at: '2024-01-10T09:00:00.000Z',
    ...overrides,
  }
}

/** Creates the drifting target (not listening): its server, and what a test controls in it. */
export function createDriftingTarget() {
  const keys = new Map<string, Key>()
  const rows = new Map<string, Row>()
  const contacts = new Map<string, ContactRow>()
  const state = { requireStageId: false }

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://provider.local')
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers })
      response.end(JSON.stringify(body))
    }
    const fail = (status: number, code: string, message: string, headers: Record<string, string> = {}, extra: object = {}) =>
      send(status, { success: false, error: { code, message, ...extra } }, headers)

    const stage = url.pathname.match(/^\/external\/v1\/opportunities\/([^/]+)\/stage$/)
    const get = url.pathname.match(/^\/external\/v1\/opportunities\/([^/]+)$/)
    const contactList = url.pathname === '/external/v1/contacts' && (request.method === 'GET' || request.method === 'POST')
    const contact = url.pathname.match(/^\/external\/v1\/contacts\/([^/]+)$/)
    const onContact = contact !== null && (request.method === 'GET' || request.method === 'DELETE')
    if (!(request.method === 'PATCH' && stage) && !(request.method === 'GET' && get) && !contactList && !onContact) return fail(404, 'NOT_FOUND', 'Route not found')

    const apiKey = request.headers['x-api-key'] as string | undefined
    if (!apiKey) return fail(401, 'MISSING_API_KEY', 'API key is required')
    const key = keys.get(apiKey)
    if (!key || key.expired) return fail(401, 'INVALID_API_KEY', 'Invalid or expired API key.')
    const reset = String(Math.ceil(Date.now() / 3_600_000) * 3600)
    if (key.used >= key.limit) {
      // No Retry-After: clients must read the reset header.
      return fail(429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded', { 'X-RateLimit-Limit': String(key.limit), 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset })
    }
    key.used++
    const limits = { 'X-RateLimit-Limit': String(key.limit), 'X-RateLimit-Remaining': String(key.limit - key.used), 'X-RateLimit-Reset': reset }
    const needed = contactList || onContact
      ? `contacts:${request.method === 'GET' ? 'read' : request.method === 'DELETE' ? 'delete' : 'write'}`
      : stage
        ? 'opportunities:write'
        : 'opportunities:read'
    if (!key.permissions.includes(needed)) {
      return fail(403, 'INSUFFICIENT_PERMISSIONS', 'Insufficient permissions', limits, { required_permission: needed, current_permissions: key.permissions })
    }
    if (contactList && request.method === 'GET') {
      // Oldest first, whatever sort_by and sort_order say.
      const listed = [...contacts.values()].sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)))
      const page = Number(url.searchParams.get('page') ?? 1)
      const limit = Number(url.searchParams.get('limit') ?? 20)
      const items = listed.slice((page - 1) * limit, page * limit)
      return send(200, { success: true, data: { contacts: items, pagination: { page, limit, total: listed.length, total_pages: Math.ceil(listed.length / limit) } } }, limits)
    }
    if (contactList) {
      const body = (await readJson(request)) as { name?: unknown; email?: unknown } | undefined
      if (typeof body?.name !== 'string' || body.name.trim() === '') return fail(400, 'VALIDATION_ERROR', 'name is required', limits)
      if (typeof body.email === 'string' && [...contacts.values()].some((row) => row.email === body.email)) {
        return fail(400, 'VALIDATION_ERROR', 'duplicate key value violates unique constraint "contacts_account_id_email_key"', limits)
      }
      const now = new Date().toISOString()
      const row = driftingContact(randomUUID(), { ...(body as object), tags: [], source: 'other', lead_score: 0, created_at: now, updated_at: now })
      contacts.set(row.id, row)
      return send(201, { success: true, data: row }, limits)
    }
    if (onContact) {
      const row = contacts.get(decodeURIComponent(contact![1]!))
      if (!row) return fail(404, 'NOT_FOUND', 'Contact not found', limits)
      if (request.method === 'GET') return send(200, { success: true, data: row }, limits)
      contacts.delete(row.id)
      response.writeHead(204, limits)
      response.end()
      return
    }
    const id = decodeURIComponent((stage ?? get)![1]!)
    if (get) {
      const row = rows.get(id)
      return row ? send(200, { success: true, data: row }, limits) : fail(404, 'NOT_FOUND', 'Opportunity not found', limits)
    }
    // The body is validated before the lookup.
    const body = (await readJson(request)) as { stage_id?: unknown; status?: unknown } | undefined
    if (state.requireStageId && typeof body?.stage_id !== 'string') return fail(400, 'VALIDATION_ERROR', 'stage_id is required', limits)
    if (typeof body?.status !== 'string' || !statuses.includes(body.status)) {
      return fail(400, 'VALIDATION_ERROR', `status must be one of: ${statuses.join(', ')}`, limits)
    }
    const row = rows.get(id)
    if (!row) return fail(404, 'NOT_FOUND', 'Opportunity not found', limits)
    const from = row.status
    const now = new Date().toISOString()
    row.status = body.status
    row.updated_at = now
    if (body.status === 'won') row.won_at = now
    if (body.status === 'lost') row.lost_at = now
    return send(200, { success: true, data: row, stage_change: { from, to: body.status } }, limits)
  })

  return {
    server,
    /** Makes the newer version: the stage body needs `stage_id`. */
    state,
    addKey(key: string, options: { permissions?: string[]; limit?: number; used?: number } = {}) {
      const permissions = options.permissions ?? ['contacts:read', 'contacts:write', 'contacts:delete', 'opportunities:read', 'opportunities:write']
      keys.set(key, { permissions, limit: options.limit ?? 1000, used: options.used ?? 0, expired: false })
    },
    /** The key expires now: from here on it is INVALID_API_KEY, as production answers it. */
    expire(key: string) {
      keys.get(key)!.expired = true
    },
    addRow(row: Row) {
      rows.set(row.id, row)
      return row
    },
    rows,
    addContact(row: ContactRow) {
      contacts.set(row.id, row)
      return row
    },
    contacts,
  }
}
