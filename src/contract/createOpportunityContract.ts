import { z } from 'zod'
import {
  optionalAmount,
  optionalChoice,
  optionalCurrency,
  optionalEmail,
  optionalText,
  requiredText,
} from './bodyFields.js'
import { leadSources } from './leadSources.js'
import { opportunityStatuses } from './opportunityStatuses.js'
import { opportunityStatusSchema, timestampSchema } from './schemas.js'
import { sharedBehaviours } from './sharedBehaviours.js'
import type { EndpointDefinition, StateTemplate } from './EndpointDefinition.js'
import type { ProviderStateName } from './providerStates.js'

/**
 * A user of the caller's account to assign the opportunity to, or `null` for none; whether the
 * user exists in that account is the operation's check.
 */
export const optionalUserReference = z.string({ error: 'must be a string or null' }).min(1, { error: 'must not be empty' }).nullable().optional()

/**
 * The body of `POST /external/v1/opportunities`, in the page's field order (which is also the
 * order the answer lists them in). Fields the page does not list are ignored.
 */
export const createOpportunityBodySchema = z.looseObject({
  name: requiredText,
  email: optionalEmail,
  phone: optionalText,
  company: optionalText,
  position: optionalText,
  status: optionalChoice(opportunityStatuses),
  source: optionalChoice(leadSources),
  deal_value: optionalAmount,
  deal_currency: optionalCurrency,
  linkedin_url: optionalText,
  notes: optionalText,
  responsible_user_id: optionalUserReference,
})

/** The defaults the create page documents, for fields a request leaves out. */
export const createOpportunityDefaults = { status: 'new', source: 'other', deal_currency: 'BRL' } as const

const optionalNullableText = z.string().nullable().optional()

/**
 * `data` of a created opportunity, the page's shape: `id`, the fields sent, the defaults, the
 * closing timestamp of a `won`/`lost` one, and `created_at` (decision 0091).
 */
export const createdOpportunitySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  email: optionalNullableText,
  phone: optionalNullableText,
  company: optionalNullableText,
  position: optionalNullableText,
  status: opportunityStatusSchema,
  source: z.enum(leadSources),
  deal_value: z.number().nullable().optional(),
  deal_currency: z.string(),
  linkedin_url: optionalNullableText,
  notes: optionalNullableText,
  responsible_user_id: optionalNullableText,
  won_at: timestampSchema.optional(),
  lost_at: timestampSchema.optional(),
  created_at: timestampSchema,
})

export const createOpportunityResponseSchema = z.strictObject({
  success: z.literal(true),
  data: createdOpportunitySchema,
})

const now = '2024-01-25T09:00:00Z'
/** The create page's example body. */
const docsBody = {
  name: 'Jane Smith',
  email: 'jane@company.com',
  company: 'Tech Corp',
  position: 'CTO',
  source: 'paid_traffic',
  deal_value: 75000,
  deal_currency: 'BRL',
  notes: 'Inbound from Google Ads',
}
const bodyFields = Object.keys(docsBody) as Array<keyof typeof docsBody>
const templatedBody = Object.fromEntries(bodyFields.map((field) => [field, `{${field}}`]))
const variables = { ...docsBody, now }
const request = { body: templatedBody }
const options = { source: { oneOf: leadSources } } as const
/**
 * The answer to the docs' body, templated. The id is the provider's own (matched by type), as the
 * page's `opp_xyz789abc123` is.
 */
const created = {
  id: 'opp_xyz789abc123',
  name: '{name}',
  email: '{email}',
  company: '{company}',
  position: '{position}',
  status: 'new',
  source: '{source}',
  deal_value: '{deal_value}',
  deal_currency: '{deal_currency}',
  notes: '{notes}',
}
/** The user the docs' get example assigns its opportunity to. */
const userExists: StateTemplate = { name: 'a user exists' satisfies ProviderStateName, params: { id: 'usr_123', name: 'Sales Rep' } }

