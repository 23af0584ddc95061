// Issue 18, item 9: faulted exchanges were neither recorded nor counted (`skipped` stayed 0), and
// a recorder that saw only faulted requests wrote `"interactions": []` without a word.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { createGetRazeMock } from '../../src/handlers/index.js'
import { recordPact, verifyPacts } from '../../src/pact/index.js'
import { runVerifyCli } from '../pact/runVerifyCli.js'
import { GetRazeMockError } from '../../src/errors/GetRazeMockError.js'

const mock = createGetRazeMock({ now: '2024-01-25T10:00:00Z', baseUrl: 'https://app.getraze.com' })
const server = setupServer(...mock.handlers)
const dir = mkdtempSync(join(tmpdir(), 'getraze-faulted-'))

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => mock.reset())
afterAll(() => {
  server.close()
  rmSync(dir, { recursive: true, force: true })
})

const patchWon = (headers: Record<string, string> = {}) =>
  fetch('https://app.getraze.com/external/v1/opportunities/opp_abc123def456/stage', {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': 'YOUR_API_KEY', ...headers },
    body: JSON.stringify({ status: 'won' }),
  })

it('counts and names faulted requests it does not record, and refuses to write an empty pact unless asked', async () => {
  const recorder = recordPact(mock, { consumer: 'faulted-app' })
  const faultId = mock.faults.add({ error: 'INTERNAL_ERROR', times: 1 })
  expect((await patchWon()).status).toBe(500)
  expect((await patchWon({ Prefer: 'code=429' })).status).toBe(429)
  recorder.stop()

  expect(recorder.interactions).toEqual([])
  expect(recorder.skipped).toBe(2)
  expect(recorder.unrecorded).toEqual([
    { request: 'PATCH /external/v1/opportunities/:id/stage -> 500', reason: `answered by fault ${faultId}, not by the documented behaviour`, count: 1 },
    { request: 'PATCH /external/v1/opportunities/:id/stage -> 429', reason: 'answered by a Prefer header, not by the documented behaviour', count: 1 },
  ])
  const refused = await recorder.write(dir).then(() => undefined, (error: unknown) => error)
  expect(refused).toBeInstanceOf(GetRazeMockError)
  expect(refused).toMatchObject({
    code: 'PACT_EMPTY',
    message: `Failed to write the pact: no interaction was recorded (2 requests not recorded: PATCH /external/v1/opportunities/:id/stage -> 500, answered by fault ${faultId}, not by the documented behaviour; PATCH /external/v1/opportunities/:id/stage -> 429, answered by a Prefer header, not by the documented behaviour). Run the tests that call GetRaze against the mock before write(), or pass write(dir, { allowEmpty: true }) to write an empty pact.`,
  })
  expect(await recorder.write(dir, { allowEmpty: true })).toBe(join(dir, 'faulted-app-getraze-external-api.json'))
})

it('says no request reached the mock when nothing was recorded at all', async () => {
  const recorder = recordPact(mock, { consumer: 'idle-app' })
  recorder.stop()
  await expect(recorder.write(dir)).rejects.toThrow('Failed to write the pact: no interaction was recorded (no request reached the mock). ')
})

it('records the request once the fault is gone', async () => {
  const recorder = recordPact(mock, { consumer: 'recovering-app' })
  mock.faults.add({ network: 'reset', times: 1 })
  await expect(patchWon()).rejects.toThrow()
  expect((await patchWon()).status).toBe(200)
  recorder.stop()
  expect(recorder.skipped).toBe(1)
  expect(recorder.interactions.map((interaction) => interaction.description)).toEqual(['a request to move an opportunity to won'])
})

it('fails to verify a pact with no interactions instead of saying it passed', async () => {
  const recorder = recordPact(mock, { consumer: 'empty-app' })
  recorder.stop()
  const file = await recorder.write(dir, { allowEmpty: true })
  const error = await verifyPacts({ pactUrls: [file] }).then(() => undefined, (reason: unknown) => reason)
  expect(error).toBeInstanceOf(GetRazeMockError)
  expect(error).toMatchObject({
    code: 'PACT_EMPTY',
    message: `Failed to verify getraze-external-api: "${file}" holds no interactions, so a verification would prove nothing. Record or write the pact's interactions first (recordPact writes none unless the tests reached the mock).`,
  })
  const run = await runVerifyCli(['--pact', file])
  expect(run.code).toBe(2)
  expect(run.output).toContain('holds no interactions, so a verification would prove nothing')
  expect(run.output).not.toContain('Verification passed')
})
