// An Express provider for provider teams to copy: the GetRaze stage endpoint on a store of its
// own (a small repository layer, as a real provider has over its database), with the
// provider-state endpoint from getraze-mock/provider mounted next to it. Its own ids are UUIDs;
// keys are stored as hashes; rate-limit counters live on the key row.
//
// Run it: `npx tsx examples/provider/createExpressProvider.ts`, then
// `npx getraze-mock verify --provider-base-url http://127.0.0.1:3000 \
//    --provider-states-setup-url http://127.0.0.1:3000/_pact/provider-states`.
import { createHash, randomUUID } from 'node:crypto'
import express from 'express'
import type { Express } from 'express'
// In your own provider: import { createProviderStateHandler } from 'getraze-mock/provider'
import { createProviderStateHandler } from '../../src/provider/index.js'

/** This provider's own pipeline; the documented statuses map onto it (see the README's guide). */
const pipeline = ['new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const
type Stage = (typeof pipeline)[number]

interface KeyRow {
  hash: string
  permissions: string[]
  revokedAt: Date | null
  expiresAt: Date | null
  hourlyLimit: number
  usedThisHour: number
}

interface OpportunityRow {
  id: string
  name: string
  stage: Stage
  wonAt: Date | null
  lostAt: Date | null
  createdAt: Date
  updatedAt: Date
}

/** The provider's store: what its states and its endpoint both go through. */
export function createStore() {
  const keys = new Map<string, KeyRow>()
  const opportunities = new Map<string, OpportunityRow>()
  const hash = (key: string) => createHash('sha256').update(key).digest('hex')
  return {
    insertKey(key: string, row: Partial<Omit<KeyRow, 'hash'>> = {}) {
      const stored: KeyRow = { hash: hash(key), permissions: ['opportunities:read', 'opportunities:write'], revokedAt: null, expiresAt: null, hourlyLimit: 1000, usedThisHour: 0, ...row }
      keys.set(stored.hash, stored)
      return stored
    },
    findKey: (key: string) => keys.get(hash(key)),
    insertOpportunity(row: { name: string; stage: Stage }) {
      const now = new Date()
      const stored: OpportunityRow = { id: randomUUID(), wonAt: null, lostAt: null, createdAt: now, updatedAt: now, ...row }
      opportunities.set(stored.id, stored)
      return stored
    },
    findOpportunity: (id: string) => opportunities.get(id),
    truncate() {
      keys.clear()
      opportunities.clear()
    },
  }
}

export type ExampleStore = ReturnType<typeof createStore>

const timestamp = (date: Date) => `${date.toISOString().slice(0, 19)}Z`

/** Creates the Express app (not listening) over a store. */
export function createExpressProvider(store: ExampleStore = createStore()): Express {
  const app = express()
  app.use(express.json())

  app.post(
    '/_pact/provider-states',
    createProviderStateHandler(
      {
        'an opportunity exists': ({ name = 'John Doe', status = 'new' }) => ({ id: store.insertOpportunity({ name, stage: status }).id }),
        // A UUID nobody inserted: this provider's own form, so the lookup answers 404.
        'no opportunity exists': () => ({ id: randomUUID() }),
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
      },
      { teardown: () => store.truncate() },
    ),
  )

  app.patch('/external/v1/opportunities/:id/stage', (request, response) => {
    const fail = (status: number, code: string, message: string, extra: object = {}) =>
      response.status(status).json({ success: false, error: { code, message, ...extra } })
    const given = request.get('x-api-key') ?? request.get('authorization')?.replace(/^Bearer /, '') ?? (request.query.api_key as string | undefined)
    if (!given) return fail(401, 'MISSING_API_KEY', 'API key is required')
    const key = store.findKey(given)
    if (!key || key.revokedAt) return fail(401, 'INVALID_API_KEY', 'The API key is invalid or has been revoked.')
    if (key.expiresAt && key.expiresAt <= new Date()) return fail(401, 'EXPIRED_API_KEY', 'The API key has expired.')
    const reset = Math.ceil(Date.now() / 3_600_000) * 3600
    const limited = key.usedThisHour >= key.hourlyLimit
    if (!limited) key.usedThisHour++
    response.set({ 'X-RateLimit-Limit': String(key.hourlyLimit), 'X-RateLimit-Remaining': String(key.hourlyLimit - key.usedThisHour), 'X-RateLimit-Reset': String(reset) })
    if (limited) {
      const retryAfter = Math.max(1, reset - Math.floor(Date.now() / 1000))
      response.set('Retry-After', String(retryAfter))
      return fail(429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded.', { retry_after: retryAfter })
    }
    if (!key.permissions.some((permission) => ['opportunities:write', 'opportunities:*', '*'].includes(permission))) {
      return fail(403, 'INSUFFICIENT_PERMISSIONS', 'This API key lacks the opportunities:write permission.')
    }
    const stage = (request.body as { status?: unknown } | undefined)?.status
    if (typeof stage !== 'string' || !(pipeline as readonly string[]).includes(stage)) return fail(400, 'INVALID_STATUS', 'Status value is not valid')
    const opportunity = store.findOpportunity(request.params.id)
    if (!opportunity) return fail(404, 'NOT_FOUND', 'Opportunity not found')
    const now = new Date()
    opportunity.stage = stage as Stage
    opportunity.updatedAt = now
    if (stage === 'won') opportunity.wonAt = now
    if (stage === 'lost') opportunity.lostAt = now
    return response.json({
      success: true,
      data: {
        id: opportunity.id,
        name: opportunity.name,
        status: opportunity.stage,
        ...(opportunity.wonAt ? { won_at: timestamp(opportunity.wonAt) } : {}),
        ...(opportunity.lostAt ? { lost_at: timestamp(opportunity.lostAt) } : {}),
        updated_at: timestamp(opportunity.updatedAt),
      },
    })
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
