/**
 * One suite for the one test-control interface, run against each implementation: the msw mock
 * in process, the standalone server's `mock` in process, and the same server over HTTP through
 * `connectAdmin`. A behaviour that differs between them fails here.
 */
import { describe, expect, it } from 'vitest'
import { GetRazeMockError } from '../src/errors/GetRazeMockError.js'
import { controlTargets } from './support/controlTargets.js'
import { stagePath } from './support/transports.js'

const opp = 'opp_abc123def456'
/** 2024-01-25T11:00:00Z: the end of the docs' instant's hourly window, in Unix seconds. */
const windowEnd = 1706180400

async function caught(action: () => unknown): Promise<unknown> {
  try {
    await action()
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe.each(controlTargets)('$name', (target) => {
  it('journals each request oldest first, with the key masked in the entry, its headers and its query', async () => {
    const { control, send } = await target.start()
    await send({ key: 'gr_test_readonly' })
    await send({ key: null, path: `${stagePath(opp)}?api_key=YOUR_API_KEY`, body: { status: 'lost' } })

    const entries = await control.journal.list()

    expect(entries).toHaveLength(2)
    expect(entries[0]).toMatchObject({
      id: '1',
      at: '2024-01-25T10:00:00.000Z',
      method: 'PATCH',
      path: stagePath(opp),
      query: '',
      body: { status: 'won' },
      status: 403,
      code: 'INSUFFICIENT_PERMISSIONS',
      resourceId: opp,
      opportunityId: opp,
      apiKey: 'gr_te***',
      fault: null,
    })
    expect(entries[0]!.headers['x-api-key']).toBe('gr_te***')
    expect(entries[0]!.headers['content-type']).toBe('application/json')
    expect(entries[0]!.durationMs).toBeGreaterThanOrEqual(0)
    expect(entries[1]).toMatchObject({ id: '2', query: 'api_key=YOUR***', status: 200, code: null, apiKey: 'YOUR***' })
    expect(JSON.stringify(entries)).not.toContain('gr_test_readonly')
  })

  it('counts and lists by method, path, status, code, opportunityId and the whole API key', async () => {
    const { control, send } = await target.start()
    await send()
    await send({ key: 'gr_test_readonly' })
    await send({ path: stagePath('opp_missing') })
    await send({ method: 'GET' })

    expect(await control.journal.count()).toBe(4)
    expect(await control.journal.count({ method: 'GET' })).toBe(1)
    expect(await control.journal.count({ path: stagePath('opp_missing') })).toBe(1)
    expect(await control.journal.count({ status: 200 })).toBe(1)
    expect(await control.journal.count({ code: 'NOT_FOUND' })).toBe(1)
    expect(await control.journal.count({ code: null })).toBe(1)
    // The GET is a 405: no route matched, so no id.
    expect(await control.journal.count({ opportunityId: opp })).toBe(2)
    expect(await control.journal.count({ apiKey: 'gr_test_readonly' })).toBe(1)
    // Same masked form, different key: the filter matches the whole key, not the mask.
    expect(await control.journal.count({ apiKey: 'gr_test_wildcard' })).toBe(0)
    expect((await control.journal.list({ method: 'PATCH', status: 403 })).map((entry) => entry.id)).toEqual(['2'])
  })

  it("journals a contacts request's id as resourceId, not as opportunityId, and filters and faults by either", async () => {
    const { control, send } = await target.start()
    const contact = '/external/v1/contacts/cnt_abc123def456'
    await send({ method: 'GET', path: contact })
    await send()

    const [read, moved] = await control.journal.list()
    expect(read).toMatchObject({ method: 'GET', path: contact, status: 200, resourceId: 'cnt_abc123def456', opportunityId: null })
    expect(moved).toMatchObject({ resourceId: opp, opportunityId: opp })
    expect(await control.journal.count({ resourceId: 'cnt_abc123def456' })).toBe(1)
    expect(await control.journal.count({ opportunityId: 'cnt_abc123def456' })).toBe(0)
    expect(await control.journal.count({ resourceId: opp })).toBe(1)

    await control.faults.add({ error: 'INTERNAL_ERROR', match: { opportunityId: 'cnt_abc123def456' } })
    expect((await send({ method: 'GET', path: contact })).status).toBe(200)
    await control.faults.add({ error: 'INTERNAL_ERROR', match: { resourceId: 'cnt_abc123def456' } })
    expect((await send({ method: 'GET', path: contact })).status).toBe(500)
    expect((await send()).status).toBe(200)
  })

  it('empties the journal on clear and numbers the next request on', async () => {
    const { control, send } = await target.start()
    await send()
    await control.journal.clear()

    expect(await control.journal.list()).toEqual([])
    await send()
    expect((await control.journal.list()).map((entry) => entry.id)).toEqual(['2'])
  })

  it('keeps only the last journalSize requests', async () => {
    const { control, send } = await target.start({ journalSize: 2 })
    for (let i = 0; i < 4; i++) await send()

    expect((await control.journal.list()).map((entry) => entry.id)).toEqual(['3', '4'])
  })

  it('keeps nothing with journalSize 0, and expectCalls says the journal is off', async () => {
    const { control, send } = await target.start({ journalSize: 0 })
    await send()

    expect(await control.journal.list()).toEqual([])
    const error = await caught(() => control.expectCalls({}, 1))
    expect(error).toBeInstanceOf(GetRazeMockError)
    expect(error).toMatchObject({
      code: 'JOURNAL_DISABLED',
      message:
        'Failed to verify calls: the request journal is off (journalSize 0). Start the mock with journalSize > 0 (--journal-size on the CLI).',
    })
  })

  it('passes expectCalls on the exact count and otherwise lists the near misses and how each differs', async () => {
    const { control, send } = await target.start()
    await send({ key: 'gr_test_readonly' })
    await send({ path: stagePath('opp_missing') })
    await send({ method: 'GET' })

    await control.expectCalls({ method: 'PATCH', code: 'NOT_FOUND' }, 1)
    const error = await caught(() => control.expectCalls({ method: 'PATCH', status: 200 }, 1))

    expect(error).toBeInstanceOf(GetRazeMockError)
    expect((error as GetRazeMockError).code).toBe('CALLS_MISMATCH')
    expect((error as GetRazeMockError).message).toBe(
      [
        'Failed to verify calls: expected 1 request matching method "PATCH", status 200, found 0.',
        'Near misses (closest first):',
        `  #2 PATCH ${stagePath('opp_missing')} -> 404 NOT_FOUND: status 404, expected 200`,
        `  #1 PATCH ${stagePath(opp)} -> 403 INSUFFICIENT_PERMISSIONS: status 403, expected 200`,
        `  #3 GET ${stagePath(opp)} -> 405 METHOD_NOT_ALLOWED: method "GET", expected "PATCH"; status 405, expected 200`,
        'Check the request your code sends, or the filter.',
      ].join('\n'),
    )
  })

  it('answers a RATE_LIMIT_EXCEEDED fault as the mock would, with Retry-After and limits from the clock, then expires', async () => {
    const { control, send, store } = await target.start()
    await control.faults.add({ error: 'RATE_LIMIT_EXCEEDED', times: 1 })

    const limited = await send()

    expect(limited.status).toBe(429)
    expect(limited.body).toEqual({
      success: false,
      error: {
        code: 'RATE_LIMIT_EXCEEDED',
        message: 'Rate limit exceeded: 1000 requests per hour. Retry after 3600 seconds.',
        details: { limit: 1000, reset: windowEnd },
        retry_after: 3600,
      },
    })
    expect(limited.headers.get('retry-after')).toBe('3600')
    expect(limited.headers.get('x-ratelimit-limit')).toBe('1000')
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String(windowEnd))
    // A faulted request changes no data.
    expect(store.findOpportunity(opp)?.status).toBe('qualified')
    expect(await control.faults.list()).toEqual([])

    const next = await send()
    expect(next.status).toBe(200)
    expect(next.headers.get('x-ratelimit-remaining')).toBe('999')
    await control.expectCalls({ status: 429 }, 1)
  })

  it('answers a faulted 401 without rate-limit headers, and a faulted 429 exactly as a real one', async () => {
    const { control, send } = await target.start()
    const real = await send({ key: 'gr_test_ratelimited' })
    await control.faults.add({ error: 'RATE_LIMIT_EXCEEDED', match: { apiKey: 'gr_test_ratelimited' } })
    await control.faults.add({ error: 'INVALID_API_KEY' })

    const faulted = await send({ key: 'gr_test_ratelimited' })
    const unauthorized = await send()

    expect(faulted.status).toBe(429)
    expect(faulted.body).toEqual(real.body)
    for (const name of ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      expect(faulted.headers.get(name)).toBe(real.headers.get(name))
    }
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.body.error).toEqual({ code: 'INVALID_API_KEY', message: 'The API key is invalid or has been revoked.' })
    expect(unauthorized.headers.get('x-ratelimit-limit')).toBeNull()
  })

  it('lets `after` matching requests through first and applies only to requests its match selects', async () => {
    const { control, send } = await target.start()
    await control.faults.add({ error: 'INTERNAL_ERROR', after: 2, match: { opportunityId: 'opp_demo_new', method: 'PATCH' } })

    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push((await send({ path: stagePath('opp_demo_new'), body: { status: 'contacted' } })).status)
    const other = await send()

    expect(statuses).toEqual([200, 200, 500])
    expect(other.status).toBe(200)
    expect(await control.faults.list()).toEqual([
      { id: expect.any(String), error: 'INTERNAL_ERROR', after: 2, match: { opportunityId: 'opp_demo_new', method: 'PATCH' }, applied: 1 },
    ])
  })

  it('lists, removes and clears faults, showing a matched key only masked', async () => {
    const { control } = await target.start()
    const first = await control.faults.add({ error: 'NOT_FOUND', match: { apiKey: 'gr_test_wildcard' } })
    await control.faults.add({ delayMs: 10 })

    expect((await control.faults.list())[0]).toEqual({ id: first, error: 'NOT_FOUND', match: { apiKey: 'gr_te***' }, applied: 0 })
    expect(await control.faults.remove(first)).toBe(true)
    expect(await control.faults.remove(first)).toBe(false)
    expect(await control.faults.list()).toHaveLength(1)
    await control.faults.clear()
    expect(await control.faults.list()).toEqual([])
  })

  it('refuses a fault that names an undocumented code, naming the field', async () => {
    const { control } = await target.start()

    const error = await caught(() => control.faults.add({ error: 'TEAPOT' as never }))

    expect(error).toBeInstanceOf(GetRazeMockError)
    expect((error as Error).message).toMatch(/^Failed to add the fault: "error" "TEAPOT" is not a documented error code\. Use one of VALIDATION_ERROR, /)
    expect(await control.faults.list()).toEqual([])
  })

  it('breaks the connection on a reset fault and journals it with status 0', async () => {
    const { control, send, store } = await target.start()
    await control.faults.add({ network: 'reset', times: 1 })

    await expect(send()).rejects.toThrow(TypeError)
    expect(store.findOpportunity(opp)?.status).toBe('qualified')
    expect(await control.journal.list()).toMatchObject([{ status: 0, code: null, fault: expect.stringMatching(/^fault_/) }])
    expect((await send()).status).toBe(200)
  })

  it('never answers on a timeout fault, so the client gives up', async () => {
    const { control, send } = await target.start()
    await control.faults.add({ network: 'timeout' })

    const error = await caught(() => send({ signal: AbortSignal.timeout(200) }))

    expect(error).toMatchObject({ name: 'TimeoutError' })
    await control.faults.clear()
    expect((await send()).status).toBe(200)
  })

  it('delays the normal answer on a delay-only fault', async () => {
    const { control, send, store } = await target.start()
    await control.faults.add({ delayMs: 150, times: 1 })

    const started = performance.now()
    const response = await send()

    expect(response.status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(145)
    expect(store.findOpportunity(opp)?.status).toBe('won')
  })

  it('answers the documented error a Prefer header asks for, by code or by status', async () => {
    const { control, send, store } = await target.start()

    const byCode = await send({ headers: { prefer: 'error=RATE_LIMIT_EXCEEDED' } })
    const byStatus = await send({ headers: { prefer: 'code=429' } })
    const notFound = await send({ headers: { prefer: 'code=404' } })
    const unknown = await send({ headers: { prefer: 'error=TEAPOT' } })

    expect(byCode.status).toBe(429)
    expect(byCode.body.error?.code).toBe('RATE_LIMIT_EXCEEDED')
    expect(byCode.headers.get('retry-after')).toBe('3600')
    expect(byStatus.body).toEqual(byCode.body)
    expect(notFound.body.error).toEqual({ code: 'NOT_FOUND', message: 'Opportunity not found', details: { resource: 'opportunity', id: opp } })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error?.message).toMatch(/^Prefer: error=TEAPOT is not a documented error code\./)
    expect(unknown.body.error?.details).toEqual({ field: 'Prefer' })
    expect(store.findOpportunity(opp)?.status).toBe('qualified')
    expect(await control.journal.count({ status: 429 })).toBe(2)
  })

  it("answers only the errors the request's endpoint has, worded for it, and refuses the others by name", async () => {
    const { control, send, store } = await target.start()

    const status400 = await send({ headers: { prefer: 'code=400' } })
    const conflict = await send({ headers: { prefer: 'error=CONFLICT' } })
    const noStatus = await send({ headers: { prefer: 'code=409' } })
    const invalid = await send({ headers: { prefer: 'error=INVALID_STATUS' } })

    expect(status400.body.error?.code).toBe('VALIDATION_ERROR')
    expect(conflict.status).toBe(400)
    expect(conflict.body.error).toEqual({
      code: 'VALIDATION_ERROR',
      message:
        'Prefer: error=CONFLICT is not an error PATCH /external/v1/opportunities/:id/stage answers. Use one of MISSING_API_KEY, INVALID_API_KEY, EXPIRED_API_KEY, INSUFFICIENT_PERMISSIONS, RATE_LIMIT_EXCEEDED, INTERNAL_ERROR, VALIDATION_ERROR, INVALID_STATUS, NOT_FOUND.',
      details: { field: 'Prefer' },
    })
    expect(noStatus.body.error?.message).toBe(
      'Prefer: code=409 is not an error status PATCH /external/v1/opportunities/:id/stage answers. Use one of 401, 403, 429, 500, 400, 404.',
    )
    expect(invalid.body.error).toMatchObject({ code: 'INVALID_STATUS', details: { field: 'status', received: null } })
    expect(store.findOpportunity(opp)?.status).toBe('qualified')
  })

  it('refuses a fault whose error the endpoint its match names cannot answer, or that no endpoint answers', async () => {
    const { control } = await target.start()

    const pinned = await caught(() => control.faults.add({ error: 'ALREADY_EXISTS', match: { method: 'PATCH', path: stagePath(opp) } }))
    const nowhere = await caught(() => control.faults.add({ error: 'CONFLICT' }))

    expect((pinned as Error).message).toBe(
      'Failed to add the fault: "error" "ALREADY_EXISTS" is not an error PATCH /external/v1/opportunities/:id/stage answers. Use one of MISSING_API_KEY, INVALID_API_KEY, EXPIRED_API_KEY, INSUFFICIENT_PERMISSIONS, RATE_LIMIT_EXCEEDED, INTERNAL_ERROR, VALIDATION_ERROR, INVALID_STATUS, NOT_FOUND.',
    )
    expect((nowhere as Error).message).toMatch(/^Failed to add the fault: "error" "CONFLICT" is not an error any endpoint of the mock answers\. Use one of /)
    expect(await control.faults.list()).toEqual([])
  })

  it('sets, advances and reads the clock, and won_at follows it', async () => {
    const { control, send } = await target.start()
    await control.clock.set('2025-03-01T08:30:00Z')
    await control.clock.advance(90)

    expect((await control.clock.now()).toISOString()).toBe('2025-03-01T08:31:30.000Z')
    const won = await send()
    expect(won.body.data?.won_at).toBe('2025-03-01T08:31:30Z')
    expect((await control.journal.list())[0]!.at).toBe('2025-03-01T08:31:30.000Z')
  })

  it('opens a new rate-limit window when the clock moves past the hour', async () => {
    const { control, send } = await target.start()

    const before = await send({ key: 'gr_test_ratelimited' })
    await control.clock.advance(Number(before.headers.get('retry-after')))
    const after = await send({ key: 'gr_test_ratelimited' })

    expect(before.status).toBe(429)
    expect(after.status).toBe(200)
    expect(after.headers.get('x-ratelimit-remaining')).toBe('99')
  })

  it('expires keys by the mock clock', async () => {
    const { control, send } = await target.start()
    await control.clock.set('2023-12-31T23:59:59Z')
    const atExpiry = await send({ key: 'gr_test_expired' })
    await control.clock.advance(1)
    const after = await send({ key: 'gr_test_expired' })

    expect(atExpiry.status).toBe(200)
    expect(after.body.error?.code).toBe('EXPIRED_API_KEY')
  })

  it('goes back to real time on real()', async () => {
    const { control } = await target.start()

    await control.clock.real()
    const now = await control.clock.now()

    expect(Math.abs(now.getTime() - Date.now())).toBeLessThan(60_000)
  })

  it('refuses to advance the clock backwards, pointing at set', async () => {
    const { control } = await target.start()

    const error = await caught(() => control.clock.advance(-5))

    expect((error as Error).message).toMatch(/^Failed to advance the clock: -5 is not a number of seconds >= 0\. /)
  })

  it('clears the journal and faults and puts the clock back on reset', async () => {
    const { control, send, store } = await target.start()
    await send()
    await control.faults.add({ error: 'INTERNAL_ERROR' })
    await control.clock.advance(7200)

    await control.reset()

    expect(await control.journal.list()).toEqual([])
    expect(await control.faults.list()).toEqual([])
    expect((await control.clock.now()).toISOString()).toBe('2024-01-25T10:00:00.000Z')
    expect(store.findOpportunity(opp)?.status).toBe('qualified')
    expect((await send()).status).toBe(200)
  })
})
