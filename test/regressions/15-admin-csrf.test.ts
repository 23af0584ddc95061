import { expect, it, onTestFinished } from 'vitest'
import { startMockServer } from '../../src/server/startMockServer.js'
import type { MockServerOptions } from '../../src/server/createMockServer.js'
import { sendRaw } from '../support/rawHttp.js'
import { docsNow } from '../support/transports.js'

// Issue 15, item 2: the admin API checked only the peer address. A page on another origin planted
// an API key with `*` permissions (POST /__admin/fixtures, Content-Type: text/plain) in Chromium,
// and `GET /__admin/requests` with `Host: attacker.example` (DNS rebinding) returned the journal.

async function start(options: MockServerOptions = {}) {
  const running = await startMockServer({ now: docsNow, port: 0, ...options })
  onTestFinished(() => running.close())
  return running
}

/** A raw admin request: fetch will not send a foreign Host. */
function rawAdmin(url: string, method: string, path: string, headers: string[], body = '') {
  const lines = [`${method} ${path} HTTP/1.1`, ...headers, 'Connection: close', `Content-Length: ${Buffer.byteLength(body)}`]
  return sendRaw(url, [`${lines.join('\r\n')}\r\n\r\n${body}`])
}

const plantedKey = {
  accounts: [{ id: 'acc_attacker', name: 'Attacker' }],
  apiKeys: [{ key: 'gr_attacker', account: 'acc_attacker', permissions: ['*'] }],
}

it('refuses an admin request addressed to a name that is not this server, as DNS rebinding sends it', async () => {
  const { url } = await start()
  const port = new URL(url).port

  const rebound = await rawAdmin(url, 'GET', '/__admin/requests', ['Host: attacker.example'])
  const withPort = await rawAdmin(url, 'GET', '/__admin/requests', [`Host: attacker.example:${port}`])
  const noHost = await rawAdmin(url, 'GET', '/__admin/requests', [])
  const localhost = await rawAdmin(url, 'GET', '/__admin/requests', [`Host: localhost:${port}`])
  const ipv4 = await rawAdmin(url, 'GET', '/__admin/requests', [`Host: 127.0.0.1:${port}`])
  const ipv6 = await rawAdmin(url, 'GET', '/__admin/requests', [`Host: [::1]:${port}`])

  expect(rebound).toMatchObject({ status: 403, json: { success: false, error: { code: 'ADMIN_FORBIDDEN' } } })
  expect((rebound.json as { error: { message: string } }).error.message).toBe(
    'Failed to authorize the admin request: Host "attacker.example" is not a name of this server. The admin API answers requests addressed to localhost, 127.0.0.1, [::1] or its --host, so that no web page can reach it through DNS rebinding. ' +
      'To call it through another name (a tunnel, a proxy), start the server with --admin-allowed-host <name> and an --admin-token.',
  )
  expect(rebound.text).not.toContain('"requests"')
  expect(withPort.status).toBe(403)
  expect(noHost).toMatchObject({ status: 403, json: { error: { code: 'ADMIN_FORBIDDEN' } } })
  expect([localhost.status, ipv4.status, ipv6.status]).toEqual([200, 200, 200])
})

it('answers a forwarded host name only once it is allowed', async () => {
  const refused = await start({ admin: { token: 'tunnel-token' } })
  const allowed = await start({ admin: { token: 'tunnel-token', allowedHosts: ['Mock.Example.Test'] } })
  const headers = ['Host: mock.example.test:8443', 'Authorization: Bearer tunnel-token']

  const before = await rawAdmin(refused.url, 'GET', '/__admin/clock', headers)
  const after = await rawAdmin(allowed.url, 'GET', '/__admin/clock', headers)

  expect(before.status).toBe(403)
  expect(after).toMatchObject({ status: 200, json: { now: '2024-01-25T10:00:00.000Z' } })
})

it('refuses a request from a page on another origin, whatever its body, and changes nothing', async () => {
  const { url, mock } = await start()
  const host = `Host: ${new URL(url).host}`

  const json = await rawAdmin(url, 'POST', '/__admin/fixtures', [host, 'Origin: http://127.0.0.1:1', 'Content-Type: application/json'], JSON.stringify(plantedKey))
  const nullOrigin = await rawAdmin(url, 'POST', '/__admin/faults', [host, 'Origin: null', 'Content-Type: application/json'], '{"error":"INTERNAL_ERROR"}')
  const reset = await rawAdmin(url, 'POST', '/__admin/reset', [host, 'Origin: http://evil.example'])
  const own = await rawAdmin(url, 'POST', '/__admin/faults', [host, `Origin: ${url}`, 'Content-Type: application/json'], '{"error":"INTERNAL_ERROR","times":1}')

  expect(json).toMatchObject({ status: 403, json: { success: false, error: { code: 'ADMIN_FORBIDDEN' } } })
  expect((json.json as { error: { message: string } }).error.message).toBe(
    'Failed to authorize the admin request: it comes from a web page on another origin (Origin "http://127.0.0.1:1"). The admin API takes requests from test code, not from pages: call it from Node (connectAdmin), curl or a test runner.',
  )
  expect(nullOrigin.status).toBe(403)
  expect(reset.status).toBe(403)
  expect(own.status).toBe(201)
  expect(mock.store.findApiKey('gr_attacker')).toBeUndefined()
  expect(mock.faults.list()).toHaveLength(1)
})

it('answers 415 to an admin body that is not application/json, and stores none of it', async () => {
  const { url, mock } = await start()

  const plain = await fetch(`${url}/__admin/fixtures`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(plantedKey) })
  const form = await fetch(`${url}/__admin/faults`, { method: 'POST', body: new URLSearchParams({ error: 'INTERNAL_ERROR' }) })
  const json = await fetch(`${url}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"error":"INTERNAL_ERROR"}' })
  const empty = await fetch(`${url}/__admin/reset`, { method: 'POST', headers: { 'content-type': 'text/plain' } })

  expect(plain.status).toBe(415)
  expect(await plain.json()).toEqual({
    success: false,
    error: {
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Failed to read the admin request: its body is of type "text/plain". Send JSON with Content-Type: application/json.',
    },
  })
  expect(form.status).toBe(415)
  expect(json.status).toBe(201)
  expect(empty.status).toBe(204)
  expect(mock.store.findApiKey('gr_attacker')).toBeUndefined()
  expect(mock.faults.list()).toEqual([])
})

it('refuses a CORS preflight for the admin API, so a page never sends the JSON request it announces', async () => {
  const { url } = await start()

  const preflight = await fetch(`${url}/__admin/faults`, {
    method: 'OPTIONS',
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  })
  const apiPreflight = await fetch(`${url}/external/v1/opportunities/opp_abc123def456/stage`, {
    method: 'OPTIONS',
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PATCH' },
  })

  expect(preflight.status).toBe(403)
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
  expect(await preflight.json()).toMatchObject({ success: false, error: { code: 'ADMIN_FORBIDDEN' } })
  expect(apiPreflight.status).toBe(204)
  expect(apiPreflight.headers.get('access-control-allow-origin')).toBe('*')
})
