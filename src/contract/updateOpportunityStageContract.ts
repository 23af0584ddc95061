import { opportunityStatuses } from './opportunityStatuses.js'
import { opportunityResource } from './resources.js'
import { stageUpdateBodySchema, stageUpdateResponseSchema } from './schemas.js'
import { notFoundBehaviour, sharedBehaviours } from './sharedBehaviours.js'
import type { BehaviourDefinition, EndpointDefinition, StateTemplate } from './EndpointDefinition.js'

const exampleId = 'opp_abc123def456'
const now = '2024-01-25T10:00:00Z'
const openStatuses = opportunityStatuses.filter((status) => status !== 'won' && status !== 'lost')
/** The opportunity as the state creates it: the docs' record, in the status it is moved from. */
const opportunityExists: StateTemplate = { name: opportunityResource.states.exists, params: { id: '{id}', name: '{name}', status: '{from}' } }
const variables = { id: exampleId, name: 'John Doe', from: 'negotiation', status: 'won', now }
const request = { params: { id: '{id}' }, body: { status: '{status}' } }
const anyValue = { any: true } as const
const options = { id: anyValue, from: { oneOf: opportunityStatuses }, status: anyValue }

function moved(description: string, status: readonly string[], from: string, closing: Record<string, string>): BehaviourDefinition {
  return {
    description,
    key: 'valid',
    states: [opportunityExists],
    variables: { ...variables, status: status[0], from },
    options: { ...options, status: { oneOf: status } },
    request,
    response: { status: 200, body: { success: true, data: { id: '{id}', name: '{name}', status: '{status}', ...closing, updated_at: '{now}' } } },
    recognise: { data: { status } },
  }
}

/**
 * `PATCH /external/v1/opportunities/:id/stage`, as documented: the single definition the store,
 * the handlers, the server, the client and the pacts derive from.
 *
 * @see ../../docs/getraze-api.md (the documented behaviour)
 */
export const updateOpportunityStageContract = {
  operationId: 'updateOpportunityStage',
  method: 'PATCH',
  path: '/external/v1/opportunities/:id/stage',
  summary: 'Updates only the status/stage of an opportunity in the pipeline.',
  action: 'update the opportunity stage',
  permission: 'opportunities:write',
  resource: opportunityResource,
  client: { group: 'opportunities', method: 'updateStage' },
  body: stageUpdateBodySchema,
  response: stageUpdateResponseSchema,
  // A missing, non-string or unknown `status` is INVALID_STATUS, as the docs' error table says.
  fieldErrors: { status: { code: 'INVALID_STATUS', label: 'Status' } },
  errors: ['INVALID_STATUS', 'NOT_FOUND'],
  example: {
    params: { id: exampleId },
    body: { status: 'won' },
    now,
    response: {
      success: true,
      data: { id: exampleId, name: 'John Doe', status: 'won', won_at: now, updated_at: now },
    },
  },
  behaviours: {
    moveToWon: moved('a request to move an opportunity to won', ['won'], 'negotiation', { won_at: '{now}' }),
    moveToLost: moved('a request to move an opportunity to lost', ['lost'], 'proposal', { lost_at: '{now}' }),
    moveToOpenStatus: {
      ...moved('a request to move an opportunity to an open status', openStatuses, 'qualified', {}),
      variables: { ...variables, status: 'proposal', from: 'qualified' },
    },
    invalidStatus: {
      description: 'a request with a status that is not valid',
      key: 'valid',
      states: [opportunityExists],
      variables: { ...variables, status: 'archived', from: 'qualified' },
      options: { ...options, status: { noneOf: opportunityStatuses } },
      request,
      // The docs' description of the error.
      response: { error: 'INVALID_STATUS', message: 'Status value is not valid' },
    },
    notFound: notFoundBehaviour(opportunityResource, { action: 'move an opportunity', description: 'a request for an opportunity that does not exist', baseline: { variables, options, request } }),
    ...sharedBehaviours({
      action: 'update the opportunity stage',
      permission: 'opportunities:write',
      baseline: { states: [opportunityExists], variables, options, request },
      // The descriptions of the kit's first pact, kept so pacts recorded since stay the same.
      descriptions: {
        missingApiKey: 'a request without an API key',
        revokedApiKey: 'a request with a revoked API key',
        expiredApiKey: 'a request with an expired API key',
        insufficientPermissions: 'a request with an API key that lacks opportunities:write',
        rateLimited: 'a request after the API key has used its hourly rate limit',
        unknownApiKey: 'a request with an unknown API key',
      },
    }),
  },
} as const satisfies EndpointDefinition
