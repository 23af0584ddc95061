import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { timestampPattern } from '../contract/formatTimestamp.js'
import { errorEnvelopeSchema } from '../contract/schemas.js'
import { updateOpportunityStageContract as contract } from '../contract/updateOpportunityStageContract.js'
import type { MockRuntime } from '../core/createMockRuntime.js'
import type { MockExchange, MockRequest } from '../core/MockRequest.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { findMockRuntime } from '../handlers/mockRuntimes.js'
import type { GetRazeMock } from '../handlers/createGetRazeMock.js'
import { pactTimestampPattern, stageBehaviourDescriptions } from './stageBehaviours.js'
import type { ApiKeyMechanism } from './stageInteractions.js'

/** Options of `recordPact`. */
export interface RecordPactOptions {
  /** The consumer's name, as in its pacts and the broker. */
  consumer: string
  /**
   * The provider's name.
   * @default 'getraze-external-api'
   */
  provider?: string
}

/** A provider state as written in the pact. */
export interface RecordedProviderState {
  name: string
  params: Record<string, unknown>
}

/** What the pact will hold for one recorded behaviour. */
export interface RecordedInteraction {
  description: string
  providerStates: RecordedProviderState[]
}

/** Records the behaviours a consumer's tests exercise on a mock, and writes them as a pact. */
export interface PactRecorder {
  /** The interactions recorded so far, one per distinct behaviour, sorted by description. */
  readonly interactions: readonly RecordedInteraction[]
  /**
   * How many requests were not recorded: unknown paths, 405, 413, 500, and bodies that are not a
   * JSON object (400 `VALIDATION_ERROR`), which Pact JS's verifier cannot send to a provider.
   */
  readonly skipped: number
  /**
   * Writes the pact (Pact specification 4.0) to `dir` as `<consumer>-<provider>.json`, replacing
   * an earlier one, and resolves to its path.
   */
  write(dir: string): Promise<string>
  /** Stops recording; what was recorded can still be written. */
  stop(): void
}

interface PactMatcher {
  combine: 'AND'
  matchers: Array<Record<string, string>>
}

interface Recorded {
  description: string
  behaviour: string
  mechanism: ApiKeyMechanism | 'none'
  interaction: Record<string, unknown>
  providerStates: RecordedProviderState[]
}

interface JsonSchema {
  type?: string
  const?: unknown
  enum?: unknown[]
  pattern?: string
  properties?: Record<string, JsonSchema>
}

const defaultProvider = 'getraze-external-api'
const typeRule: PactMatcher = { combine: 'AND', matchers: [{ match: 'type' }] }
const digitsRule: PactMatcher = { combine: 'AND', matchers: [{ match: 'regex', regex: '^\\d+$' }] }
const jsonSchemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as JsonSchema
const successSchema = jsonSchemaOf(contract.response)
const errorSchema = jsonSchemaOf(errorEnvelopeSchema)
/** Behaviours beyond the builders' that a recording can meet. */
const extraDescriptions = {
  unknownApiKey: 'a request with an unknown API key',
} as const

/**
 * The key and how it was sent, ranked as the docs rank them (X-API-Key, then Bearer, then the
 * query), which is also the order the mock reads them in.
 */
function keyOf(request: MockRequest): { key: string; mechanism: ApiKeyMechanism } | undefined {
  const header = request.header('x-api-key')?.trim()
  if (header) return { key: header, mechanism: 'header' }
  const bearer = request.header('authorization')?.trim().match(/^Bearer\s+(\S+)$/i)?.[1]
  if (bearer) return { key: bearer, mechanism: 'bearer' }
  const query = request.query.includes('api_key=') ? new URLSearchParams(request.query).get('api_key')?.trim() : undefined
  return query ? { key: query, mechanism: 'query' } : undefined
}

/**
 * The response body as a pact expects it, with matchers from the contract's schemas: timestamps
 * by the documented pattern, other strings (names, messages) by type, integers as integers;
 * enums and constants (statuses, `success`) and error codes exact. Fields whose content the docs
 * do not define (`error.details`) are left out, so any provider's details pass.
 */
function expectBody(value: unknown, schema: JsonSchema | undefined, path: string, rules: Record<string, PactMatcher>): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (!schema || schema.const !== undefined || schema.enum !== undefined || path === '$.error.code') return value
    if (schema.pattern === timestampPattern.source) rules[path] = { combine: 'AND', matchers: [{ match: 'regex', regex: pactTimestampPattern }] }
    else if (schema.type === 'string') rules[path] = typeRule
    else if (schema.type === 'integer') rules[path] = { combine: 'AND', matchers: [{ match: 'integer' }] }
    else if (schema.type === 'number') rules[path] = { combine: 'AND', matchers: [{ match: 'number' }] }
    return value
  }
  const expected: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    const childSchema = schema?.properties?.[key]
    if (!childSchema || (childSchema.type === 'object' && !childSchema.properties)) continue
    expected[key] = expectBody(child, childSchema, `${path}.${key}`, rules)
  }
  return expected
}

