import { writeFileSync } from 'node:fs'
import { expect, it, onTestFinished } from 'vitest'
import { createAdminRouter } from '../../src/admin/createAdminRouter.js'
import { maxFaultMatchLength, maxFaults } from '../../src/control/createFaults.js'
import { createMockRuntime } from '../../src/runtime/createMockRuntime.js'
import { createGetRazeMock } from '../../src/handlers/createGetRazeMock.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import { buildFixtureFile, buildOpportunity } from '../support/builders.js'
import { writeTempFiles } from '../support/tempFiles.js'
import { docsNow, stagePath } from '../support/transports.js'

// Issue 15, item 9: admin state had no limits (60,000 faults took 195 MB and each add copied the
// list; 300 faults with 1 MiB match paths took 392 MB; 150 fixture posts of 1 MiB added 771 MB),
// and `POST /__admin/reset` read and parsed the fixture files again: 47 s at 1,000,000 records,
// with requests stalled for 18 s.

const postJson = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

it(`answers 409 LIMIT_EXCEEDED to fault number ${maxFaults + 1}, and takes faults again once some are removed`, async () => {
  const running = await startMockServer({ now: docsNow, port: 0 })
  onTestFinished(() => running.close())
  for (let i = 0; i < maxFaults; i++) running.mock.faults.add({ error: 'INTERNAL_ERROR', match: { path: `/nowhere/${i}` } })

  const refused = await postJson(running.url, '/__admin/faults', { error: 'INTERNAL_ERROR' })
  running.mock.faults.remove('fault_1')
  const again = await postJson(running.url, '/__admin/faults', { error: 'INTERNAL_ERROR' })

  expect(refused.status).toBe(409)
  expect(await refused.json()).toEqual({
    success: false,
    error: {
      code: 'LIMIT_EXCEEDED',
      message: `Failed to add the fault: ${maxFaults} faults are active, the most the mock keeps. Remove some (faults.remove(id)) or clear them (faults.clear()) first.`,
    },
  })
  expect(again.status).toBe(201)
  expect(running.mock.faults.list()).toHaveLength(maxFaults)
})

it('refuses a fault whose match string no request could carry, naming the field, over HTTP and in process', async () => {
  const running = await startMockServer({ now: docsNow, port: 0 })
  onTestFinished(() => running.close())
  const mock = createGetRazeMock({ now: docsNow })

  const refused = await postJson(running.url, '/__admin/faults', { error: 'INTERNAL_ERROR', match: { path: `/${'p'.repeat(100_000)}` } })
  const inProcess = (() => {
    try {
      mock.faults.add({ error: 'INTERNAL_ERROR', match: { opportunityId: 'o'.repeat(maxFaultMatchLength + 1) } })
    } catch (error) {
      return error
    }
  })()

  expect(refused.status).toBe(400)
  expect(await refused.json()).toEqual({
    success: false,
    error: {
      code: 'VALIDATION_ERROR',
      message: `Failed to add the fault: "match.path" (a string of 100001 characters) is longer than ${maxFaultMatchLength} characters. No request can carry it; pass the exact value to match.`,
      details: { field: 'match.path' },
    },
  })
  expect(inProcess).toMatchObject({ code: 'INVALID_OPTION' })
  expect(running.mock.faults.list()).toEqual([])
  expect(mock.faults.list()).toEqual([])
})

it('answers 409 LIMIT_EXCEEDED once fixture posts pass their total between resets, and takes them again after a reset', async () => {
  const runtime = createMockRuntime({ now: docsNow })
  const document = (id: string) => JSON.stringify({ opportunities: [buildOpportunity({ id, account: 'acc_demo' })] })
  // Room for two documents of this size, not three.
  const limit = Math.floor(document('opp_first').length * 2.5)
  const route = createAdminRouter(runtime, { maxFixtureBytes: limit })
  const post = (id: string) => route({ method: 'POST', path: '/fixtures', query: '', body: document(id), contentType: 'application/json' })

  const first = await post('opp_first')
  const second = await post('opp_second')
  const third = await post('opp_third')
  await route({ method: 'POST', path: '/reset', query: '', body: undefined })
  const afterReset = await post('opp_after_reset')

  expect([first.status, second.status]).toEqual([201, 201])
  expect(third).toMatchObject({ status: 409, body: { success: false, error: { code: 'LIMIT_EXCEEDED', details: { limit } } } })
  expect((third.body as { error: { message: string } }).error.message).toMatch(
    /^Failed to add fixtures: the admin API has added \d+ bytes of fixtures since the last reset, and these \d+ would pass its limit of \d+\. Reset the mock \(POST \/__admin\/reset\), or load large data sets from fixture files \(--fixtures\)\.$/,
  )
  expect(runtime.store.findOpportunity('opp_third')).toBeUndefined()
  expect(afterReset.status).toBe(201)
})

it('resets to the fixtures it started with without reading the files again, so a file changed since cannot break it', async () => {
  const [path] = writeTempFiles({ 'fixtures.json': buildFixtureFile() }) as [string]
  const running = await startMockServer({ now: docsNow, port: 0, fixtures: [path] })
  onTestFinished(() => running.close())
  const moved = await fetch(`${running.url}${stagePath('opp_built')}`, {
    method: 'PATCH',
    headers: { 'x-api-key': 'gr_test_built', 'content-type': 'application/json' },
    body: '{"status":"won"}',
  })
  writeFileSync(path, '{ not json')

  const reset = await fetch(`${running.url}/__admin/reset`, { method: 'POST' })

  expect(moved.status).toBe(200)
  expect(reset.status).toBe(204)
  expect(running.mock.store.findOpportunity('opp_built')?.status).toBe('new')
})
