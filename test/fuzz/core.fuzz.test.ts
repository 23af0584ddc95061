import fc from 'fast-check'
import { expect, it } from 'vitest'
import { createMockRuntime } from '../../src/runtime/createMockRuntime.js'
import {
  assertEnvelope,
  budgetFor,
  assertStoreChange,
  fuzzedEndpoints,
  changedIds,
  requestArbitrary,
  seed,
  snapshotRecords,
  steppingClock,
  totalRuns,
} from './arbitraries.js'

// The environment-neutral core takes the bulk of the generated requests: it is where every
// adapter's answer comes from, and the cheapest place to try many.
const runs = Math.round(totalRuns * 0.7)

it(`answers ${runs} generated requests to every endpoint in the envelope, never 5xx, changing only the record a success names`, () => {
  const errors: unknown[] = []
  const runtime = createMockRuntime({ now: steppingClock(), onUnexpectedError: (error) => errors.push(error) })
  const seen = new Map<string, number>()
  let handled = 0
  // Which endpoints answered a success: the generators must reach every one of them.
  const succeeded = new Set<string>()
  runtime.core.observe((exchange) => {
    if (exchange.response.status < 300 && exchange.operationId !== undefined) succeeded.add(exchange.operationId)
  })

  fc.assert(
    fc.property(requestArbitrary, (request) => {
      // Deletes and creates accumulate; a fresh store now and then keeps the records there to hit.
      if (++handled % 500 === 0) runtime.resetState()
      const before = snapshotRecords(runtime.store)
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
      assertStoreChange(outcome, changedIds(before, snapshotRecords(runtime.store)), request.path)
    }),
    { numRuns: runs, seed },
  )
  expect(errors).toEqual([])
  // The generators must reach every step of the pipeline, or the property proves little.
  expect([...seen.keys()].sort()).toEqual(
    expect.arrayContaining(['OK', 'NOT_FOUND', 'METHOD_NOT_ALLOWED', 'MISSING_API_KEY', 'INVALID_API_KEY', 'EXPIRED_API_KEY', 'RATE_LIMIT_EXCEEDED', 'INSUFFICIENT_PERMISSIONS', 'VALIDATION_ERROR', 'INVALID_STATUS', ...(fuzzedEndpoints.some((endpoint) => endpoint.query) ? ['INVALID_PARAMETER'] : [])]),
  )
  expect(seen.get('OK')! / runs).toBeGreaterThan(0.05)
  expect([...succeeded].sort()).toEqual(fuzzedEndpoints.map((endpoint) => endpoint.operationId).sort())
  console.info(`core fuzz: ${runs} requests`, Object.fromEntries(seen))
}, budgetFor(runs, 10))
