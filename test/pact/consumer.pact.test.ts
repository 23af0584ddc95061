// Consumer contract of the stage endpoint: the real typed client against Pact's mock server,
// one interaction per documented behaviour, each added by the kit's own builders (the ones
// consumer teams use). The pact is written to a temporary folder and then copied to pacts/ only
// if it changed, so provider verification in parallel test files never reads a half-written file
// and CI's `git diff --exit-code pacts/` catches any change.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import { afterAll, beforeEach, expect, it } from 'vitest'
import { commitPact } from '../support/committedPacts.js'
import { GetRazeApiError, updateOpportunityStage } from '../../src/client/index.js'
import type { OpportunityStatus } from '../../src/contract/index.js'
import { timestampPattern, updateOpportunityStageContract as contract } from '../../src/contract/index.js'
import {
  addExpiredApiKeyInteraction,
  addInsufficientPermissionsInteraction,
  addInvalidStatusInteraction,
  addMissingApiKeyInteraction,
  addMoveToLostInteraction,
  addMoveToOpenStatusInteraction,
  addMoveToWonInteraction,
  addNotFoundInteraction,
  addRateLimitedInteraction,
  addRevokedApiKeyInteraction,
} from '../../src/pact/index.js'
import type { StageInteraction } from '../../src/pact/index.js'

const consumer = 'getraze-stage-client'
const provider = 'getraze-external-api'
const pactFile = `${consumer}-${provider}.json`
const outDir = mkdtempSync(join(tmpdir(), 'getraze-pact-'))
const pact = new PactV4({ consumer, provider, dir: outDir, logLevel: 'error' })
const exampleId = contract.example.params.id
/** A failed test leaves its interaction out of the generated pact: never copy such a pact. */
let anyTestFailed = false
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    anyTestFailed = true
  })
})

async function expectApiError(call: Promise<unknown>, status: number, code: string) {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(GetRazeApiError)
  expect(error).toMatchObject({ status, code })
  return error as GetRazeApiError
}

/** Runs the kit's typed client inside the interaction, with exactly what the interaction expects. */
function callClient(interaction: StageInteraction, check: (call: Promise<unknown>) => Promise<unknown>) {
  return interaction.executeTest(async (server, request) => {
    await check(updateOpportunityStage({ baseUrl: server.url, apiKey: request.apiKey }, request.id, request.status as OpportunityStatus))
  })
}

it('moves an opportunity to won and gets won_at back', () =>
  callClient(addMoveToWonInteraction(pact), async (call) => {
    const data = await call
    expect(data).toMatchObject({ id: exampleId, status: 'won' })
    expect((data as { won_at: string }).won_at).toMatch(timestampPattern)
  }))

it('moves an opportunity to lost and gets lost_at back', () =>
  callClient(addMoveToLostInteraction(pact), async (call) => {
    const data = await call
    expect(data).toMatchObject({ id: exampleId, status: 'lost' })
    expect((data as { lost_at: string }).lost_at).toMatch(timestampPattern)
  }))

it('moves an opportunity to an open status', () =>
  callClient(addMoveToOpenStatusInteraction(pact), async (call) => {
    expect(await call).toMatchObject({ id: exampleId, status: 'proposal' })
  }))

it('gets 400 INVALID_STATUS for a status that is not valid', () =>
  callClient(addInvalidStatusInteraction(pact), (call) => expectApiError(call, 400, 'INVALID_STATUS')))

it('gets 404 NOT_FOUND for an opportunity that does not exist', () =>
  callClient(addNotFoundInteraction(pact), (call) => expectApiError(call, 404, 'NOT_FOUND')))

it('gets 401 MISSING_API_KEY without an API key', () =>
  callClient(addMissingApiKeyInteraction(pact), (call) => expectApiError(call, 401, 'MISSING_API_KEY')))

it('gets 401 INVALID_API_KEY for a revoked key', () =>
  callClient(addRevokedApiKeyInteraction(pact), (call) => expectApiError(call, 401, 'INVALID_API_KEY')))

it('gets 401 EXPIRED_API_KEY for an expired key', () =>
  callClient(addExpiredApiKeyInteraction(pact), (call) => expectApiError(call, 401, 'EXPIRED_API_KEY')))

it('gets 403 INSUFFICIENT_PERMISSIONS for a key without opportunities:write', () =>
  callClient(addInsufficientPermissionsInteraction(pact), (call) =>
    expectApiError(call, 403, 'INSUFFICIENT_PERMISSIONS'),
  ))

it('gets 429 RATE_LIMIT_EXCEEDED with retry_after once the hourly limit is used', () =>
  callClient(addRateLimitedInteraction(pact), async (call) => {
    const error = await expectApiError(call, 429, 'RATE_LIMIT_EXCEEDED')
    expect(error.retryAfter).toBe(3600)
  }))

afterAll(() => {
  if (!anyTestFailed) commitPact(join(outDir, pactFile))
  rmSync(outDir, { recursive: true, force: true })
})
