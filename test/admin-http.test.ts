/**
 * What only the HTTP side of test control does: the `/__admin` routes as the table in the README
 * lists them, their errors, who may call them, and turning them off.
 */
import { expect, it } from 'vitest'
import { connectAdmin } from '../src/admin/connectAdmin.js'
import { GetRazeMockError } from '../src/errors/GetRazeMockError.js'
import { startMockServer } from '../src/server/startMockServer.js'
import type { MockServerOptions } from '../src/server/createMockServer.js'
import { docsNow, stagePath } from './support/transports.js'
import { onTestFinished } from 'vitest'
import { networkInterfaces } from 'node:os'

async function start(options: MockServerOptions = {}) {
  const running = await startMockServer({ now: docsNow, port: 0, ...options })
  onTestFinished(() => running.close())
  return running
}

async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined }
}

const patchWon = (url: string, key = 'YOUR_API_KEY', id = 'opp_abc123def456') =>
  fetch(`${url}${stagePath(id)}`, { method: 'PATCH', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: '{"status":"won"}' })

it('lists journal entries filtered by query parameters, and neither journals nor rate limits admin calls', async () => {
  const { url } = await start()
  await patchWon(url)
  await patchWon(url, 'gr_test_readonly')

  const all = await call(url, 'GET', '/__admin/requests')
  const refused = await call(url, 'GET', '/__admin/requests?method=PATCH&status=403&code=INSUFFICIENT_PERMISSIONS&opportunityId=opp_abc123def456')
  const count = await call(url, 'POST', '/__admin/requests/count', { status: 200 })

  expect(all.body!.requests).toHaveLength(2)
  expect(all.headers.get('x-ratelimit-limit')).toBeNull()
  expect(refused.body!.requests.map((entry: { id: string }) => entry.id)).toEqual(['2'])
  expect(count).toMatchObject({ status: 200, body: { count: 1 } })
  expect((await call(url, 'DELETE', '/__admin/requests')).status).toBe(204)
  expect((await call(url, 'GET', '/__admin/requests')).body).toEqual({ requests: [] })
})

it('answers 400 naming the parameter for a bad journal filter, and refuses a key in the URL', async () => {
  const { url } = await start()

  const badStatus = await call(url, 'GET', '/__admin/requests?status=abc')
  const unknown = await call(url, 'POST', '/__admin/requests/count', { colour: 'red' })
  const keyInUrl = await call(url, 'GET', '/__admin/requests?apiKey=YOUR_API_KEY')

  expect(badStatus).toMatchObject({ status: 400, body: { success: false, error: { code: 'VALIDATION_ERROR', details: { field: 'status' } } } })
  expect(badStatus.body!.error.message).toBe(
    'Failed to read the request journal: query parameter "status" "abc" is not an HTTP status. Pass e.g. status=429.',
  )
  expect(unknown.body!.error.message).toBe(
    'Failed to count requests: unknown filter field "colour". Use method, path, status, code, resourceId, opportunityId, apiKey.',
  )
  expect(keyInUrl.status).toBe(400)
  expect(keyInUrl.body!.error.message).not.toContain('YOUR_API_KEY')
})

it('adds, lists, removes and clears faults over HTTP with the documented status codes', async () => {
  const { url } = await start()

  const added = await call(url, 'POST', '/__admin/faults', { error: 'INTERNAL_ERROR', times: 2 })
  const listed = await call(url, 'GET', '/__admin/faults')
  const removed = await call(url, 'DELETE', `/__admin/faults/${added.body!.id}`)
  const again = await call(url, 'DELETE', `/__admin/faults/${added.body!.id}`)
  await call(url, 'POST', '/__admin/faults', { delayMs: 5 })
  const cleared = await call(url, 'DELETE', '/__admin/faults')

  expect(added).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^fault_\d+$/) } })
  expect(listed.body).toEqual({ faults: [{ id: added.body!.id, error: 'INTERNAL_ERROR', times: 2, applied: 0 }] })
  expect(removed.status).toBe(204)
  expect(again).toMatchObject({ status: 404, body: { success: false, error: { code: 'NOT_FOUND' } } })
  expect(cleared.status).toBe(204)
  expect((await call(url, 'GET', '/__admin/faults')).body).toEqual({ faults: [] })
})

