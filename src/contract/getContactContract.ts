import { z } from 'zod'
import { contactExampleId, contactExampleRecord, contactExampleVariables, contactExistsState, templatedContact } from './contactExample.js'
import { contactResource } from './resources.js'
import { contactSchema } from './schemas.js'
import { notFoundBehaviour, sharedBehaviours } from './sharedBehaviours.js'
import type { EndpointDefinition } from './EndpointDefinition.js'

/** The contact as the API answers it: the documented resource, without the mock's `account`. */
export const contactResponseSchema = z.strictObject({
  success: z.literal(true),
  data: contactSchema.omit({ account: true }),
})

const exampleId = contactExampleId
const record = contactExampleRecord
const templated = templatedContact
const contactExists = contactExistsState
const variables = contactExampleVariables
const request = { params: { id: '{id}' } }
const options = { id: { any: true } } as const

/**
 * `GET /external/v1/contacts/:id`, as documented: one contact of the caller's account, with
 * every field of the resource.
 *
 * @see ../../docs/getraze-api.md (the documented behaviour)
 */
export const getContactContract = {
  operationId: 'getContact',
  method: 'GET',
  path: '/external/v1/contacts/:id',
  summary: 'Retrieves details of a specific contact by ID.',
  action: 'get a contact',
  permission: 'contacts:read',
  resource: contactResource,
  client: { group: 'contacts', method: 'get' },
  response: contactResponseSchema,
  errors: ['NOT_FOUND'],
  example: {
    params: { id: exampleId },
    now: '2024-01-25T10:00:00Z',
    response: {
      success: true,
      data: { id: exampleId, ...record, created_at: variables.created_at, updated_at: variables.updated_at },
    },
  },
  behaviours: {
    found: {
      description: 'a request to get a contact',
      key: 'valid',
      states: [contactExists],
      variables,
      options,
      request,
      response: {
        status: 200,
        body: { success: true, data: { id: '{id}', ...templated, created_at: '{created_at}', updated_at: '{updated_at}' } },
      },
    },
    notFound: notFoundBehaviour(contactResource, { action: 'get a contact', baseline: { variables: {}, options, request } }),
    ...sharedBehaviours({
      action: 'get a contact',
      permission: 'contacts:read',
      baseline: { states: [contactExists], variables, options, request },
    }),
  },
} as const satisfies EndpointDefinition
