// The standalone mock from a plain ESM script: start it on a free port, send the docs' request with
// fetch and with the kit's client, check the answers, stop it. `npm run standalone`.
import assert from 'node:assert/strict'
import { GetRazeApiError, updateOpportunityStage } from 'getraze-mock/client'
import { startMockServer } from 'getraze-mock/server'

const { url, close } = await startMockServer({ port: 0, now: '2024-01-25T10:00:00Z' })
try {
  const response = await fetch(`${url}/external/v1/opportunities/opp_abc123def456/stage`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': 'YOUR_API_KEY' },
    body: JSON.stringify({ status: 'won' }),
  })
  assert.equal(response.status, 200)
  assert.deepEqual(await response.json(), {
    success: true,
    data: { id: 'opp_abc123def456', name: 'John Doe', status: 'won', won_at: '2024-01-25T10:00:00Z', updated_at: '2024-01-25T10:00:00Z' },
  })

  const lost = await updateOpportunityStage({ baseUrl: url, apiKey: 'YOUR_API_KEY' }, 'opp_demo_proposal', 'lost')
  assert.equal(lost.lost_at, '2024-01-25T10:00:00Z')

  await assert.rejects(
    updateOpportunityStage({ baseUrl: url, apiKey: 'gr_test_readonly' }, 'opp_abc123def456', 'won'),
    (error) => error instanceof GetRazeApiError && error.status === 403 && error.code === 'INSUFFICIENT_PERMISSIONS',
  )
  console.log(`standalone: the mock at ${url} answered as documented`)
} finally {
  await close()
}
