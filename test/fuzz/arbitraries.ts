import fc from 'fast-check'
import { apiErrors } from '../../src/contract/apiErrors.js'
import type { ApiErrorCode } from '../../src/contract/apiErrors.js'
import { opportunityStatuses } from '../../src/contract/opportunityStatuses.js'
import type { MockStore } from '../../src/store/createStore.js'

/**
 * Generators of hostile requests for the fuzz suite (issue 8), and the properties every answer
 * must have. Runs scale with FUZZ_RUNS (`npm run fuzz -- --runs 200000`).
 */

/** Total generated requests across the suite; each file takes its share. */
export const totalRuns = Number(process.env.FUZZ_RUNS ?? 10_000)
/** A fixed seed in CI so a failure reproduces; set FUZZ_SEED to explore other inputs. */
export const seed = process.env.FUZZ_SEED === undefined ? 20241125 : Number(process.env.FUZZ_SEED)

/**
 * A fuzz test's time limit, from its count of cases: `perCaseMs` for each (about ten times what a
 * case took on the busy 2-core CI machine), and never under vitest's usual 30 s. A fixed 30 s
 * failed there under load although every case was answered (issue 18, item 14); a limit that
 * grows with the count still stops a test that hangs, and `npm run fuzz`'s larger counts get
 * larger limits.
 *
 * @example
 * it('answers 1500 requests', async () => {...}, budgetFor(1500, 80)) // 120 s
 */
export const budgetFor = (cases: number, perCaseMs: number) => Math.max(30_000, Math.ceil(cases * perCaseMs))

export const knownKeys = [
  'YOUR_API_KEY',
  'gr_test_readonly',
  'gr_test_wildcard',
  'gr_test_revoked',
  'gr_test_expired',
  'gr_test_ratelimited',
  'gr_test_other_account',
] as const

export const knownIds = [
  'opp_abc123def456',
  'opp_demo_new',
  'opp_demo_contacted',
  'opp_demo_qualified',
  'opp_demo_proposal',
  'opp_demo_negotiation',
  'opp_demo_won',
  'opp_demo_lost',
  'opp_other_account',
] as const

/** Printable ASCII without spaces: what survives in a request line or a header value. */
const token = fc.stringMatching(/^[!-~]{0,40}$/)

const percentEncoded = fc.string({ unit: 'binary', maxLength: 12 }).map((text) => encodeURIComponent(text))
const malformedEscape = fc.constantFrom('%', '%E0%A4', '%zz', '%C0%AF', '%%', '%2', '%FF', '%00', '%0A')

/** Ids: known ones, their encodings and case variants, random text and broken escapes. */
export const idArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...knownIds) },
  { weight: 1, arbitrary: fc.constantFrom(...knownIds).map((id) => encodeURIComponent(id).replace(/_/g, '%5F')) },
  { weight: 1, arbitrary: fc.constantFrom(...knownIds).map((id) => id.toUpperCase()) },
  { weight: 1, arbitrary: percentEncoded },
  { weight: 1, arbitrary: malformedEscape },
  { weight: 1, arbitrary: token.map((text) => text.replace(/[/?#]/g, '')) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', '..', '.') },
)

/** Paths: mostly the stage path, also its near misses and random ones. */
export const pathArbitrary = fc.oneof(
  { weight: 8, arbitrary: idArbitrary.map((id) => `/external/v1/opportunities/${id}/stage`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '/external/v1/opportunities/opp_abc123def456/stage/',
      '/external/v1/opportunities//stage',
      '/external/v1//opportunities/opp_abc123def456/stage',
      '/external/v1/opportunities/opp_abc123def456',
      '/external/v1/',
      '/external/v1/opportunities/opp_abc123def456/STAGE',
      '/EXTERNAL/v1/opportunities/opp_abc123def456/stage',
    ),
  },
  { weight: 1, arbitrary: fc.array(fc.oneof(token, percentEncoded, malformedEscape), { maxLength: 6 }).map((parts) => `/external/v1/${parts.join('/')}`) },
)

const keyValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...knownKeys) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom(...knownKeys).map((key) => ` ${key} `) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((length) => 'k'.repeat(length)) },
  { weight: 1, arbitrary: token },
)

/** Where the key goes: headers, query (under several encodings of its name), several at once. */
export const keyPlacementArbitrary = fc.record({
  header: fc.option(keyValue, { nil: undefined }),
  bearer: fc.option(fc.oneof(keyValue.map((key) => `Bearer ${key}`), token, fc.constant('Basic dXNlcjpwYXNz')), { nil: undefined }),
  query: fc.option(
    fc.array(
      fc.tuple(fc.constantFrom('api_key', 'api%5Fkey', '%61pi_key', 'API_KEY', 'api_key[]', 'key'), keyValue.map(encodeURIComponent)),
      { minLength: 1, maxLength: 3 },
    ).map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join('&')),
    { nil: undefined },
  ),
})

const statusValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...opportunityStatuses) },
  { weight: 2, arbitrary: fc.constantFrom(...opportunityStatuses).map((status) => status.toUpperCase()) },
  { weight: 2, arbitrary: fc.constantFrom(...opportunityStatuses).map((status) => ` ${status}\n`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as unknown) },
)

const bodyObject = fc.record(
  {
    status: statusValue,
    extra: fc.json({ maxDepth: 2 }).map((text) => JSON.parse(text) as unknown),
  },
  { requiredKeys: [] },
)

