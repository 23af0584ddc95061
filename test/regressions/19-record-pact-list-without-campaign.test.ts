// Issue 19: a pact recorded from a list whose first record has no campaign (or no responsible
// user) wrote `"campaign": { "id": null, "name": "Q1 Outreach" }` into the state that recreates
// that record: every provider refused the state ("param campaign.id ... expected string"), so the
// list interaction failed verify. A list item's `campaign_id: null` is no campaign at all.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setupServer } from 'msw/node'
import { afterAll, expect, it } from 'vitest'
import { createGetRazeMock } from '../../src/handlers/index.js'
import { formatDriftReport, recordPact, verifyPacts } from '../../src/pact/index.js'

const dir = mkdtempSync(join(tmpdir(), 'getraze-list-without-campaign-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('records a list whose first record has no campaign and no user with a state that recreates it, so the pact passes verify', async () => {
  const mock = createGetRazeMock({ baseUrl: 'https://app.getraze.com', now: '2030-01-25T10:00:00Z' })
  const server = setupServer(...mock.handlers)
  server.listen({ onUnhandledRequest: 'error' })
  const recorder = recordPact(mock, { consumer: 'list-without-campaign' })
  const headers = { 'X-API-Key': 'YOUR_API_KEY', 'Content-Type': 'application/json' }
  try {
    // The newest record, first on the page: created without a campaign or a user.
    const created = await fetch('https://app.getraze.com/external/v1/opportunities', { method: 'POST', headers, body: JSON.stringify({ name: 'Ana Lima' }) })
    expect(created.status).toBe(201)
    const listed = await fetch('https://app.getraze.com/external/v1/opportunities', { headers })
    expect(((await listed.json()) as { data: { opportunities: Array<{ campaign_id: unknown }> } }).data.opportunities[0]!.campaign_id).toBeNull()
  } finally {
    recorder.stop()
    server.close()
  }
  const state = recorder.interactions.find((interaction) => interaction.description === 'a request to list opportunities')!.providerStates.find((given) => given.name === 'an opportunity exists')!
  expect(state.params).toMatchObject({ name: 'Ana Lima', campaign: null, responsible_user: null })
  const report = await verifyPacts({ pactUrls: [await recorder.write(dir)] })
  expect(formatDriftReport(report)).toContain('Verification passed.')
}, 60_000)
