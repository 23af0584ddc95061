/**
 * Issue 18, item 14: test/pact/fetchConsumer.pact.test.ts failed on a loaded machine with "The
 * following request was expected but not received" although the client had its answer. Pact 16's
 * mock server (pact_mock_server 2.2.1) records a request in a separate task after answering it,
 * and Pact's executeTest reads that record as soon as the test returns; on a busy machine the
 * record lags. The failure needs the scheduler to lose that race, so these tests make the lag
 * certain instead: they wrap Pact's own native core (the instance Pact uses) so that the first
 * reads after a request show what the mock server held before it (nothing received), as a lagging
 * record does. Everything else is the real Pact.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import { afterAll, afterEach, expect, it } from 'vitest'
import { addMoveToWonInteraction } from '../../src/pact/index.js'

interface PactCore {
  pactffiCreateMockServerForTransport(...args: unknown[]): number
  pactffiMockServerMismatches(port: number): string
  pactffiMockServerMatched(port: number): boolean
}

const requireFromPact = createRequire(createRequire(import.meta.url).resolve('@pact-foundation/pact'))
const pactCore = requireFromPact('@pact-foundation/pact-core') as { getFfiLib(logLevel: string): PactCore; setLogLevel(logLevel: string): void }
pactCore.setLogLevel('error')
const core = pactCore.getFfiLib('error')
const real = {
  create: core.pactffiCreateMockServerForTransport,
  mismatches: core.pactffiMockServerMismatches,
  matched: core.pactffiMockServerMatched,
}
/** Per mock server: what it held before any request, and how many more reads still see only that. */
const lagging = new Map<number, { before: string; reads: number }>()

/** From now on, the first `reads` reads of each new mock server's record miss the requests it answered. */
function makeRecordsLag(reads: number) {
  core.pactffiCreateMockServerForTransport = (...args: unknown[]) => {
    const port = real.create.apply(core, args)
    if (port > 0) lagging.set(port, { before: real.mismatches.call(core, port), reads })
    return port
  }
  core.pactffiMockServerMismatches = (port: number) => {
    const lag = lagging.get(port)
    if (lag && lag.reads > 0) {
      lag.reads--
      return lag.before
    }
    return real.mismatches.call(core, port)
  }
  core.pactffiMockServerMatched = (port: number) => {
    const lag = lagging.get(port)
    if (lag && lag.reads > 0) {
      lag.reads--
      return false
    }
    return real.matched.call(core, port)
  }
}

const dir = mkdtempSync(join(tmpdir(), 'getraze-pact-lag-'))
afterEach(() => {
  Object.assign(core, { pactffiCreateMockServerForTransport: real.create, pactffiMockServerMismatches: real.mismatches, pactffiMockServerMatched: real.matched })
  lagging.clear()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function moveToWon(baseUrl: string, id: string, apiKey: string | undefined) {
  const response = await fetch(`${baseUrl}/external/v1/opportunities/${id}/stage`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': apiKey ?? '' },
    body: JSON.stringify({ status: 'won' }),
  })
  return response.status
}

it("passes a builder's interaction whose request Pact's mock server records only after the test returns", async () => {
  makeRecordsLag(3)
  const pact = new PactV4({ consumer: 'lag-consumer', provider: 'getraze-external-api', dir, logLevel: 'error' })

  const status = await addMoveToWonInteraction(pact).executeTest((server, request) => moveToWon(server.url, request.id, request.apiKey))

  expect(status).toBe(200)
  const written = JSON.parse(readFileSync(join(dir, 'lag-consumer-getraze-external-api.json'), 'utf8')) as { interactions: unknown[] }
  expect(written.interactions).toHaveLength(1)
})

it('still fails, with Pact\'s own message, an interaction whose request the test never sent', async () => {
  const pact = new PactV4({ consumer: 'silent-consumer', provider: 'getraze-external-api', dir, logLevel: 'error' })

  const outcome = addMoveToWonInteraction(pact).executeTest(async () => 'sent nothing')

  await expect(outcome).rejects.toThrow(/The following request was expected but not received/)
})