it('answers 400 naming the field for a bad fault or clock body, and for malformed JSON', async () => {
  const { url } = await start()

  const badDelay = await call(url, 'POST', '/__admin/faults', { delayMs: -1 })
  const badMatch = await call(url, 'POST', '/__admin/faults', { error: 'NOT_FOUND', match: { status: 404 } })
  const badClock = await call(url, 'PUT', '/__admin/clock', { now: 'yesterday' })
  const both = await call(url, 'PUT', '/__admin/clock', { now: docsNow, advance: 5 })
  const malformed = await call(url, 'POST', '/__admin/faults', '{"error":')

  expect(badDelay).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', details: { field: 'delayMs' } } } })
  expect(badDelay.body!.error.message).toBe('Failed to add the fault: "delayMs" -1 is not a number of milliseconds from 0 to 300000. Pass e.g. 500.')
  expect(badMatch.body!.error.message).toBe(
    'Failed to add the fault: "match.status" is not a fault match field. Use method, path, resourceId, opportunityId, apiKey (status and code are results, not request fields).',
  )
  expect(badClock).toMatchObject({ status: 400, body: { error: { details: { field: 'now' } } } })
  expect(badClock.body!.error.message).toBe('Failed to set the clock: "now" "yesterday" is not an ISO 8601 timestamp. Send e.g. "2024-01-25T10:00:00Z".')
  expect(both.status).toBe(400)
  expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', message: 'Request body is not valid JSON.' } } })
})

it('sets, advances, reads and releases the clock over HTTP', async () => {
  const { url } = await start()

  const set = await call(url, 'PUT', '/__admin/clock', { now: '2025-01-01T00:00:00Z' })
  const advanced = await call(url, 'PUT', '/__admin/clock', { advance: 60 })
  const read = await call(url, 'GET', '/__admin/clock')
  const real = await call(url, 'DELETE', '/__admin/clock')

  expect(set.body).toEqual({ now: '2025-01-01T00:00:00.000Z', frozen: true })
  expect(advanced.body).toEqual({ now: '2025-01-01T00:01:00.000Z', frozen: true })
  expect(read.body).toEqual(advanced.body)
  expect(real.body!.frozen).toBe(false)
})

it('resets over HTTP: fixtures back, journal and faults empty, clock at its start', async () => {
  const { url, mock } = await start()
  await patchWon(url)
  await call(url, 'POST', '/__admin/faults', { error: 'INTERNAL_ERROR' })
  await call(url, 'PUT', '/__admin/clock', { advance: 3600 })

  const reset = await call(url, 'POST', '/__admin/reset')

  expect(reset.status).toBe(204)
  expect(mock.store.findOpportunity('opp_abc123def456')?.status).toBe('qualified')
  expect(mock.journal.list()).toEqual([])
  expect(mock.faults.list()).toEqual([])
  expect(mock.clock().toISOString()).toBe('2024-01-25T10:00:00.000Z')
})