/**
 * `POST /external/v1/opportunities`, as documented: creates an opportunity in the caller's
 * account and answers 201 with what was stored.
 *
 * @see ../../docs/getraze-api.md (the documented behaviour)
 */
export const createOpportunityContract = {
  operationId: 'createOpportunity',
  method: 'POST',
  path: '/external/v1/opportunities',
  summary: 'Creates a new opportunity/lead in your pipeline.',
  action: 'create an opportunity',
  permission: 'opportunities:write',
  client: { group: 'opportunities', method: 'create' },
  body: createOpportunityBodySchema,
  successStatus: 201,
  response: createOpportunityResponseSchema,
  // The page's own codes for these two fields; any other field problem is VALIDATION_ERROR.
  fieldErrors: {
    status: { code: 'INVALID_STATUS', label: 'Status' },
    source: { code: 'INVALID_SOURCE', label: 'Source' },
  },
  errors: ['INVALID_SOURCE', 'INVALID_STATUS'],
  example: {
    params: {},
    body: docsBody,
    now,
    response: {
      success: true,
      data: {
        id: 'opp_xyz789abc123',
        name: 'Jane Smith',
        email: 'jane@company.com',
        company: 'Tech Corp',
        position: 'CTO',
        status: 'new',
        source: 'paid_traffic',
        deal_value: 75000,
        deal_currency: 'BRL',
        notes: 'Inbound from Google Ads',
        created_at: now,
      },
    },
  },
  behaviours: {
    created: {
      description: 'a request to create an opportunity',
      key: 'valid',
      states: [],
      variables,
      options,
      request,
      response: { status: 201, body: { success: true, data: { ...created, created_at: '{now}' } } },
      // Told apart from `createdForUser` by the user that one assigns.
      recognise: { data: { responsible_user_id: [undefined, null] } },
    },
    createdForUser: {
      description: 'a request to create an opportunity assigned to a user',
      key: 'valid',
      states: [userExists],
      variables,
      options,
      request: { body: { ...templatedBody, responsible_user_id: 'usr_123' } },
      response: { status: 201, body: { success: true, data: { ...created, responsible_user_id: 'usr_123', created_at: '{now}' } } },
    },
    missingName: {
      description: 'a request to create an opportunity without a name',
      key: 'valid',
      states: [],
      variables: { email: docsBody.email },
      options: {},
      request: { body: { email: '{email}' } },
      // The page's description of the error.
      response: { error: 'VALIDATION_ERROR', message: 'Required fields missing or invalid' },
    },
    unknownUser: {
      description: 'a request to create an opportunity assigned to a user that does not exist',
      key: 'valid',
      states: [],
      variables: { name: docsBody.name, user: 'usr_doesnotexist' },
      options: {},
      request: { body: { name: '{name}', responsible_user_id: '{user}' } },
      response: { error: 'VALIDATION_ERROR', message: 'Required fields missing or invalid' },
    },
    invalidSource: {
      description: 'a request to create an opportunity with a source that is not valid',
      key: 'valid',
      states: [],
      variables: { name: docsBody.name, source: 'facebook' },
      options: { source: { noneOf: leadSources } },
      request: { body: { name: '{name}', source: '{source}' } },
      response: { error: 'INVALID_SOURCE', message: 'Invalid source value' },
    },
    invalidStatus: {
      description: 'a request to create an opportunity with a status that is not valid',
      key: 'valid',
      states: [],
      variables: { name: docsBody.name, status: 'archived' },
      options: { status: { noneOf: opportunityStatuses } },
      request: { body: { name: '{name}', status: '{status}' } },
      response: { error: 'INVALID_STATUS', message: 'Invalid status value' },
    },
    ...sharedBehaviours({
      action: 'create an opportunity',
      permission: 'opportunities:write',
      baseline: { states: [], variables, options, request },
    }),
  },
} as const satisfies EndpointDefinition
