// Issue 18, item 11: Prism 5 mocking from the exported OpenAPI document answered
// `X-RateLimit-Limit: string` and an `sl-violations` header on every answer (header schemas with a
// pattern and no example), made up impossible timestamps with `Prefer: dynamic=true`
// (`"won_at":"7090-11-61T86:84:83Z"`), and answered `{"status":"WON"}` with "Request body is
// required." (the first 400 example, VALIDATION_ERROR, instead of the endpoint's own code).
//
// The document is exported by the CLI and served by the pinned Prism (`@stoplight/prism-cli`, a
// devDependency); every endpoint in `endpoints` is asked for its docs' example, so endpoints added
// later are covered without changing this file. Prism is skipped only when its binary cannot run
// on this Node at all, and never under CI=true.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { TestContext } from 'vitest'
import { runCli } from '../../src/cli/index.js'
import { endpoints } from '../../src/contract/endpoints.js'
import type { EndpointDefinition } from '../../src/contract/EndpointDefinition.js'
import { findPrism, startPrism } from '../support/prismProcess.js'
import type { PrismProcess } from '../support/prismProcess.js'
import { pathOf } from '../support/transports.js'

/** The headers the docs' rate-limits page shows on an answer, copied by hand: the oracle. */
const documentedRateLimitHeaders = { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '999', 'x-ratelimit-reset': '1701388800' }
/** Timestamps as the docs allow them: UTC, whole seconds or with a fraction. */
const documentedTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

const definitions = endpoints as readonly EndpointDefinition[]
const prism = findPrism()
const dir = mkdtempSync(join(tmpdir(), 'getraze-prism-'))
let running: PrismProcess | undefined

beforeAll(async () => {
  if (prism.bin === undefined) return
  const file = join(dir, 'openapi.yaml')
  const errors: string[] = []
  const code = await runCli(['openapi', '--format', 'yaml', '--out', file], { out: () => {}, err: (line) => errors.push(line) })
  if (code !== 0) throw new Error(`getraze-mock openapi failed: ${errors.join('\n')}`)
  running = await startPrism(prism.bin, file)
}, 180_000)

afterAll(async () => {
  await running?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** The running Prism; skips the test (fails it under CI=true) when Prism cannot run here. */
function prismFor(context: TestContext): PrismProcess {
  if (prism.reason !== undefined) {
    if (process.env.CI) throw new Error(`Failed to run Prism, which CI needs for this test: ${prism.reason}.`)
    const note = `skipped the Prism test: ${prism.reason}`
    console.warn(note)
    context.skip(note)
  }
  return running!
}

/** A behaviour's template with its variables put in (`'{status}'` becomes the variable's value). */
function fill(template: unknown, variables: Readonly<Record<string, unknown>>): unknown {
  if (typeof template === 'string') {
    const name = /^\{(\w+)\}$/.exec(template)?.[1]
    return name !== undefined && name in variables ? variables[name] : template
  }
  if (Array.isArray(template)) return template.map((item) => fill(item, variables))
  if (typeof template === 'object' && template !== null) return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fill(value, variables)]))
  return template
}

interface PrismAnswer {
  status: number
  headers: Headers
  body: any
  /** Prism's findings about its own answer (not about the request), from `sl-violations`. */
  responseViolations: unknown[]
}

async function send(
  prismProcess: PrismProcess,
  endpoint: EndpointDefinition,
  call: { params?: Readonly<Record<string, string>>; query?: Readonly<Record<string, string>>; body?: unknown; headers?: Record<string, string> },
): Promise<PrismAnswer> {
  const query = new URLSearchParams(call.query ?? {}).toString()
  const url = `${prismProcess.url}${pathOf(endpoint, call.params)}${query ? `?${query}` : ''}`
  const headers: Record<string, string> = { 'x-api-key': 'YOUR_API_KEY', ...(call.body === undefined ? {} : { 'content-type': 'application/json' }), ...call.headers }
  const response = await fetch(url, { method: endpoint.method, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body) })
  const text = await response.text()
  const violations = JSON.parse(response.headers.get('sl-violations') ?? '[]') as Array<{ location: string[] }>
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
    responseViolations: violations.filter((violation) => violation.location[0] === 'response'),
  }
}

function rateLimitHeaders(headers: Headers) {
  return Object.fromEntries(Object.keys(documentedRateLimitHeaders).map((name) => [name, headers.get(name)]))
}

const byOperation = definitions.map((endpoint) => [endpoint.operationId, endpoint] as const)

it.for(byOperation)("answers %s's documented request with the docs' example, the documented headers and no violations", async ([, endpoint], context) => {
  const prismProcess = prismFor(context)
  const answer = await send(prismProcess, endpoint, { params: endpoint.example.params, query: endpoint.example.query, body: endpoint.example.body })

  expect({ status: answer.status, violations: answer.headers.get('sl-violations') }).toEqual({ status: endpoint.successStatus ?? 200, violations: null })
  expect(answer.body).toEqual(endpoint.example.response)
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/i)
  expect(rateLimitHeaders(answer.headers)).toEqual(documentedRateLimitHeaders)
})

