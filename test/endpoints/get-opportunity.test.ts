// Issue 16, the proof: GET /external/v1/opportunities/:id was added as its definition and its
// operation only (see the commit "GET /external/v1/opportunities/:id through its definition and
// its operation only"). These tests show every layer picked it up: both adapters, test control
// in process and over HTTP, the admin API, OpenAPI, the builders, recording, the review, verify
// and the client.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import { setupServer } from 'msw/node'
import { afterAll, describe, expect, it } from 'vitest'
import { Validator } from '@seriousme/openapi-schema-validator'
import { createGetRazeClient } from '../../src/client/index.js'
import { getOpportunityContract } from '../../src/contract/getOpportunityContract.js'
import { createGetRazeMock } from '../../src/handlers/index.js'
import { buildOpenApiDocument } from '../../src/openapi/index.js'
import { addInteraction, formatDriftReport, recordPact, reviewPact, verifyPacts } from '../../src/pact/index.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import { controlTargets } from '../support/controlTargets.js'
import { pathOf, transports } from '../support/transports.js'

const get = getOpportunityContract
const dir = mkdtempSync(join(tmpdir(), 'getraze-get-opportunity-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.each(transports)('$name', (transport) => {
  it('answers the whole opportunity of the caller, without the tenant it belongs to', async () => {
    const api = await transport.start()
    const response = await api.callEndpoint(get, { params: { id: 'opp_abc123def456' } })
    const stored = api.store.findOpportunity('opp_abc123def456')!
    const { account: _account, ...expected } = stored
    expect(response.status).toBe(200)
    expect(response.body).toEqual({ success: true, data: expected })
    expect(Object.keys(response.body.data!)).toEqual(Object.keys(get.example.response.data))
    expect(response.headers.get('x-ratelimit-remaining')).toBe('999')
  })

  it("answers 404 for another account's opportunity and one that does not exist, 403 without opportunities:read", async () => {
    const api = await transport.start()
    await api.store.createApiKey({ key: 'gr_test_writer_only', account: 'acc_demo', permissions: ['opportunities:write'] })
    const other = await api.callEndpoint(get, { params: { id: 'opp_other_account' } })
    const missing = await api.callEndpoint(get, { params: { id: 'opp_missing' } })
    const writerOnly = await api.callEndpoint(get, { params: { id: 'opp_abc123def456' }, key: 'gr_test_writer_only' })
    const readOnly = await api.callEndpoint(get, { params: { id: 'opp_abc123def456' }, key: 'gr_test_readonly' })
    expect(other.body.error).toEqual({ code: 'NOT_FOUND', message: 'Opportunity not found', details: { resource: 'opportunity', id: 'opp_other_account' } })
    expect(missing.status).toBe(404)
    expect(writerOnly.body.error).toMatchObject({ code: 'INSUFFICIENT_PERMISSIONS', message: 'This API key lacks the opportunities:read permission.' })
    expect(readOnly.status).toBe(200)
  })

  it('answers 405 with Allow naming the methods of the path to another method', async () => {
    const api = await transport.start()
    const response = await api.request({ method: 'PATCH', path: pathOf(get, { id: 'opp_abc123def456' }), key: 'YOUR_API_KEY' })
    expect(response.status).toBe(405)
    // The path's other endpoints (update, delete) came with issue 17.
    expect(response.headers.get('allow')).toBe('GET, PUT, DELETE')
  })
})

describe.each(controlTargets)('$name', (target) => {
  it('journals, faults and words Prefer answers for the get endpoint', async () => {
    const { control, send } = await target.start()
    const path = pathOf(get, { id: 'opp_abc123def456' })
    await send({ method: 'GET', path })
    const noBody = await send({ method: 'GET', path, headers: { prefer: 'code=400' } })
    const notFound = await send({ method: 'GET', path, headers: { prefer: 'error=NOT_FOUND' } })
    const lacking = await send({ method: 'GET', path, headers: { prefer: 'code=403' } })
    await expect(Promise.resolve().then(() => control.faults.add({ error: 'INVALID_STATUS', match: { method: 'GET', path } }))).rejects.toThrow(
      'Failed to add the fault: "error" "INVALID_STATUS" is not an error GET /external/v1/opportunities/:id answers. Use one of MISSING_API_KEY, INVALID_API_KEY, EXPIRED_API_KEY, INSUFFICIENT_PERMISSIONS, RATE_LIMIT_EXCEEDED, INTERNAL_ERROR, NOT_FOUND.',
    )
    expect(noBody.body.error?.message).toBe('Prefer: code=400 is not an error status GET /external/v1/opportunities/:id answers. Use one of 401, 403, 429, 500, 404.')
    expect(notFound.body.error).toEqual({ code: 'NOT_FOUND', message: 'Opportunity not found', details: { resource: 'opportunity', id: 'opp_abc123def456' } })
    expect(lacking.body.error?.message).toBe('This API key lacks the opportunities:read permission.')
    await control.expectCalls({ method: 'GET', path, status: 200, opportunityId: 'opp_abc123def456' }, 1)
  })
})

