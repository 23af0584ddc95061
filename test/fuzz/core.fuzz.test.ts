import fc from 'fast-check'
import { expect, it } from 'vitest'
import { createMockRuntime } from '../../src/runtime/createMockRuntime.js'
import {
  assertEnvelope,
  budgetFor,
  assertStoreChange,
  changedIds,
  requestArbitrary,
  seed,
  snapshotOpportunities,
  steppingClock,
  totalRuns,
} from './arbitraries.js'

// The environment-neutral core takes the bulk of the generated requests: it is where every
// adapter's answer comes from, and the cheapest place to try many.
const runs = Math.round(totalRuns * 0.7)

it(`answers ${runs} generated requests in the envelope, never 5xx, changing only the record a 200 names`, () => {
  const errors: unknown[] = []
  const runtime = createMockRuntime({ now: steppingClock(), onUnexpectedError: (error) => errors.push(error) })
  const seen = new Map<string, number>()

  fc.assert(
    fc.property(requestArbitrary, (request) => {
      const before = snapshotOpportunities(runtime.store)
      const response = runtime.core.handle({
        method: request.method,
        path: request.path,
        query: request.query,
        header: (name) => request.headers[name],
        body: request.body,
      })
      const outcome = assertEnvelope(response.status, response.text)
      const code = outcome.success ? 'OK' : (JSON.parse(response.text) as { error: { code: string } }).error.code
      seen.set(code, (seen.get(code) ?? 0) + 1)
      assertStoreChange(outcome, changedIds(before, snapshotOpportunities(runtime.store)))
    }),
    { numRuns: runs, seed },
  )
  expect(errors).toEqual([])
  // The generators must reach every step of the pipeline, or the property proves little.
  expect([...seen.keys()].sort()).toEqual(
    expect.arrayContaining(['OK', 'NOT_FOUND', 'METHOD_NOT_ALLOWED', 'MISSING_API_KEY', 'INVALID_API_KEY', 'EXPIRED_API_KEY', 'RATE_LIMIT_EXCEEDED', 'INSUFFICIENT_PERMISSIONS', 'VALIDATION_ERROR', 'INVALID_STATUS']),
  )
  expect(seen.get('OK')! / runs).toBeGreaterThan(0.05)
  console.info(`core fuzz: ${runs} requests`, Object.fromEntries(seen))
}, budgetFor(runs, 10))
