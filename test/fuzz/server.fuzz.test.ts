import fc from 'fast-check'
import { connect } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startMockServer } from '../../src/server/startMockServer.js'
import type { RunningMockServer } from '../../src/server/createMockServer.js'
import { rawPatch, sendRaw } from '../support/rawHttp.js'
import {
  assertEnvelope,
  budgetFor,
  assertStoreChange,
  changedIds,
  requestArbitrary,
  seed,
  snapshotRecords,
  steppingClock,
  totalRuns,
} from './arbitraries.js'
import type { FuzzRequest } from './arbitraries.js'

// Raw sockets against the real server: what a browser or fetch would never send still gets the
// envelope (or, for a request cut short, a closed connection), and the server keeps serving.

const runs = Math.round(totalRuns * 0.15)
const errors: unknown[] = []
let running: RunningMockServer

beforeAll(async () => {
  running = await startMockServer({ port: 0, now: steppingClock(), onUnexpectedError: (error) => errors.push(error) })
})
afterAll(() => running.close())

function toBytes(request: FuzzRequest, body: Buffer | undefined): Buffer {
  const target = `${request.path}${request.query ? `?${request.query}` : ''}`
  const lines = [`${request.method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close']
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`)
  if (body !== undefined) lines.push(`Content-Length: ${body.length}`)
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body ?? Buffer.alloc(0)])
}

/** Ways to break a well-formed request on the wire. */
const corruption = fc.oneof(
  { weight: 6, arbitrary: fc.constant((bytes: Buffer) => bytes) },
  { weight: 1, arbitrary: fc.nat().map((at) => (bytes: Buffer) => bytes.subarray(0, at % (bytes.length + 1))) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(
      ([at, junk]) => (bytes: Buffer) => Buffer.concat([bytes.subarray(0, at % (bytes.length + 1)), Buffer.from(junk), bytes.subarray(at % (bytes.length + 1))]),
    ),
  },
  { weight: 1, arbitrary: fc.constant((bytes: Buffer) => Buffer.from(bytes.toString('latin1').replace('\r\n\r\n', '\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n'), 'latin1')) },
  { weight: 1, arbitrary: fc.constant((bytes: Buffer) => Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1')) },
)

const rawBody = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constantFrom(Buffer.from([0x7b, 0x22, 0x73, 0xff, 0xfe, 0x22, 0x7d]), Buffer.from('{"status":"w\xc3\x28n"}', 'latin1')) },
)

it(`answers ${runs} generated raw requests in the envelope or closes, never 5xx, and keeps serving`, async () => {
  let answered = 0
  let sent = 0
  await fc.assert(
    fc.asyncProperty(requestArbitrary, rawBody, corruption, async (request, invalidUtf8, corrupt) => {
      const body = invalidUtf8 ?? (request.body === undefined ? undefined : Buffer.from(request.body, 'utf8'))
      const wellFormed = toBytes(request, body)
      const bytes = corrupt(wellFormed)
      // Deletes and creates accumulate; a fresh store now and then keeps the records there to hit.
      if (++sent % 300 === 0) await running.mock.reset()
      const before = snapshotRecords(running.mock.store)

      const exchange = await sendRaw(running.url, [bytes], { timeoutMs: 5000 })

      if (exchange.ended === 'timeout') throw new Error('the server neither answered nor closed within 5 s')
      if (exchange.status === undefined) {
        // Only a request cut short may go unanswered.
        if (bytes === wellFormed) throw new Error('a complete request got no answer')
        return
      }
      answered++
      const bodyStart = exchange.text.indexOf('\r\n\r\n')
      const outcome = assertEnvelope(exchange.status, exchange.text.slice(bodyStart + 4))
      assertStoreChange(outcome, changedIds(before, snapshotRecords(running.mock.store)), request.path)
    }),
    { numRuns: runs, seed },
  )
  expect(errors).toEqual([])
  expect(answered / runs).toBeGreaterThan(0.5)
  // The run deleted and changed records; the tests below start from the fixtures.
  await running.mock.reset()
  const after = await fetch(`${running.url}/external/v1/opportunities/opp_abc123def456/stage`, {
    method: 'PATCH',
    headers: { 'x-api-key': 'YOUR_API_KEY' },
    body: '{"status":"won"}',
  })
  expect(after.status).toBe(200)
}, budgetFor(runs, 80))

it('answers two pipelined requests on one connection in order', async () => {
  const first = rawPatch(['Content-Length: 17'], '{"status":"lost"}')
  const second = rawPatch(['Content-Length: 16', 'Connection: close'], '{"status":"won"}')

  const exchange = await sendRaw(running.url, [first + second])

  const statuses = [...exchange.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]))
  expect(statuses).toEqual([200, 200])
  expect(exchange.text.indexOf('"lost"')).toBeLessThan(exchange.text.indexOf('"won"'))
})

it('answers a client that sends its request a byte at a time', async () => {
  const bytes = rawPatch(['Content-Length: 16', 'Connection: close'], '{"status":"won"}')

  const exchange = await sendRaw(running.url, [...bytes.slice(0, 60)].concat(bytes.slice(60)), { gapMs: 2, timeoutMs: 5000 })

  expect(exchange.status).toBe(200)
})

it('keeps serving after clients reset their connections mid-body', async () => {
  for (let i = 0; i < 20; i++) {
    await new Promise<void>((resolve) => {
      const socket = connect(Number(new URL(running.url).port), '127.0.0.1', () => {
        socket.write(rawPatch(['Content-Length: 1000'], '{"status":"w'))
        setTimeout(() => {
          socket.resetAndDestroy()
          resolve()
        }, 5)
      })
      socket.on('error', () => resolve())
    })
  }
  const after = await fetch(`${running.url}/external/v1/opportunities/opp_demo_new/stage`, {
    method: 'PATCH',
    headers: { 'x-api-key': 'YOUR_API_KEY' },
    body: '{"status":"contacted"}',
  })
  expect(after.status).toBe(200)
  expect(errors).toEqual([])
})
