// A worked example for provider teams: a tiny GetRaze-like provider that, like the production
// service, generates its own opportunity ids (UUIDs), plus the provider-state endpoint that
// getraze-mock's pacts need, covering all six states, built with createProviderStateHandler from
// getraze-mock/provider. Pact POSTs {state, params, action} to the endpoint; for `setup` it
// answers with the values it generated ({ "id": "..." }), which Pact injects into the
// interaction's path and expected body.
//
// Run it: `npx tsx examples/provider/createExampleProvider.ts`, then
// `npx getraze-mock verify --provider-base-url http://127.0.0.1:3000 \
//    --provider-states-setup-url http://127.0.0.1:3000/_pact/provider-states`.
import { createHash, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, Server } from 'node:http'
// In your own provider: import { createProviderStateHandler } from 'getraze-mock/provider'
import { createProviderStateHandler } from '../../src/provider/index.js'

const statuses = ['new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost']

interface StoredKey {
  permissions: string[]
  revoked: boolean
  expired: boolean
  used: number
  limit: number
}

interface StoredOpportunity {
  id: string
  name: string
  status: string
  won_at: string | null
  lost_at: string | null
  updated_at: string
}

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

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = ''
  for await (const chunk of request) text += chunk
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Creates the example provider (not listening). Every request it serves is recorded in
 * `requests` so tests can see which ids arrived.
 */
export function createExampleProvider(options: ExampleProviderOptions = {}) {
  const keys = new Map<string, StoredKey>()
  const opportunities = new Map<string, StoredOpportunity>()
  const requests: string[] = []
  const pickId = (given: unknown) => (options.ids === 'accept' && typeof given === 'string' ? given : randomUUID())

  // The provider-state endpoint, from getraze-mock/provider: one function per state the pacts
  // use (a missing one is a type error), params already validated. Each creates what it names
  // and returns what the interaction needs injected; teardown clears everything so interactions
  // stay independent.
  const writer = ['opportunities:read', 'opportunities:write']
  const providerStates = createProviderStateHandler(
    {
      'an opportunity exists': ({ id, name = 'John Doe', status = 'new' }) => {
        const stored = pickId(id)
        opportunities.set(stored, { id: stored, name, status, won_at: null, lost_at: null, updated_at: now() })
        return { id: stored }
      },
      // An id this provider never handed out, in its own format.
      'no opportunity exists': ({ id }) => {
        const unused = pickId(id)
        opportunities.delete(unused)
        return { id: unused }
      },
      'an API key exists': ({ key, permissions }) => {
        keys.set(hashKey(key), { permissions, revoked: false, expired: false, used: 0, limit: 1000 })
      },
      'an API key has been revoked': ({ key }) => {
        keys.set(hashKey(key), { permissions: writer, revoked: true, expired: false, used: 0, limit: 1000 })
      },
      'an API key has expired': ({ key }) => {
        keys.set(hashKey(key), { permissions: writer, revoked: false, expired: true, used: 0, limit: 1000 })
      },
      // A used-up hourly allowance: the counter at the limit, so the next request is a 429.
      'an API key has used its hourly rate limit': ({ key }) => {
        keys.set(hashKey(key), { permissions: writer, revoked: false, expired: false, used: 100, limit: 100 })
      },
    },
    {
      teardown: () => {
        keys.clear()
        opportunities.clear()
      },
    },
  )

  function updateStage(id: string, apiKey: string | undefined, body: unknown) {
    const error = (status: number, code: string, message: string, extra: object = {}) => ({
      status,
      body: { success: false, error: { code, message, ...extra } },
    })
    if (!apiKey) return { ...error(401, 'MISSING_API_KEY', 'API key is required'), headers: {} }
    const key = keys.get(hashKey(apiKey))
    if (!key || key.revoked) return { ...error(401, 'INVALID_API_KEY', 'Invalid API key'), headers: {} }
    if (key.expired) return { ...error(401, 'EXPIRED_API_KEY', 'API key has expired'), headers: {} }
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
      return { ...error(429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded', { retry_after: retryAfter }), headers }
    }
    if (!key.permissions.some((p) => p === 'opportunities:write' || p === 'opportunities:*' || p === '*')) {
      return { ...error(403, 'INSUFFICIENT_PERMISSIONS', 'Missing opportunities:write'), headers }
    }
    const status = (body as { status?: unknown } | undefined)?.status
    if (typeof status !== 'string' || !statuses.includes(status)) {
      return { ...error(400, 'INVALID_STATUS', 'Status value is not valid'), headers }
    }
    const opportunity = opportunities.get(id)
    if (!opportunity) return { ...error(404, 'NOT_FOUND', 'Opportunity not found'), headers }
    const timestamp = now()
    opportunity.status = status
    opportunity.updated_at = timestamp
    if (status === 'won') opportunity.won_at = timestamp
    if (status === 'lost') opportunity.lost_at = timestamp
    const data: Record<string, unknown> = { id, name: opportunity.name, status }
    if (status === 'won') data.won_at = opportunity.won_at
    if (status === 'lost') data.lost_at = opportunity.lost_at
    data.updated_at = timestamp
    return { status: 200, body: { success: true, data }, headers }
  }

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://provider.local')
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers })
      response.end(JSON.stringify(body))
    }
    if (url.pathname === '/_pact/provider-states') {
      providerStates(request, response)
      return
    }
    const match = url.pathname.match(/^\/external\/v1\/opportunities\/([^/]+)\/stage$/)
    if (request.method === 'PATCH' && match) {
      requests.push(url.pathname)
      const apiKey = (request.headers['x-api-key'] as string | undefined) ?? request.headers.authorization?.replace(/^Bearer /, '')
      const result = updateStage(decodeURIComponent(match[1]!), apiKey, await readJson(request))
      send(result.status, result.body, result.headers)
      return
    }
    send(404, { success: false, error: { code: 'NOT_FOUND', message: 'Route not found' } })
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
