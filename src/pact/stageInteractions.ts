import { createRequire } from 'node:module'
import type { PactV4, V3MockServer as V4MockServer } from '@pact-foundation/pact'
import { apiErrors } from '../contract/apiErrors.js'
import type { ApiErrorCode } from '../contract/apiErrors.js'
import { opportunityStatuses } from '../contract/opportunityStatuses.js'
import type { OpportunityStatus } from '../contract/opportunityStatuses.js'
import { updateOpportunityStageContract as contract } from '../contract/updateOpportunityStageContract.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { pactTimestampPattern, stageBehaviourDescriptions } from './stageBehaviours.js'
import type { StageBehaviour } from './stageBehaviours.js'
import { waitForPactRecord } from './waitForPactRecord.js'

/** How a client sends its API key: the three ways the docs allow. */
export type ApiKeyMechanism = 'header' | 'bearer' | 'query'

/** Options of the interaction builders (`addMoveToWonInteraction`, ...): what the consumer's client sends. */
export interface StageInteractionOptions {
  /**
   * How the client sends the key: `X-API-Key` header, `Authorization: Bearer`, or `?api_key=`.
   * @default 'header'
   */
  apiKeyIn?: ApiKeyMechanism
  /**
   * The key the client sends. The interaction's provider state creates it, so any value works.
   * Ignored by `addMissingApiKeyInteraction`.
   * @default the behaviour's test key, e.g. 'gr_test_pact_writer'
   */
  apiKey?: string
  /**
   * The `status` the client sends. Fixed for the moves to `won` and `lost`; an open status for
   * `addMoveToOpenStatusInteraction`; a value that is not a status for `addInvalidStatusInteraction`.
   * @default 'proposal' (open status), 'archived' (invalid status), else 'won'
   */
  status?: string
  /**
   * The opportunity's status before the request, as the provider state sets it up.
   * @default the behaviour's, e.g. 'negotiation' before a move to won
   */
  from?: OpportunityStatus
  /**
   * The example id. The provider's state answers with its own id, which Pact injects.
   * @default 'opp_abc123def456' (the docs'), or 'opp_doesnotexist' for the 404
   */
  id?: string
  /**
   * Request headers the client sends besides the key, matched exactly.
   * @default { 'Content-Type': 'application/json' }
   */
  headers?: Readonly<Record<string, string>>
  /**
   * The interaction's description in the pact.
   * @default the behaviour's, e.g. 'a request to move an opportunity to won'
   */
  description?: string
}

/** What the consumer's client must send in the test: the values the interaction expects. */
export interface StageRequest {
  /** The opportunity id to put in the path. */
  id: string
  /** The key to send, or `undefined` for the missing-key interaction. */
  apiKey: string | undefined
  apiKeyIn: ApiKeyMechanism
  /** The `status` to send in the body. */
  status: string
}

/** An interaction added to a consumer's pact, ready to run around the consumer's own client call. */
export interface StageInteraction {
  /** What the client must send. */
  request: StageRequest
  /**
   * Runs `test` against Pact's mock server (as Pact's `executeTest`), passing the values to send.
   * The interaction is written to the pact when the test passes. Before Pact checks what its mock
   * server received, it waits for the server to record the request (Pact 16's records it just
   * after answering, and could otherwise report it missing on a busy machine).
   */
  executeTest<T>(test: (server: V4MockServer, request: StageRequest) => Promise<T>): Promise<T | undefined>
}

type Matchers = typeof import('@pact-foundation/pact').MatchersV3

let matchers: Matchers | undefined

/**
 * Pact's matchers, loaded when a builder first runs: `getraze-mock/pact` stays importable
 * without Pact (`recordPact` and `reviewPact` do not need it), and a consumer calling a builder
 * has Pact, since it passes a `PactV4`.
 */
function loadMatchers(): Matchers {
  if (matchers) return matchers
  try {
    matchers = (createRequire(import.meta.url)('@pact-foundation/pact') as typeof import('@pact-foundation/pact')).MatchersV3
  } catch (error) {
    throw new GetRazeMockError(
      'PACT_NOT_INSTALLED',
      'Failed to load @pact-foundation/pact: it is not installed. Run npm install --save-dev @pact-foundation/pact@16.',
      { cause: error },
    )
  }
  return matchers
}

