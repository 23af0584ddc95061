// Issue 17: "a test session that uses every endpoint records every one". A consumer's msw tests
// call each endpoint as its page's example does, and then once more for an error of its own
// (or a key problem); the recorder classifies each exchange by the endpoint's behaviour table.
// The pact it writes must pass the review and verify, against the mock and against the example
// provider that generates its own ids. Nothing here names an endpoint.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setupServer } from 'msw/node'
import { afterAll, expect, it } from 'vitest'
import { createExampleProvider } from '../../examples/provider/createExampleProvider.js'
import { endpoints } from '../../src/contract/endpoints.js'
import type { EndpointDefinition } from '../../src/contract/EndpointDefinition.js'
import { createGetRazeMock } from '../../src/handlers/index.js'
import { formatDriftReport, recordPact, reviewPact, verifyPacts } from '../../src/pact/index.js'
import { listen } from '../../src/verify/loopbackHttp.js'
import { docsOrigin, pathOf } from '../support/transports.js'

const all = endpoints as readonly EndpointDefinition[]
const dir = mkdtempSync(join(tmpdir(), 'getraze-record-every-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The consumer's own call: the example's request, with the key it chooses. */
async function call(endpoint: EndpointDefinition, options: { key?: string; id?: string; query?: Record<string, string> } = {}) {
  const { params, query, body } = endpoint.example
  const search = new URLSearchParams(options.query ?? query ?? {}).toString()
  const headers: Record<string, string> = { 'X-API-Key': options.key ?? 'YOUR_API_KEY' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(`${docsOrigin}${pathOf(endpoint, options.id === undefined ? params : { ...params, id: options.id })}${search ? `?${search}` : ''}`, {
    method: endpoint.method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  await response.arrayBuffer()
  return response.status
}

it('records every endpoint a test session uses, into a pact the review accepts and verify passes against the mock and a provider of its own', async () => {
  const mock = createGetRazeMock({ baseUrl: docsOrigin, now: '2024-01-25T10:00:00Z' })
  const server = setupServer(...mock.handlers)
  server.listen({ onUnhandledRequest: 'error' })
  const recorder = recordPact(mock, { consumer: 'every-endpoint-app' })
  try {
    for (const endpoint of all) {
      await mock.reset()
      expect(await call(endpoint), `${endpoint.method} ${endpoint.path}`).toBe(endpoint.successStatus ?? 200)
      // An error of the endpoint's own: a record that is not there, or a bad query; else a key without the permission.
      if (endpoint.resource) expect(await call(endpoint, { id: `${endpoint.resource.idPrefix}nothere` })).toBe(404)
      else if (endpoint.query) expect(await call(endpoint, { query: { limit: '1000' } })).toBe(400)
      else expect(await call(endpoint, { key: 'gr_test_wildcard' })).toBeGreaterThanOrEqual(200)
      expect(await call(endpoint, { key: 'gr_test_expired' })).toBe(401)
    }
  } finally {
    recorder.stop()
    server.close()
  }
  expect(recorder.skipped).toBe(0)
  // Every endpoint has its success recorded, by the behaviour its table names for it.
  const descriptions = recorder.interactions.map((interaction) => interaction.description)
  for (const endpoint of all) {
    const successes = Object.values(endpoint.behaviours).filter((behaviour) => 'status' in behaviour.response).map((behaviour) => behaviour.description)
    expect(descriptions.some((description) => successes.includes(description)), `${endpoint.method} ${endpoint.path}`).toBe(true)
  }
  const file = await recorder.write(dir)
  const pact = JSON.parse(readFileSync(file, 'utf8')) as { interactions: unknown[] }
  expect(reviewPact(pact)).toEqual([])

  const report = await verifyPacts({ pactUrls: [file] })
  expect(formatDriftReport(report)).toContain('Verification passed.')
  expect(report.interactions).toHaveLength(recorder.interactions.length)
  expect(report.interactions.flatMap((interaction) => interaction.warnings)).toEqual([])

  const provider = createExampleProvider()
  const running = await listen(provider.server)
  try {
    const against = await verifyPacts({ pactUrls: [file], providerBaseUrl: running.url, providerStatesSetupUrl: `${running.url}/_pact/provider-states` })
    expect(formatDriftReport(against)).toContain('Verification passed.')
  } finally {
    await running.close()
  }
}, 180_000)