it('adds fixture records over HTTP, validated like files, and serves the whole stored record', async () => {
  const { url } = await start()
  const added = await call(url, 'POST', '/__admin/fixtures', {
    accounts: [{ id: 'acc_admin', name: 'Admin-added' }],
    apiKeys: [{ key: 'gr_test_admin', account: 'acc_admin', permissions: ['opportunities:write'] }],
    opportunities: [
      { id: 'opp_admin', account: 'acc_admin', name: 'Added', status: 'new', created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' },
    ],
  })

  const record = await call(url, 'GET', '/__admin/opportunities/opp_admin')
  const won = await patchWon(url, 'gr_test_admin', 'opp_admin')

  expect(added).toMatchObject({ status: 201, body: { added: { accounts: 1, apiKeys: 1, opportunities: 1 } } })
  expect(record.body).toMatchObject({ id: 'opp_admin', account: 'acc_admin', status: 'new', won_at: null })
  expect(won.status).toBe(200)
})

it('adds contacts, campaigns and users over HTTP and through connectAdmin, which the API then serves', async () => {
  const { url } = await start()
  const admin = connectAdmin(url)
  const added = await call(url, 'POST', '/__admin/fixtures', {
    accounts: [{ id: 'acc_crm', name: 'CRM' }],
    apiKeys: [{ key: 'gr_test_crm', account: 'acc_crm', permissions: ['contacts:read', 'opportunities:read'] }],
    campaigns: [{ id: 'camp_crm', account: 'acc_crm', name: 'Spring push' }],
    users: [{ id: 'usr_crm', account: 'acc_crm', name: 'Rita Alves' }],
  })
  const viaClient = await admin.fixtures.add({
    contacts: [{ id: 'cnt_crm', account: 'acc_crm', name: 'Ana Lima', email: 'ana@crm.example', tags: ['vip'], created_at: '2024-01-02T00:00:00Z', updated_at: '2024-01-02T00:00:00Z' }],
    opportunities: [
      {
        id: 'opp_crm',
        account: 'acc_crm',
        name: 'Ana Lima',
        status: 'qualified',
        campaign: { id: 'camp_crm', name: 'Spring push' },
        responsible_user: { id: 'usr_crm', name: 'Rita Alves' },
        created_at: '2024-01-02T00:00:00Z',
        updated_at: '2024-01-02T00:00:00Z',
      },
    ],
  })

  const contact = await fetch(`${url}/external/v1/contacts/cnt_crm`, { headers: { 'x-api-key': 'gr_test_crm' } })
  expect(added).toMatchObject({ status: 201, body: { added: { accounts: 1, apiKeys: 1, campaigns: 1, users: 1, opportunities: 0, contacts: 0 } } })
  expect(viaClient).toEqual({ accounts: 0, apiKeys: 0, campaigns: 0, users: 0, opportunities: 1, contacts: 1 })
  expect(contact.status).toBe(200)
  expect(((await contact.json()) as { data: Record<string, unknown> }).data).toMatchObject({ id: 'cnt_crm', email: 'ana@crm.example', tags: ['vip'], custom_fields: {} })
  expect(await admin.fixtures.read('contacts', 'cnt_crm')).toMatchObject({ id: 'cnt_crm', account: 'acc_crm' })
  expect(await admin.fixtures.read('opportunities', 'opp_crm')).toMatchObject({ responsible_user: { id: 'usr_crm', name: 'Rita Alves' } })
  expect(await admin.fixtures.read('contacts', 'cnt_nobody')).toBeUndefined()
  // A contact of an account nobody added is refused, naming the record and the field; nothing is stored.
  await expect(admin.fixtures.add({ contacts: [{ id: 'cnt_stray', account: 'acc_nobody', name: 'Stray', created_at: '2024-01-02T00:00:00Z', updated_at: '2024-01-02T00:00:00Z' }] })).rejects.toThrow(
    /^Failed to add fixtures: POST \/__admin\/fixtures, contacts\[0\] \(id "cnt_stray"\), field "account"/,
  )
  expect(await admin.fixtures.read('contacts', 'cnt_stray')).toBeUndefined()
})

it('refuses a bad fixture document with a 400 naming the record and field, and stores none of it', async () => {
  const { url, mock } = await start()

  const refused = await call(url, 'POST', '/__admin/fixtures', {
    accounts: [{ id: 'acc_half' }],
    opportunities: [{ id: 'opp_bad', account: 'acc_half', name: 'Bad', status: 'closed', created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' }],
  })

  expect(refused).toMatchObject({ status: 400, body: { success: false, error: { code: 'VALIDATION_ERROR', details: { field: 'status' } } } })
  expect(refused.body!.error.message).toMatch(
    /^Failed to add fixtures: POST \/__admin\/fixtures, opportunities\[0\] \(id "opp_bad"\), field "status": must be one of /,
  )
  expect(mock.store.findOpportunity('opp_bad')).toBeUndefined()
  expect((await call(url, 'GET', '/__admin/opportunities/opp_missing'))).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } })
})

