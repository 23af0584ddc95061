import { z } from 'zod'
import {
  contactDataSchema,
  contactExampleId,
  contactExampleRecord,
  contactExampleTimestamps,
  contactExampleVariables,
  contactExistsState,
  templatedContact,
} from './contactExample.js'
import { listQuerySchema } from './listQuery.js'
import { contactResource } from './resources.js'
import { invalidParameterBehaviour, sharedBehaviours } from './sharedBehaviours.js'
import type { EndpointDefinition } from './EndpointDefinition.js'

/** One page of the caller's contacts, each with every field of the resource, and the pagination. */
export const contactListResponseSchema = z.strictObject({
  success: z.literal(true),
  data: z.strictObject({
    contacts: z.array(contactDataSchema),
    pagination: z.strictObject({
      page: z.number().int(),
      limit: z.number().int(),
      total: z.number().int(),
      total_pages: z.number().int(),
    }),
  }),
})

/**
 * The other contacts of the default fixtures' account, newest first: what the docs' request
 * answers besides the docs' contact. The page's example shows one contact of 150; the mock
 * answers the real page and total (decisions/0091-documented-api-fidelity.md).
 */
const fixtureContacts = [
  {
    id: 'cnt_demo_maria',
    name: 'Maria Oliveira',
    email: 'maria@globex.example',
    phone: '+5521988887777',
    company: 'Globex',
    position: 'Head of Sales',
    source: 'google_maps',
    linkedin_url: null,
    tags: ['prospect'],
    custom_fields: {},
    created_at: '2024-01-12T08:00:00Z',
    updated_at: '2024-01-12T08:00:00Z',
  },
  {
    id: 'cnt_demo_pedro',
    name: 'Pedro Santos',
    email: 'pedro@initech.example',
    phone: null,
    company: 'Initech',
    position: 'CTO',
    source: 'list',
    linkedin_url: null,
    tags: ['decision-maker', 'tech'],
    custom_fields: { industry: 'Software' },
    created_at: '2024-01-11T16:45:00Z',
    updated_at: '2024-01-18T09:10:00Z',
  },
  {
    id: 'cnt_demo_lucia',
    name: 'Lucia Ferreira',
    email: null,
    phone: '+5531977776666',
    company: null,
    position: null,
    source: 'other',
    linkedin_url: null,
    tags: [],
    custom_fields: {},
    created_at: '2024-01-09T13:20:00Z',
    updated_at: '2024-01-09T13:20:00Z',
  },
]

const variables = { ...contactExampleVariables, page: 1, limit: 20 }
const request = { query: { page: '{page}', limit: '{limit}' } }
const options = { id: { any: true } } as const

/**
 * `GET /external/v1/contacts`, as documented: one page of the caller's contacts, filtered,
 * searched and sorted by the query parameters of the contact resource's listing.
 *
 * @see ../../docs/getraze-api.md (the documented behaviour)
 */
export const listContactsContract = {
  operationId: 'listContacts',
  method: 'GET',
  path: '/external/v1/contacts',
  summary: 'Returns a paginated list of all contacts in your account.',
  action: 'list contacts',
  permission: 'contacts:read',
  client: { group: 'contacts', method: 'list' },
  query: listQuerySchema(contactResource.listing),
  response: contactListResponseSchema,
  errors: [],
  example: {
    params: {},
    query: { page: '1', limit: '20' },
    now: '2024-01-25T10:00:00Z',
    response: {
      success: true,
      data: {
        contacts: [{ id: contactExampleId, ...contactExampleRecord, ...contactExampleTimestamps }, ...fixtureContacts],
        pagination: { page: 1, limit: 20, total: 4, total_pages: 1 },
      },
    },
  },
  behaviours: {
    // The state's contact is the only one of the key's account, so a provider answers exactly it.
    listed: {
      description: 'a request to list contacts',
      key: 'valid',
      states: [contactExistsState],
      variables,
      options,
      request,
      response: {
        status: 200,
        body: {
          success: true,
          data: {
            contacts: [{ id: '{id}', ...templatedContact, created_at: '{created_at}', updated_at: '{updated_at}' }],
            pagination: { page: '{page}', limit: '{limit}', total: 1, total_pages: 1 },
          },
        },
      },
    },
    invalidParameter: invalidParameterBehaviour('list contacts'),
    ...sharedBehaviours({
      action: 'list contacts',
      permission: 'contacts:read',
      baseline: { states: [contactExistsState], variables, options, request },
    }),
  },
} as const satisfies EndpointDefinition
