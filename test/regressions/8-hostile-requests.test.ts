import { describe, expect, it } from 'vitest'
import { operations } from '../../src/core/operations/index.js'
import { createMockCore, describeReceived } from '../../src/core/createMockCore.js'
import { createMockRuntime } from '../../src/runtime/createMockRuntime.js'
import { snapshotStore } from '../support/snapshotStore.js'
import { stagePath, transports } from '../support/transports.js'

// Issue 8, defects 1 and 2: requests that crashed the server or got msw's own 500 with a stack.

const deeplyNested = (depth: number) => `{"status":${'['.repeat(depth)}${']'.repeat(depth)}}`

describe.each(transports)('$name', (transport) => {
  it('answers a status nested 5,000 levels deep with 400 INVALID_STATUS and keeps serving', async () => {
    const api = await transport.start()
    const before = snapshotStore(api.store)

    const response = await api.patchStage('opp_abc123def456', deeplyNested(5000))

    expect(response.status).toBe(400)
    expect(response.body.error?.code).toBe('INVALID_STATUS')
    expect((response.body.error?.details as { received: unknown }).received).toBe('(array)')
    expect(snapshotStore(api.store)).toEqual(before)
    const next = await api.patchStage('opp_abc123def456', { status: 'won' })
    expect(next.status).toBe(200)
  })

  it('answers a malformed percent escape in the id with the 404 envelope', async () => {
    const api = await transport.start()

    const response = await api.request({ path: '/external/v1/opportunities/%E0%A4/stage', key: 'YOUR_API_KEY', body: { status: 'won' } })

    expect(response.status).toBe(404)
    expect(response.body).toEqual({
      success: false,
      error: { code: 'NOT_FOUND', message: 'Route PATCH /external/v1/opportunities/%E0%A4/stage not found.' },
    })
    expect(api.unexpectedErrors).toEqual([])
  })

  it('echoes a long status only by its length', async () => {
    const api = await transport.start()

    const response = await api.patchStage('opp_abc123def456', { status: 'w'.repeat(10_000) })

    expect(response.status).toBe(400)
    expect((response.body.error?.details as { received: unknown }).received).toBe('(string of 10000 characters)')
  })
})

it('echoes short strings, numbers, booleans and null as they are, and anything else by its kind', () => {
  expect(describeReceived('WON')).toBe('WON')
  expect(describeReceived(42)).toBe(42)
  expect(describeReceived(true)).toBe(true)
  expect(describeReceived(undefined)).toBeNull()
  expect(describeReceived({ a: 1 })).toBe('(object)')
  expect(describeReceived([1])).toBe('(array)')
  expect(describeReceived('x'.repeat(65))).toBe('(string of 65 characters)')
})

it('answers 500 INTERNAL_ERROR in the envelope when an answer cannot be serialised', () => {
  const errors: unknown[] = []
  const runtime = createMockRuntime()
  // An operation whose answer JSON.stringify refuses: the serialisation is inside the guard.
  const circular: Record<string, unknown> = {}
  circular.self = circular
  const custom = createMockCore({
    store: runtime.store,
    clock: runtime.clock,
    onUnexpectedError: (error) => errors.push(error),
    operations: { ...operations, updateOpportunityStage: () => ({ status: 200, body: circular }) },
  })
  const response = custom.handle({
    method: 'PATCH',
    path: stagePath('opp_abc123def456'),
    query: '',
    header: (name) => (name === 'x-api-key' ? 'YOUR_API_KEY' : undefined),
    body: '{"status":"won"}',
  })
  expect(response.status).toBe(500)
  expect(JSON.parse(response.text)).toEqual({
    success: false,
    error: { code: 'INTERNAL_ERROR', message: 'An unexpected error occurred in the mock. See its log for details.' },
  })
  expect(response.headers['x-ratelimit-limit']).toBe('1000')
  expect(errors).toHaveLength(1)
})