it('reads a stored opportunity over the admin API and describes the endpoint in OpenAPI', async () => {
  const server = await startMockServer({ port: 0 })
  try {
    const record = (await (await fetch(`${server.url}/__admin/opportunities/opp_abc123def456`)).json()) as { account: string }
    expect(record.account).toBe('acc_demo')
  } finally {
    await server.close()
  }
  const document = buildOpenApiDocument() as Record<string, any>
  const operation = document.paths['/external/v1/opportunities/{id}'].get
  expect(operation.operationId).toBe('getOpportunity')
  expect(operation.responses['200'].content['application/json'].example).toEqual(get.example.response)
  expect(operation.responses['403'].content['application/json'].examples.INSUFFICIENT_PERMISSIONS.value.error.message).toBe('This API key lacks the opportunities:read permission.')
  expect(Object.keys(operation.responses)).toEqual(['200', '401', '403', '404', '429', '500'])
  expect((await new Validator().validate(document)).valid).toBe(true)
})

it('has a client method typed from the definition', async () => {
  const mock = createGetRazeMock({ baseUrl: 'https://app.getraze.com', now: '2024-01-25T10:00:00Z' })
  const server = setupServer(...mock.handlers)
  server.listen({ onUnhandledRequest: 'error' })
  try {
    const client = createGetRazeClient({ baseUrl: 'https://app.getraze.com', apiKey: 'YOUR_API_KEY' })
    const opportunity = await client.opportunities.get('opp_demo_won')
    expect(opportunity).toMatchObject({ id: 'opp_demo_won', status: 'won', won_at: expect.stringMatching(/Z$/) })
    await expect(client.opportunities.get('opp_missing')).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' })
  } finally {
    server.close()
  }
})

it('builds every behaviour of the endpoint into a consumer pact that passes verify against the mock', async () => {
  const consumer = 'get-reader'
  const pact = new PactV4({ consumer, provider: 'getraze-external-api', dir, logLevel: 'error' })
  const behaviours = ['found', 'notFound', 'missingApiKey', 'revokedApiKey', 'expiredApiKey', 'insufficientPermissions', 'rateLimited']
  for (const behaviour of behaviours) {
    await addInteraction(pact, 'getOpportunity', behaviour, { apiKeyIn: 'bearer' }).executeTest(async (server, request) => {
      const headers: Record<string, string> = request.apiKey === undefined ? {} : { Authorization: `Bearer ${request.apiKey}` }
      const response = await fetch(`${server.url}/external/v1/opportunities/${String(request.id)}`, { headers })
      const body = (await response.json()) as { data?: { id: string }; error?: { code: string } }
      if (behaviour === 'found') expect(body.data?.id).toBe(request.id)
      else expect(body.error?.code).toEqual(expect.any(String))
    })
  }
  const written = JSON.parse(readFileSync(join(dir, `${consumer}-getraze-external-api.json`), 'utf8')) as { interactions: Array<Record<string, any>> }
  expect(written.interactions).toHaveLength(7)
  const found = written.interactions.find((interaction) => interaction.description === 'a request to get an opportunity')!
  expect(found.providerStates[0]).toEqual({ name: 'an API key exists', params: { key: 'gr_test_pact_reader', permissions: ['opportunities:read'] } })
  expect(found.providerStates[1].params).toMatchObject({ id: 'opp_abc123def456', email: 'john@example.com', campaign: { id: 'camp_xyz789', name: 'Q1 Outreach' } })
  expect(found.request.generators.path.expression).toBe('/external/v1/opportunities/${id}')
  expect(reviewPact(written)).toEqual([])
  const report = await verifyPacts({ pactUrls: [join(dir, `${consumer}-getraze-external-api.json`)] })
  expect(formatDriftReport(report)).toContain('Verification passed.')
  expect(report.interactions.flatMap((interaction) => interaction.warnings)).toEqual([])
})

it('records what msw tests read into a pact that the review accepts and verify passes against the mock', async () => {
  const mock = createGetRazeMock({ baseUrl: 'https://app.getraze.com', now: '2024-01-25T10:00:00Z' })
  const server = setupServer(...mock.handlers)
  server.listen({ onUnhandledRequest: 'error' })
  const recorder = recordPact(mock, { consumer: 'get-recorder' })
  try {
    const read = (id: string, key = 'YOUR_API_KEY') => fetch(`https://app.getraze.com/external/v1/opportunities/${id}`, { headers: { 'X-API-Key': key } })
    expect((await read('opp_abc123def456')).status).toBe(200)
    expect((await read('opp_nope')).status).toBe(404)
    expect((await read('opp_abc123def456', 'gr_test_expired')).status).toBe(401)
  } finally {
    recorder.stop()
    server.close()
  }
  expect(recorder.interactions.map((interaction) => interaction.description)).toEqual([
    'a request to get an opportunity',
    'a request to get an opportunity that does not exist',
    'a request to get an opportunity with an expired API key',
  ])
  const found = recorder.interactions[0]!.providerStates[1]!
  expect(found.params).toMatchObject({ id: 'opp_abc123def456', name: 'John Doe', status: 'qualified' })
  const file = await recorder.write(dir)
  expect(reviewPact(JSON.parse(readFileSync(file, 'utf8')) as { interactions: unknown[] })).toEqual([])
  const report = await verifyPacts({ pactUrls: [file] })
  expect(formatDriftReport(report)).toContain('Verification passed.')
  expect(report.interactions).toHaveLength(3)
})
