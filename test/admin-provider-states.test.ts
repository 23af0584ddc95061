/**
 * `POST /__admin/provider-states`: the standalone server answers Pact's state-change calls with the
 * kit's own states (issue 18, item 17), with the semantics `createProviderStateHandler` gives a
 * provider, its errors in the admin API's envelope, and the admin API's callers only.
 */
import { expect, it, onTestFinished } from 'vitest'
import { providerStates } from '../src/contract/providerStates.js'
import { startMockServer } from '../src/server/startMockServer.js'
import type { MockServerOptions } from '../src/server/createMockServer.js'
import { docsNow, stagePath } from './support/transports.js'

async function start(options: MockServerOptions = {}) {
  const running = await startMockServer({ now: docsNow, port: 0, ...options })
  onTestFinished(() => running.close())
  return running
}

async function change(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/__admin/provider-states`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined }
}

it('sets up the states a pact names, answers the values to inject, and the API then serves them', async () => {
  const { url } = await start()

  const key = await change(url, { state: 'an API key exists', params: { key: 'gr_test_state_key', permissions: ['opportunities:write'] }, action: 'setup' })
  const record = await change(url, { state: 'an opportunity exists', params: { id: 'opp_from_state', name: 'Ann', status: 'negotiation' }, action: 'setup' })
  const missing = await change(url, { state: 'no opportunity exists', params: { id: 'opp_abc123def456' }, action: 'setup' })
  const moved = await fetch(`${url}${stagePath('opp_from_state')}`, {
    method: 'PATCH',
    headers: { 'x-api-key': 'gr_test_state_key', 'content-type': 'application/json' },
    body: '{"status":"won"}',
  })
  const gone = await fetch(`${url}${stagePath('opp_abc123def456')}`, { method: 'PATCH', headers: { 'x-api-key': 'YOUR_API_KEY', 'content-type': 'application/json' }, body: '{"status":"won"}' })

  expect([key, record, missing]).toEqual([
    { status: 200, body: {} },
    { status: 200, body: { id: 'opp_from_state' } },
    { status: 200, body: { id: 'opp_abc123def456' } },
  ])
  expect(await moved.json()).toMatchObject({ success: true, data: { id: 'opp_from_state', name: 'Ann', status: 'won', won_at: docsNow } })
  expect(gone.status).toBe(404)
})

it('answers the empty state with {} and resets the mock to its fixtures on teardown, as POST /__admin/reset does', async () => {
  const { url } = await start()
  await change(url, { state: 'an opportunity exists', params: { id: 'opp_abc123def456', name: 'Replaced' }, action: 'setup' })
  const replaced = (await (await fetch(`${url}/__admin/opportunities/opp_abc123def456`)).json()) as { account: string; name: string }

  const empty = await change(url, { state: '', params: {}, action: 'setup' })
  const teardown = await change(url, { state: 'an opportunity exists', params: { id: 'opp_abc123def456' }, action: 'teardown' })
  const restored = (await (await fetch(`${url}/__admin/opportunities/opp_abc123def456`)).json()) as { account: string; name: string }

  expect(replaced).toMatchObject({ account: 'acc_pact', name: 'Replaced' })
  expect([empty, teardown]).toEqual([
    { status: 200, body: {} },
    { status: 200, body: {} },
  ])
  expect(restored).toMatchObject({ account: 'acc_demo', name: 'John Doe' })
})

it('describes itself on GET with the kit and its states, which is how verify recognises a getraze-mock', async () => {
  const { url } = await start()

  const response = await fetch(`${url}/__admin/provider-states`)

  expect(response.status).toBe(200)
  expect(await response.json()).toEqual({
    kit: 'getraze-mock',
    states: Object.keys(providerStates),
    setup: 'POST {"state", "params", "action": "setup"}: sets the state up and answers the values to inject',
    teardown: 'POST {"state", "params", "action": "teardown"}: resets the mock, as POST /__admin/reset does',
  })
})

it('answers 400 VALIDATION_ERROR naming the field for an unknown state, bad params, a bad action or no object, and changes nothing', async () => {
  const { url, mock } = await start()

  const unknown = await change(url, { state: 'a deal exists', params: {}, action: 'setup' })
  const params = await change(url, { state: 'an API key exists', params: { key: 'k', permissions: ['deals:write'] }, action: 'setup' })
  const action = await change(url, { state: 'an API key exists', params: { key: 'k', permissions: [] }, action: 'undo' })
  const notObject = await change(url, '[1]')

  expect(unknown).toEqual({
    status: 400,
    body: {
      success: false,
      error: {
        code: 'VALIDATION_ERROR',
        message: `Failed to set up provider state "a deal exists": getraze-mock's pacts have no such state. Use one of: ${Object.keys(providerStates).map((name) => `"${name}"`).join(', ')}.`,
        details: { field: 'state' },
      },
    },
  })
  expect(params.body!.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'params.permissions.0' } })
  expect(params.body!.error.message).toMatch(/^Failed to set up provider state "an API key exists": param "permissions\.0" must be one of .+\. Fix the params in the pact\.$/)
  expect(action.body!.error).toEqual({ code: 'VALIDATION_ERROR', message: 'Failed to change provider state "an API key exists": action "undo" is not "setup" or "teardown".', details: { field: 'action' } })
  expect(notObject).toEqual({
    status: 400,
    body: { success: false, error: { code: 'VALIDATION_ERROR', message: 'Failed to read the state change: expected a JSON object { "state", "params", "action" }.' } },
  })
  expect(mock.store.findApiKey('k')).toBeUndefined()
})

it("answers only the admin API's callers: JSON only, no foreign Origin, the token when the server has one", async () => {
  const open = await start()
  const guarded = await start({ admin: { token: 'state-admin-token' } })
  const setup = { state: 'an API key exists', params: { key: 'gr_test_guarded', permissions: [] }, action: 'setup' }

  const form = await fetch(`${open.url}/__admin/provider-states`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(setup) })
  const page = await change(open.url, setup, { origin: 'https://evil.example' })
  const noToken = await change(guarded.url, setup)
  const withToken = await change(guarded.url, setup, { authorization: 'Bearer state-admin-token' })

  expect(form.status).toBe(415)
  expect(page.body!.error.code).toBe('ADMIN_FORBIDDEN')
  expect(noToken).toMatchObject({ status: 401, body: { error: { code: 'ADMIN_TOKEN_REQUIRED' } } })
  expect(withToken).toEqual({ status: 200, body: {} })
  expect(open.mock.store.findApiKey('gr_test_guarded')).toBeUndefined()
  expect(guarded.mock.store.findApiKey('gr_test_guarded')).toMatchObject({ account: 'acc_pact' })
})
