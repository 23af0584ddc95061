// A consumer that already tests against the msw mock asks for a pact of what its tests did.
// The "app" below is the consumer's own code; its tests are ordinary msw tests. The recorded
// pact must pass `verify` against the mock and against a provider that generates UUID ids.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { createExampleProvider } from '../../examples/provider/createExampleProvider.js'
import { GetRazeMockError } from '../../src/errors/GetRazeMockError.js'
import { createGetRazeMock } from '../../src/handlers/index.js'
import { formatDriftReport, recordPact, reviewPact, verifyPacts } from '../../src/pact/index.js'
import type { PactRecorder } from '../../src/pact/index.js'
import { listen } from '../../src/verify/loopbackHttp.js'
import { startMockServer } from '../../src/server/startMockServer.js'

const mock = createGetRazeMock({ now: '2024-01-25T10:00:00Z', baseUrl: 'https://app.getraze.com' })
const server = setupServer(...mock.handlers)
const recorder: PactRecorder = recordPact(mock, { consumer: 'deal-desk' })
const dir = mkdtempSync(join(tmpdir(), 'getraze-recorded-'))
let pactFile = ''

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => mock.reset())
afterAll(() => {
  server.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The consumer's own integration: one function, its own choice of how to send the key. */
async function setStage(id: string, status: string, key?: string, keyIn: 'header' | 'bearer' = 'header') {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (key && keyIn === 'header') headers['X-API-Key'] = key
  if (key && keyIn === 'bearer') headers.Authorization = `Bearer ${key}`
  const response = await fetch(`https://app.getraze.com/external/v1/opportunities/${id}/stage`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({ status }),
  })
  return { status: response.status, body: (await response.json()) as { data?: { status: string }; error?: { code: string } } }
}

// The consumer's tests, as it would write them against the msw mock anyway.
it('app: retries with a valid stage after GetRaze rejects one, and closes the deal as won', async () => {
  expect((await setStage('opp_abc123def456', 'archived', 'YOUR_API_KEY')).body.error?.code).toBe('INVALID_STATUS')
  expect((await setStage('opp_abc123def456', 'won', 'YOUR_API_KEY')).body.data?.status).toBe('won')
  expect((await setStage('opp_abc123def456', 'won', 'YOUR_API_KEY')).status).toBe(200)
})

it('app: closes a deal as won with a bearer token', async () => {
  expect((await setStage('opp_demo_negotiation', 'won', 'YOUR_API_KEY', 'bearer')).status).toBe(200)
})

it('app: reopens a won deal, then marks it lost', async () => {
  expect((await setStage('opp_demo_won', 'proposal', 'gr_test_wildcard')).body.data?.status).toBe('proposal')
  expect((await setStage('opp_demo_won', 'lost', 'gr_test_wildcard')).body.data?.status).toBe('lost')
})

it('app: reports deals GetRaze does not know, its own or another account', async () => {
  expect((await setStage('opp_nope', 'won', 'YOUR_API_KEY')).status).toBe(404)
  expect((await setStage('opp_other_account', 'won', 'YOUR_API_KEY')).status).toBe(404)
})

it('app: reports key problems', async () => {
  expect((await setStage('opp_abc123def456', 'won')).body.error?.code).toBe('MISSING_API_KEY')
  expect((await setStage('opp_abc123def456', 'won', 'gr_test_revoked')).body.error?.code).toBe('INVALID_API_KEY')
  expect((await setStage('opp_abc123def456', 'won', 'gr_test_nobody')).body.error?.code).toBe('INVALID_API_KEY')
  expect((await setStage('opp_abc123def456', 'won', 'gr_test_expired')).body.error?.code).toBe('EXPIRED_API_KEY')
  expect((await setStage('opp_abc123def456', 'won', 'gr_test_readonly')).body.error?.code).toBe('INSUFFICIENT_PERMISSIONS')
  expect((await setStage('opp_abc123def456', 'won', 'gr_test_ratelimited')).body.error?.code).toBe('RATE_LIMIT_EXCEEDED')
})

it('app: requests the pact cannot hold are not recorded: an undescribed endpoint, a body that is not JSON', async () => {
  const response = await fetch('https://app.getraze.com/external/v1/campaigns', { headers: { 'X-API-Key': 'YOUR_API_KEY' } })
  expect(response.status).toBe(404)
  const notJson = await fetch('https://app.getraze.com/external/v1/opportunities/opp_abc123def456/stage', {
    method: 'PATCH',
    headers: { 'X-API-Key': 'YOUR_API_KEY', 'Content-Type': 'application/json' },
    body: '{not json',
  })
  expect(notJson.status).toBe(400)
})

// What the recorder made of them.
it('writes one interaction per distinct behaviour, with states from what each request touched', async () => {
  recorder.stop()
  pactFile = await recorder.write(dir)
  expect(pactFile).toBe(join(dir, 'deal-desk-getraze-external-api.json'))
  expect(recorder.skipped).toBe(2)
  const summary = recorder.interactions.map(({ description, providerStates }) =>
    [description, ...providerStates.map((state) => `${state.name} ${JSON.stringify(state.params)}`)].join(' | '),
  )
  expect(summary).toEqual([
    'a request after the API key has used its hourly rate limit | an API key has used its hourly rate limit {"key":"gr_test_ratelimited"} | an opportunity exists {"id":"opp_abc123def456","name":"John Doe","status":"qualified"}',
    'a request for an opportunity that does not exist | an API key exists {"key":"YOUR_API_KEY","permissions":["contacts:read","contacts:write","contacts:delete","opportunities:read","opportunities:write","opportunities:delete"]} | no opportunity exists {"id":"opp_nope"}',
    'a request to move an opportunity to an open status | an API key exists {"key":"gr_test_wildcard","permissions":["opportunities:*"]} | an opportunity exists {"id":"opp_demo_won","name":"Fabio Nunes","status":"won"}',
    'a request to move an opportunity to lost | an API key exists {"key":"gr_test_wildcard","permissions":["opportunities:*"]} | an opportunity exists {"id":"opp_demo_won","name":"Fabio Nunes","status":"proposal"}',
    'a request to move an opportunity to won (key as a Bearer token) | an API key exists {"key":"YOUR_API_KEY","permissions":["contacts:read","contacts:write","contacts:delete","opportunities:read","opportunities:write","opportunities:delete"]} | an opportunity exists {"id":"opp_demo_negotiation","name":"Elisa Prado","status":"negotiation"}',
    'a request to move an opportunity to won (key in X-API-Key) | an API key exists {"key":"YOUR_API_KEY","permissions":["contacts:read","contacts:write","contacts:delete","opportunities:read","opportunities:write","opportunities:delete"]} | an opportunity exists {"id":"opp_abc123def456","name":"John Doe","status":"qualified"}',
    'a request with a revoked API key | an API key has been revoked {"key":"gr_test_revoked"} | an opportunity exists {"id":"opp_abc123def456","name":"John Doe","status":"qualified"}',
    'a request with a status that is not valid | an API key exists {"key":"YOUR_API_KEY","permissions":["contacts:read","contacts:write","contacts:delete","opportunities:read","opportunities:write","opportunities:delete"]} | an opportunity exists {"id":"opp_abc123def456","name":"John Doe","status":"qualified"}',
    'a request with an API key that lacks opportunities:write | an API key exists {"key":"gr_test_readonly","permissions":["contacts:read","opportunities:read"]} | an opportunity exists {"id":"opp_abc123def456","name":"John Doe","status":"qualified"}',
    'a request with an expired API key | an API key has expired {"key":"gr_test_expired"} | an opportunity exists {"id":"opp_abc123def456","name":"John Doe","status":"qualified"}',
    'a request with an unknown API key | an opportunity exists {"id":"opp_abc123def456","name":"John Doe","status":"qualified"}',
    'a request without an API key | an opportunity exists {"id":"opp_abc123def456","name":"John Doe","status":"qualified"}',
  ])
})

it('injects ids from the states and matches generated values by the contract, so the review has nothing to say', () => {
  const pact = JSON.parse(readFileSync(pactFile, 'utf8')) as { interactions: Array<Record<string, any>>; metadata: Record<string, any> }
  expect(pact.metadata.pactSpecification).toEqual({ version: '4.0' })
  const won = pact.interactions.find((interaction) => interaction.description === 'a request to move an opportunity to won (key in X-API-Key)')!
  expect(won.request.generators.path).toEqual({ expression: '/external/v1/opportunities/${id}/stage', type: 'ProviderState' })
  expect(won.response.generators.body['$.data.id']).toEqual({ expression: '${id}', type: 'ProviderState' })
  expect(won.response.body.content).toEqual({
    success: true,
    data: { id: 'opp_abc123def456', name: 'John Doe', status: 'won', won_at: '2024-01-25T10:00:00Z', updated_at: '2024-01-25T10:00:00Z' },
  })
  expect(Object.keys(won.response.matchingRules.body)).toEqual(['$.data.id', '$.data.name', '$.data.won_at', '$.data.updated_at'])
  expect(won.response.matchingRules.body['$.data.won_at'].matchers[0]).toEqual({ match: 'regex', regex: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' })
  const invalid = pact.interactions.find((interaction) => interaction.description === 'a request with a status that is not valid')!
  // details are left out (the docs do not define them); the code is exact, the message by type.
  expect(invalid.response.body.content).toEqual({ success: false, error: { code: 'INVALID_STATUS', message: expect.any(String) } })
  expect(Object.keys(invalid.response.matchingRules.body)).toEqual(['$.error.message'])
  const limited = pact.interactions.find((interaction) => interaction.description.startsWith('a request after'))!
  expect(limited.response.matchingRules.body['$.error.retry_after']).toEqual({ combine: 'AND', matchers: [{ match: 'integer' }] })
  expect(limited.response.headers['X-RateLimit-Remaining']).toEqual(['0'])
  expect(reviewPact(pact)).toEqual([])
})

it('passes verify against the mock', async () => {
  // The app's tests are done; msw must not sit between verify and its loopback servers.
  server.close()
  const report = await verifyPacts({ pactUrls: [pactFile] })
  expect(formatDriftReport(report)).toContain('Verification passed.')
  expect(report.interactions).toHaveLength(12)
  expect(report.interactions.flatMap((interaction) => interaction.warnings)).toEqual([])
})

it('passes verify against a provider that generates UUID ids', async () => {
  const example = createExampleProvider()
  const running = await listen(example.server)
  try {
    const report = await verifyPacts({ pactUrls: [pactFile], providerBaseUrl: running.url, providerStatesSetupUrl: `${running.url}/_pact/provider-states` })
    expect(formatDriftReport(report)).toContain('Verification passed.')
    expect(report.interactions).toHaveLength(12)
    // Every path with a state-provided id carried the provider's UUID, never the recorded id.
    const injected = example.requests.filter((path) => !path.includes('opp_'))
    expect(injected.length).toBe(example.requests.length)
    expect(injected.every((path) => /\/opportunities\/[0-9a-f-]{36}\/stage$/.test(path))).toBe(true)
  } finally {
    await running.close()
  }
})

it('records from the standalone server too', async () => {
  const running = await startMockServer({ port: 0 })
  try {
    const recording = recordPact(running.mock, { consumer: 'http-app' })
    await fetch(`${running.url}/external/v1/opportunities/opp_demo_new/stage`, {
      method: 'PATCH',
      headers: { Authorization: 'Bearer YOUR_API_KEY', 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'qualified' }),
    })
    expect(recording.interactions.map((interaction) => interaction.description)).toEqual(['a request to move an opportunity to an open status'])
  } finally {
    await running.close()
  }
})

it('rejects something that is not a mock, and a missing consumer name', () => {
  expect(() => recordPact({} as never, { consumer: 'x' })).toThrow(
    new GetRazeMockError('INVALID_OPTION', 'Failed to record a pact: the first argument is not a mock from createGetRazeMock() or startMockServer(). Pass the mock your tests run against.'),
  )
  expect(() => recordPact(mock, {} as never)).toThrow("Failed to record a pact: consumer undefined is not a name. Pass recordPact(mock, { consumer: 'my-app' }).")
})

it('names the file when the pact cannot be written', async () => {
  const blocker = join(dir, 'a-file')
  writeFileSync(blocker, '')
  const recording = recordPact(mock, { consumer: 'x' })
  recording.stop()
  await expect(recording.write(blocker, { allowEmpty: true })).rejects.toThrow(
    `Failed to write the pact: ${join(blocker, 'x-getraze-external-api.json')} cannot be written (EEXIST). Pass a writable folder to write().`,
  )
})
