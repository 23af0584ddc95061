// Issue 17: the behaviour tables of the four opportunity endpoints drive the generic pact
// builders, the review and verify, and let recordPact tell their outcomes apart. No layer
// below knows these endpoints.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import { setupServer } from 'msw/node'
import { afterAll, expect, it } from 'vitest'
import { buildableBehaviours, planInteraction } from '../../src/consumer/planInteraction.js'
import { createOpportunityContract } from '../../src/contract/createOpportunityContract.js'
import { deleteOpportunityContract } from '../../src/contract/deleteOpportunityContract.js'
import type { EndpointDefinition } from '../../src/contract/EndpointDefinition.js'
import { listOpportunitiesContract } from '../../src/contract/listOpportunitiesContract.js'
import { updateOpportunityContract } from '../../src/contract/updateOpportunityContract.js'
import { createGetRazeMock } from '../../src/handlers/index.js'
import { addInteraction, formatDriftReport, recordPact, reviewPact, verifyPacts } from '../../src/pact/index.js'
import { docsOrigin } from '../support/transports.js'

const definitions: readonly EndpointDefinition[] = [listOpportunitiesContract, createOpportunityContract, updateOpportunityContract, deleteOpportunityContract]
const dir = mkdtempSync(join(tmpdir(), 'getraze-opportunities-pact-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('builds every behaviour of the four endpoints into a consumer pact that passes verify against the mock', async () => {
  const consumer = 'opportunity-tables'
  const pact = new PactV4({ consumer, provider: 'getraze-external-api', dir, logLevel: 'error' })
  const built: string[] = []
  for (const definition of definitions) {
    for (const behaviour of buildableBehaviours(definition)) {
      const plan = planInteraction(definition, behaviour)
      await addInteraction(pact, definition, behaviour).executeTest(async (server) => {
        const query = plan.request.query ? `?${new URLSearchParams(plan.request.query).toString()}` : ''
        const response = await fetch(`${server.url}${plan.request.path}${query}`, {
          method: plan.request.method,
          headers: plan.request.headers,
          ...(plan.request.body === undefined ? {} : { body: JSON.stringify(plan.request.body) }),
        })
        expect(response.status, `${definition.operationId} ${behaviour}`).toBe(plan.response.status)
      })
      built.push(`${definition.operationId} ${behaviour}`)
    }
  }
  const file = join(dir, `${consumer}-getraze-external-api.json`)
  const written = JSON.parse(readFileSync(file, 'utf8')) as { interactions: Array<Record<string, any>> }
  expect(written.interactions).toHaveLength(built.length)
  const byDescription = (description: string) => written.interactions.find((interaction) => interaction.description === description)!
  expect(byDescription('a request to list opportunities').request.query).toEqual({ status: ['qualified'], limit: ['50'] })
  expect(byDescription('a request to create an opportunity assigned to a user').providerStates).toEqual([
    { name: 'an API key exists', params: { key: 'gr_test_pact_writer', permissions: ['opportunities:write'] } },
    { name: 'a user exists', params: { id: 'usr_123', name: 'Sales Rep' } },
  ])
  expect(byDescription('a request to delete an opportunity').request.generators.path.expression).toBe('/external/v1/opportunities/${id}')
  expect(reviewPact(written)).toEqual([])
  const report = await verifyPacts({ pactUrls: [file] })
  expect(formatDriftReport(report)).toContain('Verification passed.')
  expect(report.interactions).toHaveLength(built.length)
})

it("records each of the endpoints' own outcomes as its behaviour", async () => {
  const mock = createGetRazeMock({ baseUrl: docsOrigin, now: '2024-01-25T10:00:00Z' })
  const server = setupServer(...mock.handlers)
  server.listen({ onUnhandledRequest: 'error' })
  const recorder = recordPact(mock, { consumer: 'opportunity-recorder' })
  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${docsOrigin}/external/v1/opportunities${path}`, {
      method,
      headers: { 'x-api-key': 'YOUR_API_KEY', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  try {
    const statuses = [
      (await send('GET', '?status=qualified')).status,
      (await send('GET', '?limit=0')).status,
      (await send('POST', '', { name: 'Jane Smith' })).status,
      (await send('POST', '', { name: 'Jane Smith', responsible_user_id: 'usr_123' })).status,
      (await send('POST', '', {})).status,
      (await send('POST', '', { name: 'Jane Smith', source: 'website' })).status,
      (await send('POST', '', { name: 'Jane Smith', status: 'archived' })).status,
      (await send('PUT', '/opp_demo_new', { notes: 'x' })).status,
      (await send('PUT', '/opp_missing', { notes: 'x' })).status,
      (await send('PUT', '/opp_demo_new', { email: 'nope' })).status,
      (await send('DELETE', '/opp_demo_lost')).status,
      (await send('DELETE', '/opp_demo_lost')).status,
    ]
    expect(statuses).toEqual([200, 400, 201, 201, 400, 400, 400, 200, 404, 400, 200, 404])
  } finally {
    recorder.stop()
    server.close()
  }
  expect(recorder.interactions.map((interaction) => interaction.description)).toEqual(
    [
      'a request to list opportunities',
      'a request to list opportunities with a query parameter that is not valid',
      'a request to create an opportunity',
      'a request to create an opportunity assigned to a user',
      'a request to create an opportunity without a name',
      'a request to create an opportunity with a source that is not valid',
      'a request to create an opportunity with a status that is not valid',
      'a request to update an opportunity',
      'a request to update an opportunity that does not exist',
      'a request to update an opportunity with a field value that is not valid',
      'a request to delete an opportunity',
      'a request to delete an opportunity that does not exist',
    ].sort((a, b) => a.localeCompare(b)),
  )
})
