import { z } from 'zod'
import { optionalChoice, optionalCustomFields, optionalEmail, optionalTags, optionalText, requiredText } from './bodyFields.js'
import { contactDataSchema } from './contactExample.js'
import { leadSources } from './leadSources.js'
import { contactResource } from './resources.js'
import { sharedBehaviours } from './sharedBehaviours.js'
import type { EndpointDefinition } from './EndpointDefinition.js'

/**
 * The body of `POST /external/v1/contacts`, in the page's order (the first failing field decides
 * the error code). Fields the page does not list are ignored.
 */
export const createContactBodySchema = z.looseObject({
  name: requiredText,
  email: optionalEmail,
  phone: optionalText,
  company: optionalText,
  position: optionalText,
  linkedin_url: optionalText,
  source: optionalChoice(leadSources),
  tags: optionalTags,
  custom_fields: optionalCustomFields,
})

/**
 * A created contact as the page answers it: the id, the fields sent, the defaults (`source`,
 * `tags`, `custom_fields`) and the timestamps; fields not sent may be absent.
 */
export const createdContactResponseSchema = z.strictObject({
  success: z.literal(true),
  data: contactDataSchema.partial({ email: true, phone: true, company: true, position: true, linkedin_url: true }),
})

const now = '2024-01-25T09:00:00Z'
/** The page's example body. */
const exampleBody = {
  name: 'Jane Smith',
  email: 'jane@company.com',
  phone: '+5511988888888',
  company: 'Tech Corp',
  position: 'CTO',
  tags: ['hot-lead', 'tech'],
}
const templatedBody = Object.fromEntries(Object.keys(exampleBody).map((field) => [field, `{${field}}`]))
const variables = { id: 'cnt_xyz789abc123', ...exampleBody, now }
const request = { body: templatedBody }
const anyValue = { any: true } as const
const options = { name: anyValue, phone: anyValue, company: anyValue, position: anyValue }

/**
 * `POST /external/v1/contacts`, as documented: creates a contact in the caller's account and
 * answers it with its new id (201).
 *
 * @see ../../docs/getraze-api.md (the documented behaviour)
 */
export const createContactContract = {
  operationId: 'createContact',
  method: 'POST',
  path: '/external/v1/contacts',
  summary: 'Creates a new contact in your account.',
  action: 'create a contact',
  permission: 'contacts:write',
  client: { group: 'contacts', method: 'create' },
  body: createContactBodySchema,
  successStatus: 201,
  response: createdContactResponseSchema,
  // The page lists INVALID_EMAIL for a malformed e-mail (not an enum, so a fixed message).
  fieldErrors: { email: { code: 'INVALID_EMAIL', label: 'Email', message: 'Email format is invalid.' } },
  errors: ['INVALID_EMAIL', 'ALREADY_EXISTS'],
  example: {
    params: {},
    body: exampleBody,
    now,
    // The id is the page's; the mock generates its own (pinned by the `seed` option).
    response: {
      success: true,
      data: {
        id: variables.id,
        name: exampleBody.name,
        email: exampleBody.email,
        phone: exampleBody.phone,
        company: exampleBody.company,
        position: exampleBody.position,
        source: 'other',
        tags: exampleBody.tags,
        custom_fields: {},
        created_at: now,
        updated_at: now,
      },
    },
  },
  behaviours: {
    created: {
      description: 'a request to create a contact',
      key: 'valid',
      states: [],
      variables,
      options,
      request,
      response: {
        status: 201,
        body: {
          success: true,
          data: {
            id: '{id}',
            name: '{name}',
            email: '{email}',
            phone: '{phone}',
            company: '{company}',
            position: '{position}',
            source: 'other',
            tags: '{tags}',
            custom_fields: {},
            created_at: '{now}',
            updated_at: '{now}',
          },
        },
      },
    },
    validationFailed: {
      description: 'a request to create a contact without a name',
      key: 'valid',
      states: [],
      variables: { company: 'Tech Corp' },
      options: {},
      request: { body: { company: '{company}' } },
      // The errors page's example message.
      response: { error: 'VALIDATION_ERROR', message: 'Validation failed' },
    },
    invalidEmail: {
      description: 'a request to create a contact with an e-mail address that is not valid',
      key: 'valid',
      states: [],
      variables: { name: 'Jane Smith', email: 'jane.company.com' },
      options: { name: anyValue },
      request: { body: { name: '{name}', email: '{email}' } },
      // The page's description of the error.
      response: { error: 'INVALID_EMAIL', message: 'Email format is invalid' },
    },
    alreadyExists: {
      description: 'a request to create a contact with the e-mail address of another contact',
      key: 'valid',
      states: [{ name: contactResource.states.exists, params: { email: '{email}' } }],
      variables: { name: 'Jane Smith', email: 'jane@company.com' },
      options: { name: anyValue, email: anyValue },
      request: { body: { name: '{name}', email: '{email}' } },
      // The page's description of the error.
      response: { error: 'ALREADY_EXISTS', message: 'Contact with this email already exists' },
    },
    ...sharedBehaviours({
      action: 'create a contact',
      permission: 'contacts:write',
      baseline: { states: [], variables, options, request },
    }),
  },
} as const satisfies EndpointDefinition
