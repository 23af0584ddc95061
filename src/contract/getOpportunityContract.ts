import { z } from 'zod'
import { opportunityResource } from './resources.js'
import { opportunitySchema } from './schemas.js'
import { notFoundBehaviour, sharedBehaviours } from './sharedBehaviours.js'
import type { EndpointDefinition, StateTemplate } from './EndpointDefinition.js'

/** The opportunity as the API answers it: the documented resource, without the mock's `account`. */
export const opportunityResponseSchema = z.strictObject({
  success: z.literal(true),
  data: opportunitySchema.omit({ account: true }),
})

const exampleId = 'opp_abc123def456'
/** The "get opportunity" page's record, as its example shows it. */
const record = {
  name: 'John Doe',
  email: 'john@example.com',
  phone: '+5511999999999',
  company: 'Acme Inc',
  position: 'CEO',
  status: 'qualified',
  source: 'linkedin',
  deal_value: 50000,
  deal_currency: 'BRL',
  linkedin_url: 'https://linkedin.com/in/johndoe',
  notes: 'Interested in enterprise plan',
  campaign: { id: 'camp_xyz789', name: 'Q1 Outreach' },
  responsible_user: { id: 'usr_123', name: 'Sales Rep' },
}
const fields = Object.keys(record) as Array<keyof typeof record>
const templated = Object.fromEntries(fields.map((field) => [field, `{${field}}`]))
/** The state recreates every field the answer shows, so any provider answers the same record. */
const opportunityExists: StateTemplate = { name: opportunityResource.states.exists, params: { id: '{id}', ...templated } }
const variables = { id: exampleId, ...record, created_at: '2024-01-15T10:30:00Z', updated_at: '2024-01-20T14:00:00Z' }
const request = { params: { id: '{id}' } }
const options = { id: { any: true } } as const

/**
 * `GET /external/v1/opportunities/:id`, as documented: one opportunity of the caller's account,
 * with every field of the resource.
 *
 * @see ../../docs/getraze-api.md (the documented behaviour)
 */
export const getOpportunityContract = {
  operationId: 'getOpportunity',
  method: 'GET',
  path: '/external/v1/opportunities/:id',
  summary: 'Retrieves details of a specific opportunity/lead by ID.',
  action: 'get an opportunity',
  permission: 'opportunities:read',
  resource: opportunityResource,
  client: { group: 'opportunities', method: 'get' },
  response: opportunityResponseSchema,
  errors: ['NOT_FOUND'],
  example: {
    params: { id: exampleId },
    now: '2024-01-25T10:00:00Z',
    response: {
      success: true,
      data: { id: exampleId, ...record, won_at: null, lost_at: null, created_at: variables.created_at, updated_at: variables.updated_at },
    },
  },
  behaviours: {
    found: {
      description: 'a request to get an opportunity',
      key: 'valid',
      states: [opportunityExists],
      variables,
      options,
      request,
      response: {
        status: 200,
        body: { success: true, data: { id: '{id}', ...templated, won_at: null, lost_at: null, created_at: '{created_at}', updated_at: '{updated_at}' } },
      },
    },
    notFound: notFoundBehaviour(opportunityResource, { action: 'get an opportunity', baseline: { variables: {}, options, request } }),
    ...sharedBehaviours({
      action: 'get an opportunity',
      permission: 'opportunities:read',
      baseline: { states: [opportunityExists], variables, options, request },
    }),
  },
} as const satisfies EndpointDefinition