interface KeyState {
  state: string
  key: string
  permissions?: string[]
}

interface BehaviourDefinition {
  key: KeyState | undefined
  opportunity: 'exists' | 'missing'
  from: OpportunityStatus
  id: string
  status: string
  /** Which `status` values a consumer may send instead. */
  accepts?: (status: string) => boolean
  response: { code: ApiErrorCode; message: string } | { moved: 'won' | 'lost' | 'open' }
}

const exampleId = contract.example.params.id
const writer = { state: 'an API key exists', key: 'gr_test_pact_writer', permissions: [contract.permission] }
const openStatuses: readonly string[] = opportunityStatuses.filter((status) => status !== 'won' && status !== 'lost')
const anyStatus = () => true

/** The documented behaviours with the docs' values (and the kit's test keys) as defaults. */
const behaviours: Record<StageBehaviour, BehaviourDefinition> = {
  moveToWon: { key: writer, opportunity: 'exists', from: 'negotiation', id: exampleId, status: 'won', response: { moved: 'won' } },
  moveToLost: { key: writer, opportunity: 'exists', from: 'proposal', id: exampleId, status: 'lost', response: { moved: 'lost' } },
  moveToOpenStatus: {
    key: writer,
    opportunity: 'exists',
    from: 'qualified',
    id: exampleId,
    status: 'proposal',
    accepts: (status) => openStatuses.includes(status),
    response: { moved: 'open' },
  },
  invalidStatus: {
    key: writer,
    opportunity: 'exists',
    from: 'qualified',
    id: exampleId,
    status: 'archived',
    accepts: (status) => !(opportunityStatuses as readonly string[]).includes(status),
    // The docs' description of the error.
    response: { code: 'INVALID_STATUS', message: 'Status value is not valid' },
  },
  notFound: {
    key: writer,
    opportunity: 'missing',
    from: 'negotiation',
    id: 'opp_doesnotexist',
    status: 'won',
    accepts: anyStatus,
    // The docs' message.
    response: { code: 'NOT_FOUND', message: 'Opportunity not found' },
  },
  missingApiKey: {
    key: undefined,
    opportunity: 'exists',
    from: 'negotiation',
    id: exampleId,
    status: 'won',
    accepts: anyStatus,
    response: { code: 'MISSING_API_KEY', message: 'API key is required' },
  },
  revokedApiKey: {
    key: { state: 'an API key has been revoked', key: 'gr_test_pact_revoked' },
    opportunity: 'exists',
    from: 'negotiation',
    id: exampleId,
    status: 'won',
    accepts: anyStatus,
    response: { code: 'INVALID_API_KEY', message: 'The API key is invalid or has been revoked.' },
  },
  expiredApiKey: {
    key: { state: 'an API key has expired', key: 'gr_test_pact_expired' },
    opportunity: 'exists',
    from: 'negotiation',
    id: exampleId,
    status: 'won',
    accepts: anyStatus,
    response: { code: 'EXPIRED_API_KEY', message: 'The API key has expired.' },
  },
  insufficientPermissions: {
    key: { state: 'an API key exists', key: 'gr_test_pact_reader', permissions: ['opportunities:read'] },
    opportunity: 'exists',
    from: 'negotiation',
    id: exampleId,
    status: 'won',
    accepts: anyStatus,
    response: { code: 'INSUFFICIENT_PERMISSIONS', message: `This API key lacks the ${contract.permission} permission.` },
  },
  rateLimited: {
    key: { state: 'an API key has used its hourly rate limit', key: 'gr_test_pact_limited' },
    opportunity: 'exists',
    from: 'negotiation',
    id: exampleId,
    status: 'won',
    accepts: anyStatus,
    response: { code: 'RATE_LIMIT_EXCEEDED', message: 'Rate limit exceeded.' },
  },
}

/** The behaviours there are builders for, in the order the docs and the README list them. */
export const stageBehaviours = Object.keys(behaviours) as StageBehaviour[]

function invalidOption(behaviour: StageBehaviour, reason: string, fix: string): never {
  throw new GetRazeMockError('INVALID_OPTION', `Failed to add the ${behaviour} interaction: ${reason}. ${fix}.`)
}

