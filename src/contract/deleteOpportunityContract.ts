import { z } from 'zod'
import { opportunityResource } from './resources.js'
import { notFoundBehaviour, sharedBehaviours } from './sharedBehaviours.js'
import type { EndpointDefinition, StateTemplate } from './EndpointDefinition.js'

/** The answer of a delete: no `data`, the page's message. */
export const deleteOpportunityResponseSchema = z.strictObject({
  success: z.literal(true),
  message: z.string(),
})

/** The delete page's message, which the mock answers word for word. */
export const opportunityDeletedMessage = 'Opportunity deleted successfully'

const exampleId = 'opp_abc123def456'
const opportunityExists: StateTemplate = { name: opportunityResource.states.exists, params: { id: '{id}', name: '{name}' } }
const variables = { id: exampleId, name: 'John Doe' }
const request = { params: { id: '{id}' } }
const options = { id: { any: true } } as const

/**
 * `DELETE /external/v1/opportunities/:id`, as documented: removes one opportunity of the caller's
 * account for good; reading, updating or moving it afterwards answers 404.
 *
 * @see ../../docs/getraze-api.md (the documented behaviour)
 */
export const deleteOpportunityContract = {
  operationId: 'deleteOpportunity',
  method: 'DELETE',
  path: '/external/v1/opportunities/:id',
  summary: 'Permanently deletes an opportunity from your pipeline.',
  action: 'delete an opportunity',
  permission: 'opportunities:delete',
  resource: opportunityResource,
  client: { group: 'opportunities', method: 'delete' },
  response: deleteOpportunityResponseSchema,
  errors: ['NOT_FOUND'],
  example: {
    params: { id: exampleId },
    now: '2024-01-25T10:00:00Z',
    response: { success: true, message: opportunityDeletedMessage },
  },
  behaviours: {
    deleted: {
      description: 'a request to delete an opportunity',
      key: 'valid',
      states: [opportunityExists],
      variables,
      options,
      request,
      response: { status: 200, body: { success: true, message: opportunityDeletedMessage } },
    },
    notFound: notFoundBehaviour(opportunityResource, { action: 'delete an opportunity', baseline: { variables: {}, options, request } }),
    ...sharedBehaviours({
      action: 'delete an opportunity',
      permission: 'opportunities:delete',
      baseline: { states: [opportunityExists], variables, options, request },
    }),
  },
} as const satisfies EndpointDefinition
