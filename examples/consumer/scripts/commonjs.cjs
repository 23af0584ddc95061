// The kit from CommonJS. Node 20.19+ and 22.12+ load an ES module with require() (the kit has no
// top-level await); on any Node, `await import('getraze-mock/server')` works too. `node scripts/commonjs.cjs`
const assert = require('node:assert/strict')
const { startMockServer } = require('getraze-mock/server')
const { updateOpportunityStage } = require('getraze-mock/client')

async function main() {
  const { url, close } = await startMockServer({ port: 0, now: '2024-01-25T10:00:00Z' })
  try {
    const won = await updateOpportunityStage({ baseUrl: url, apiKey: 'YOUR_API_KEY' }, 'opp_abc123def456', 'won')
    assert.equal(won.won_at, '2024-01-25T10:00:00Z')
    const { createGetRazeMock } = await import('getraze-mock')
    assert.equal(createGetRazeMock().handlers.length > 0, true)
    console.log(`commonjs: require() and import() of getraze-mock work, the mock at ${url} answered`)
  } finally {
    await close()
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
