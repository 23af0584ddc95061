import { apiErrors } from '../contract/apiErrors.js'
import type { ApiErrorCode } from '../contract/apiErrors.js'
import { endpoints } from '../contract/endpoints.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import { timestampPattern } from '../contract/formatTimestamp.js'
import { errorEnvelopeSchema } from '../contract/schemas.js'
import { compileRoutes } from '../core/matchRoute.js'
import type { Difference } from './Difference.js'
import { jsonSchemaOf } from './pactMatchers.js'
import type { JsonSchema } from './pactMatchers.js'
import { providerStates } from '../contract/providerStates.js'
import type { ProviderStateName } from '../contract/providerStates.js'

/** One thing a consumer should hear about its pact before a provider runs it. */
export interface PactReviewFinding extends Difference {
  /** The interaction's description. */
  description: string
}

/** The parts of a pact interaction (spec v3 or v4, HTTP) the review reads. */
interface PactInteraction {
  description?: string
  type?: string
  providerState?: string
  providerStates?: Array<{ name?: string; params?: Record<string, unknown> }>
  request?: PactRequest
  response?: PactResponse
}

interface PactRequest {
  method?: string
  path?: string
  query?: string | Record<string, unknown>
  headers?: Record<string, unknown>
  matchingRules?: PactRules
  generators?: PactGenerators
}

interface PactResponse {
  status?: number
  headers?: Record<string, unknown>
  body?: unknown
  matchingRules?: PactRules
  generators?: PactGenerators
}

type PactRules = Record<string, unknown>
type PactGenerators = Record<string, unknown>

const matchRoute = compileRoutes(endpoints)
/** The states that answer a record's id: every resource's "exists" and "missing" states. */
const idStates = new Set<string>((endpoints as readonly EndpointDefinition[]).flatMap((endpoint) => (endpoint.resource ? [endpoint.resource.states.exists, endpoint.resource.states.missing] : [])))
/** Response headers whose values a provider computes: exact expectations break on the next hour. */
const generatedHeaders = ['x-ratelimit-reset', 'x-ratelimit-remaining', 'retry-after']

/** `a` or `an` before a noun. */
function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a'
}

/** A JSON path as Pact writes it (`$.data.id`, `$['data']['id']`), normalised to dots. */
function normalise(path: string): string {
  return path.replace(/\['([^']+)'\]/g, '.$1').replace(/\["([^"]+)"\]/g, '.$1')
}

function findKey(record: Record<string, unknown> | undefined, wanted: string, compare = (a: string, b: string) => a === b): unknown {
  if (!record) return undefined
  const key = Object.keys(record).find((candidate) => compare(normalise(candidate), wanted))
  return key === undefined ? undefined : record[key]
}

/** The body (v4: `{ content }`) of a request or response. */
function bodyOf(message: { body?: unknown } | undefined): unknown {
  const body = message?.body
  if (body && typeof body === 'object' && 'content' in body && ('contentType' in body || 'encoded' in body)) {
    return (body as { content: unknown }).content
  }
  return body
}

function hasBodyRule(message: PactRequest | PactResponse | undefined, path: string): boolean {
  return findKey(message?.matchingRules?.body as Record<string, unknown> | undefined, path) !== undefined
}

function hasBodyGenerator(message: PactResponse | undefined, path: string): boolean {
  const generator = findKey(message?.generators?.body as Record<string, unknown> | undefined, path) as { type?: string } | undefined
  return generator?.type === 'ProviderState'
}

function hasHeaderRule(message: PactResponse | undefined, name: string): boolean {
  return findKey(message?.matchingRules?.header as Record<string, unknown> | undefined, name, (a, b) => a.toLowerCase() === b) !== undefined
}

function headerValue(message: PactResponse | undefined, name: string): string | undefined {
  const value = findKey(message?.headers, name, (a, b) => a.toLowerCase() === b)
  return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value)
}

/**
 * Walks what the pact expects against the documented schema: fields the docs do not have, and
 * the paths of documented timestamps (generated values).
 */
function walkExpected(
  expected: unknown,
  schema: JsonSchema | undefined,
  path: string,
  visit: { undocumented(path: string, value: unknown): void; timestamp(path: string): void },
): void {
  if (!schema) return
  if (schema.pattern === timestampPattern.source) visit.timestamp(path)
  if (typeof expected !== 'object' || expected === null || Array.isArray(expected) || schema.type !== 'object') return
  for (const [key, value] of Object.entries(expected)) {
    const child = schema.properties?.[key]
    // Without properties (details: a record) the docs name no field at all.
    if (child) walkExpected(value, child, `${path}.${key}`, visit)
    else visit.undocumented(`${path}.${key}`, value)
  }
}

