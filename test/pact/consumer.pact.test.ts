// Consumer contract of the stage endpoint: the real typed client against Pact's mock server,
// one interaction per documented behaviour. The pact is written to a temporary folder and then
// copied to pacts/ only if it changed, so provider verification in parallel test files never
// reads a half-written file and CI's `git diff --exit-code pacts/` catches any change.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MatchersV3, PactV4 } from '@pact-foundation/pact'
import { afterAll, expect, it } from 'vitest'
import { GetRazeApiError, updateOpportunityStage } from '../../src/client/index.js'
import type { OpportunityStatus } from '../../src/contract/index.js'
import { timestampPattern, updateOpportunityStageContract as contract } from '../../src/contract/index.js'

const { fromProviderState, like, regex, integer } = MatchersV3

const consumer = 'getraze-stage-client'
const provider = 'getraze-external-api'
const pactFile = `${consumer}-${provider}.json`
const outDir = mkdtempSync(join(tmpdir(), 'getraze-pact-'))
const pact = new PactV4({ consumer, provider, dir: outDir, logLevel: 'error' })

const example = contract.example
const exampleId = example.params.id
const examplePath = contract.path.replace(':id', exampleId)
// `${id}` is Pact's provider-state expression, not a template literal: the provider's state
// handler answers with the id it created and the verifier puts it here.
const injectedPath = (id: string) => fromProviderState(contract.path.replace(':id', '${id}'), contract.path.replace(':id', id))
const timestamp = regex(timestampPattern.source.replace('}Z$', '}(\\.\\d+)?Z$'), example.now)
const jsonContentType = { 'Content-Type': regex('^application/json.*', 'application/json; charset=utf-8') }
const rateLimitHeaders = {
  'X-RateLimit-Limit': regex('^\\d+$', '1000'),
  'X-RateLimit-Remaining': regex('^\\d+$', '999'),
  'X-RateLimit-Reset': regex('^\\d+$', '1706184000'),
}

const writerKey = 'gr_test_pact_writer'
const keyExists = (key: string, permissions: string[]) => ['an API key exists', { key, permissions }] as const
const writer = keyExists(writerKey, ['opportunities:write'])
const opportunity = (status: OpportunityStatus, id = exampleId) =>
  ['an opportunity exists', { id, name: 'John Doe', status }] as const

interface Behaviour {
  /** The test's name: what the client does and gets. */
  name: string
  /** The interaction's description in the pact. */
  description: string
  states: ReadonlyArray<readonly [string, { [key: string]: string | string[] }]>
  apiKey: string | undefined
  id?: string
  status: string
  response: { status: number; headers?: Record<string, unknown>; body: unknown }
  check(call: Promise<unknown>): Promise<void>
}

function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { success: false, error: { code, message: like(message), ...extra } }
}

async function expectApiError(call: Promise<unknown>, status: number, code: string) {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(GetRazeApiError)
  expect(error).toMatchObject({ status, code })
}

function verify(behaviour: Behaviour) {
  it(behaviour.name, async () => {
    let builder = pact.addInteraction()
    for (const [name, params] of behaviour.states) builder = builder.given(name, params)
    const id = behaviour.id ?? exampleId
    await builder
      .uponReceiving(behaviour.description)
      .withRequest(contract.method, injectedPath(id), (request) => {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' }
        if (behaviour.apiKey !== undefined) headers['X-API-Key'] = behaviour.apiKey
        request.headers(headers).jsonBody({ status: behaviour.status })
      })
      .willRespondWith(behaviour.response.status, (response) => {
        response.headers({ ...jsonContentType, ...behaviour.response.headers }).jsonBody(behaviour.response.body)
      })
      .executeTest(async (server) => {
        await behaviour.check(
          updateOpportunityStage({ baseUrl: server.url, apiKey: behaviour.apiKey }, id, behaviour.status as OpportunityStatus),
        )
      })
  })
}

const moved = (status: OpportunityStatus, closing?: 'won_at' | 'lost_at') => ({
  status: 200,
  headers: rateLimitHeaders,
  body: {
    success: true,
    data: {
      id: fromProviderState('${id}', exampleId),
      name: like('John Doe'),
      status,
      ...(closing ? { [closing]: timestamp } : {}),
      updated_at: timestamp,
    },
  },
})

verify({
  name: 'moves an opportunity to won and gets won_at back',
  description: 'a request to move an opportunity to won',
  states: [writer, opportunity('negotiation')],
  apiKey: writerKey,
  status: 'won',
  response: moved('won', 'won_at'),
  async check(call) {
    const data = await call
    expect(data).toMatchObject({ id: exampleId, status: 'won' })
    expect((data as { won_at: string }).won_at).toMatch(timestampPattern)
  },
})

verify({
  name: 'moves an opportunity to lost and gets lost_at back',
  description: 'a request to move an opportunity to lost',
  states: [writer, opportunity('proposal')],
  apiKey: writerKey,
  status: 'lost',
  response: moved('lost', 'lost_at'),
  async check(call) {
    const data = await call
    expect(data).toMatchObject({ id: exampleId, status: 'lost' })
    expect((data as { lost_at: string }).lost_at).toMatch(timestampPattern)
  },
})

