import { expect, it, onTestFinished } from 'vitest'
import { createGetRazeMock } from '../../src/handlers/createGetRazeMock.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import { docsNow, stagePath } from '../support/transports.js'

// Issue 15, item 8: `PUT /__admin/clock {"advance":1e300}` answered 500 but moved the clock; every
// API call was then a 500 with `x-ratelimit-reset: NaN`, and the journal stayed unreadable.

const put = (url: string, body: string) =>
  fetch(`${url}/__admin/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body })

it('answers 400 to an advance past the last instant a timestamp can show, and leaves the clock and the API working', async () => {
  const running = await startMockServer({ now: docsNow, port: 0 })
  onTestFinished(() => running.close())

  const huge = await put(running.url, '{"advance":1e300}')
  const pastYear9999 = await put(running.url, '{"advance":253402300800}')
  const clock = await (await fetch(`${running.url}/__admin/clock`)).json()
  const api = await fetch(`${running.url}${stagePath('opp_abc123def456')}`, {
    method: 'PATCH',
    headers: { 'x-api-key': 'YOUR_API_KEY', 'content-type': 'application/json' },
    body: '{"status":"won"}',
  })
  const journal = await fetch(`${running.url}/__admin/requests`)

  expect(huge.status).toBe(400)
  expect(await huge.json()).toEqual({
    success: false,
    error: {
      code: 'VALIDATION_ERROR',
      message:
        "Failed to advance the clock: 1e+300 seconds would take it past 9999-12-31T23:59:59Z, the last instant the API's timestamps can show. Pass fewer seconds, or use clock.set(instant).",
      details: { field: 'advance' },
    },
  })
  expect(pastYear9999.status).toBe(400)
  expect(clock).toEqual({ now: '2024-01-25T10:00:00.000Z', frozen: true })
  expect(api.status).toBe(200)
  expect(api.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/)
  expect(journal.status).toBe(200)
})

it('answers 400 to a time beyond the year 9999 and leaves the clock where it was', async () => {
  const running = await startMockServer({ now: docsNow, port: 0 })
  onTestFinished(() => running.close())

  const refused = await put(running.url, '{"now":"+020000-01-01T00:00:00Z"}')

  expect(refused.status).toBe(400)
  expect(await refused.json()).toMatchObject({ error: { code: 'VALIDATION_ERROR', details: { field: 'now' } } })
  expect(running.mock.clock().toISOString()).toBe('2024-01-25T10:00:00.000Z')
})

it('refuses an out-of-range advance or set in process with INVALID_OPTION before anything changes', () => {
  const mock = createGetRazeMock({ now: docsNow })
  const running = createGetRazeMock()

  const advance = (() => {
    try {
      mock.clock.advance(1e300)
    } catch (error) {
      return error
    }
  })()

  expect(advance).toMatchObject({ name: 'GetRazeMockError', code: 'INVALID_OPTION' })
  expect(() => mock.clock.set(8.64e15)).toThrow(
    'Failed to set the clock: "8640000000000000" is outside 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the instants the API\'s timestamps can show. Pass one like 2024-01-25T10:00:00Z.',
  )
  expect(() => mock.clock.set(new Date(Number.POSITIVE_INFINITY))).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
  expect(() => running.clock.advance(1e300)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
  expect(mock.clock().toISOString()).toBe('2024-01-25T10:00:00.000Z')
  expect(running.clock().getFullYear()).toBeLessThan(10_000)
})

it('refuses a start instant beyond the year 9999', () => {
  expect(() => createGetRazeMock({ now: '+010000-01-01T00:00:00Z' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
})
