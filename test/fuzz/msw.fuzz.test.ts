import fc from 'fast-check'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createGetRazeMock } from '../../src/handlers/createGetRazeMock.js'
import {
  assertEnvelope,
  budgetFor,
  assertStoreChange,
  changedIds,
  requestArbitrary,
  seed,
  snapshotRecords,
  steppingClock,
  totalRuns,
} from './arbitraries.js'

const runs = Math.round(totalRuns * 0.15)
const origin = 'https://fuzz.getraze.test'
const errors: unknown[] = []
const mock = createGetRazeMock({ now: steppingClock(), baseUrl: origin, onUnexpectedError: (error) => errors.push(error) })
const server = setupServer(...mock.handlers)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

it(`answers ${runs} generated requests through the msw handlers in the envelope, never 5xx`, async () => {
  let sent = 0
  await fc.assert(
    fc.asyncProperty(requestArbitrary, async (request) => {
      // Deletes and creates accumulate; a fresh store now and then keeps the records there to hit.
      if (++sent % 300 === 0) await mock.reset()
      const before = snapshotRecords(mock.store)
      const hasBody = !['GET', 'HEAD'].includes(request.method.toUpperCase())
      const response = await fetch(`${origin}${request.path}${request.query ? `?${request.query}` : ''}`, {
        method: request.method,
        headers: request.headers,
        body: hasBody ? request.body : undefined,
      })
      const outcome = assertEnvelope(response.status, await response.text())
      assertStoreChange(outcome, changedIds(before, snapshotRecords(mock.store)), request.path)
    }),
    { numRuns: runs, seed },
  )
  expect(errors).toEqual([])
}, budgetFor(runs, 80))