function classify(exchange: MockExchange, runtime: MockRuntime): string | undefined {
  const body = exchange.response.body as { data?: { status?: string }; error?: { code?: string } }
  if (exchange.response.status === 200) {
    const status = body.data?.status
    return status === 'won' ? 'moveToWon' : status === 'lost' ? 'moveToLost' : 'moveToOpenStatus'
  }
  switch (body.error?.code) {
    case 'INVALID_STATUS':
      return 'invalidStatus'
    // Not recorded: Pact JS's verifier answers a body that is not JSON with its own 400 before
    // any provider sees it, so such an interaction fails every verification
    // (decisions/0042-record-pacts-from-the-core.md).
    case 'VALIDATION_ERROR':
      return undefined
    case 'NOT_FOUND':
      return 'notFound'
    case 'MISSING_API_KEY':
      return 'missingApiKey'
    case 'INVALID_API_KEY': {
      const key = keyOf(exchange.request)?.key
      return key !== undefined && runtime.store.findApiKey(key)?.revoked ? 'revokedApiKey' : 'unknownApiKey'
    }
    case 'EXPIRED_API_KEY':
      return 'expiredApiKey'
    case 'INSUFFICIENT_PERMISSIONS':
      return 'insufficientPermissions'
    case 'RATE_LIMIT_EXCEEDED':
      return 'rateLimited'
    default:
      return undefined
  }
}

function resolveRuntime(mock: GetRazeMock | MockRuntime): MockRuntime {
  const runtime = findMockRuntime(mock) ?? ((mock as Partial<MockRuntime>).core?.observe ? (mock as MockRuntime) : undefined)
  if (!runtime) {
    throw new GetRazeMockError(
      'INVALID_OPTION',
      'Failed to record a pact: the first argument is not a mock from createGetRazeMock() or startMockServer(). Pass the mock your tests run against.',
    )
  }
  return runtime
}

/**
 * Records a pact from what a consumer's tests do against the mock: every distinct behaviour
 * they exercise becomes one interaction, with provider states from what each request touched
 * (the opportunity with its name and status, the key with its permissions or condition), ids by
 * provider-state injection, and matchers from the contract's schemas. Works with the mock of
 * `createGetRazeMock()` (msw) and the `mock` of `startMockServer()`.
 *
 * @example
 * const mock = createGetRazeMock()
 * const recorder = recordPact(mock, { consumer: 'my-crm-sync' })
 * // ... the app's own tests run against setupServer(...mock.handlers) ...
 * afterAll(async () => console.log('pact written to', await recorder.write('pacts')))
 */