function stateFindings(interaction: PactInteraction): Difference[] {
  const findings: Difference[] = []
  const states = interaction.providerStates ?? (interaction.providerState ? [{ name: interaction.providerState, params: {} }] : [])
  for (const state of states) {
    const name = state.name ?? ''
    const schema = providerStates[name as ProviderStateName]
    if (!schema) {
      findings.push({
        path: `state "${name}"`,
        expected: 'a state the documented state set defines',
        actual: name,
        message: `undefined state; providers implement only ${Object.keys(providerStates).map((known) => `"${known}"`).join(', ')}`,
      })
      continue
    }
    const params = state.params ?? {}
    const known = Object.keys(schema.shape)
    for (const param of Object.keys(params)) {
      if (!known.includes(param)) {
        findings.push({
          path: `state "${name}" param "${param}"`,
          expected: `one of ${known.join(', ')}`,
          actual: params[param] ?? null,
          message: 'undefined param; providers ignore it',
        })
      }
    }
    const parsed = schema.safeParse(params)
    for (const issue of parsed.success ? [] : parsed.error.issues) {
      findings.push({
        path: `state "${name}" param "${issue.path.join('.')}"`,
        expected: issue.message,
        actual: issue.path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], params) ?? null,
        message: 'param the state does not accept',
      })
    }
  }
  return findings
}

/**
 * Reviews one interaction of a pact against the documented contract and state set. Every
 * finding has `category: 'pact-review'`.
 *
 * @example
 * reviewInteraction(pact.interactions[0]) // [{ path: 'request path', message: 'literal id ...', category: 'pact-review', ... }]
 */
export function reviewInteraction(interaction: PactInteraction): Difference[] {
  return reviewFindings(interaction).map((finding) => ({ ...finding, category: 'pact-review' as const }))
}

/** Whether the request carries an API key, in any place the docs allow. */
function sendsApiKey(request: PactRequest | undefined): boolean {
  const named = (name: string) => findKey(request?.headers, name, (a, b) => a.toLowerCase() === b) !== undefined
  const query = request?.query
  const inQuery = typeof query === 'string' ? /(^|&)api_key=/.test(query) : query !== undefined && query !== null && 'api_key' in query
  return named('x-api-key') || named('authorization') || inQuery
}

