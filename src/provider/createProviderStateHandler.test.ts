import { createServer } from 'node:http'
import express from 'express'
import { afterEach, expect, it } from 'vitest'
import { listen } from '../verify/loopbackHttp.js'
import { createProviderStateHandler } from './createProviderStateHandler.js'
import type { ProviderStateHandlers } from './createProviderStateHandler.js'

const calls: unknown[] = []
const states: Partial<ProviderStateHandlers> = {
  'an opportunity exists': async (params) => {
    calls.push(params)
    return { id: 'opp-from-provider' }
  },
  'no opportunity exists': () => ({ id: 'never-issued' }),
  'an API key exists': ({ permissions }) => {
    calls.push(permissions)
  },
  'an API key has been revoked': () => {},
  'an API key has expired': () => {
    throw new Error('keys table is locked')
  },
  'an API key has used its hourly rate limit': () => {},
}
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  calls.length = 0
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

it('runs the state with validated params and answers the values to inject', async () => {
  const handler = createProviderStateHandler(states)
  expect(await handler.handle({ state: 'an opportunity exists', params: { name: 'Jane', status: 'won' }, action: 'setup' })).toEqual({ status: 200, body: { id: 'opp-from-provider' } })
  expect(calls).toEqual([{ name: 'Jane', status: 'won' }])
  expect(await handler.handle({ state: 'an API key exists', params: { key: 'k', permissions: ['opportunities:write'] } })).toEqual({ status: 200, body: {} })
})

it('answers 400 naming the state for an unknown state, bad params or a missing function', async () => {
  const handler = createProviderStateHandler(states)
  expect(await handler.handle({ state: 'a thing exists', params: {}, action: 'setup' })).toEqual({
    status: 400,
    body: { error: expect.stringMatching(/^Failed to set up provider state "a thing exists": getraze-mock's pacts have no such state\. Use one of: "an opportunity exists", /) },
  })
  expect((await handler.handle({ state: 'an opportunity exists', params: { status: 'archived' } })).status).toBe(400)
  expect((await handler.handle({ state: 'an opportunity exists', params: { status: 'archived' } })).body.error).toMatch(/^Failed to set up provider state "an opportunity exists": param "status" must be one of new, /)
  const partial = createProviderStateHandler({ ...states, 'an API key has expired': undefined } as unknown as ProviderStateHandlers)
  expect(await partial.handle({ state: 'an API key has expired', params: { key: 'k' } })).toEqual({
    status: 400,
    body: { error: 'Failed to set up provider state "an API key has expired": the provider has no function for it. Add "an API key has expired" to createProviderStateHandler\'s states.' },
  })
})

it('answers 500 with the reason when a state throws, {} for the empty state, and runs teardown', async () => {
  const torn: string[] = []
  const handler = createProviderStateHandler(states, { teardown: (state) => void torn.push(state) })
  expect(await handler.handle({ state: 'an API key has expired', params: { key: 'k' } })).toEqual({
    status: 500,
    body: { error: 'Failed to set up provider state "an API key has expired": keys table is locked.' },
  })
  expect(await handler.handle({ state: '', params: {}, action: 'setup' })).toEqual({ status: 200, body: {} })
  expect(await handler.handle({ state: 'an API key exists', params: {}, action: 'teardown' })).toEqual({ status: 200, body: {} })
  expect(torn).toEqual(['an API key exists'])
})

it('is a type error to leave a state out', () => {
  // @ts-expect-error: 'an API key has used its hourly rate limit' is missing
  const partial: ProviderStateHandlers = {
    'an opportunity exists': () => ({ id: '1' }),
    'no opportunity exists': () => ({ id: '2' }),
    'an API key exists': () => {},
    'an API key has been revoked': () => {},
    'an API key has expired': () => {},
  }
  expect(Object.keys(partial)).toHaveLength(5)
})

it('works as a node:http listener, as Express middleware with or without a body parser, and through fetch', async () => {
  const handler = createProviderStateHandler(states)
  const call = { state: 'no opportunity exists', params: { id: 'x' }, action: 'setup' }
  const post = async (url: string) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(call) })
    return { status: response.status, body: (await response.json()) as unknown }
  }
  const plain = await listen(createServer(handler))
  cleanups.push(plain.close)
  expect(await post(plain.url)).toEqual({ status: 200, body: { id: 'never-issued' } })

  const parsed = express().post('/states', express.json(), handler)
  const unparsed = express().post('/states', handler)
  for (const app of [parsed, unparsed]) {
    const running = await listen(createServer(app))
    cleanups.push(running.close)
    expect(await post(`${running.url}/states`)).toEqual({ status: 200, body: { id: 'never-issued' } })
  }

  const response = await handler.fetch(new Request('http://x/states', { method: 'POST', body: JSON.stringify(call) }))
  expect(response.status).toBe(200)
  expect(await response.json()).toEqual({ id: 'never-issued' })
  expect((await handler.fetch(new Request('http://x/states', { method: 'POST', body: '{nope' }))).status).toBe(400)
})