// Prism answers every refused body with the first 400 example, so only one field code per endpoint
// can be that answer: the first the endpoint's error table lists (create-opportunity lists
// INVALID_SOURCE before INVALID_STATUS). The others are still 400 examples of the document.
const firstOwnCode = (endpoint: EndpointDefinition) => endpoint.errors.find((code) => Object.values(endpoint.fieldErrors ?? {}).some((rule) => rule.code === code))
const fieldErrorCases = definitions.flatMap((endpoint) =>
  Object.entries(endpoint.fieldErrors ?? {}).filter(([, rule]) => rule.code === firstOwnCode(endpoint)).map(([field, rule]) => {
    // The behaviour table's own request for the code: its body, with the value it sends.
    const behaviour = Object.values(endpoint.behaviours).find((candidate) => 'error' in candidate.response && candidate.response.error === rule.code)
    return [`${endpoint.operationId} ${field}`, endpoint, rule.code, behaviour ? fill(behaviour.request.body, behaviour.variables) : undefined] as const
  }),
)

it.for(fieldErrorCases)("answers %s's invalid value with the endpoint's own code (the first 400 example)", async ([, endpoint, code, body], context) => {
  const prismProcess = prismFor(context)
  expect(body, `no behaviour of ${endpoint.operationId} sends a body that answers ${code}`).toBeDefined()
  const answer = await send(prismProcess, endpoint, { params: endpoint.example.params, query: endpoint.example.query, body })

  expect({ status: answer.status, code: answer.body?.error?.code, violations: answer.responseViolations }).toEqual({ status: 400, code, violations: [] })
  expect(rateLimitHeaders(answer.headers)).toEqual(documentedRateLimitHeaders)
})

it.for(byOperation)("answers %s without a key with MISSING_API_KEY, the first 401 example, and no rate-limit headers", async ([, endpoint], context) => {
  const prismProcess = prismFor(context)
  const answer = await send(prismProcess, endpoint, { params: endpoint.example.params, query: endpoint.example.query, body: endpoint.example.body, headers: { 'x-api-key': '' } })

  expect({ status: answer.status, code: answer.body?.error?.code, violations: answer.responseViolations }).toEqual({ status: 401, code: 'MISSING_API_KEY', violations: [] })
  expect(answer.headers.get('x-ratelimit-limit')).toBeNull()
})

it.for(byOperation)('answers %s with Prefer: code=429 with Retry-After as the body says and no requests remaining', async ([, endpoint], context) => {
  const prismProcess = prismFor(context)
  const answer = await send(prismProcess, endpoint, { params: endpoint.example.params, query: endpoint.example.query, body: endpoint.example.body, headers: { prefer: 'code=429' } })

  expect({ status: answer.status, code: answer.body?.error?.code, violations: answer.responseViolations }).toEqual({ status: 429, code: 'RATE_LIMIT_EXCEEDED', violations: [] })
  expect(answer.headers.get('retry-after')).toBe(String(answer.body.error.retry_after))
  expect(answer.headers.get('x-ratelimit-remaining')).toBe('0')
})

/** The paths of the docs' example that hold a timestamp, e.g. `data.updated_at`. */
function timestampPaths(value: unknown, path: string[] = []): string[][] {
  if (typeof value === 'string') return documentedTimestamp.test(value) ? [path] : []
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, item]) => timestampPaths(item, [...path, key]))
}

it.for(byOperation)('makes up real instants for the timestamps of %s with Prefer: dynamic=true', async ([, endpoint], context) => {
  const prismProcess = prismFor(context)
  const paths = timestampPaths(endpoint.example.response)
  const answer = await send(prismProcess, endpoint, { params: endpoint.example.params, query: endpoint.example.query, body: endpoint.example.body, headers: { prefer: 'dynamic=true' } })

  expect({ status: answer.status, violations: answer.responseViolations }).toEqual({ status: endpoint.successStatus ?? 200, violations: [] })
  const made = paths.map((path) => [path.join('.'), path.reduce<any>((value, key) => value?.[key], answer.body)] as const).filter(([, value]) => typeof value === 'string')
  // Prism fills optional fields too; only an array it makes up may hold fewer items than the example.
  const outsideArrays = paths.filter((path) => !path.some((key) => /^\d+$/.test(key))).map((path) => path.join('.'))
  expect(made.map(([path]) => path)).toEqual(expect.arrayContaining(outsideArrays))
  for (const [path, value] of made) {
    // A real instant reads back as itself: 2024-02-31 or 86:84:83 would not.
    const instant = new Date(value)
    const real = documentedTimestamp.test(value) && !Number.isNaN(instant.getTime()) && instant.toISOString().slice(0, 19) === value.slice(0, 19)
    expect({ path, value, real }).toEqual({ path, value, real: true })
  }
})
