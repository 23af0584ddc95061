import type { PactV4 } from '@pact-foundation/pact'
import type { OpportunityStatus } from '../contract/opportunityStatuses.js'
import { updateOpportunityStageContract as contract } from '../contract/updateOpportunityStageContract.js'
import { addInteraction } from './addInteraction.js'
import type { AddedInteraction } from './addInteraction.js'
import { buildableBehaviours } from './planInteraction.js'
import type { ApiKeyMechanism, InteractionOptions } from './planInteraction.js'

// The first builders of the kit, named for the stage endpoint's behaviours. They stay as they
// were for code written against them; each is `addInteraction` with the behaviour's name, and the
// stage-specific options are the behaviour's variables (`values`).

/** The documented behaviours of the stage endpoint that the builders and the recorder name. */
export type StageBehaviour = Exclude<keyof typeof contract.behaviours, 'unknownApiKey'>

/** Options of the stage builders: `InteractionOptions` plus the stage's variables at the top level. */
export interface StageInteractionOptions extends Omit<InteractionOptions, 'values'> {
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
export type StageInteraction = AddedInteraction<StageRequest>

/** The behaviours there are builders for, in the order the docs and the README list them. */
export const stageBehaviours = buildableBehaviours(contract) as StageBehaviour[]

/**
 * Adds the interaction of one documented behaviour of `PATCH /opportunities/:id/stage` to a
 * consumer's own `PactV4` (`addInteraction` for the stage endpoint).
 *
 * @example
 * const pact = new PactV4({ consumer: 'my-crm-sync', provider: 'getraze-external-api' })
 * await addStageInteraction(pact, 'moveToWon', { apiKeyIn: 'bearer' }).executeTest(async (server, request) => {
 *   await myClient(server.url, request.apiKey).closeWon(request.id)
 * })
 * @see addInteraction for every endpoint
 */
export function addStageInteraction(pact: PactV4, behaviour: StageBehaviour, options: StageInteractionOptions = {}): StageInteraction {
  const { apiKeyIn, apiKey, headers, description, ...values } = options
  return addInteraction(pact, contract, behaviour, { apiKeyIn, apiKey, headers, description, values }) as unknown as StageInteraction
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
