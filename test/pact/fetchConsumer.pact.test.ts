// A second consumer with its own client: a hand-written fetch wrapper that sends its key as a
// bearer token (one call uses ?api_key=), picks its own key names, statuses and id, and writes
// its pact to a temporary folder. The kit's builders give it every interaction in a few lines;
// the pact then passes `verify` against the mock.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import { afterAll, expect, it } from 'vitest'
import {
  addExpiredApiKeyInteraction,
  addInsufficientPermissionsInteraction,
  addInvalidStatusInteraction,
  addMissingApiKeyInteraction,
  addMoveToLostInteraction,
  addMoveToOpenStatusInteraction,
  addMoveToWonInteraction,
  addNotFoundInteraction,
  addRateLimitedInteraction,
  addRevokedApiKeyInteraction,
  formatDriftReport,
  reviewPact,
  verifyPacts,
} from '../../src/pact/index.js'

const consumer = 'crm-sync'
const provider = 'getraze-external-api'
const dir = mkdtempSync(join(tmpdir(), 'getraze-crm-sync-pact-'))
const pactFile = join(dir, `${consumer}-${provider}.json`)
const pact = new PactV4({ consumer, provider, dir, logLevel: 'error' })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The consumer's own client: no typed client from the kit, just fetch. */
function createCrmClient(baseUrl: string, key: string | undefined, keyIn: 'bearer' | 'query' = 'bearer') {
  return {
    async setStage(dealId: string, stage: string) {
      const query = key !== undefined && keyIn === 'query' ? `?api_key=${encodeURIComponent(key)}` : ''
      const headers: Record<string, string> = { 'Content-Type': 'application/json' }
      if (key !== undefined && keyIn === 'bearer') headers.Authorization = `Bearer ${key}`
      const response = await fetch(`${baseUrl}/external/v1/opportunities/${encodeURIComponent(dealId)}/stage${query}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ status: stage }),
      })
      const json = (await response.json()) as { success: boolean; data?: Record<string, string>; error?: { code: string; retry_after?: number } }
      return { httpStatus: response.status, json, retryAfter: response.headers.get('retry-after') }
    },
  }
}

const bearer = { apiKeyIn: 'bearer' as const, apiKey: 'crm_sync_writer' }

it('closes a deal as won, sending its key as a bearer token', () =>
  addMoveToWonInteraction(pact, { ...bearer, from: 'proposal', id: 'deal-42' }).executeTest(async (server, request) => {
    const result = await createCrmClient(server.url, request.apiKey).setStage(request.id, request.status)
    expect(result.httpStatus).toBe(200)
    expect(result.json.data).toMatchObject({ id: 'deal-42', status: 'won', won_at: expect.stringMatching(/Z$/) })
  }))

it('closes a deal as lost, sending its key in the query', () =>
  addMoveToLostInteraction(pact, { apiKeyIn: 'query', apiKey: 'crm_sync_writer' }).executeTest(async (server, request) => {
    const result = await createCrmClient(server.url, request.apiKey, 'query').setStage(request.id, request.status)
    expect(result.json.data?.status).toBe('lost')
  }))

it('moves a deal back to contacted', () =>
  addMoveToOpenStatusInteraction(pact, { ...bearer, status: 'contacted', from: 'new' }).executeTest(async (server, request) => {
    const result = await createCrmClient(server.url, request.apiKey).setStage(request.id, request.status)
    expect(result.json.data?.status).toBe('contacted')
  }))

it('sees INVALID_STATUS for a stage GetRaze does not have', () =>
  addInvalidStatusInteraction(pact, { ...bearer, status: 'closed' }).executeTest(async (server, request) => {
    const result = await createCrmClient(server.url, request.apiKey).setStage(request.id, request.status)
    expect([result.httpStatus, result.json.error?.code]).toEqual([400, 'INVALID_STATUS'])
  }))

it('sees NOT_FOUND for a deal GetRaze does not know', () =>
  addNotFoundInteraction(pact, bearer).executeTest(async (server, request) => {
    const result = await createCrmClient(server.url, request.apiKey).setStage(request.id, request.status)
    expect([result.httpStatus, result.json.error?.code]).toEqual([404, 'NOT_FOUND'])
  }))

it('sees MISSING_API_KEY when it is not configured', () =>
  addMissingApiKeyInteraction(pact).executeTest(async (server, request) => {
    const result = await createCrmClient(server.url, undefined).setStage(request.id, request.status)
    expect([result.httpStatus, result.json.error?.code]).toEqual([401, 'MISSING_API_KEY'])
  }))

it('sees INVALID_API_KEY for a revoked key', () =>
  addRevokedApiKeyInteraction(pact, { apiKeyIn: 'bearer', apiKey: 'crm_sync_old' }).executeTest(async (server, request) => {
    const result = await createCrmClient(server.url, request.apiKey).setStage(request.id, request.status)
    expect(result.json.error?.code).toBe('INVALID_API_KEY')
  }))

it('sees EXPIRED_API_KEY for an expired key', () =>
  addExpiredApiKeyInteraction(pact, { apiKeyIn: 'bearer', apiKey: 'crm_sync_expired' }).executeTest(async (server, request) => {
    const result = await createCrmClient(server.url, request.apiKey).setStage(request.id, request.status)
    expect(result.json.error?.code).toBe('EXPIRED_API_KEY')
  }))

it('sees INSUFFICIENT_PERMISSIONS for a read-only key', () =>
  addInsufficientPermissionsInteraction(pact, { apiKeyIn: 'bearer', apiKey: 'crm_sync_reader' }).executeTest(async (server, request) => {
    const result = await createCrmClient(server.url, request.apiKey).setStage(request.id, request.status)
    expect([result.httpStatus, result.json.error?.code]).toEqual([403, 'INSUFFICIENT_PERMISSIONS'])
  }))

it('reads Retry-After when rate limited', () =>
  addRateLimitedInteraction(pact, { apiKeyIn: 'bearer', apiKey: 'crm_sync_busy' }).executeTest(async (server, request) => {
    const result = await createCrmClient(server.url, request.apiKey).setStage(request.id, request.status)
    expect([result.httpStatus, result.retryAfter, result.json.error?.retry_after]).toEqual([429, '3600', 3600])
  }))

it("pins the consumer's own choices in its pact: bearer and query keys, its ids, states and statuses", () => {
  const written = JSON.parse(readFileSync(pactFile, 'utf8')) as { interactions: Array<Record<string, any>> }
  expect(written.interactions).toHaveLength(10)
  const won = written.interactions.find((interaction) => interaction.description === 'a request to move an opportunity to won')!
  expect(won.request.headers.Authorization).toEqual(['Bearer crm_sync_writer'])
  expect(won.request.path).toBe('/external/v1/opportunities/deal-42/stage')
  expect(won.providerStates).toEqual([
    { name: 'an API key exists', params: { key: 'crm_sync_writer', permissions: ['opportunities:write'] } },
    { name: 'an opportunity exists', params: { id: 'deal-42', name: 'John Doe', status: 'proposal' } },
  ])
  const lost = written.interactions.find((interaction) => interaction.description === 'a request to move an opportunity to lost')!
  expect(lost.request.query).toEqual({ api_key: ['crm_sync_writer'] })
  expect(reviewPact(written)).toEqual([])
})

it('passes verify against the mock', async () => {
  const report = await verifyPacts({ pactUrls: [pactFile] })
  expect(formatDriftReport(report)).toContain('Verification passed.')
  expect(report.interactions).toHaveLength(10)
  expect(report.interactions.flatMap((interaction) => interaction.warnings)).toEqual([])
})

