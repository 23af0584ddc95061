import type { z } from 'zod'
import { leadSources } from './leadSources.js'
import { opportunityStatuses } from './opportunityStatuses.js'
import { contactSchema, opportunitySchema } from './schemas.js'
import type { Contact, Opportunity } from './schemas.js'

/** The store's collections that hold records an endpoint names by `:id`. */
export type RecordCollection = 'opportunities' | 'contacts'

/** The store's collections of records that other records refer to by `{ id, name }` (`campaign`, `responsible_user`). */
export type ReferencedCollection = 'campaigns' | 'users'

/** One list filter: how it reads a record, and how it compares. */
export interface ListFilterDefinition<T = never> {
  /** The value (or values, for tags) the filter compares with; `null` when the record has none. */
  of(record: T): string | readonly string[] | null
  /**
   * The record field `of` reads. A change that leaves it alone leaves the filter's counts alone,
   * so the store's list index skips the filter (a stage update touches one of four).
   * @default undefined (every change recomputes the filter)
   */
  field?: keyof T & string
  /** Compare ignoring case (e-mail addresses, company names). @default false */
  caseInsensitive?: boolean
  /** The values the parameter may take; any other is an `INVALID_PARAMETER`. @default any value */
  allowed?: readonly string[]
  /** The parameter holds several values separated by commas (`tags=a,b`), which must all be present. @default false */
  commaSeparated?: boolean
}

/**
 * How a resource's list endpoint filters, searches and sorts. `Filter` and `Sort` are the names
 * of its filters and sortable fields, so the typed client can name them.
 */
export interface ListingDefinition<T = never, Filter extends string = string, Sort extends string = string> {
  /** Exact filters by query parameter name; several values of one filter must all be present (tags). */
  filters: Readonly<Record<Filter, ListFilterDefinition<T>>>
  /** Fields `search` looks in, case-insensitive. */
  searchFields: readonly string[]
  /** Fields `sort_by` may name; `created_at` (the default) is answered from an index. */
  sortFields: readonly Sort[]
}

/**
 * A kind of record an endpoint's path names by `:id`: how errors and provider states speak of it
 * and where the store keeps it. Endpoints share these, so "not found" reads the same everywhere.
 */
export interface ResourceDefinition {
  /** The noun in messages and error details: `'opportunity'`. */
  name: string
  /** The noun starting a sentence: `'Opportunity'`. */
  label: string
  /** The plural noun: `'opportunities'`. */
  plural: string
  /** The store's collection (and fixture section) holding the records. */
  collection: RecordCollection
  /** The prefix of generated ids: `opp_`. */
  idPrefix: string
  /** The provider states that create a record and make sure none exists. */
  states: { exists: string; missing: string }
  /** The record as the store keeps it: the documented resource plus the mock's own fields. */
  schema: z.ZodObject
  /** Fields of `schema` the API never answers (the tenant a record belongs to). */
  privateFields: readonly string[]
  /** How its list endpoint filters, searches and sorts. */
  listing: ListingDefinition
  /**
   * Fields of `schema` holding a `{ id, name }` reference, and the collection of the records they
   * refer to (list items and write bodies name them as `<field>_id`).
   * @default {}
   */
  references?: Readonly<Record<string, ReferencedCollection>>
}

/**
 * The fields of the documented resource ("get" page): what a provider may add to a shorter
 * answer without inventing anything.
 *
 * @example
 * documentedFields(opportunityResource) // ['id', 'name', 'email', ...]
 */
export function documentedFields(resource: ResourceDefinition): readonly string[] {
  // Worked out once per resource: a contact create reads them on every request.
  let fields = documentedFieldsOf.get(resource)
  if (!fields) {
    fields = Object.freeze(Object.keys(resource.schema.shape).filter((field) => !resource.privateFields.includes(field)))
    documentedFieldsOf.set(resource, fields)
  }
  return fields
}

const documentedFieldsOf = new WeakMap<ResourceDefinition, readonly string[]>()

const opportunityListing = {
  filters: {
    status: { field: 'status', of: (record) => record.status, allowed: opportunityStatuses },
    source: { field: 'source', of: (record) => record.source, allowed: leadSources },
    campaign_id: { field: 'campaign', of: (record) => record.campaign?.id ?? null },
    responsible_user_id: { field: 'responsible_user', of: (record) => record.responsible_user?.id ?? null },
  },
  searchFields: ['name', 'email', 'company'],
  sortFields: ['created_at', 'updated_at', 'name', 'status', 'deal_value'],
} as const satisfies ListingDefinition<Opportunity>

const contactListing = {
  filters: {
    company: { field: 'company', of: (record) => record.company, caseInsensitive: true },
    email: { field: 'email', of: (record) => record.email, caseInsensitive: true },
    source: { field: 'source', of: (record) => record.source, allowed: leadSources },
    tags: { field: 'tags', of: (record) => record.tags, commaSeparated: true },
  },
  searchFields: ['name', 'email', 'company'],
  sortFields: ['created_at', 'updated_at', 'name', 'email', 'company'],
} as const satisfies ListingDefinition<Contact>

/** The opportunity (a lead in the pipeline). */
export const opportunityResource = {
  name: 'opportunity',
  label: 'Opportunity',
  plural: 'opportunities',
  collection: 'opportunities',
  idPrefix: 'opp_',
  states: { exists: 'an opportunity exists', missing: 'no opportunity exists' },
  schema: opportunitySchema,
  privateFields: ['account'],
  listing: opportunityListing as ListingDefinition<never, keyof typeof opportunityListing.filters, (typeof opportunityListing.sortFields)[number]>,
  references: { campaign: 'campaigns', responsible_user: 'users' },
} as const satisfies ResourceDefinition

/** The contact (a person in an account's address book). */
export const contactResource = {
  name: 'contact',
  label: 'Contact',
  plural: 'contacts',
  collection: 'contacts',
  idPrefix: 'cnt_',
  states: { exists: 'a contact exists', missing: 'no contact exists' },
  schema: contactSchema,
  privateFields: ['account'],
  listing: contactListing as ListingDefinition<never, keyof typeof contactListing.filters, (typeof contactListing.sortFields)[number]>,
} as const satisfies ResourceDefinition
