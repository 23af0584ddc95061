import { z } from 'zod'
import { contactExampleId, contactExistsState } from './contactExample.js'
import { contactResource } from './resources.js'
import { notFoundBehaviour, sharedBehaviours } from './sharedBehaviours.js'
import type { EndpointDefinition, StateTemplate } from './EndpointDefinition.js'

/** A delete's answer: no `data`, the page's message. */
export const deleteContactResponseSchema = z.strictObject({
  success: z.literal(true),
  message: z.string(),
})

/** The page's message. */
const deleted = { success: true, message: 'Contact deleted successfully' }
/** A delete needs the contact to exist, not any field of it. */
const contactExists: StateTemplate = { name: contactExistsState.name, params: { id: '{id}', name: '{name}' } }
const variables = { id: contactExampleId, name: 'John Doe' }
const request = { params: { id: '{id}' } }
const options = { id: { any: true } } as const

/**
 * `DELETE /external/v1/contacts/:id`, as documented: removes a contact of the caller's account
 * for good; its opportunities, separate records, stay.
 *
 * @see ../../docs/getraze-api.md (the documented behaviour)
 */
export const deleteContactContract = {
  operationId: 'deleteContact',
  method: 'DELETE',
  path: '/external/v1/contacts/:id',
  summary: 'Permanently deletes a contact from your account.',
  action: 'delete a contact',
  permission: 'contacts:delete',
  resource: contactResource,
  client: { group: 'contacts', method: 'delete' },
  response: deleteContactResponseSchema,
  errors: ['NOT_FOUND'],
  example: {
    params: { id: contactExampleId },
    now: '2024-01-25T10:00:00Z',
    response: deleted,
  },
  behaviours: {
    deleted: {
      description: 'a request to delete a contact',
      key: 'valid',
      states: [contactExists],
      variables,
      options,
      request,
      response: { status: 200, body: deleted },
    },
    notFound: notFoundBehaviour(contactResource, { action: 'delete a contact', baseline: { variables: {}, options, request } }),
    ...sharedBehaviours({
      action: 'delete a contact',
      permission: 'contacts:delete',
      baseline: { states: [contactExists], variables, options, request },
    }),
  },
} as const satisfies EndpointDefinition
