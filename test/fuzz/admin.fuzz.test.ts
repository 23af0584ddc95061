import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { adminErrors } from '../../src/admin/adminError.js'
import type { AdminErrorCode } from '../../src/admin/adminError.js'
import { adminRoutes } from '../../src/admin/createAdminRouter.js'
import { apiErrors } from '../../src/contract/apiErrors.js'
import type { ApiErrorCode } from '../../src/contract/apiErrors.js'
import { maxFaults } from '../../src/control/createFaults.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import type { RunningMockServer } from '../../src/server/createMockServer.js'
import { sendRaw } from '../support/rawHttp.js'
import { bodyArbitrary, budgetFor, knownIds, knownKeys, seed, steppingClock, totalRuns } from './arbitraries.js'

// The admin API under hostile input (issue 15): bodies nested thousands deep, huge strings, wrong
// types, prototype keys, non-JSON and wrong content types, to every admin route, with hostile API
// requests journaled in between; then every read route. Every answer must be the envelope (or a
// route's JSON), never a 5xx, the process must keep serving, and the admin state stay bounded.

const runs = Math.max(100, Math.round(totalRuns * 0.05))
const errors: unknown[] = []
let running: RunningMockServer
let host: string

beforeAll(async () => {
  running = await startMockServer({ port: 0, now: steppingClock(), onUnexpectedError: (error) => errors.push(error) })
  host = new URL(running.url).host
})
afterAll(() => running.close())

const routeArbitrary = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...adminRoutes, { method: 'GET', path: '/openapi.json' }).map((route) => ({ method: route.method as string, path: route.path })) },
  { weight: 1, arbitrary: fc.constantFrom('PATCH', 'HEAD', 'OPTIONS', 'PROPFIND').map((method) => ({ method, path: '/faults' })) },
  { weight: 1, arbitrary: fc.constantFrom('', '/', '/nothing', '/requests/', '/faults/%E0%A4', '/__proto__', '/opportunities/', '/faults/a/b').map((path) => ({ method: 'GET', path })) },
)

/** What goes in a `:name` segment. */
const segmentArbitrary = fc.oneof(
  fc.constantFrom(...knownIds, 'fault_1', 'fault_999999', '__proto__', 'constructor', '%E0%A4', '%00', '..'),
  fc.stringMatching(/^[A-Za-z0-9_%.-]{1,60}$/),
)

/** A value of any JSON kind, some of them hostile. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1e300, -1e300, 2 ** 53 + 1, '', 'x'.repeat(70_000), '2024-01-25T10:00:00Z', '+275760-09-13T00:00:00Z', 'PATCH'),
  fc.constantFrom(...knownKeys),
  fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as unknown),
  fc.integer({ min: 65, max: 3000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
)

/** Bodies shaped like what each route takes, with fields hostile or misplaced. */
const shapedBody = fc.oneof(
  fc.record({ error: fc.constantFrom('CONFLICT', 'RATE_LIMIT_EXCEEDED', 'NOPE'), match: fc.dictionary(fc.constantFrom('method', 'path', 'opportunityId', 'apiKey', 'status', '__proto__'), hostileValue), times: hostileValue }, { requiredKeys: [] }),
  fc.record({ now: hostileValue, advance: hostileValue }, { requiredKeys: [] }),
  fc.record({ filter: fc.dictionary(fc.constantFrom('method', 'path', 'status', 'code', 'apiKey', 'colour'), hostileValue), times: hostileValue }, { requiredKeys: [] }),
  fc.dictionary(fc.constantFrom('method', 'path', 'status', 'code', 'opportunityId', 'apiKey', 'constructor'), hostileValue),
  fc.record({
    accounts: fc.array(fc.record({ id: fc.constantFrom('acc_demo', 'acc_fuzz', '__proto__'), name: hostileValue }, { requiredKeys: ['id'] }), { maxLength: 3 }),
    opportunities: fc.array(fc.record({ id: fc.constantFrom('opp_fuzz', 'opp_abc123def456'), account: fc.constantFrom('acc_demo', 'acc_missing'), status: hostileValue }), { maxLength: 2 }),
  }, { requiredKeys: [] }),
  hostileValue,
)