/**
 * Adds the interaction of one documented behaviour of `PATCH /opportunities/:id/stage` to a
 * consumer's own `PactV4`: the provider states it needs (the key with its permissions or
 * condition, the opportunity with its name and status), the id by provider-state injection, the
 * docs' values as examples, and matchers for what a provider generates (ids and names by type,
 * timestamps by the documented pattern; codes, statuses and `success` exact). The options set
 * what the consumer's client sends.
 *
 * @example
 * const pact = new PactV4({ consumer: 'my-crm-sync', provider: 'getraze-external-api' })
 * await addStageInteraction(pact, 'moveToWon', { apiKeyIn: 'bearer' }).executeTest(async (server, request) => {
 *   await myClient(server.url, request.apiKey).closeWon(request.id)
 * })
 * @see addMoveToWonInteraction and the other named builders, one per behaviour
 */
export function addStageInteraction(pact: PactV4, behaviour: StageBehaviour, options: StageInteractionOptions = {}): StageInteraction {
  const definition = behaviours[behaviour]
  if (!definition) invalidOption(behaviour, 'there is no such behaviour', `Use one of ${stageBehaviours.join(', ')}`)
  const { like, regex, integer, fromProviderState } = loadMatchers()
  const apiKeyIn = options.apiKeyIn ?? 'header'
  if (!['header', 'bearer', 'query'].includes(apiKeyIn)) {
    invalidOption(behaviour, `apiKeyIn ${JSON.stringify(apiKeyIn)} is not a way to send a key`, "Use 'header', 'bearer' or 'query'")
  }
  const status = options.status ?? definition.status
  if (options.status !== undefined && !(definition.accepts ?? ((sent: string) => sent === definition.status))(status)) {
    invalidOption(behaviour, `status ${JSON.stringify(status)} does not fit this behaviour`, 'Leave status out or pick one that does')
  }
  const id = options.id ?? definition.id
  const apiKey = definition.key ? (options.apiKey ?? definition.key.key) : undefined
  const request: StageRequest = { id, apiKey, apiKeyIn, status }

  let builder = pact.addInteraction()
  if (definition.key) {
    const { state, permissions } = definition.key
    builder = builder.given(state, permissions ? { key: apiKey!, permissions } : { key: apiKey! })
  }
  builder =
    definition.opportunity === 'exists'
      ? builder.given('an opportunity exists', { id, name: contract.example.response.data.name, status: options.from ?? definition.from })
      : builder.given('no opportunity exists', { id })

  // `${id}` is Pact's provider-state expression, not a template literal: the provider's state
  // answers with the id it created and the verifier puts it here.
  const path = fromProviderState(contract.path.replace(':id', '${id}'), contract.path.replace(':id', id))
  const timestamp = regex(pactTimestampPattern, contract.example.now)
  const rateLimitHeaders = {
    'X-RateLimit-Limit': regex('^\\d+$', '1000'),
    'X-RateLimit-Remaining': regex('^\\d+$', '999'),
    'X-RateLimit-Reset': regex('^\\d+$', '1706184000'),
  }

  let responseStatus: number
  let responseHeaders: Record<string, unknown> = { 'Content-Type': regex('^application/json.*', 'application/json; charset=utf-8') }
  let body: unknown
  if ('moved' in definition.response) {
    const { moved } = definition.response
    const closing = moved === 'won' ? { won_at: timestamp } : moved === 'lost' ? { lost_at: timestamp } : {}
    responseStatus = 200
    responseHeaders = { ...responseHeaders, ...rateLimitHeaders }
    body = {
      success: true,
      data: { id: fromProviderState('${id}', id), name: like(contract.example.response.data.name), status, ...closing, updated_at: timestamp },
    }
  } else {
    const { code, message } = definition.response
    responseStatus = apiErrors[code].status
    // 401s carry no rate-limit headers: no key's quota applies.
    if (responseStatus !== 401) responseHeaders = { ...responseHeaders, ...rateLimitHeaders }
    const error: Record<string, unknown> = { code, message: like(message) }
    if (code === 'RATE_LIMIT_EXCEEDED') {
      responseHeaders = { ...responseHeaders, 'X-RateLimit-Remaining': '0', 'Retry-After': regex('^\\d+$', '3600') }
      error.retry_after = integer(3600)
    }
    body = { success: false, error }
  }

  const headers: Record<string, string> = { ...(options.headers ?? { 'Content-Type': 'application/json' }) }
  if (apiKey !== undefined && apiKeyIn === 'header') headers['X-API-Key'] = apiKey
  if (apiKey !== undefined && apiKeyIn === 'bearer') headers.Authorization = `Bearer ${apiKey}`

  const interaction = builder
    .uponReceiving(options.description ?? stageBehaviourDescriptions[behaviour])
    .withRequest(contract.method, path, (requestBuilder) => {
      requestBuilder.headers(headers)
      if (apiKey !== undefined && apiKeyIn === 'query') requestBuilder.query({ api_key: apiKey })
      requestBuilder.jsonBody({ status })
    })
    .willRespondWith(responseStatus, (responseBuilder) => {
      responseBuilder.headers(responseHeaders as Record<string, string>).jsonBody(body)
    })

  return {
    request,
    executeTest: (test) =>
      interaction.executeTest(async (server) => {
        const result = await test(server, request)
        // Pact checks the mock server's record as soon as this returns; let the record land first.
        await waitForPactRecord(server.port)
        return result
      }),
  }
}