export function recordPact(mock: GetRazeMock | MockRuntime, options: RecordPactOptions): PactRecorder {
  const runtime = resolveRuntime(mock)
  const consumer = options?.consumer
  if (typeof consumer !== 'string' || consumer.trim() === '') {
    throw new GetRazeMockError('INVALID_OPTION', `Failed to record a pact: consumer ${JSON.stringify(consumer)} is not a name. Pass recordPact(mock, { consumer: 'my-app' }).`)
  }
  const provider = options.provider ?? defaultProvider
  const recorded = new Map<string, Recorded>()
  let skipped = 0

  function record(exchange: MockExchange): void {
    if (exchange.operationId !== contract.operationId) {
      skipped++
      return
    }
    const behaviour = classify(exchange, runtime)
    const id = exchange.params.id
    const opportunity = id === undefined ? undefined : runtime.store.findOpportunity(id)
    // A moved record reports its status from before the move; a refused request changed nothing.
    const before = opportunity === undefined ? undefined : exchange.response.status === 200 ? exchange.before?.status : opportunity.status
    if (behaviour === undefined || id === undefined) {
      skipped++
      return
    }
    const sent = keyOf(exchange.request)
    const dedupeKey = `${behaviour} ${sent?.mechanism ?? 'none'}`
    if (recorded.has(dedupeKey)) return

    // Provider states: the key first, then the opportunity, as the kit's own pact orders them.
    const providerStates: RecordedProviderState[] = []
    const keyRecord = sent ? runtime.store.findApiKey(sent.key) : undefined
    if (sent && behaviour === 'rateLimited') providerStates.push({ name: 'an API key has used its hourly rate limit', params: { key: sent.key } })
    else if (sent && keyRecord?.revoked) providerStates.push({ name: 'an API key has been revoked', params: { key: sent.key } })
    else if (sent && behaviour === 'expiredApiKey') providerStates.push({ name: 'an API key has expired', params: { key: sent.key } })
    else if (sent && keyRecord) providerStates.push({ name: 'an API key exists', params: { key: sent.key, permissions: [...keyRecord.permissions] } })
    const visible = opportunity !== undefined && (keyRecord === undefined || opportunity.account === keyRecord.account)
    if (behaviour === 'notFound') providerStates.push({ name: 'no opportunity exists', params: { id } })
    else if (visible) {
      const params: Record<string, unknown> = { id, name: opportunity.name }
      if (before !== undefined) params.status = before
      providerStates.push({ name: 'an opportunity exists', params })
    }
    const injected = providerStates.some((state) => state.params.id === id)

    const request: Record<string, unknown> = { method: exchange.request.method, path: contract.path.replace(':id', encodeURIComponent(id)) }
    const requestHeaders: Record<string, string[]> = {}
    const contentType = exchange.request.header('content-type')
    if (contentType) requestHeaders['Content-Type'] = [contentType]
    if (sent?.mechanism === 'header') requestHeaders['X-API-Key'] = [sent.key]
    if (sent?.mechanism === 'bearer') requestHeaders.Authorization = [`Bearer ${sent.key}`]
    if (sent?.mechanism === 'query') request.query = { api_key: [sent.key] }
    if (Object.keys(requestHeaders).length > 0) request.headers = requestHeaders
    // Every recorded behaviour had a JSON object body: the mock answers anything else with VALIDATION_ERROR.
    if (exchange.request.body) request.body = { content: JSON.parse(exchange.request.body), contentType: 'application/json', encoded: false }
    if (injected) {
      // `${id}` is Pact's provider-state expression: the provider's state answers with its own id.
      request.generators = { path: { expression: contract.path.replace(':id', '${id}'), type: 'ProviderState' } }
      request.matchingRules = { path: typeRule }
    }

    const { response } = exchange
    const bodyRules: Record<string, PactMatcher> = {}
    const body = expectBody(response.body, response.status === 200 ? successSchema : errorSchema, '$', bodyRules)
    const responseHeaders: Record<string, string[]> = { 'Content-Type': [response.headers['content-type'] ?? 'application/json'] }
    const headerRules: Record<string, PactMatcher> = { 'Content-Type': { combine: 'AND', matchers: [{ match: 'regex', regex: '^application/json.*' }] } }
    for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After']) {
      const value = response.headers[name.toLowerCase()]
      if (value === undefined) continue
      responseHeaders[name] = [value]
      // Nothing is left when the limit is used up; every other count and instant is the provider's.
      if (!(name === 'X-RateLimit-Remaining' && behaviour === 'rateLimited')) headerRules[name] = digitsRule
    }
    const generators = injected && (body as { data?: { id?: unknown } }).data?.id !== undefined ? { body: { '$.data.id': { expression: '${id}', type: 'ProviderState' } } } : undefined
    const base = behaviour in extraDescriptions ? extraDescriptions[behaviour as keyof typeof extraDescriptions] : stageBehaviourDescriptions[behaviour as keyof typeof stageBehaviourDescriptions]
    recorded.set(dedupeKey, {
      description: base,
      behaviour,
      mechanism: sent?.mechanism ?? 'none',
      providerStates,
      interaction: {
        pending: false,
        providerStates,
        request,
        response: {
          status: response.status,
          headers: responseHeaders,
          body: { content: body, contentType: 'application/json', encoded: false },
          matchingRules: { ...(Object.keys(bodyRules).length > 0 ? { body: bodyRules } : {}), header: headerRules },
          ...(generators ? { generators } : {}),
        },
        type: 'Synchronous/HTTP',
      },
    })
  }

  const unsubscribe = runtime.core.observe(record)

  /** Descriptions are unique in a pact: a behaviour seen with several key mechanisms names each. */
  function entries() {
    const mechanisms = new Map<string, number>()
    for (const entry of recorded.values()) mechanisms.set(entry.behaviour, (mechanisms.get(entry.behaviour) ?? 0) + 1)
    const suffix = { header: ' (key in X-API-Key)', bearer: ' (key as a Bearer token)', query: ' (key in ?api_key=)', none: '' }
    return [...recorded.values()]
      .map((entry) => ({ ...entry, description: mechanisms.get(entry.behaviour)! > 1 ? `${entry.description}${suffix[entry.mechanism]}` : entry.description }))
      .sort((a, b) => a.description.localeCompare(b.description))
  }

  return {
    get interactions() {
      return entries().map(({ description, providerStates }) => ({ description, providerStates: structuredClone(providerStates) }))
    },
    get skipped() {
      return skipped
    },
    stop: () => {
      unsubscribe()
    },
    async write(dir) {
      const pact = {
        consumer: { name: consumer },
        interactions: entries().map(({ description, interaction }) => ({ description, ...interaction })),
        metadata: { pactSpecification: { version: '4.0' }, 'getraze-mock': { recordedBy: 'recordPact' } },
        provider: { name: provider },
      }
      const file = resolve(join(dir, `${consumer}-${provider}.json`))
      try {
        await mkdir(resolve(dir), { recursive: true })
        // Write beside, then rename: a reader sees the old pact or the new one, never half of one.
        await writeFile(`${file}.tmp`, `${JSON.stringify(pact, null, 2)}\n`)
        await rename(`${file}.tmp`, file)
      } catch (error) {
        throw new GetRazeMockError(
          'PACT_WRITE_FAILED',
          `Failed to write the pact: ${file} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Pass a writable folder to write().`,
          { cause: error },
        )
      }
      return file
    },
  }
}
