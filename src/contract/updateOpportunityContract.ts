import { z } from 'zod'
import { optionalAmount, optionalCurrency, optionalEmail, optionalText, requiredText } from './bodyFields.js'
import { optionalUserReference } from './createOpportunityContract.js'
import { opportunityStatuses } from './opportunityStatuses.js'
import { opportunityResource } from './resources.js'
import { opportunityStatusSchema, timestampSchema } from './schemas.js'
import { notFoundBehaviour, sharedBehaviours } from './sharedBehaviours.js'
import type { EndpointDefinition, StateTemplate } from './EndpointDefinition.js'

/**
 * The body of `PUT /external/v1/opportunities/:id`, in the page's field order: every field
 * optional, only those sent change. `status` is refused by the operation (the stage endpoint
 * changes it); other fields the page does not list are ignored.
 */
export const updateOpportunityBodySchema = z.looseObject({
  name: requiredText.optional(),
  email: optionalEmail,
  phone: optionalText,
  company: optionalText,
  position: optionalText,
  deal_value: optionalAmount,
  deal_currency: optionalCurrency,
  notes: optionalText,
  responsible_user_id: optionalUserReference,
})

/** The fields every update answers, whatever was sent (the page's example). */
export const updateAnswerFields = ['id', 'name', 'email', 'company', 'status', 'deal_value', 'deal_currency'] as const

const optionalNullableText = z.string().nullable().optional()

/** `data` of an update, the page's shape: the fields it always shows, every other field sent, `updated_at`. */
export const updatedOpportunitySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  company: z.string().nullable(),
  status: opportunityStatusSchema,
  deal_value: z.number().nullable(),
  deal_currency: z.string().nullable(),
  phone: optionalNullableText,
  position: optionalNullableText,
  notes: optionalNullableText,
  responsible_user_id: optionalNullableText,
  updated_at: timestampSchema,
})

export const updateOpportunityResponseSchema = z.strictObject({
  success: z.literal(true),
  data: updatedOpportunitySchema,
})

const exampleId = 'opp_abc123def456'
const now = '2024-01-25T10:00:00Z'
/** The update page's example body. */
const docsBody = { deal_value: 100000, notes: 'Upgraded to enterprise package' }
/** What the state recreates: the fields the answer shows that the update leaves as they were. */
const record = { name: 'John Doe', email: 'john@example.com', company: 'Acme Inc', status: 'qualified', deal_currency: 'BRL' }
const fields = Object.keys(record) as Array<keyof typeof record>
const templated = Object.fromEntries(fields.map((field) => [field, `{${field}}`]))
const opportunityExists: StateTemplate = { name: opportunityResource.states.exists, params: { id: '{id}', ...templated } }
const variables = { id: exampleId, ...record, ...docsBody, now }
const request = { params: { id: '{id}' }, body: { deal_value: '{deal_value}', notes: '{notes}' } }
const options = { id: { any: true }, status: { oneOf: opportunityStatuses } } as const
const anyId = { id: { any: true } } as const

/**
 * `PUT /external/v1/opportunities/:id`, as documented: changes the fields sent of one opportunity
 * of the caller's account, except its status.
 *
 * @see ../../docs/getraze-api.md (the documented behaviour)
 */
export const updateOpportunityContract = {
  operationId: 'updateOpportunity',
  method: 'PUT',
  path: '/external/v1/opportunities/:id',
  summary: 'Updates an existing opportunity. Only provided fields will be updated.',
  action: 'update an opportunity',
  permission: 'opportunities:write',
  resource: opportunityResource,
  client: { group: 'opportunities', method: 'update' },
  body: updateOpportunityBodySchema,
  response: updateOpportunityResponseSchema,
  errors: ['NOT_FOUND'],
  example: {
    params: { id: exampleId },
    body: docsBody,
    now,
    response: {
      success: true,
      data: {
        id: exampleId,
        name: 'John Doe',
        email: 'john@example.com',
        company: 'Acme Inc',
        status: 'qualified',
        deal_value: 100000,
        deal_currency: 'BRL',
        notes: 'Upgraded to enterprise package',
        updated_at: now,
      },
    },
  },
  behaviours: {
    updated: {
      description: 'a request to update an opportunity',
      key: 'valid',
      states: [opportunityExists],
      variables,
      options,
      request,
      response: {
        status: 200,
        body: { success: true, data: { id: '{id}', ...templated, deal_value: '{deal_value}', notes: '{notes}', updated_at: '{now}' } },
      },
    },
    invalidValue: {
      description: 'a request to update an opportunity with a field value that is not valid',
      key: 'valid',
      states: [opportunityExists],
      variables: { ...variables, email: 'not-an-email' },
      options: anyId,
      request: { params: { id: '{id}' }, body: { email: '{email}' } },
      // The page's description of the error.
      response: { error: 'VALIDATION_ERROR', message: 'Invalid field values' },
    },
    statusChange: {
      description: 'a request to change the status of an opportunity through an update',
      key: 'valid',
      states: [opportunityExists],
      variables: { ...variables, newStatus: 'won' },
      options: { ...anyId, newStatus: { oneOf: opportunityStatuses } },
      request: { params: { id: '{id}' }, body: { status: '{newStatus}' } },
      response: { error: 'VALIDATION_ERROR', message: 'Invalid field values' },
    },
    notFound: notFoundBehaviour(opportunityResource, { action: 'update an opportunity', baseline: { variables, options: anyId, request } }),
    ...sharedBehaviours({
      action: 'update an opportunity',
      permission: 'opportunities:write',
      baseline: { states: [opportunityExists], variables, options, request },
    }),
  },
} as const satisfies EndpointDefinition
