import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { opportunityStatuses } from '../../src/contract/opportunityStatuses.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import type { RunningMockServer } from '../../src/server/createMockServer.js'
import { sendRaw } from '../support/rawHttp.js'
import { assertEnvelope, changedIds, knownIds, seed, snapshotOpportunities, steppingClock, totalRuns } from './arbitraries.js'

// Pipelines on raw sockets to 127.0.0.1 that mix CONNECT, Upgrade and Expect with ordinary
// requests (issue 15): every request that changed the store was answered, every answer is in the
// envelope, nothing crashes, and the server keeps serving.

const runs = Math.max(20, Math.round(totalRuns * 0.02))
const maxBodyBytes = 64
const errors: unknown[] = []
let running: RunningMockServer

beforeAll(async () => {
  running = await startMockServer({ port: 0, now: steppingClock(), maxBodyBytes, onUnexpectedError: (error) => errors.push(error) })
})
afterAll(() => running.close())

type Step =
  | { kind: 'patch'; status: string; key: string; expect?: string; upgrade?: string; close: boolean }
  | { kind: 'oversized'; chunked: boolean }
  | { kind: 'connect' }
  | { kind: 'upgradeGet'; upgrade: string }
  | { kind: 'garbage'; bytes: Uint8Array }

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('patch' as const),
      status: fc.constantFrom(...opportunityStatuses),
      key: fc.oneof({ weight: 4, arbitrary: fc.constant('YOUR_API_KEY') }, fc.constantFrom('gr_test_readonly', 'nope')),
      expect: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constantFrom('100-continue', '100-Continue') },
        { weight: 1, arbitrary: fc.constantFrom('something-else', '200-ok') },
      ),
      upgrade: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, fc.constantFrom('websocket', 'h2c', 'TLS/1.2')),
      close: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('oversized' as const), chunked: fc.boolean() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'connect' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('upgradeGet' as const), upgrade: fc.constantFrom('websocket', 'h2c') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }) },
)

/** The bytes of one step; each PATCH in a pipeline targets its own opportunity. */
function toBytes(item: Step, id: string): Buffer {
  const stage = `/external/v1/opportunities/${id}/stage`
  switch (item.kind) {
    case 'patch': {
      const body = JSON.stringify({ status: item.status })
      const lines = [`PATCH ${stage} HTTP/1.1`, 'Host: 127.0.0.1', `X-API-Key: ${item.key}`, `Content-Length: ${body.length}`]
      if (item.expect) lines.push(`Expect: ${item.expect}`)
      if (item.upgrade) lines.push(`Upgrade: ${item.upgrade}`, 'Connection: Upgrade')
      else if (item.close) lines.push('Connection: close')
      return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1')
    }
    case 'oversized': {
      const body = JSON.stringify({ status: 'won', pad: 'x'.repeat(maxBodyBytes) })
      const framing = item.chunked ? `Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n` : `Content-Length: ${body.length}\r\n\r\n${body}`
      return Buffer.from(`PATCH ${stage} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: YOUR_API_KEY\r\n${framing}`, 'latin1')
    }
    case 'connect':
      return Buffer.from('CONNECT getraze.example:443 HTTP/1.1\r\nHost: getraze.example:443\r\n\r\n', 'latin1')
    case 'upgradeGet':
      return Buffer.from(`GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: ${item.upgrade}\r\n\r\n`, 'latin1')
    case 'garbage':
      return Buffer.from(item.bytes)
  }
}

/** The answers in what the server sent, in order (100 Continue skipped); throws on bytes that are not answers. */
function parseAnswers(bytes: Buffer): Array<{ status: number; body: string }> {
  const answers: Array<{ status: number; body: string }> = []
  let rest = bytes.toString('latin1')
  while (rest.length > 0) {
    const head = /^HTTP\/1\.1 (\d{3}) [^\r\n]*\r\n/.exec(rest)
    const headEnd = rest.indexOf('\r\n\r\n')
    if (!head || headEnd === -1) throw new Error(`bytes that are not an HTTP answer: ${JSON.stringify(rest.slice(0, 200))}`)
    const status = Number(head[1])
    const headers = rest.slice(0, headEnd)
    rest = rest.slice(headEnd + 4)
    if (status === 100) continue
    const length = /\r\ncontent-length: (\d+)/i.exec(headers)
    if (!length) throw new Error(`an answer without Content-Length: ${JSON.stringify(headers)}`)
    const body = rest.slice(0, Number(length[1]))
    if (body.length < Number(length[1])) throw new Error(`a truncated answer: ${JSON.stringify(headers)}`)
    answers.push({ status, body: Buffer.from(body, 'latin1').toString('utf8') })
    rest = rest.slice(body.length)
  }
  return answers
}

const pipeline = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 6 }),
  ids: fc.shuffledSubarray([...knownIds], { minLength: knownIds.length, maxLength: knownIds.length }),
  // Where the bytes are split into separate writes, and whether the client half-closes after them.
  splits: fc.array(fc.nat(), { maxLength: 3 }),
  halfClose: fc.boolean(),
  // Most pipelines end with a request that closes the connection, so none waits for the keep-alive timeout.
  terminate: fc.integer({ min: 0, max: 4 }).map((draw) => draw > 0),
})

it(`answers every request that changed the store in ${runs} pipelines mixing CONNECT, Upgrade and Expect, in the envelope`, async () => {
  let answers = 0
  let changes = 0
  await fc.assert(
    fc.asyncProperty(pipeline, async ({ steps, ids, splits, halfClose, terminate }) => {
      const parts = steps.map((item, index) => toBytes(item, ids[index % ids.length]!))
      if (terminate) parts.push(toBytes({ kind: 'patch', status: 'won', key: 'YOUR_API_KEY', close: true }, ids[steps.length % ids.length]!))
      const bytes = Buffer.concat(parts)
      const cuts = [...new Set(splits.map((at) => at % bytes.length))].sort((a, b) => a - b)
      const writes = [0, ...cuts].map((start, index, all) => bytes.subarray(start, all[index + 1] ?? bytes.length)).filter((part) => part.length > 0)
      const before = snapshotOpportunities(running.mock.store)

      const exchange = await sendRaw(running.url, writes, { gapMs: 2, keepOpen: !halfClose, timeoutMs: 8000 })

      if (exchange.ended === 'timeout') throw new Error('the server neither answered nor closed within 8 s')
      const answered = new Set<string>()
      for (const answer of parseAnswers(exchange.bytes)) {
        const outcome = assertEnvelope(answer.status, answer.body)
        if (outcome.id) answered.add(outcome.id)
        answers++
      }
      const changed = changedIds(before, snapshotOpportunities(running.mock.store))
      changes += changed.length
      const unanswered = changed.filter((id) => !answered.has(id))
      if (unanswered.length > 0) throw new Error(`changed but never answered: ${unanswered.join(', ')}`)
    }),
    { numRuns: runs, seed },
  )
  expect(errors).toEqual([])
  // The pipelines did change data and get answers, so the property was exercised.
  expect(changes).toBeGreaterThan(runs / 4)
  expect(answers).toBeGreaterThan(runs)
  const after = await fetch(`${running.url}/external/v1/opportunities/opp_abc123def456/stage`, {
    method: 'PATCH',
    headers: { 'x-api-key': 'YOUR_API_KEY' },
    body: '{"status":"won"}',
  })
  expect(after.status).toBe(200)
}, 180_000)
