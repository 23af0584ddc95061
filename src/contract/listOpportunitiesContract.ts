import { z } from 'zod'
import { listQuerySchema } from './listQuery.js'
import { opportunityResource } from './resources.js'
import { opportunityStatusSchema, timestampSchema } from './schemas.js'
import { invalidParameterBehaviour, sharedBehaviours } from './sharedBehaviours.js'
import type { EndpointDefinition, StateTemplate } from './EndpointDefinition.js'

/**
 * An opportunity as the list page shows it: the get page's fields up to `deal_currency`, then the
 * ids of its campaign and responsible user where the get page nests `{id, name}` (decision 0091).
 */
export const opportunityListItemSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
  position: z.string().nullable(),
  status: opportunityStatusSchema,
  source: z.string().nullable(),
  deal_value: z.number().nullable(),
  deal_currency: z.string().nullable(),
  campaign_id: z.string().nullable(),
  responsible_user_id: z.string().nullable(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
})

/** The list pages' pagination: the page asked for, its size, how many records match, and how many pages they fill. */
export const listPaginationSchema = z.strictObject({
  page: z.number().int().positive(),
  limit: z.number().int().positive(),
  total: z.number().int().nonnegative(),
  total_pages: z.number().int().nonnegative(),
})

export const opportunityListResponseSchema = z.strictObject({
  success: z.literal(true),
  data: z.strictObject({ opportunities: z.array(opportunityListItemSchema), pagination: listPaginationSchema }),
})

const exampleId = 'opp_abc123def456'
/** The list page's item (the docs' example opportunity), as the list page shows it. */
const docsItem = {
  id: exampleId,
  name: 'John Doe',
  email: 'john@example.com',
  phone: '+5511999999999',
  company: 'Acme Inc',
  position: 'CEO',
  status: 'qualified',
  source: 'linkedin',
  deal_value: 50000,
  deal_currency: 'BRL',
  campaign_id: 'camp_xyz789',
  responsible_user_id: 'usr_123',
  created_at: '2024-01-15T10:30:00Z',
  updated_at: '2024-01-20T14:00:00Z',
}
/**
 * The other qualified opportunity of the default fixtures' account, older than the docs' one: the
 * example answers the real total (the page's 85 is an illustration, decision 0091).
 */
const fixtureItem = {
  id: 'opp_demo_qualified',
  name: 'Carla Mendes',
  email: 'carla@mendes.example',
  phone: null,
  company: 'Mendes Clinic',
  position: 'Director',
  status: 'qualified',
  source: 'linkedin',
  deal_value: 15000,
  deal_currency: 'BRL',
  campaign_id: 'camp_q1outbound',
  responsible_user_id: 'usr_maria01',
  created_at: '2024-01-10T09:00:00Z',
  updated_at: '2024-01-20T14:30:00Z',
}

/** The fields the state recreates: every one the item shows, the references as the get page nests them (below). */
const { id: _id, campaign_id: _campaign, responsible_user_id: _user, created_at: _created, updated_at: _updated, ...record } = docsItem
const fields = Object.keys(record) as Array<keyof typeof record>
const templated = Object.fromEntries(fields.map((field) => [field, `{${field}}`]))
const opportunityExists: StateTemplate = {
  name: opportunityResource.states.exists,
  params: {
    id: '{id}',
    ...templated,
    campaign: { id: '{campaign_id}', name: 'Q1 Outreach' },
    responsible_user: { id: '{responsible_user_id}', name: 'Sales Rep' },
  },
}
const variables = {
  id: exampleId,
  ...record,
  campaign_id: 'camp_xyz789',
  responsible_user_id: 'usr_123',
  limit: 50,
  created_at: docsItem.created_at,
  updated_at: docsItem.updated_at,
}
const request = { query: { status: '{status}', limit: '{limit}' } }
const options = { id: { any: true } } as const

/**
 * `GET /external/v1/opportunities`, as documented: one page of the caller's opportunities,
 * filtered, searched and sorted as the query asks, each shown as the list page shows it.
 *
 * @see ../../docs/getraze-api.md (the documented behaviour)
 */
export const listOpportunitiesContract = {
  operationId: 'listOpportunities',
  method: 'GET',
  path: '/external/v1/opportunities',
  summary: 'Returns a paginated list of all opportunities/leads in your pipeline.',
  action: 'list opportunities',
  permission: 'opportunities:read',
  client: { group: 'opportunities', method: 'list' },
  query: listQuerySchema(opportunityResource.listing),
  response: opportunityListResponseSchema,
  errors: [],
  example: {
    params: {},
    query: { status: 'qualified', limit: '50' },
    now: '2024-01-25T10:00:00Z',
    response: {
      success: true,
      data: { opportunities: [docsItem, fixtureItem], pagination: { page: 1, limit: 50, total: 2, total_pages: 1 } },
    },
  },
  behaviours: {
    listed: {
      description: 'a request to list opportunities',
      key: 'valid',
      states: [opportunityExists],
      variables,
      options,
      request,
      response: {
        status: 200,
        body: {
          success: true,
          data: {
            opportunities: [
              {
                id: '{id}',
                ...templated,
                campaign_id: '{campaign_id}',
                responsible_user_id: '{responsible_user_id}',
                created_at: '{created_at}',
                updated_at: '{updated_at}',
              },
            ],
            pagination: { page: 1, limit: '{limit}', total: 1, total_pages: 1 },
          },
        },
      },
    },
    invalidParameter: invalidParameterBehaviour('list opportunities'),
    ...sharedBehaviours({
      action: 'list opportunities',
      permission: 'opportunities:read',
      baseline: { states: [opportunityExists], variables, options, request },
    }),
  },
} as const satisfies EndpointDefinition