/** Request bodies: valid ones, near misses, prototype keys, deep nesting, huge numbers, junk. */
export const bodyArbitrary: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 8, arbitrary: bodyObject.map((body) => JSON.stringify(body)) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', '[]', '"won"', '{', '{"status":', 'true', '1e999') },
  { weight: 1, arbitrary: fc.constantFrom(...opportunityStatuses).map((status) => `{"__proto__":{"status":"${status}"},"constructor":{"prototype":{"x":1}}}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 6000 }).map((depth) => `{"status":${'['.repeat(depth)}${']'.repeat(depth)}}`) },
  { weight: 1, arbitrary: fc.integer({ min: 300, max: 5000 }).map((digits) => `{"status":${'9'.repeat(digits)}}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom('{"status":"won","status":"lost"}', '{"status":"w\\u006fn"}', '{"status":"won"}\u0000', '\uFEFF{"status":"won"}') },
)

export const methodArbitrary = fc.oneof(
  { weight: 8, arbitrary: fc.constant('PATCH') },
  { weight: 2, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('patch', 'Patch', 'PROPFIND', 'M-SEARCH') },
)

export const contentTypeArbitrary = fc.option(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''),
  { nil: undefined },
)

export interface FuzzRequest {
  method: string
  path: string
  query: string
  headers: Record<string, string>
  body: string | undefined
}

/** A request a well-behaved client would send: a writing key, a known id, a documented status. */
const validRequest = fc.record({
  method: fc.constant('PATCH'),
  path: fc.constantFrom(...knownIds).map((id) => `/external/v1/opportunities/${id}/stage`),
  key: fc.record({
    header: fc.constantFrom('YOUR_API_KEY', 'gr_test_wildcard', 'gr_test_other_account'),
    bearer: fc.constant(undefined),
    query: fc.constant(undefined),
  }) as fc.Arbitrary<{ header?: string; bearer?: string; query?: string }>,
  body: fc.constantFrom(...opportunityStatuses).map((status) => JSON.stringify({ status })) as fc.Arbitrary<string | undefined>,
  contentType: fc.constant('application/json') as fc.Arbitrary<string | undefined>,
})

/** One whole request: all parts drawn independently, or a valid request with one part hostile. */
export const requestArbitrary: fc.Arbitrary<FuzzRequest> = fc
  .oneof(
    fc.record({ method: methodArbitrary, path: pathArbitrary, key: keyPlacementArbitrary, body: bodyArbitrary, contentType: contentTypeArbitrary }),
    fc
      .tuple(validRequest, fc.constantFrom('none', 'method', 'path', 'key', 'body', 'contentType'), methodArbitrary, pathArbitrary, keyPlacementArbitrary, bodyArbitrary, contentTypeArbitrary)
      .map(([valid, part, method, path, key, body, contentType]) => {
        const hostile = { method, path, key, body, contentType }
        return part === 'none' ? valid : { ...valid, [part]: hostile[part] }
      }),
  )
  .map(({ method, path, key, body, contentType }) => {
    const headers: Record<string, string> = {}
    if (key.header !== undefined) headers['x-api-key'] = key.header
    if (key.bearer !== undefined) headers.authorization = key.bearer
    if (contentType !== undefined) headers['content-type'] = contentType
    return { method, path, query: key.query ?? '', headers, body }
  })

/**
 * The properties every answer has, whatever was asked: JSON in the documented envelope, a code
 * whose HTTP status matches, never a 5xx. Throws with the reason otherwise.
 */
export function assertEnvelope(status: number, text: string): { success: boolean; id?: string } {
  if (status >= 500) throw new Error(`answered ${status}: ${text.slice(0, 300)}`)
  const body = JSON.parse(text) as { success?: unknown; data?: { id?: unknown }; error?: { code?: unknown; message?: unknown } }
  if (body.success === true) {
    if (status !== 200 || typeof body.data?.id !== 'string') throw new Error(`success with status ${status}: ${text.slice(0, 300)}`)
    return { success: true, id: body.data.id }
  }
  const code = body.error?.code as ApiErrorCode
  if (body.success !== false || typeof body.error?.message !== 'string' || !(code in apiErrors)) {
    throw new Error(`not the envelope: ${text.slice(0, 300)}`)
  }
  if (apiErrors[code].status !== status) throw new Error(`${code} answered with ${status}, documented ${apiErrors[code].status}`)
  return { success: false }
}

/** Every known opportunity as JSON, to see which records a request changed. */
export function snapshotOpportunities(store: MockStore): Map<string, string> {
  return new Map(knownIds.map((id) => [id, JSON.stringify(store.findOpportunity(id))]))
}

/** Ids whose record differs between two snapshots. */
export function changedIds(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before.keys()].filter((id) => before.get(id) !== after.get(id))
}

/**
 * The store may change only on a 200, and then only the answered record.
 */
export function assertStoreChange(outcome: { success: boolean; id?: string }, changed: string[]) {
  if (changed.length === 0) return
  if (!outcome.success) throw new Error(`a rejected request changed ${changed.join(', ')}`)
  if (changed.length > 1 || changed[0] !== outcome.id) throw new Error(`a 200 for ${outcome.id} changed ${changed.join(', ')}`)
}

/** A clock that moves 3 s per call, so a fuzz run crosses hours and keys are rarely rate limited. */
export function steppingClock(start = Date.parse('2024-01-25T10:00:00Z')): () => Date {
  let calls = 0
  return () => new Date(start + 3000 * calls++)
}
