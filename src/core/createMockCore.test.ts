import { expect, it } from 'vitest'
import { updateOpportunityStageContract } from '../contract/updateOpportunityStageContract.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { createStore } from '../store/createStore.js'
import { createMockCore } from './createMockCore.js'
import { createMockRuntime } from '../runtime/createMockRuntime.js'
import { operations } from './operations/index.js'
import type { MockExchange } from './MockRequest.js'

const path = '/external/v1/opportunities/opp_abc123def456/stage'
const request = (body: string) => ({
  method: 'PATCH',
  path,
  query: '',
  header: (name: string) => (name === 'x-api-key' ? 'YOUR_API_KEY' : undefined),
  body,
})

it('hands every observer the request, the answer, the route params and the clock', () => {
  const runtime = createMockRuntime({ now: '2024-01-25T10:00:00Z' })
  const seen: MockExchange[] = []
  runtime.core.observe((exchange) => seen.push(exchange))

  const response = runtime.core.handle(request('{"status":"won"}'))

  expect(seen).toHaveLength(1)
  expect(seen[0]!.response).toBe(response)
  expect(seen[0]!.params).toEqual({ id: 'opp_abc123def456' })
  expect(seen[0]!.operationId).toBe('updateOpportunityStage')
  expect(seen[0]!.at.toISOString()).toBe('2024-01-25T10:00:00.000Z')
})

it('copies the named record for observers that read it, and only while one observes', () => {
  const runtime = createMockRuntime({ now: '2024-01-25T10:00:00Z' })
  const seen: MockExchange[] = []
  const stopReader = runtime.core.observe((exchange) => seen.push(exchange))
  const stopOther = runtime.core.observe((exchange) => seen.push(exchange), { record: false })

  runtime.core.handle(request('{"status":"won"}'))
  stopReader()
  runtime.core.handle(request('{"status":"lost"}'))

  // As it was before each update, for as long as a reader observes; never after.
  expect(seen.map((exchange) => exchange.record?.status)).toEqual(['qualified', 'qualified', undefined])
  stopOther()
})

it('stops calling an observer once it is removed', () => {
  const runtime = createMockRuntime()
  let calls = 0
  const stop = runtime.core.observe(() => calls++)
  runtime.core.handle(request('{"status":"won"}'))
  stop()
  runtime.core.handle(request('{"status":"won"}'))
  expect(calls).toBe(1)
})

it('answers the client unchanged when an observer throws', () => {
  const errors: unknown[] = []
  const runtime = createMockRuntime({ onUnexpectedError: (error) => errors.push(error) })
  runtime.core.observe(() => {
    throw new Error('observer fault')
  })
  const response = runtime.core.handle(request('{"status":"won"}'))
  expect(response.status).toBe(200)
  expect(errors).toHaveLength(1)
})

it('refuses to start when an endpoint has no operation, naming the endpoint and where to add it', () => {
  const { updateOpportunityStage: _left, ...others } = operations
  expect(() => createMockCore({ store: createStore(), clock: () => new Date(), operations: others })).toThrow(
    new GetRazeMockError(
      'INVALID_OPTION',
      'Failed to create the mock: endpoint updateOpportunityStage (PATCH /external/v1/opportunities/:id/stage) has no operation. Add one under that name to the operations registry (src/core/operations/index.ts).',
    ),
  )
})

it('refuses an error rule on a field that is not an enum of the body', () => {
  const endpoint = { ...updateOpportunityStageContract, fieldErrors: { note: { code: 'INVALID_STATUS', label: 'Note' } } } as const
  expect(() => createMockCore({ store: createStore(), clock: () => new Date(), endpoints: [endpoint], operations })).toThrow(
    'Failed to create the mock: endpoint updateOpportunityStage has an error rule for "note", which is not an enum field of its body. Give the rule to an enum field, give it a message, or drop it.',
  )
})