function reviewFindings(interaction: PactInteraction): Difference[] {
  if (interaction.type !== undefined && interaction.type !== 'Synchronous/HTTP') return []
  const findings = stateFindings(interaction)
  const { request, response } = interaction
  const method = request?.method?.toUpperCase() ?? 'GET'
  const requestPath = request?.path ?? '/'
  const route = matchRoute(method, requestPath)
  if (route.kind !== 'endpoint') {
    findings.push({
      path: 'request',
      expected: 'a documented endpoint',
      actual: `${method} ${requestPath}`,
      message: 'the docs have no such endpoint',
    })
    return findings
  }

  const stateNames = (interaction.providerStates ?? []).map((state) => state.name ?? '')
  const idFromState = stateNames.some((name) => idStates.has(name))
  const pathInjected = (request?.generators?.path as { type?: string } | undefined)?.type === 'ProviderState'
  const id = route.params.id
  if (id !== undefined && idFromState && !pathInjected) {
    findings.push({
      path: 'request path',
      expected: 'the id the provider state answers with (fromProviderState)',
      actual: id,
      message: 'literal id where the value comes from a state; fails against any provider that generates ids',
    })
  }
  const status = response?.status ?? 200
  const resource = route.endpoint.resource
  if (id !== undefined && resource && status === 404 && !idFromState && !pathInjected) {
    findings.push({
      path: 'request path',
      expected: `the id the state "${resource.states.missing}" answers with (fromProviderState)`,
      actual: id,
      message: `literal id for ${article(resource.name)} ${resource.name} that must not exist; a provider whose ids have another form (UUIDs) may answer 400 or 500, not 404`,
    })
  }
  // Every key a provider accepts comes from a state: without one, every such request is a 401.
  if (status !== 401 && sendsApiKey(request) && !stateNames.some((name) => name.startsWith('an API key'))) {
    findings.push({
      path: 'states',
      expected: 'a state that creates the API key ("an API key exists")',
      actual: stateNames,
      message: 'sends an API key no state creates; a provider answers 401 unless a state creates the key',
    })
  }
  if (id !== undefined && resource && status >= 200 && status < 300 && !stateNames.includes(resource.states.exists)) {
    findings.push({
      path: 'states',
      expected: `a state that creates the ${resource.name} ("${resource.states.exists}")`,
      actual: stateNames,
      message: `expects ${resource.name} ${JSON.stringify(id)} to exist without a state creating it`,
    })
  }

  const body = bodyOf(response)
  const success = status >= 200 && status < 300
  const schema = jsonSchemaOf(success ? route.endpoint.response : errorEnvelopeSchema)
  walkExpected(body, schema, '$', {
    undocumented(path, value) {
      const inDetails = path.startsWith('$.error.details.')
      findings.push({
        path,
        expected: inDetails ? 'no expectation (the docs do not define the fields of details)' : 'absent (not in the documented response)',
        actual: value ?? null,
        message: `expects a field the docs do not have${inDetails ? '; providers may send other details' : ''}`,
      })
    },
    timestamp(path) {
      if (!hasBodyRule(response, path)) {
        findings.push({
          path,
          expected: 'a match by the documented timestamp pattern',
          actual: path.split('.').reduce<unknown>((value, key) => (key === '$' ? value : (value as Record<string, unknown> | undefined)?.[key]), body) ?? null,
          message: 'exact match on a generated value',
        })
      }
    },
  })
  const data = (body as { data?: { id?: unknown } } | undefined)?.data
  // The id of the record the path names must come from the state that creates it; any other (a
  // created record's) is the provider's own, which a match by type allows. Without such a state the
  // 'states' finding above already says what is missing.
  const needsInjection = id !== undefined && idFromState
  if (success && data?.id !== undefined && !hasBodyGenerator(response, '$.data.id') && (needsInjection || !hasBodyRule(response, '$.data.id'))) {
    findings.push({
      path: '$.data.id',
      expected: idFromState ? 'the id the provider state answers with (fromProviderState)' : 'a match by type',
      actual: data.id,
      message: !idFromState
        ? 'exact match on a generated value'
        : hasBodyRule(response, '$.data.id')
          ? "id matched by type where the value comes from a state; any id passes, not only the record's the path names"
          : 'literal id matched exactly where the value comes from a state; fails against any provider that generates ids',
    })
  }
  const error = (body as { error?: { code?: unknown; retry_after?: unknown } } | undefined)?.error
  if (!success && error) {
    const code = typeof error.code === 'string' ? error.code : undefined
    const documented = code === undefined ? undefined : apiErrors[code as ApiErrorCode]
    if (code !== undefined && (!documented || !documented.documented)) {
      findings.push({ path: '$.error.code', expected: 'a documented error code', actual: code, message: 'undocumented error code' })
    } else if (documented && documented.status !== status) {
      findings.push({ path: 'status', expected: documented.status, actual: status, message: `${code} is documented with HTTP ${documented.status}` })
    }
    if (error.retry_after !== undefined && !hasBodyRule(response, '$.error.retry_after')) {
      findings.push({
        path: '$.error.retry_after',
        expected: 'a match by type (integer)',
        actual: error.retry_after,
        message: 'exact match on a generated value',
      })
    }
  }
  for (const name of generatedHeaders) {
    const value = headerValue(response, name)
    // "0 remaining" on a 429 is what the docs imply, not a computed count.
    if (value === undefined || hasHeaderRule(response, name) || (name === 'x-ratelimit-remaining' && status === 429 && value === '0')) continue
    findings.push({
      path: `header ${name}`,
      expected: 'a match by pattern (digits)',
      actual: value,
      message: 'exact match on a generated value',
    })
  }
  return findings
}

/**
 * Reviews a pact before any provider runs it: literal ids where the value comes from a provider
 * state (they fail against any provider that generates ids), exact matches on generated values
 * (timestamps, ids, rate-limit counters), states and params the documented state set does not
 * define, and expectations of fields the docs do not have. Returns one finding per problem, with
 * the interaction's description; an empty list means nothing to say.
 *
 * @example
 * const findings = reviewPact(JSON.parse(readFileSync('pacts/my-app-getraze-external-api.json', 'utf8')))
 * for (const finding of findings) console.warn(`${finding.description}: ${finding.path}: ${finding.message}`)
 */
export function reviewPact(pact: { interactions?: readonly unknown[] }): PactReviewFinding[] {
  return (pact.interactions ?? []).flatMap((interaction) => {
    const description = (interaction as PactInteraction).description ?? ''
    return reviewInteraction(interaction as PactInteraction).map((finding) => ({ description, ...finding }))
  })
}
