import { apiErrors } from '../contract/apiErrors.js'
import type { ApiErrorCode } from '../contract/apiErrors.js'
import type { BehaviourDefinition, EndpointDefinition, KeyCondition, VariableRule } from '../contract/EndpointDefinition.js'
import type { Permission } from '../contract/permissions.js'
import { apiKeyStates } from '../contract/providerStates.js'
import { errorEnvelopeSchema } from '../contract/schemas.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { expectBySchema, fromProviderState, integer, jsonSchemaOf, like, regex } from './pactMatchers.js'

/** How a client sends its API key: the three ways the docs allow. */
export type ApiKeyMechanism = 'header' | 'bearer' | 'query'

const mechanisms: readonly ApiKeyMechanism[] = ['header', 'bearer', 'query']

/** Options of the interaction builders: what the consumer's client sends. */
export interface InteractionOptions {
  /**
   * How the client sends the key: `X-API-Key` header, `Authorization: Bearer`, or `?api_key=`.
   * @default 'header'
   */
  apiKeyIn?: ApiKeyMechanism
  /**
   * The key the client sends. The interaction's provider state creates it, so any value works.
   * Ignored by behaviours without a key (`missingApiKey`).
   * @default the behaviour's test key, e.g. 'gr_test_pact_writer'
   */
  apiKey?: string
  /**
   * Request headers the client sends besides the key, matched exactly.
   * @default { 'Content-Type': 'application/json' } when the request has a body, else {}
   */
  headers?: Readonly<Record<string, string>>
  /**
   * The interaction's description in the pact.
   * @default the behaviour's, e.g. 'a request to move an opportunity to won'
   */
  description?: string
  /**
   * Values of the behaviour's variables (the id, the status sent, ...), each checked against
   * what the behaviour allows.
   * @default the docs' example values
   */
  values?: Readonly<Record<string, unknown>>
}

/** What the client must send in the test: the key, how, and the values the request carries. */
export interface PlannedRequestValues {
  /** The key to send, or `undefined` for a behaviour without one. */
  apiKey: string | undefined
  apiKeyIn: ApiKeyMechanism
  /** The behaviour's variables that the request carries (e.g. `id`, `status`). */
  [variable: string]: unknown
}

/** One interaction, worked out and ready to add to a pact or to write into one. */
export interface InteractionPlan {
  description: string
  providerStates: Array<{ name: string; params: Record<string, unknown> }>
  request: {
    method: string
    /** The example path. */
    path: string
    /** The path as a provider-state expression, when a state answers its id. */
    pathExpression?: string
    headers: Record<string, string>
    query?: Record<string, string>
    body?: unknown
  }
  /** Expected answer, in Pact's matcher JSON (see `pactMatchers.ts`). */
  response: { status: number; headers: Record<string, unknown>; body: unknown }
  /** What the client must send. */
  sent: PlannedRequestValues
}

/** The kit's test keys in pacts, by what they are for. */
const testKeys: Record<Exclude<KeyCondition, 'none'>, string> = {
  valid: 'gr_test_pact_writer',
  lacking: 'gr_test_pact_reader',
  unknown: 'gr_test_pact_unknown',
  revoked: 'gr_test_pact_revoked',
  expired: 'gr_test_pact_expired',
  limited: 'gr_test_pact_limited',
}

/** A permission an endpoint's "lacking" key has instead of the one it needs: its resource's sibling. */
function siblingPermission(permission: Permission): Permission {
  const resource = permission.slice(0, permission.indexOf(':'))
  return (permission.endsWith(':read') ? `${resource}:write` : `${resource}:read`) as Permission
}

/** The test key of a condition, named after what it may do: `gr_test_pact_reader` holds `*:read`. */
function defaultKey(condition: Exclude<KeyCondition, 'none'>, permission: Permission): string {
  if (condition !== 'valid' && condition !== 'lacking') return testKeys[condition]
  const held = condition === 'valid' ? permission : siblingPermission(permission)
  return held.endsWith(':read') ? 'gr_test_pact_reader' : held.endsWith(':write') ? 'gr_test_pact_writer' : 'gr_test_pact_deleter'
}

