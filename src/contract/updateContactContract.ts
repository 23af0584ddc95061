import { z } from 'zod'
import { optionalCustomFields, optionalEmail, optionalTags, optionalText, requiredText } from './bodyFields.js'
import {
  contactExampleId,
  contactExampleRecord,
  contactExampleTimestamps,
  contactExampleVariables,
  contactExistsState,
  templatedContact,
} from './contactExample.js'
import { contactResponseSchema } from './getContactContract.js'
import { contactResource } from './resources.js'
import { notFoundBehaviour, sharedBehaviours } from './sharedBehaviours.js'
import type { EndpointDefinition, StateTemplate } from './EndpointDefinition.js'

/**
 * The body of `PUT /external/v1/contacts/:id`, in the page's order: every field optional, only
 * those sent change. `name` cannot be cleared; `null` clears the other text fields. Fields the
 * page does not list (`source`) are ignored.
 */
export const updateContactBodySchema = z.looseObject({
  name: requiredText.optional(),
  email: optionalEmail,
  phone: optionalText,
  company: optionalText,
  position: optionalText,
  linkedin_url: optionalText,
  tags: optionalTags,
  custom_fields: optionalCustomFields,
})

const now = '2024-01-25T10:00:00Z'
/** The page's example body. */
const exampleBody = { position: 'VP of Engineering', tags: ['hot-lead', 'enterprise'] }
const variables = { ...contactExampleVariables, new_position: exampleBody.position, new_tags: exampleBody.tags, now }
const request = { params: { id: '{id}' }, body: { position: '{new_position}', tags: '{new_tags}' } }
const anyValue = { any: true } as const
const options = { id: anyValue, new_position: anyValue }
/** Another contact of the account, holding the e-mail address a request tries to take. */
const holderState: StateTemplate = { name: contactResource.states.exists, params: { email: '{new_email}' } }

/**
 * `PUT /external/v1/contacts/:id`, as documented: changes the fields sent (`tags` replaces the
 * list, `custom_fields` merges by key) and answers the whole contact.
 *
 * @see ../../docs/getraze-api.md (the documented behaviour)
 */
export const updateContactContract = {
  operationId: 'updateContact',
  method: 'PUT',
  path: '/external/v1/contacts/:id',
  summary: 'Updates an existing contact. Only provided fields will be updated.',
  action: 'update a contact',
  permission: 'contacts:write',
  resource: contactResource,
  client: { group: 'contacts', method: 'update' },
  body: updateContactBodySchema,
  response: contactResponseSchema,
  // The page lists no INVALID_EMAIL: a malformed e-mail is a VALIDATION_ERROR here. A taken one
  // is a conflict, which the page does not list either (decisions/0091).
  errors: ['NOT_FOUND', 'ALREADY_EXISTS'],
  example: {
    params: { id: contactExampleId },
    body: exampleBody,
    now,
    // The page shows `custom_fields: {}`; a PUT that does not send them keeps the stored ones.
    response: {
      success: true,
      data: {
        id: contactExampleId,
        ...contactExampleRecord,
        position: exampleBody.position,
        tags: exampleBody.tags,
        created_at: contactExampleTimestamps.created_at,
        updated_at: now,
      },
    },
  },
  behaviours: {
    updated: {
      description: 'a request to update a contact',
      key: 'valid',
      states: [contactExistsState],
      variables,
      options,
      request,
      response: {
        status: 200,
        body: {
          success: true,
          data: { id: '{id}', ...templatedContact, position: '{new_position}', tags: '{new_tags}', created_at: '{created_at}', updated_at: '{now}' },
        },
      },
    },
    validationFailed: {
      description: 'a request to update a contact with an e-mail address that is not valid',
      key: 'valid',
      states: [contactExistsState],
      variables: { ...variables, new_email: 'john.example.com' },
      options: { id: anyValue },
      request: { params: { id: '{id}' }, body: { email: '{new_email}' } },
      // The page's description of the error.
      response: { error: 'VALIDATION_ERROR', message: 'Invalid field values' },
    },
    notFound: notFoundBehaviour(contactResource, { action: 'update a contact', baseline: { variables, options, request } }),
    alreadyExists: {
      description: 'a request to update a contact with the e-mail address of another contact',
      key: 'valid',
      // The holder first: a provider's states both answer an id, and the path takes the last one.
      states: [holderState, contactExistsState],
      variables: { ...variables, new_email: 'maria@globex.example' },
      options: { id: anyValue, new_email: anyValue },
      request: { params: { id: '{id}' }, body: { email: '{new_email}' } },
      // The create page's description of the error.
      response: { error: 'ALREADY_EXISTS', message: 'Contact with this email already exists' },
    },
    ...sharedBehaviours({
      action: 'update a contact',
      permission: 'contacts:write',
      baseline: { states: [contactExistsState], variables, options, request },
    }),
  },
} as const satisfies EndpointDefinition