/**
 * Adds "a request to move an opportunity to won": 200 with `won_at` set.
 *
 * @example
 * await addMoveToWonInteraction(pact).executeTest((server, { id, apiKey }) => myClient(server.url, apiKey).win(id))
 */
export function addMoveToWonInteraction(pact: PactV4, options?: StageInteractionOptions): StageInteraction {
  return addStageInteraction(pact, 'moveToWon', options)
}

/** Adds "a request to move an opportunity to lost": 200 with `lost_at` set. @example addMoveToLostInteraction(pact) */
export function addMoveToLostInteraction(pact: PactV4, options?: StageInteractionOptions): StageInteraction {
  return addStageInteraction(pact, 'moveToLost', options)
}

/** Adds "a request to move an opportunity to an open status": 200 (`status` option: which one). @example addMoveToOpenStatusInteraction(pact, { status: 'contacted' }) */
export function addMoveToOpenStatusInteraction(pact: PactV4, options?: StageInteractionOptions): StageInteraction {
  return addStageInteraction(pact, 'moveToOpenStatus', options)
}

/** Adds "a request with a status that is not valid": 400 `INVALID_STATUS`. @example addInvalidStatusInteraction(pact, { status: 'closed' }) */
export function addInvalidStatusInteraction(pact: PactV4, options?: StageInteractionOptions): StageInteraction {
  return addStageInteraction(pact, 'invalidStatus', options)
}

/** Adds "a request for an opportunity that does not exist": 404 `NOT_FOUND`. @example addNotFoundInteraction(pact) */
export function addNotFoundInteraction(pact: PactV4, options?: StageInteractionOptions): StageInteraction {
  return addStageInteraction(pact, 'notFound', options)
}

/** Adds "a request without an API key": 401 `MISSING_API_KEY`. @example addMissingApiKeyInteraction(pact) */
export function addMissingApiKeyInteraction(pact: PactV4, options?: StageInteractionOptions): StageInteraction {
  return addStageInteraction(pact, 'missingApiKey', options)
}

/** Adds "a request with a revoked API key": 401 `INVALID_API_KEY`. @example addRevokedApiKeyInteraction(pact) */
export function addRevokedApiKeyInteraction(pact: PactV4, options?: StageInteractionOptions): StageInteraction {
  return addStageInteraction(pact, 'revokedApiKey', options)
}

/** Adds "a request with an expired API key": 401 `EXPIRED_API_KEY`. @example addExpiredApiKeyInteraction(pact) */
export function addExpiredApiKeyInteraction(pact: PactV4, options?: StageInteractionOptions): StageInteraction {
  return addStageInteraction(pact, 'expiredApiKey', options)
}

/** Adds "a request with an API key that lacks opportunities:write": 403 `INSUFFICIENT_PERMISSIONS`. @example addInsufficientPermissionsInteraction(pact) */
export function addInsufficientPermissionsInteraction(pact: PactV4, options?: StageInteractionOptions): StageInteraction {
  return addStageInteraction(pact, 'insufficientPermissions', options)
}

/** Adds "a request after the API key has used its hourly rate limit": 429 with `retry_after`. @example addRateLimitedInteraction(pact) */
export function addRateLimitedInteraction(pact: PactV4, options?: StageInteractionOptions): StageInteraction {
  return addStageInteraction(pact, 'rateLimited', options)
}