it('answers the 404 envelope for an unknown admin path and 405 for a known one with another method', async () => {
  const { url } = await start()

  const unknown = await call(url, 'GET', '/__admin/nothing')
  const wrongMethod = await call(url, 'PATCH', '/__admin/clock')

  expect(unknown).toEqual({
    status: 404,
    headers: expect.anything(),
    body: { success: false, error: { code: 'NOT_FOUND', message: 'Route GET /__admin/nothing not found.' } },
  })
  expect(wrongMethod.status).toBe(405)
  expect(wrongMethod.headers.get('allow')).toBe('GET, PUT, DELETE')
})

it('turns the admin API off with admin: false, so /__admin is an unknown route', async () => {
  const { url } = await start({ admin: false })

  const response = await call(url, 'GET', '/__admin/requests')

  expect(response).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'Route GET /__admin/requests not found.' } } })
})

it('requires the admin token when one is set, and connectAdmin sends it', async () => {
  const { url } = await start({ admin: { token: 's3cret-token' } })

  const missing = await call(url, 'GET', '/__admin/clock')
  const wrong = await call(url, 'GET', '/__admin/clock', undefined, { authorization: 'Bearer nope' })
  const right = await connectAdmin(url, { token: 's3cret-token' }).clock.now()
  const error = await connectAdmin(url, { token: 'nope' }).clock.now().catch((caught: unknown) => caught)

  expect(missing).toMatchObject({ status: 401, body: { error: { code: 'ADMIN_TOKEN_REQUIRED' } } })
  expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'ADMIN_TOKEN_INVALID' } } })
  expect(JSON.stringify(wrong.body)).not.toContain('s3cret')
  expect(right.toISOString()).toBe('2024-01-25T10:00:00.000Z')
  expect(error).toBeInstanceOf(GetRazeMockError)
  expect((error as GetRazeMockError).code).toBe('ADMIN_REQUEST_FAILED')
  expect((error as Error).message).toBe(
    "Failed to read the clock: the server refused the admin token (ADMIN_TOKEN_INVALID). Pass the value of the server's --admin-token or GETRAZE_MOCK_ADMIN_TOKEN as connectAdmin(url, { token }).",
  )
})

// A client on a non-loopback address of this machine: bind to it and connect to it.
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === 'IPv4' && !address.internal)?.address

it.skipIf(outsideAddress === undefined)('refuses non-loopback clients without a token with 403', async () => {
  const { url } = await start({ host: outsideAddress })

  const refused = await call(url, 'GET', '/__admin/clock')
  const api = await patchWon(url)

  expect(refused).toMatchObject({ status: 403, body: { error: { code: 'ADMIN_FORBIDDEN' } } })
  expect(refused.body!.error.message).toContain('--admin-token')
  expect(api.status).toBe(200)
})

it('reports an unreachable server as ADMIN_REQUEST_FAILED naming the URL', async () => {
  const { url, close } = await start()
  await close()

  const error = await connectAdmin(url).journal.count().catch((caught: unknown) => caught)

  expect(error).toMatchObject({ code: 'ADMIN_REQUEST_FAILED' })
  expect((error as Error).message).toMatch(new RegExp(`^Failed to count requests: cannot reach ${url}/__admin \\(`))
})

it('lets browser pages send the Prefer header cross-origin', async () => {
  const { url } = await start()

  const response = await fetch(`${url}${stagePath('opp_abc123def456')}`, {
    method: 'OPTIONS',
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'prefer' },
  })

  expect(response.status).toBe(204)
  expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('prefer')
})
