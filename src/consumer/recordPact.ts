import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { findEndpoint } from '../contract/endpoints.js'
import type { BehaviourDefinition, EndpointDefinition, KeyCondition, StateTemplate } from '../contract/EndpointDefinition.js'
import { apiKeyStates, recordStates } from '../contract/providerStates.js'
import type { ApiKeyRecord } from '../contract/schemas.js'
import { errorEnvelopeSchema } from '../contract/schemas.js'
import type { ExchangeSource, MockExchange, MockRequest } from '../core/MockRequest.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { MockStore } from '../store/createStore.js'
import { eachLike, expectBySchema, fromProviderState, jsonSchemaOf, toPactBody, toPactHeaders } from './pactMatchers.js'
import type { PactRule } from './pactMatchers.js'
import { expectedHeaders, variableOf, variablesIn } from './planInteraction.js'
import type { ApiKeyMechanism } from './planInteraction.js'

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

/** Options of `PactRecorder.write`. */
export interface WritePactOptions {
  /**
   * Write the pact even when no request was recorded. An empty pact verifies nothing, so
   * `write` refuses it unless asked.
   * @default false
   */
  allowEmpty?: boolean
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

/** Requests a recorder left out of the pact, grouped by what they were and why. */
export interface UnrecordedRequests {
  /** `METHOD /path -> status`, with the path as the endpoint's template when it has one. */
  request: string
  reason: string
  count: number
}

/** Records the behaviours a consumer's tests exercise on a mock, and writes them as a pact. */
export interface PactRecorder {
  /** The interactions recorded so far, one per distinct behaviour, sorted by description. */
  readonly interactions: readonly RecordedInteraction[]
  /**
   * How many requests were not recorded: unknown paths, 405, 413, 500, faulted requests, and
   * bodies that are not a JSON object (400 `VALIDATION_ERROR`), which Pact JS's verifier cannot
   * send to a provider. `unrecorded` says which and why.
   */
  readonly skipped: number
  /** The requests behind `skipped`, grouped (at most 50 groups; later kinds count in `skipped` only). */
  readonly unrecorded: readonly UnrecordedRequests[]
  /**
   * Writes the pact (Pact specification 4.0) to `dir` as `<consumer>-<provider>.json`, replacing
   * an earlier one, and resolves to its path. Refuses a pact without interactions unless
   * `allowEmpty` is set.
   */
  write(dir: string, options?: WritePactOptions): Promise<string>
  /** Stops recording; what was recorded can still be written. */
  stop(): void
}

/** What `recordPact` needs of a mock: its exchanges and its records. */
export type RecordableMock = ExchangeSource & { store: MockStore }

interface Recorded {
  description: string
  behaviour: string
  mechanism: ApiKeyMechanism | 'none'
  interaction: Record<string, unknown>
  providerStates: RecordedProviderState[]
}

const defaultProvider = 'getraze-external-api'
const maxUnrecordedGroups = 50
const typeRule: PactRule = { combine: 'AND', matchers: [{ match: 'type' }] }

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

/** What the key the request sent was, as far as the mock's records tell. */
function conditionOf(sent: string | undefined, record: ApiKeyRecord | undefined): KeyCondition {
  if (sent === undefined) return 'none'
  if (!record) return 'unknown'
  return record.revoked ? 'revoked' : 'valid'
}

function isJsonObject(text: string | undefined): boolean {
  // No body at all (a GET or a DELETE; msw hands an empty one).
  if (text === undefined || text === '') return true
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}

function fitsData(recognise: BehaviourDefinition['recognise'], body: unknown): boolean {
  if (!recognise) return true
  const data = (body as { data?: Record<string, unknown> } | undefined)?.data ?? {}
  return Object.entries(recognise.data).every(([field, values]) => values.includes(data[field]))
}

/**
 * The behaviour of the endpoint's table that an exchange shows: same status, same error code,
 * the data its `recognise` names; where two share all that (revoked and unknown keys), the one
 * whose key condition the mock's records confirm.
 */
export function classify(endpoint: EndpointDefinition, exchange: MockExchange, condition: KeyCondition): string | undefined {
  const { status, body } = exchange.response
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code
  const candidates = Object.entries(endpoint.behaviours).filter(([, behaviour]) =>
    'error' in behaviour.response ? behaviour.response.error === code : behaviour.response.status === status && fitsData(behaviour.recognise, body),
  )
  return (candidates.find(([, behaviour]) => behaviour.key === condition) ?? candidates[0])?.[0]
}

/** Binds the variables of `template` to the values at the same places in `actual`; the first binding of a name stays. */
function bind(template: unknown, actual: unknown, into: Record<string, unknown>): void {
  const name = variableOf(template)
  if (name !== undefined) {
    if (!(name in into) && actual !== undefined) into[name] = actual
    return
  }
  if (Array.isArray(template)) {
    if (Array.isArray(actual)) template.forEach((item, index) => index < actual.length && bind(item, actual[index], into))
    return
  }
  if (template === null || typeof template !== 'object' || actual === null || typeof actual !== 'object' || Array.isArray(actual)) return
  for (const [key, child] of Object.entries(template)) bind(child, (actual as Record<string, unknown>)[key], into)
}

/** A body's JSON, or `undefined` for none or text that is not JSON. */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/**
 * What a behaviour's variables were in one exchange: read from the request (path, query, body)
 * where its templates put them, then from a success's answer.
 */
function bindVariables(behaviour: BehaviourDefinition, exchange: MockExchange): Record<string, unknown> {
  const bound: Record<string, unknown> = {}
  bind(behaviour.request.params, exchange.params, bound)
  bind(behaviour.request.query, Object.fromEntries(new URLSearchParams(exchange.request.query)), bound)
  bind(behaviour.request.body, parseJson(exchange.request.body), bound)
  if ('status' in behaviour.response) bind(behaviour.response.body, exchange.response.body, bound)
  return bound
}

/** The template filled from `variables`, or `undefined` when one of its variables is unknown. */
function fillKnown(template: unknown, variables: Readonly<Record<string, unknown>>): unknown {
  const name = variableOf(template)
  if (name !== undefined) return variables[name]
  if (Array.isArray(template)) {
    const items = template.map((item) => fillKnown(item, variables))
    return items.includes(undefined) ? undefined : items
  }
  if (template === null || typeof template !== 'object') return template
  const entries = Object.entries(template).map(([key, value]) => [key, fillKnown(value, variables)] as const)
  if (entries.some(([, value]) => value === undefined)) return undefined
  // A reference whose id the exchange gave as null (a list item's `campaign_id: null`) is no reference.
  const id = variableOf((template as Record<string, unknown>).id)
  if (id !== undefined && variables[id] === null) return null
  return Object.fromEntries(entries)
}

/** Where in a template an array holds items that use `variable` (a list's records), as a path of keys. */
function listPathOf(template: unknown, variable: string, path: readonly string[] = []): string[] | undefined {
  if (template === null || typeof template !== 'object') return undefined
  if (Array.isArray(template)) return template.some((item) => variablesIn(item).has(variable)) ? [...path] : undefined
  for (const [key, child] of Object.entries(template)) {
    const found = listPathOf(child, variable, [...path, key])
    if (found) return found
  }
  return undefined
}

function at(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((current, key) => (current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined), value)
}

/** Where in a template a literal value stands, as paths of keys. */
function pathsOf(template: unknown, literal: unknown, path: readonly string[] = []): string[][] {
  if (template === literal) return [[...path]]
  if (template === null || typeof template !== 'object') return []
  return Object.entries(template).flatMap(([key, child]) => pathsOf(child, literal, [...path, key]))
}

/**
 * The value the request sent where the behaviour's request template has `literal` (path params,
 * query or body), when it sent another one; `undefined` otherwise.
 */
function literalSent(literal: unknown, request: BehaviourDefinition['request'], exchange: MockExchange): string | undefined {
  if (typeof literal !== 'string') return undefined
  const sent = { params: exchange.params, query: Object.fromEntries(new URLSearchParams(exchange.request.query)), body: parseJson(exchange.request.body) }
  for (const path of pathsOf({ params: request.params, query: request.query, body: request.body }, literal)) {
    const value = at(sent, path)
    if (typeof value === 'string' && value !== '' && value !== literal) return value
  }
  return undefined
}

/**
 * The params of a state the path's id does not decide (a create's conflicting contact, the user
 * a record is assigned to, the records a list shows): each param the exchange tells, by the
 * behaviour's templates; what it does not tell, from the stored record the state's `id` names
 * (in the caller's account). A state for a list's records recreates the first record the page
 * showed. `undefined` when the exchange tells nothing of the state.
 */
function recordedStateParams(
  state: StateTemplate,
  behaviour: BehaviourDefinition,
  exchange: MockExchange,
  bound: Readonly<Record<string, unknown>>,
  store: MockStore,
  account: string | undefined,
): Record<string, unknown> | undefined {
  let variables = bound
  const idVariable = variableOf(state.params.id)
  const answer = 'status' in behaviour.response ? behaviour.response.body : undefined
  const listPath = idVariable === undefined ? undefined : listPathOf(answer, idVariable)
  if (listPath) {
    const items = at(exchange.response.body, listPath)
    const templates = at(answer, listPath) as unknown[]
    // An empty page needs no record.
    if (!Array.isArray(items) || items.length === 0) return undefined
    const item: Record<string, unknown> = {}
    bind(templates.find((candidate) => variablesIn(candidate).has(idVariable!)), items[0], item)
    variables = { ...bound, ...item }
  }
  const collection = recordStates[state.name as keyof typeof recordStates]
  // A state whose id the table writes as a literal that the request template repeats (the docs'
  // user `usr_123` in a create's `responsible_user_id`): the record is the one the request named.
  const sentId = variableOf(state.params.id) === undefined ? literalSent(state.params.id, behaviour.request, exchange) : undefined
  const id = sentId ?? fillKnown(state.params.id, variables)
  const stored = collection !== undefined && typeof id === 'string' ? (store.findRecord(collection, id) as Record<string, unknown> | undefined) : undefined
  const own = stored !== undefined && (account === undefined || stored.account === undefined || stored.account === account) ? stored : undefined
  const params: Record<string, unknown> = {}
  for (const [name, template] of Object.entries(state.params)) {
    // The other literals describe the docs' record, not the one named: the stored record's values go first.
    const value = sentId !== undefined ? (name === 'id' ? sentId : (own?.[name] ?? fillKnown(template, variables))) : (fillKnown(template, variables) ?? own?.[name])
    if (value !== undefined) params[name] = value
  }
  return Object.keys(params).length > 0 ? params : undefined
}

/**
 * A list's records matched by type, each like the first one the page showed: how many there
 * are and their order are the provider's (it may hold other records, and ties sort its own
 * way). The first page must hold at least one record when the recording saw one; a later page
 * may be empty, since the states recreate only one record.
 */
function expectListsByType(expected: unknown, page: string | null): unknown {
  const data = (expected as { data?: unknown } | undefined)?.data
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return expected
  const lists = Object.entries(data).filter(([, value]) => Array.isArray(value) && value.length > 0 && value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item)))
  if (lists.length === 0) return expected
  const min = page === null || page === '1' ? 1 : 0
  return { ...(expected as object), data: { ...data, ...Object.fromEntries(lists.map(([key, value]) => [key, eachLike((value as unknown[])[0], min)])) } }
}