/** The state a key of this condition needs, with its params; none for missing or unknown keys. */
function keyState(condition: KeyCondition, key: string, permission: Permission): { name: string; params: Record<string, unknown> } | undefined {
  switch (condition) {
    case 'none':
    case 'unknown':
      return undefined
    case 'valid':
      return { name: apiKeyStates.valid, params: { key, permissions: [permission] } }
    case 'lacking':
      return { name: apiKeyStates.valid, params: { key, permissions: [siblingPermission(permission)] } }
    default:
      return { name: apiKeyStates[condition], params: { key } }
  }
}

/** The variable a whole-string template stands for: `'{id}'` → `'id'`. */
export function variableOf(template: unknown): string | undefined {
  return typeof template === 'string' ? /^\{(\w+)\}$/.exec(template)?.[1] : undefined
}

/** Fills a template with the variables; `expect` decides each filled variable's matcher. */
function fill(template: unknown, variables: Readonly<Record<string, unknown>>, expect?: (name: string, value: unknown) => unknown): unknown {
  const name = variableOf(template)
  if (name !== undefined) return expect ? expect(name, variables[name]) : variables[name]
  if (Array.isArray(template)) return template.map((item) => fill(item, variables, expect))
  if (template === null || typeof template !== 'object') return template
  return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fill(value, variables, expect)]))
}

function fits(rule: VariableRule, value: unknown): boolean {
  if ('oneOf' in rule) return rule.oneOf.includes(value)
  if ('noneOf' in rule) return !rule.noneOf.includes(value)
  return true
}

/** The variables named anywhere in a template. */
export function variablesIn(template: unknown, into = new Set<string>()): Set<string> {
  const name = variableOf(template)
  if (name !== undefined) into.add(name)
  else if (template !== null && typeof template === 'object') for (const value of Object.values(template)) variablesIn(value, into)
  return into
}

/**
 * The response headers a pact expects: the content type by pattern; on every answer but a 401
 * (no key's quota applies) the rate-limit headers by digits; on a 429 nothing left and a
 * `Retry-After` in digits. `values` are the examples (the docs', or what a mock answered).
 *
 * @example
 * expectedHeaders(200, undefined)
 */
export function expectedHeaders(
  status: number,
  code: ApiErrorCode | undefined,
  values: Partial<Record<'content-type' | 'x-ratelimit-limit' | 'x-ratelimit-remaining' | 'x-ratelimit-reset' | 'retry-after', string>> = {},
): Record<string, unknown> {
  const headers: Record<string, unknown> = { 'Content-Type': regex('^application/json.*', values['content-type'] ?? 'application/json; charset=utf-8') }
  if (status === 401) return headers
  headers['X-RateLimit-Limit'] = regex('^\\d+$', values['x-ratelimit-limit'] ?? '1000')
  headers['X-RateLimit-Remaining'] = regex('^\\d+$', values['x-ratelimit-remaining'] ?? '999')
  headers['X-RateLimit-Reset'] = regex('^\\d+$', values['x-ratelimit-reset'] ?? '1706184000')
  if (code === 'RATE_LIMIT_EXCEEDED') {
    // Nothing is left when the limit is used up; every other count and instant is the provider's.
    headers['X-RateLimit-Remaining'] = '0'
    headers['Retry-After'] = regex('^\\d+$', values['retry-after'] ?? '3600')
  }
  return headers
}

/** Behaviours a builder can add (not the recorded-only ones), in the table's order. */
export function buildableBehaviours(endpoint: EndpointDefinition): string[] {
  return Object.entries(endpoint.behaviours)
    .filter(([, behaviour]) => !behaviour.recordedOnly)
    .map(([name]) => name)
}

/**
 * Works out one documented behaviour of an endpoint as an interaction, from the endpoint's
 * behaviour table and the consumer's options: the provider states it needs (the key with its
 * permissions or condition first, then the records), the ids by provider-state injection, the
 * docs' values as examples, and matchers from the contract's schemas. Knows no endpoint: every
 * endpoint's table drives it alike.
 *
 * @example
 * const plan = planInteraction(updateOpportunityStageContract, 'moveToWon', { apiKeyIn: 'bearer' })
 */