verify({
  name: 'moves an opportunity to an open status',
  description: 'a request to move an opportunity to an open status',
  states: [writer, opportunity('qualified')],
  apiKey: writerKey,
  status: 'proposal',
  response: moved('proposal'),
  async check(call) {
    expect(await call).toMatchObject({ id: exampleId, status: 'proposal' })
  },
})

verify({
  name: 'gets 400 INVALID_STATUS for a status that is not valid',
  description: 'a request with a status that is not valid',
  states: [writer, opportunity('qualified')],
  apiKey: writerKey,
  status: 'archived',
  response: { status: 400, headers: rateLimitHeaders, body: errorBody('INVALID_STATUS', 'Status value is not valid') },
  check: (call) => expectApiError(call, 400, 'INVALID_STATUS'),
})

verify({
  name: 'gets 404 NOT_FOUND for an opportunity that does not exist',
  description: 'a request for an opportunity that does not exist',
  states: [writer, ['no opportunity exists', { id: 'opp_doesnotexist' }]],
  apiKey: writerKey,
  id: 'opp_doesnotexist',
  status: 'won',
  response: { status: 404, headers: rateLimitHeaders, body: errorBody('NOT_FOUND', 'Opportunity not found') },
  check: (call) => expectApiError(call, 404, 'NOT_FOUND'),
})

verify({
  name: 'gets 401 MISSING_API_KEY without an API key',
  description: 'a request without an API key',
  states: [opportunity('negotiation')],
  apiKey: undefined,
  status: 'won',
  response: { status: 401, body: errorBody('MISSING_API_KEY', 'API key is required') },
  check: (call) => expectApiError(call, 401, 'MISSING_API_KEY'),
})

verify({
  name: 'gets 401 INVALID_API_KEY for a revoked key',
  description: 'a request with a revoked API key',
  states: [['an API key has been revoked', { key: 'gr_test_pact_revoked' }], opportunity('negotiation')],
  apiKey: 'gr_test_pact_revoked',
  status: 'won',
  response: { status: 401, body: errorBody('INVALID_API_KEY', 'The API key is invalid or has been revoked.') },
  check: (call) => expectApiError(call, 401, 'INVALID_API_KEY'),
})

verify({
  name: 'gets 401 EXPIRED_API_KEY for an expired key',
  description: 'a request with an expired API key',
  states: [['an API key has expired', { key: 'gr_test_pact_expired' }], opportunity('negotiation')],
  apiKey: 'gr_test_pact_expired',
  status: 'won',
  response: { status: 401, body: errorBody('EXPIRED_API_KEY', 'The API key has expired.') },
  check: (call) => expectApiError(call, 401, 'EXPIRED_API_KEY'),
})

verify({
  name: 'gets 403 INSUFFICIENT_PERMISSIONS for a key without opportunities:write',
  description: 'a request with an API key that lacks opportunities:write',
  states: [keyExists('gr_test_pact_reader', ['opportunities:read']), opportunity('negotiation')],
  apiKey: 'gr_test_pact_reader',
  status: 'won',
  response: {
    status: 403,
    headers: rateLimitHeaders,
    body: errorBody('INSUFFICIENT_PERMISSIONS', 'This API key lacks the opportunities:write permission.'),
  },
  check: (call) => expectApiError(call, 403, 'INSUFFICIENT_PERMISSIONS'),
})

verify({
  name: 'gets 429 RATE_LIMIT_EXCEEDED with retry_after once the hourly limit is used',
  description: 'a request after the API key has used its hourly rate limit',
  states: [['an API key has used its hourly rate limit', { key: 'gr_test_pact_limited' }], opportunity('negotiation')],
  apiKey: 'gr_test_pact_limited',
  status: 'won',
  response: {
    status: 429,
    headers: { ...rateLimitHeaders, 'X-RateLimit-Remaining': '0', 'Retry-After': regex('^\\d+$', '3600') },
    body: errorBody('RATE_LIMIT_EXCEEDED', 'Rate limit exceeded.', { retry_after: integer(3600) }),
  },
  async check(call) {
    await expectApiError(call, 429, 'RATE_LIMIT_EXCEEDED')
    await call.catch((error: GetRazeApiError) => expect(error.retryAfter).toBe(3600))
  },
})

afterAll(() => {
  const generated = join(outDir, pactFile)
  const committed = join(import.meta.dirname, '../../pacts', pactFile)
  if (existsSync(generated)) {
    const text = readFileSync(generated, 'utf8')
    if (!existsSync(committed) || readFileSync(committed, 'utf8') !== text) {
      // Write beside, then rename: readers see the old file or the new one, never half of one.
      writeFileSync(`${committed}.tmp`, text)
      renameSync(`${committed}.tmp`, committed)
    }
  }
  rmSync(outDir, { recursive: true, force: true })
})
