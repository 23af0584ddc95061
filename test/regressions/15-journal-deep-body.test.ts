import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, it, onTestFinished } from 'vitest'
import { connectAdmin } from '../../src/admin/connectAdmin.js'
import { createAdminRouter } from '../../src/admin/createAdminRouter.js'
import { createMockRuntime } from '../../src/runtime/createMockRuntime.js'
import type { MockRequest } from '../../src/core/MockRequest.js'
import { handleAdminHttp } from '../../src/server/handleAdminHttp.js'
import { startServeProcess } from '../support/serveProcess.js'
import { docsNow, stagePath } from '../support/transports.js'

// Issue 15, item 1: a body of 4,200 nested arrays, sent to any path, was journaled and parsed back
// on every journal read; JSON.stringify of it overflowed the stack outside any guard and the
// process exited.

const deepBody = '['.repeat(4200) + ']'.repeat(4200)

const patchWon = (url: string) =>
  fetch(`${url}${stagePath('opp_abc123def456')}`, {
    method: 'PATCH',
    headers: { 'x-api-key': 'YOUR_API_KEY', 'content-type': 'application/json' },
    body: '{"status":"won"}',
  })

it('keeps serving after a deeply nested body is journaled and the journal is read in every way', async () => {
  const served = await startServeProcess(['--now', docsNow])
  const posted = await fetch(`${served.url}/x`, { method: 'POST', body: deepBody })

  const listed = await fetch(`${served.url}/__admin/requests`)
  const listedBody = (await listed.json()) as { requests: Array<{ body: unknown }> }
  const found = await fetch(`${served.url}/__admin/requests/find`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  const viaClient = await connectAdmin(served.url).journal.list()
  const after = await patchWon(served.url)

  expect(posted.status).toBe(404)
  expect(listed.status).toBe(200)
  expect(listedBody.requests[0]!.body).toBe(deepBody)
  expect(found.status).toBe(200)
  expect(viaClient[0]!.body).toBe(deepBody)
  expect(after.status).toBe(200)
  expect(served.exitCode()).toBeUndefined()
  expect(served.stderr()).toBe('')
})

it('keeps a journaled body nested more than 64 levels as its text, and parses one of 64', () => {
  const runtime = createMockRuntime({ now: docsNow })
  const send = (body: string) => runtime.core.handle({ method: 'POST', path: '/x', query: '', header: () => undefined, body })
  const atLimit = '['.repeat(64) + ']'.repeat(64)
  const overLimit = `{"a":${'['.repeat(65)}${']'.repeat(65)}}`
  send(atLimit)
  send(overLimit)
  send(deepBody)

  const entries = runtime.journal.list()

  expect(JSON.parse(JSON.stringify(entries[0]!.body))).toEqual(JSON.parse(atLimit))
  expect(entries[1]!.body).toBe(overLimit)
  expect(entries[2]!.body).toBe(deepBody)
  expect(() => JSON.stringify(entries)).not.toThrow()
})

it('answers the 500 envelope, and keeps serving, when an admin answer cannot be serialised', async () => {
  const errors: unknown[] = []
  const runtime = createMockRuntime({ now: docsNow })
  // A route whose answer JSON cannot hold: the guard must cover serialising, not only routing.
  const router = createAdminRouter(runtime, {
    extraRoutes: [{ method: 'GET', path: '/unserialisable', handle: () => ({ status: 200, body: { big: 10n } }) }],
  })
  const server = createServer((request, response) => {
    const mockRequest: MockRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      query: '',
      header: (name) => request.headers[name] as string | undefined,
      body: undefined,
    }
    handleAdminHttp(router, { allowedHosts: [] }, request, response, mockRequest, (error) => errors.push(error))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const failed = await fetch(`${url}/__admin/unserialisable`)
  const clock = await fetch(`${url}/__admin/clock`)

  expect(failed.status).toBe(500)
  expect(await failed.json()).toEqual({
    success: false,
    error: { code: 'INTERNAL_ERROR', message: 'An unexpected error occurred in the mock. See its log for details.' },
  })
  expect(errors).toHaveLength(1)
  expect(errors[0]).toBeInstanceOf(TypeError)
  expect(clock.status).toBe(200)
})