const adminBody: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: shapedBody.map((body) => JSON.stringify(body)) },
  // Valid ones too, so writes succeed and the reads meet what they stored.
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '{"error":"INTERNAL_ERROR","times":1,"match":{"path":"/nowhere"}}',
      '{"delayMs":1,"match":{"method":"DELETE"}}',
      '{"now":"2024-01-25T10:00:00Z"}',
      '{"advance":60}',
      '{"filter":{"status":404},"times":0}',
      '{"status":404}',
      '{"accounts":[{"id":"acc_fuzz","name":"Fuzz"}],"apiKeys":[{"key":"gr_fuzz","account":"acc_fuzz","permissions":["opportunities:read"]}]}',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"error":"CONFLICT"}}', '{"constructor":{"prototype":{"times":1}}}', '{"now":"2024-01-25T10:00:00Z","__proto__":null}') },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) },
  { weight: 1, arbitrary: bodyArbitrary },
)

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/jsonp', '') },
  { weight: 1, arbitrary: fc.constant(undefined) },
)

/** Headers a browser page or a rebinding attack would send, now and then. */
const originHeaders = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string[]>([]) },
  { weight: 1, arbitrary: fc.constantFrom(['Origin: http://evil.example'], ['Origin: null'], ['Host: attacker.example']) },
)

/** A body each route takes, so that writes succeed often enough for the reads to meet what they stored. */
const validBodies: Record<string, string> = {
  '/faults': '{"error":"INTERNAL_ERROR","times":1,"match":{"path":"/nowhere"}}',
  '/clock': '{"advance":60}',
  '/requests/find': '{"method":"POST"}',
  '/requests/count': '{}',
  '/requests/verify': '{"filter":{},"times":0}',
  '/fixtures': '{"opportunities":[{"id":"opp_fuzz_added","account":"acc_demo","name":"Fuzz","status":"new","created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"}]}',
}

const caseArbitrary = fc.record({
  route: routeArbitrary,
  segment: segmentArbitrary,
  query: fc.oneof(fc.constant(''), fc.constantFrom('status=abc', 'status=429', 'apiKey=YOUR_API_KEY', 'code=null', '__proto__=x', 'method=PATCH&method=GET', 'path=%E0%A4')),
  body: fc.oneof({ weight: 4, arbitrary: adminBody }, { weight: 1, arbitrary: fc.constant('the route\'s own') }),
  contentType,
  extra: originHeaders,
  // A hostile API request to journal before the admin call, so the reads meet what it left.
  journaled: fc.option(bodyArbitrary, { nil: undefined }),
})

const catalog: Record<string, number> = {
  ...Object.fromEntries(Object.entries(apiErrors).map(([code, entry]) => [code, entry.status])),
  ...adminErrors,
}

/** Every admin answer: JSON (or nothing for 204), the envelope with a known code and its status for an error, never a 5xx. */
function assertAdminAnswer(status: number | undefined, text: string, what: string) {
  if (status === undefined) throw new Error(`${what}: no answer`)
  const bodyStart = text.indexOf('\r\n\r\n')
  const body = text.slice(bodyStart + 4)
  if (status >= 500) throw new Error(`${what}: answered ${status}: ${body.slice(0, 300)}`)
  // HTTP sends no body to HEAD; the status is all there is to check.
  if (what.startsWith('HEAD ')) return
  if (status === 204) {
    if (body !== '') throw new Error(`${what}: 204 with a body`)
    return
  }
  const json = JSON.parse(body) as { success?: unknown; error?: { code?: unknown; message?: unknown } }
  if (status < 400) return
  const code = json.error?.code as ApiErrorCode | AdminErrorCode
  if (json.success !== false || typeof json.error?.message !== 'string' || !(code in catalog)) throw new Error(`${what}: not the envelope: ${body.slice(0, 300)}`)
  if (catalog[code] !== status) throw new Error(`${what}: ${code} answered with ${status}, its status is ${catalog[code]}`)
}

