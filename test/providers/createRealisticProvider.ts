// A provider that behaves as the production GetRaze provider was seen to behave when
// `getraze-mock verify` was pointed at it (issue 9), written from that description:
// - newer version: the stage body needs `stage_id` (a UUID) and ignores `status`: every
//   documented request gets 400 VALIDATION_ERROR "stage_id is required";
// - older version: `status` is accepted in the provider's own vocabulary (leads, invite_sent,
//   accepted, qualifying, qualified, discarded, scheduled, won, lost); an unknown one is 400
//   VALIDATION_ERROR, not INVALID_STATUS;
// - `data` is the whole stored row (about 40 columns, some renamed: title for position,
//   profile_url for linkedin_url, responsible_user_name/_email for responsible_user) plus a
//   top-level `stage_change: { from, to }`;
// - timestamps with milliseconds (2026-11-25T19:20:04.539Z) or in PostgreSQL's text form
//   (2026-11-25 19:19:01.933483+00);
// - the body is validated before the lookup, so an unknown id is 400; a non-UUID id is 500
//   INTERNAL_ERROR;
// - an expired key is 401 INVALID_API_KEY "Invalid or expired API key.";
// - 429 without a Retry-After header; 403 with extra required_permission and current_permissions.
// Its state endpoint is written with getraze-mock/provider, as a provider team would.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { readJson } from './readJson.js'
import { createProviderStateHandler } from '../../src/provider/index.js'

export interface RealisticProviderOptions {
  /** `newer` requires stage_id; `older` accepts `status` in its own vocabulary. @default 'newer' */
  version?: 'newer' | 'older'
  /**
   * How "an API key exists" stores the key: `upsert` replaces one that is there; `insert` fails
   * on it as PostgreSQL's INSERT does ("duplicate key value violates unique constraint"), which
   * shows when an earlier interaction's teardown did not run (issue 18, item 2).
   * @default 'upsert'
   */
  keyWrites?: 'upsert' | 'insert'
}

const vocabulary = ['leads', 'invite_sent', 'accepted', 'qualifying', 'qualified', 'discarded', 'scheduled', 'won', 'lost']
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

type Row = Record<string, unknown> & { id: string; status: string }

interface Key {
  permissions: string[]
  revoked: boolean
  expired: boolean
  used: number
  limit: number
}

// PostgreSQL's text form of a timestamptz: "2026-11-25 19:19:01.933483+00".
const postgresText = (date: Date) => `${date.toISOString().replace('T', ' ').replace('Z', '')}483+00`

function row(id: string, name: string, status: string): Row {
  const created = new Date(Date.now() - 3_600_000)
  return {
    id,
    account_id: randomUUID(),
    name,
    email: 'john.doe@example.com',
    phone: null,
    company: 'Acme',
    title: 'CTO',
    status,
    stage_id: randomUUID(),
    stage_position: 3,
    pipeline_id: randomUUID(),
    source: 'linkedin',
    deal_value: null,
    deal_currency: 'EUR',
    profile_url: 'https://linkedin.com/in/johndoe',
    notes: null,
    campaign_id: randomUUID(),
    campaign_name: 'Q4 outreach',
    responsible_user_name: 'Ana Lima',
    responsible_user_email: 'ana@example.com',
    tags: [],
    score: 42,
    city: null,
    country: 'BR',
    language: 'pt',
    timezone: 'America/Sao_Paulo',
    industry: null,
    company_size: null,
    avatar_url: null,
    external_ref: null,
    linkedin_connection_status: 'connected',
    invite_sent_at: null,
    accepted_at: null,
    last_activity_at: null,
    next_followup_at: null,
    is_archived: false,
    archived_at: null,
    won_at: null,
    lost_at: null,
    created_at: postgresText(created),
    updated_at: postgresText(created),
  }
}