export function planInteraction(endpoint: EndpointDefinition, behaviourName: string, options: InteractionOptions = {}): InteractionPlan {
  const fail = (reason: string, fix: string): never => {
    throw new GetRazeMockError('INVALID_OPTION', `Failed to add the ${behaviourName} interaction: ${reason}. ${fix}.`)
  }
  const buildable = buildableBehaviours(endpoint)
  const behaviour: BehaviourDefinition | undefined = buildable.includes(behaviourName) ? endpoint.behaviours[behaviourName] : undefined
  if (!behaviour) return fail('there is no such behaviour', `Use one of ${buildable.join(', ')}`)
  const apiKeyIn = options.apiKeyIn ?? 'header'
  if (!mechanisms.includes(apiKeyIn)) fail(`apiKeyIn ${JSON.stringify(apiKeyIn)} is not a way to send a key`, "Use 'header', 'bearer' or 'query'")

  const variables: Record<string, unknown> = { ...behaviour.variables }
  for (const [name, value] of Object.entries(options.values ?? {})) {
    if (value === undefined) continue
    const rule = behaviour.options[name]
    if (!rule) fail(`${name} is not an option of this behaviour`, `Use ${Object.keys(behaviour.options).join(', ') || 'none'}`)
    if (!fits(rule!, value)) fail(`${name} ${JSON.stringify(value)} does not fit this behaviour`, `Leave ${name} out or pick one that does`)
    variables[name] = value
  }

  const apiKey = behaviour.key === 'none' ? undefined : (options.apiKey ?? defaultKey(behaviour.key, endpoint.permission))
  const states = behaviour.states.map((state) => ({ name: state.name, params: fill(state.params, variables) as Record<string, unknown> }))
  const key = apiKey === undefined ? undefined : keyState(behaviour.key, apiKey, endpoint.permission)
  // Record states answer the id they created or chose (`{ id }`), which Pact puts where `${id}` is.
  const injected = new Set(behaviour.states.flatMap((state) => (variableOf(state.params.id) !== undefined ? [variableOf(state.params.id)!] : [])))

  let path = endpoint.path
  let pathExpression: string | undefined = endpoint.path
  for (const param of endpoint.path.match(/:\w+/g) ?? []) {
    const template = behaviour.request.params?.[param.slice(1)]
    const name = variableOf(template)
    path = path.replace(param, String(fill(template, variables)))
    pathExpression = name !== undefined && injected.has(name) && pathExpression !== undefined ? pathExpression.replace(param, `\${${name}}`) : undefined
  }

  const body = behaviour.request.body === undefined ? undefined : fill(behaviour.request.body, variables)
  const headers: Record<string, string> = { ...(options.headers ?? (body === undefined ? {} : { 'Content-Type': 'application/json' })) }
  if (apiKey !== undefined && apiKeyIn === 'header') headers['X-API-Key'] = apiKey
  if (apiKey !== undefined && apiKeyIn === 'bearer') headers.Authorization = `Bearer ${apiKey}`
  const query: Record<string, string> = Object.fromEntries(Object.entries(fill(behaviour.request.query ?? {}, variables) as Record<string, unknown>).map(([name, value]) => [name, String(value)]))
  if (apiKey !== undefined && apiKeyIn === 'query') query.api_key = apiKey

  let response: InteractionPlan['response']
  if ('error' in behaviour.response) {
    const { error: code, message } = behaviour.response
    const error: Record<string, unknown> = { code, message: like(message) }
    if (code === 'RATE_LIMIT_EXCEEDED') error.retry_after = integer(3600)
    const status = apiErrors[code].status
    response = { status, headers: expectedHeaders(status, code), body: expectBySchema({ success: false, error }, jsonSchemaOf(errorEnvelopeSchema)) }
  } else {
    const expectVariable = (name: string, value: unknown) => (injected.has(name) ? fromProviderState(`\${${name}}`, value) : value)
    const filled = fill(behaviour.response.body, variables, expectVariable)
    response = { status: behaviour.response.status, headers: expectedHeaders(behaviour.response.status, undefined), body: expectBySchema(filled, jsonSchemaOf(endpoint.response)) }
  }

  const sent: PlannedRequestValues = { apiKey, apiKeyIn }
  for (const name of variablesIn(behaviour.request)) sent[name] = variables[name]
  return {
    description: options.description ?? behaviour.description,
    providerStates: key ? [key, ...states] : states,
    request: {
      method: endpoint.method,
      path,
      ...(pathExpression !== undefined && pathExpression !== endpoint.path ? { pathExpression } : {}),
      headers,
      ...(Object.keys(query).length > 0 ? { query } : {}),
      ...(body !== undefined ? { body } : {}),
    },
    response,
    sent,
  }
}
