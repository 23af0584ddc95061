import type { BehaviourDefinition, KeyCondition, StateTemplate, VariableRule } from './EndpointDefinition.js'
import type { Permission } from './permissions.js'
import type { ResourceDefinition } from './resources.js'

/** The outcomes every endpoint has, whatever it does: the key's and the rate limit's. */
export type SharedBehaviour = 'missingApiKey' | 'revokedApiKey' | 'expiredApiKey' | 'insufficientPermissions' | 'rateLimited' | 'unknownApiKey'

/**
 * A request that would succeed but for its key: the states, variables and request that the shared
 * behaviours start from (usually those of the endpoint's documented example).
 */
export interface BaselineRequest {
  states: readonly StateTemplate[]
  variables: Readonly<Record<string, unknown>>
  options: Readonly<Record<string, VariableRule>>
  request: BehaviourDefinition['request']
}

/** Options of `sharedBehaviours`. */
export interface SharedBehavioursOptions {
  /** What the endpoint does, as in `'get an opportunity'`. */
  action: string
  permission: Permission
  baseline: BaselineRequest
  /**
   * Descriptions to use instead of the generated ones.
   * @default 'a request to <action> without an API key', and so on
   */
  descriptions?: Partial<Record<SharedBehaviour, string>>
}

const keyCondition: Record<SharedBehaviour, KeyCondition> = {
  missingApiKey: 'none',
  revokedApiKey: 'revoked',
  expiredApiKey: 'expired',
  insufficientPermissions: 'lacking',
  rateLimited: 'limited',
  unknownApiKey: 'unknown',
}

/**
 * The shared behaviours of one endpoint, from its baseline request. The messages are the docs'
 * wording (the errors page), which pacts match by type.
 *
 * @example
 * const behaviours = { ...sharedBehaviours({ action: 'get an opportunity', permission: 'opportunities:read', baseline }) }
 */
export function sharedBehaviours(options: SharedBehavioursOptions): Record<SharedBehaviour, BehaviourDefinition> {
  const { action, permission, baseline } = options
  const descriptions: Record<SharedBehaviour, string> = {
    missingApiKey: `a request to ${action} without an API key`,
    revokedApiKey: `a request to ${action} with a revoked API key`,
    expiredApiKey: `a request to ${action} with an expired API key`,
    insufficientPermissions: `a request to ${action} with an API key that lacks ${permission}`,
    rateLimited: `a request to ${action} after the API key has used its hourly rate limit`,
    unknownApiKey: `a request to ${action} with an unknown API key`,
    ...options.descriptions,
  }
  const errors: Record<SharedBehaviour, BehaviourDefinition['response']> = {
    missingApiKey: { error: 'MISSING_API_KEY', message: 'API key is required' },
    revokedApiKey: { error: 'INVALID_API_KEY', message: 'The API key is invalid or has been revoked.' },
    expiredApiKey: { error: 'EXPIRED_API_KEY', message: 'The API key has expired.' },
    insufficientPermissions: { error: 'INSUFFICIENT_PERMISSIONS', message: `This API key lacks the ${permission} permission.` },
    rateLimited: { error: 'RATE_LIMIT_EXCEEDED', message: 'Rate limit exceeded.' },
    unknownApiKey: { error: 'INVALID_API_KEY', message: 'The API key is invalid or has been revoked.' },
  }
  // Whatever the client sends fails on its key first, so every value of every option fits.
  const options_ = Object.fromEntries(Object.keys(baseline.options).map((name) => [name, { any: true } as const]))
  const entries = (Object.keys(keyCondition) as SharedBehaviour[]).map((name): [SharedBehaviour, BehaviourDefinition] => [
    name,
    {
      description: descriptions[name],
      key: keyCondition[name],
      states: baseline.states,
      variables: baseline.variables,
      options: options_,
      request: baseline.request,
      response: errors[name],
      // The docs tell unknown and revoked keys apart only in words; a pact needs a state for one.
      ...(name === 'unknownApiKey' ? { recordedOnly: true } : {}),
    },
  ])
  return Object.fromEntries(entries) as Record<SharedBehaviour, BehaviourDefinition>
}

/** Options of `notFoundBehaviour`. */
export interface NotFoundBehaviourOptions {
  /** What the endpoint does, as in `'get an opportunity'`: the description is "a request to <action> that does not exist". */
  action: string
  /** @default 'a request to <action> that does not exist' */
  description?: string
  /** The endpoint's variables, options and request; the id becomes one no record has. */
  baseline: Omit<BaselineRequest, 'states'>
}

/**
 * The documented 404 of an endpoint whose path names a record: the resource's "no ... exists"
 * state for an id no record has, answered with the docs' `<Label> not found`.
 *
 * @example
 * notFound: notFoundBehaviour(contactResource, { action: 'get a contact', baseline: { variables, options, request } })
 */
export function notFoundBehaviour(resource: ResourceDefinition, options: NotFoundBehaviourOptions): BehaviourDefinition {
  return {
    description: options.description ?? `a request to ${options.action} that does not exist`,
    key: 'valid',
    states: [{ name: resource.states.missing, params: { id: '{id}' } }],
    variables: { ...options.baseline.variables, id: `${resource.idPrefix}doesnotexist` },
    options: options.baseline.options,
    request: options.baseline.request,
    // The docs' message (the errors page's example).
    response: { error: 'NOT_FOUND', message: `${resource.label} not found` },
  }
}

/**
 * The documented 400 of a list endpoint: a `limit` out of range, answered `INVALID_PARAMETER`
 * with the errors page's description of the code.
 *
 * @example
 * invalidParameter: invalidParameterBehaviour('list contacts')
 */
export function invalidParameterBehaviour(action: string): BehaviourDefinition {
  return {
    description: `a request to ${action} with a query parameter that is not valid`,
    key: 'valid',
    states: [],
    variables: { limit: 500 },
    options: {},
    request: { query: { limit: '{limit}' } },
    response: { error: 'INVALID_PARAMETER', message: 'Invalid query parameter' },
  }
}