/** Creates the realistic drifting provider (not listening): `{ server }`. */
export function createRealisticProvider(options: RealisticProviderOptions = {}) {
  const version = options.version ?? 'newer'
  const rows = new Map<string, Row>()
  const keys = new Map<string, Key>()
  const writer = ['opportunities:read', 'opportunities:write']

  const states = createProviderStateHandler(
    {
      // The database issues UUIDs; the pact's example id is ignored.
      'an opportunity exists': ({ name = 'John Doe', status = 'qualified' }) => {
        const id = randomUUID()
        rows.set(id, row(id, name, status))
        return { id }
      },
      'no opportunity exists': () => ({ id: randomUUID() }),
      'an API key exists': ({ key, permissions }) => {
        if (options.keyWrites === 'insert' && keys.has(key)) throw new Error('duplicate key value violates unique constraint "api_keys_pkey"')
        keys.set(key, { permissions, revoked: false, expired: false, used: 0, limit: 1000 })
      },
      'an API key has been revoked': ({ key }) => {
        keys.set(key, { permissions: writer, revoked: true, expired: false, used: 0, limit: 1000 })
      },
      'an API key has expired': ({ key }) => {
        keys.set(key, { permissions: writer, revoked: false, expired: true, used: 0, limit: 1000 })
      },
      'an API key has used its hourly rate limit': ({ key }) => {
        keys.set(key, { permissions: writer, revoked: false, expired: false, used: 100, limit: 100 })
      },
    },
    {
      teardown: () => {
        rows.clear()
        keys.clear()
      },
    },
  )

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://provider.local')
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers })
      response.end(JSON.stringify(body))
    }
    const fail = (status: number, code: string, message: string, headers: Record<string, string> = {}, extra: object = {}) =>
      send(status, { success: false, error: { code, message, ...extra } }, headers)

    if (url.pathname === '/_pact/provider-states') return states(request, response)
    if (url.pathname === '/health') return send(200, { ok: true })
    const match = url.pathname.match(/^\/external\/v1\/opportunities\/([^/]+)\/stage$/)
    if (request.method !== 'PATCH' || !match) return fail(404, 'NOT_FOUND', 'Route not found')

    const apiKey = request.headers['x-api-key'] as string | undefined
    if (!apiKey) return fail(401, 'MISSING_API_KEY', 'API key is required')
    const key = keys.get(apiKey)
    if (!key || key.revoked || key.expired) return fail(401, 'INVALID_API_KEY', 'Invalid or expired API key.')
    const reset = String(Math.ceil(Date.now() / 3_600_000) * 3600)
    if (key.used >= key.limit) {
      // No Retry-After: clients must read the reset header.
      return fail(429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded', { 'X-RateLimit-Limit': String(key.limit), 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset })
    }
    key.used++
    const limits = { 'X-RateLimit-Limit': String(key.limit), 'X-RateLimit-Remaining': String(key.limit - key.used), 'X-RateLimit-Reset': reset }
    if (!key.permissions.includes('opportunities:write')) {
      return fail(403, 'INSUFFICIENT_PERMISSIONS', 'Insufficient permissions', limits, {
        required_permission: 'opportunities:write',
        current_permissions: key.permissions,
      })
    }
    // The body is validated before the lookup.
    const body = (await readJson(request)) as { stage_id?: unknown; status?: unknown } | undefined
    let status: string
    if (version === 'newer') {
      if (typeof body?.stage_id !== 'string' || !uuid.test(body.stage_id)) return fail(400, 'VALIDATION_ERROR', 'stage_id is required', limits)
      status = 'qualifying'
    } else {
      if (typeof body?.status !== 'string' || !vocabulary.includes(body.status)) {
        return fail(400, 'VALIDATION_ERROR', `status must be one of: ${vocabulary.join(', ')}`, limits)
      }
      status = body.status
    }
    const id = decodeURIComponent(match[1]!)
    // The database rejects a non-UUID id, and nothing catches it.
    if (!uuid.test(id)) return fail(500, 'INTERNAL_ERROR', 'invalid input syntax for type uuid', limits)
    const stored = rows.get(id)
    if (!stored) return fail(404, 'NOT_FOUND', 'Opportunity not found', limits)
    const from = stored.status
    const now = new Date()
    stored.status = status
    stored.updated_at = now.toISOString()
    if (status === 'won') stored.won_at = now.toISOString()
    if (status === 'lost') stored.lost_at = now.toISOString()
    return send(200, { success: true, data: stored, stage_change: { from, to: status } }, limits)
  })
  return { server }
}
