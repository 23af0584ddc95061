// Issue 17: a DELETE sent without a body reached recordPact with an empty body text (both
// adapters read the body of every method but GET and HEAD), which it took for a body that is not
// JSON: the delete was skipped as "the body is not a JSON object, which Pact cannot send".
import { setupServer } from 'msw/node'
import { expect, it } from 'vitest'
import { createGetRazeMock } from '../../src/handlers/index.js'
import { recordPact } from '../../src/pact/index.js'
import { startMockServer } from '../../src/server/startMockServer.js'

const now = '2024-01-25T10:00:00Z'

it('records a DELETE without a body sent to the msw handlers, with no body in the pact', async () => {
  const mock = createGetRazeMock({ baseUrl: 'https://app.getraze.com', now })
  const server = setupServer(...mock.handlers)
  server.listen({ onUnhandledRequest: 'error' })
  const recorder = recordPact(mock, { consumer: 'bodyless-delete' })
  try {
    const response = await fetch('https://app.getraze.com/external/v1/opportunities/opp_demo_lost', { method: 'DELETE', headers: { 'X-API-Key': 'YOUR_API_KEY' } })
    expect(response.status).toBe(200)
  } finally {
    recorder.stop()
    server.close()
  }
  expect(recorder.unrecorded).toEqual([])
  expect(recorder.skipped).toBe(0)
  expect(recorder.interactions.map((interaction) => interaction.description)).toEqual(['a request to delete an opportunity'])
})

it('records a DELETE without a body sent to the server', async () => {
  const running = await startMockServer({ port: 0, now })
  const recorder = recordPact(running.mock, { consumer: 'bodyless-delete' })
  try {
    const response = await fetch(`${running.url}/external/v1/opportunities/opp_demo_lost`, { method: 'DELETE', headers: { 'X-API-Key': 'YOUR_API_KEY' } })
    expect(response.status).toBe(200)
  } finally {
    recorder.stop()
    await running.close()
  }
  expect(recorder.unrecorded).toEqual([])
  expect(recorder.interactions.map((interaction) => interaction.description)).toEqual(['a request to delete an opportunity'])
})