function raw(method: string, target: string, headers: string[], body: string | undefined) {
  const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(body, 'utf8')
  const lines = [`${method} ${target} HTTP/1.1`, ...(headers.some((line) => line.startsWith('Host:')) ? [] : [`Host: ${host}`]), ...headers, 'Connection: close']
  if (body !== undefined) lines.push(`Content-Length: ${bytes.length}`)
  return sendRaw(running.url, [Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), bytes])], { timeoutMs: 10_000 })
}

const readRoutes: Array<[method: string, path: string, body?: string]> = [
  ['GET', '/__admin/requests'],
  ['GET', '/__admin/requests?method=POST'],
  ['POST', '/__admin/requests/find', '{}'],
  ['POST', '/__admin/requests/count', '{"status":404}'],
  ['POST', '/__admin/requests/verify', '{"filter":{"method":"POST"},"times":1}'],
  ['GET', '/__admin/faults'],
  ['GET', '/__admin/clock'],
  ['GET', '/__admin/opportunities/opp_abc123def456'],
  ['GET', '/__admin/openapi.json'],
]

async function readEverything(label: string) {
  for (const [method, path, body] of readRoutes) {
    const answer = await raw(method, path, body === undefined ? [] : ['Content-Type: application/json'], body)
    assertAdminAnswer(answer.status, answer.text, `${label}: ${method} ${path}`)
    if (answer.status !== 200) throw new Error(`${label}: ${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`)
  }
}

it(`answers ${runs} hostile admin requests in the envelope, never 5xx, and every read route after them`, async () => {
  const heapBefore = process.memoryUsage().heapUsed
  const statuses = new Map<number, number>()
  let index = 0

  await fc.assert(
    fc.asyncProperty(caseArbitrary, async ({ route, segment, query, body, contentType: type, extra, journaled }) => {
      index++
      if (journaled !== undefined) {
        // Faults could hold or delay it; the admin API is what is under test here.
        running.mock.faults.clear()
        await raw('POST', `/fuzz/${index}`, ['Content-Type: application/json'], journaled)
      }
      const path = route.path.replace(/:[a-z]+/g, encodeURIComponent(segment))
      const target = `/__admin${path}${query && route.method === 'GET' ? `?${query}` : ''}`
      const headers = [...extra, ...(type === undefined ? [] : [`Content-Type: ${type}`])]
      const sent = body === "the route's own" ? validBodies[route.path] : body
      const answer = await raw(route.method, target, headers, route.method === 'GET' ? undefined : sent)
      assertAdminAnswer(answer.status, answer.text, `${route.method} ${target}`)
      statuses.set(answer.status!, (statuses.get(answer.status!) ?? 0) + 1)
      if (index % 25 === 0) await readEverything(`after case ${index}`)
    }),
    { numRuns: runs, seed },
  )
  await readEverything('at the end')

  running.mock.faults.clear()
  const api = await fetch(`${running.url}/external/v1/opportunities/opp_demo_new/stage`, {
    method: 'PATCH',
    headers: { 'x-api-key': 'YOUR_API_KEY', 'content-type': 'application/json' },
    body: '{"status":"contacted"}',
  })
  expect(errors).toEqual([])
  expect([200, 429]).toContain(api.status)
  // Bounded: the journal is a ring, faults have a ceiling, and nothing kept what was refused.
  expect(running.mock.journal.count()).toBeLessThanOrEqual(10_000)
  expect(running.mock.faults.list().length).toBeLessThanOrEqual(maxFaults)
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(512 * 1024 * 1024)
  // The generators must reach the refusals as well as the successes, or the property proves little.
  expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 201, 204, 400, 403, 404, 405, 415]))
  console.info(`admin fuzz: ${runs} requests`, Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))
}, budgetFor(runs, 200))
