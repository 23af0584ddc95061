// Issue 19: a pact recorded from a create assigned to a user other than the docs' `usr_123` named
// `usr_123` in its "a user exists" state (the behaviour table writes the docs' user as a literal),
// while the request assigned the other user: the pact failed verify against every provider.
// `getraze-mock record` writes its pacts with recordPact, and real traffic names real users.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setupServer } from 'msw/node'
import { afterAll, expect, it } from 'vitest'
import { createGetRazeMock } from '../../src/handlers/index.js'
import { formatDriftReport, recordPact, verifyPacts } from '../../src/pact/index.js'

const dir = mkdtempSync(join(tmpdir(), 'getraze-assigned-user-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('records the user a create assigns in the state, so the pact passes verify', async () => {
  const mock = createGetRazeMock({ baseUrl: 'https://app.getraze.com', now: '2024-01-25T10:00:00Z' })
  const server = setupServer(...mock.handlers)
  server.listen({ onUnhandledRequest: 'error' })
  const recorder = recordPact(mock, { consumer: 'assigned-user' })
  try {
    const response = await fetch('https://app.getraze.com/external/v1/opportunities', {
      method: 'POST',
      headers: { 'X-API-Key': 'YOUR_API_KEY', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Ana Lima', responsible_user_id: 'usr_maria01' }),
    })
    expect(response.status).toBe(201)
  } finally {
    recorder.stop()
    server.close()
  }
  expect(recorder.interactions.map((interaction) => interaction.providerStates.find((state) => state.name === 'a user exists'))).toEqual([
    { name: 'a user exists', params: { id: 'usr_maria01', name: 'Maria Silva' } },
  ])
  const report = await verifyPacts({ pactUrls: [await recorder.write(dir)] })
  expect(formatDriftReport(report)).toContain('Verification passed.')
}, 60_000)