function resolveSource(mock: unknown): RecordableMock {
  const candidate = mock as Partial<RecordableMock> | null | undefined
  if (typeof candidate?.observe !== 'function' || typeof candidate.store?.findApiKey !== 'function') {
    throw new GetRazeMockError(
      'INVALID_OPTION',
      'Failed to record a pact: the first argument is not a mock from createGetRazeMock() or startMockServer(). Pass the mock your tests run against.',
    )
  }
  return candidate as RecordableMock
}

/**
 * Records a pact from what a consumer's tests do against the mock: every distinct behaviour
 * they exercise becomes one interaction, classified by its endpoint's behaviour table, with
 * provider states from what each request touched (the record with the fields the behaviour's state names,
 * the key with its permissions or condition), ids by provider-state injection, and matchers from
 * the contract's schemas. Works with the mock of `createGetRazeMock()` (msw) and the `mock` of
 * `startMockServer()`; it watches their exchanges through `observe`.
 *
 * @example
 * const mock = createGetRazeMock()
 * const recorder = recordPact(mock, { consumer: 'my-crm-sync' })
 * // ... the app's own tests run against setupServer(...mock.handlers) ...
 * afterAll(async () => console.log('pact written to', await recorder.write('pacts')))
 */
export function recordPact(mock: RecordableMock, options: RecordPactOptions): PactRecorder {
  const source = resolveSource(mock)
  const consumer = options?.consumer
  if (typeof consumer !== 'string' || consumer.trim() === '') {
    throw new GetRazeMockError('INVALID_OPTION', `Failed to record a pact: consumer ${JSON.stringify(consumer)} is not a name. Pass recordPact(mock, { consumer: 'my-app' }).`)
  }
  const provider = options.provider ?? defaultProvider
  const recorded = new Map<string, Recorded>()
  const unrecorded = new Map<string, UnrecordedRequests>()
  let skipped = 0

  function skip(exchange: MockExchange, endpoint: EndpointDefinition | undefined, reason: string): void {
    skipped++
    const request = `${exchange.request.method} ${endpoint?.path ?? exchange.request.path.slice(0, 200)} -> ${exchange.response.status}`
    const key = `${request} ${reason}`
    const group = unrecorded.get(key)
    if (group) group.count++
    else if (unrecorded.size < maxUnrecordedGroups) unrecorded.set(key, { request, reason, count: 1 })
  }

  function record(exchange: MockExchange): void {
    const endpoint = exchange.operationId === undefined ? undefined : findEndpoint(exchange.operationId)
    if (exchange.fault !== undefined) return skip(exchange, endpoint, `answered by ${exchange.fault === 'prefer' ? 'a Prefer header' : `fault ${exchange.fault}`}, not by the documented behaviour`)
    if (!endpoint) return skip(exchange, undefined, 'not a documented endpoint')
    // Pact JS's verifier answers a body that is not JSON with its own 400 before any provider
    // sees it, so such an interaction would fail every verification (decisions/0042).
    if (!isJsonObject(exchange.request.body)) return skip(exchange, endpoint, 'the body is not a JSON object, which Pact cannot send')
    const { store } = source
    const sent = keyOf(exchange.request)
    const keyRecord = sent ? store.findApiKey(sent.key) : undefined
    const behaviourName = classify(endpoint, exchange, conditionOf(sent?.key, keyRecord))
    if (behaviourName === undefined) return skip(exchange, endpoint, 'no documented behaviour of the endpoint answers this way')
    const behaviour = endpoint.behaviours[behaviourName]!
    const dedupeKey = `${endpoint.operationId} ${behaviourName} ${sent?.mechanism ?? 'none'}`
    if (recorded.has(dedupeKey)) return

    // Provider states: the key first, then the records, as the builders order them.
    const providerStates: RecordedProviderState[] = []
    if (sent && behaviour.key === 'limited') providerStates.push({ name: apiKeyStates.limited, params: { key: sent.key } })
    else if (sent && keyRecord?.revoked) providerStates.push({ name: apiKeyStates.revoked, params: { key: sent.key } })
    else if (sent && behaviour.key === 'expired') providerStates.push({ name: apiKeyStates.expired, params: { key: sent.key } })
    else if (sent && keyRecord) providerStates.push({ name: apiKeyStates.valid, params: { key: sent.key, permissions: [...keyRecord.permissions] } })

    const id = exchange.params.id
    const resource = endpoint.resource
    const succeeded = exchange.response.status >= 200 && exchange.response.status < 300
    // The record the path named, as it was before the request (a delete removes it, an update changes it).
    const named = id === undefined || !resource ? undefined : (exchange.record ?? (store.findRecord(resource.collection, id) as Readonly<Record<string, unknown>> | undefined))
    // What the behaviour's templates stand for in this exchange: the request's values, then the answer's.
    const bound = bindVariables(behaviour, exchange)
    for (const state of behaviour.states) {
      if (resource && id !== undefined && state.name === resource.states.missing) {
        providerStates.push({ name: state.name, params: { id } })
        continue
      }
      if (resource && id !== undefined && state.name === resource.states.exists) {
        // Another account's record does not exist for the caller, so no state recreates it.
        if (!named || (keyRecord !== undefined && named.account !== keyRecord.account)) continue
        const params: Record<string, unknown> = { id }
        // A changed record reports its fields from before the change; a refused request changed nothing.
        const before: Readonly<Record<string, unknown>> = succeeded ? (exchange.before ?? {}) : {}
        // The state carries the fields the behaviour's own state names: what the provider must recreate.
        for (const field of Object.keys(state.params).filter((name) => name !== 'id')) {
          const value = field in before ? before[field] : named[field]
          if (value !== undefined) params[field] = value
        }
        providerStates.push({ name: state.name, params })
        continue
      }
      const params = recordedStateParams(state, behaviour, exchange, bound, store, keyRecord?.account)
      if (params) providerStates.push({ name: state.name, params })
    }
    const injected = id !== undefined && providerStates.some((state) => state.params.id === id)

    const request: Record<string, unknown> = {
      method: exchange.request.method,
      path: endpoint.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(exchange.params[name] ?? '')),
    }
    // Every query parameter as sent (a list's filters, search and page), the key's too when it went there.
    const query: Record<string, string[]> = {}
    for (const [name, value] of new URLSearchParams(exchange.request.query)) (query[name] ??= []).push(value)
    if (Object.keys(query).length > 0) request.query = query
    const requestHeaders: Record<string, string[]> = {}
    const contentType = exchange.request.header('content-type')
    if (contentType) requestHeaders['Content-Type'] = [contentType]
    if (sent?.mechanism === 'header') requestHeaders['X-API-Key'] = [sent.key]
    if (sent?.mechanism === 'bearer') requestHeaders.Authorization = [`Bearer ${sent.key}`]
    if (Object.keys(requestHeaders).length > 0) request.headers = requestHeaders
    if (exchange.request.body) request.body = { content: JSON.parse(exchange.request.body), contentType: 'application/json', encoded: false }
    if (injected) {
      // `${id}` is Pact's provider-state expression: the provider's state answers with its own id.
      request.generators = { path: { expression: endpoint.path.replace(/:(\w+)/g, (_, name: string) => (name === 'id' ? '${id}' : encodeURIComponent(exchange.params[name] ?? ''))), type: 'ProviderState' } }
      request.matchingRules = { path: typeRule }
    }

    const { response } = exchange
    let answered = response.body
    const data = (answered as { data?: Record<string, unknown> } | undefined)?.data
    if (injected && succeeded && data?.id !== undefined) {
      answered = { ...(answered as object), data: { ...data, id: fromProviderState('${id}', data.id) } }
    }
    const bodyRules: Record<string, PactRule> = {}
    const bodyGenerators: Record<string, { expression: string; type: 'ProviderState' }> = {}
    let expected = expectBySchema(answered, jsonSchemaOf(succeeded ? endpoint.response : errorEnvelopeSchema))
    if (succeeded) expected = expectListsByType(expected, new URLSearchParams(exchange.request.query).get('page'))
    const content = toPactBody(expected, '$', bodyRules, bodyGenerators)
    const headerExpectations = Object.fromEntries(
      Object.entries(expectedHeaders(response.status, behaviour.key === 'limited' ? 'RATE_LIMIT_EXCEEDED' : undefined, response.headers)).filter(
        ([name]) => name === 'Content-Type' || response.headers[name.toLowerCase()] !== undefined,
      ),
    )
    const headers = toPactHeaders(headerExpectations)
    recorded.set(dedupeKey, {
      description: behaviour.description,
      behaviour: `${endpoint.operationId} ${behaviourName}`,
      mechanism: sent?.mechanism ?? 'none',
      providerStates,
      interaction: {
        pending: false,
        providerStates,
        request,
        response: {
          status: response.status,
          headers: headers.headers,
          body: { content, contentType: 'application/json', encoded: false },
          matchingRules: { ...(Object.keys(bodyRules).length > 0 ? { body: bodyRules } : {}), header: headers.rules },
          ...(Object.keys(bodyGenerators).length > 0 ? { generators: { body: bodyGenerators } } : {}),
        },
        type: 'Synchronous/HTTP',
      },
    })
  }

  const unsubscribe = source.observe(record)

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
    get unrecorded() {
      return [...unrecorded.values()].map((group) => ({ ...group }))
    },
    stop: () => {
      unsubscribe()
    },
    async write(dir, writeOptions = {}) {
      const interactions = entries()
      if (interactions.length === 0 && !writeOptions.allowEmpty) {
        const why = unrecorded.size > 0 ? ` (${skipped} request${skipped === 1 ? '' : 's'} not recorded: ${[...unrecorded.values()].slice(0, 3).map((group) => `${group.request}, ${group.reason}`).join('; ')})` : ' (no request reached the mock)'
        throw new GetRazeMockError(
          'PACT_EMPTY',
          `Failed to write the pact: no interaction was recorded${why}. Run the tests that call GetRaze against the mock before write(), or pass write(dir, { allowEmpty: true }) to write an empty pact.`,
        )
      }
      const pact = {
        consumer: { name: consumer },
        interactions: interactions.map(({ description, interaction }) => ({ description, ...interaction })),
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
